"""``python -m seamsim.cli``."""

import sys

from seamsim.cli import main

sys.exit(main())
