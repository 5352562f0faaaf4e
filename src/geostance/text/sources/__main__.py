"""``python -m geostance.text.sources eval [--corpus-dir DIR] [--markdown]``."""

import sys

from .evaluate import main

sys.exit(main())
