"""Score new articles: ``python predict.py INPUT... [--model DIR] [--out PATH] [options]``.

Inputs are .txt/.md/.html files, directories, .jsonl/.csv tables or ``-`` (stdin);
the output schema is described in ``geostance.predict.records``. Exit codes: 0 every
input scored, 1 some failed, 2 bad arguments, 130 interrupted, 70 internal error.
The work is done by :func:`geostance.entry.predict_main` (also ``geostance predict``).
"""

import sys

from geostance.entry import predict_main as main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], exit_now=True))
