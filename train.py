"""Train a geostance model: ``python train.py [--config configs/X.yaml] [--section.key value ...]``.

Defaults come from configs/default.yaml; every option is listed by --help. The work
is done by :func:`geostance.entry.train_main` (also ``geostance train``).
"""

import sys

from geostance.entry import train_main as main

if __name__ == "__main__":
    sys.exit(main())
