"""Where the program's data, logs, backups and resources live.

Every location can be overridden by an environment variable, which tests and
portable builds use. The defaults match Qt's ``QStandardPaths.AppDataLocation``
so that the desktop program and the command line agree without importing Qt here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "Regional Centre"
DATABASE_FILE_NAME = "regional-centre.sqlite"


def resources_dir() -> Path:
    """The folder holding reference data, fonts and icons (also inside a PyInstaller build)."""
    if override := os.environ.get("REGIONAL_CENTRE_RESOURCES"):
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def translations_dir() -> Path:
    """The folder holding compiled message catalogues."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "translations"
    return Path(__file__).resolve().parent.parent / "translations"


def data_dir() -> Path:
    """The user's data folder for this program (not created here)."""
    if override := os.environ.get("REGIONAL_CENTRE_DATA_DIR"):
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME


def default_database_path() -> Path:
    """The database the desktop program opens when none is named."""
    return data_dir() / DATABASE_FILE_NAME


def backups_dir(database: Path) -> Path:
    """Where automatic backups of ``database`` go: a folder beside it."""
    return database.parent / "backups"


def logs_dir() -> Path:
    """Where the rotating log files go."""
    return data_dir() / "logs"
