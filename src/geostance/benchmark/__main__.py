"""``python -m geostance.benchmark`` (throughput) and ``python -m geostance.benchmark ray``."""

import sys

from .throughput import main

if __name__ == "__main__":
    sys.exit(main())
