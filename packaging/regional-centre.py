"""PyInstaller entry point of the ``regional-centre`` command line (see build.spec)."""

import sys

from regional_centre.cli import main

if __name__ == "__main__":
    sys.exit(main())
