"""Engines and sessions: SQLite by default (WAL, foreign keys on), any SQLAlchemy URL accepted."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, exc, make_url
from sqlalchemy.orm import Session, sessionmaker

# SQLite has no decimal type: amounts round-trip through REAL, which is exact for
# the 15 significant digits money and measurements need here.
warnings.filterwarnings("ignore", r".*does \*not\* support Decimal objects natively", exc.SAWarning)

BUSY_TIMEOUT_MS = int(os.environ.get("REGIONAL_CENTRE_BUSY_TIMEOUT_MS", "5000"))


def database_url(target: str | Path) -> URL:
    """A SQLAlchemy URL for a file path or a URL given as text."""
    text = str(target)
    if "://" in text:
        return make_url(text)
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory or non-SQLite database."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def fold_case(text: str | None) -> str | None:
    """``text`` case-folded (Unicode), for case-insensitive search in any script."""
    return text.casefold() if isinstance(text, str) else text


def make_engine(url: URL) -> Engine:
    """An engine with the pragmas and transaction handling the program relies on."""
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling is switched off so that BEGIN is
        # emitted by SQLAlchemy exactly when a transaction starts.
        dbapi_connection.isolation_level = None
        # SQLite's LIKE and lower() fold ASCII only; searches in other scripts use this.
        dbapi_connection.create_function("rc_fold", 1, fold_case, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Random UUID keys touch pages all over the indexes: give the cache 64 MiB.
        cursor.execute("PRAGMA cache_size = -65536")
        if sqlite_path(url) is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """The one session factory of a running program."""
    return sessionmaker(engine, expire_on_commit=False)
