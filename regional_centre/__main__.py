"""``python -m regional_centre`` runs the command line."""

import sys

from regional_centre.cli import main

sys.exit(main())
