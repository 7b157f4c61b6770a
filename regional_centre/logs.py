"""Logging to a rotating file in the data folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from regional_centre.paths import logs_dir

LOG_FILE_NAME = "regional-centre.log"


def setup_logging() -> Path | None:
    """Send warnings and errors (with tracebacks) to the log file; return its path.

    Returns None, logging to stderr only, when the folder cannot be written.
    """
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return Path(
            next(h.baseFilename for h in root.handlers if isinstance(h, logging.FileHandler))
        )
    path = logs_dir() / LOG_FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
