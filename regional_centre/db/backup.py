"""Consistent copies of a SQLite database while it may be in use."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from regional_centre.db.errors import DatabaseError
from regional_centre.files import sync_folder


def backup_database(source: Path, folder: Path, label: str) -> Path:
    """Copy ``source`` into ``folder`` with SQLite's backup API; return the new file.

    The copy is written to a temporary name, flushed to disk and checked before
    it is renamed, so a file under a backup's name is always a sound database.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{source.stem}-{stamp}-{label}{source.suffix or '.sqlite'}"
    partial = target.with_name(target.name + ".partial")
    try:
        with (
            contextlib.closing(sqlite3.connect(source)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            # A backup of a WAL database is itself in WAL mode; make it one plain file.
            dst.execute("PRAGMA journal_mode = DELETE")
            (verdict,) = dst.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise DatabaseError(f"The backup of {source} failed its check ({verdict}).")
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        sync_folder(folder)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"Could not back up {source} to {folder}: {error}") from error
    return target
