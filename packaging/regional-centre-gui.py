"""PyInstaller entry point of the ``regional-centre-gui`` desktop program (see build.spec)."""

import sys

from regional_centre.cli import gui_main

if __name__ == "__main__":
    sys.exit(gui_main())
