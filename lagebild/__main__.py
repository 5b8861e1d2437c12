"""Entry point for python -m lagebild."""

import sys

from lagebild.cli import main

try:
    sys.exit(main())
except BrokenPipeError:  # output piped into head or less that closed early
    sys.exit(0)
