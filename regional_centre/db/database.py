"""Opening a database: checks, automatic backup, migration to the program's schema.

The order follows the house rules: refuse what is not ours or is newer than
the program, back up the file, then upgrade. A new database is created from the
models and stamped at the newest revision. Nothing here deletes or overwrites
a user's file when something fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, Engine, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from regional_centre.db import facts
from regional_centre.db.backup import backup_database
from regional_centre.db.engine import database_url, make_engine, make_sessionmaker, sqlite_path
from regional_centre.db.errors import (
    DatabaseError,
    DatabaseLocked,
    DatabaseNotFound,
    NewerDatabase,
    NotADatabase,
)
from regional_centre.db.models import Base
from regional_centre.i18n import _
from regional_centre.paths import backups_dir

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Database:
    """An open database: its engine and the program's one session factory."""

    url: URL
    engine: Engine
    sessions: sessionmaker[Session]
    backup: Path | None = None

    @property
    def path(self) -> Path | None:
        """The SQLite file, if the database is one."""
        return sqlite_path(self.url)

    def make_durable(self) -> None:
        """Put every committed change on disk now, as if each commit had been synchronous.

        In WAL mode with ``synchronous = NORMAL`` a power cut may lose the last
        commits (never corrupt the file); a checkpoint writes them to the
        database file and syncs it. Used after applying a bundle, which the
        sender will stop re-sending once acknowledged.
        """
        if self.path is None:
            return
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("PRAGMA wal_checkpoint(FULL)")
            cursor.close()
        finally:
            connection.close()

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


def alembic_config() -> Config:
    """Alembic's configuration, built in code (no ini file, no logging set-up)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The schema revision this program writes."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the program ships at least one migration"
    return head


def open_database(target: str | Path, *, create: bool = False) -> Database:
    """Open (or with ``create``, make) the database at ``target``, upgraded to this program's schema."""
    url = database_url(target)
    path = sqlite_path(url)
    if path is not None:
        _check_file(path, create=create)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            backup = _migrate(connection, path, create=create)
    except sa_exc.OperationalError as error:
        engine.dispose()
        raise translate_operational_error(error, url) from error
    except sa_exc.DatabaseError as error:
        engine.dispose()
        raise NotADatabase(
            _("{target} is not a Regional Centre database or is damaged ({reason}).").format(
                target=path or url.render_as_string(), reason=error.orig
            )
        ) from error
    except DatabaseError:
        engine.dispose()
        raise
    return Database(url=url, engine=engine, sessions=make_sessionmaker(engine), backup=backup)


def translate_operational_error(error: sa_exc.OperationalError, url: URL) -> DatabaseError:
    """A user-facing error for a driver fault (locked, unreadable, ...)."""
    where = sqlite_path(url) or url.render_as_string()
    reason = str(error.orig)
    if "locked" in reason or "busy" in reason:
        return DatabaseLocked(
            _("{target} is in use by another program; close it and try again.").format(target=where)
        )
    if "not a database" in reason or "malformed" in reason:
        return NotADatabase(
            _("{target} is not a Regional Centre database or is damaged ({reason}).").format(
                target=where, reason=reason
            )
        )
    return DatabaseError(
        _("Cannot use the database {target}: {reason}.").format(target=where, reason=reason)
    )


def _check_file(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise NotADatabase(_("{path} is a folder, not a database file.").format(path=path))
    if not path.exists():
        if not create:
            raise DatabaseNotFound(
                _("There is no database at {path}; create one with 'regional-centre init'.").format(
                    path=path
                )
            )
        if not path.parent.is_dir():
            raise DatabaseNotFound(
                _("The folder {folder} does not exist.").format(folder=path.parent)
            )
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseError(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from error
    if header and header != SQLITE_HEADER:
        raise NotADatabase(_("{path} is not a Regional Centre database.").format(path=path))


def _migrate(connection: Connection, path: Path | None, *, create: bool) -> Path | None:
    """Bring the schema to the program's head; return the backup made first, if any."""
    tables = set(inspect(connection).get_table_names())
    config = alembic_config()
    config.attributes["connection"] = connection
    if not tables:
        if not create:
            raise NotADatabase(
                _("{target} is empty, not a Regional Centre database.").format(target=path)
            )
        Base.metadata.create_all(connection)
        facts.install(connection)
        command.stamp(config, "head")
        connection.commit()
        return None
    if "alembic_version" not in tables:
        raise NotADatabase(
            _("{target} is a database of another program, not of Regional Centre.").format(
                target=path
            )
        )
    current = MigrationContext.configure(connection).get_current_revision()
    connection.rollback()
    scripts = ScriptDirectory.from_config(config)
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise NewerDatabase(
            _(
                "{target} was written by a newer version of Regional Centre (schema {revision}); "
                "install the newer program to open it."
            ).format(target=path, revision=current)
        )
    if current == scripts.get_current_head():
        return None
    backup = None
    if path is not None:
        backup = backup_database(path, backups_dir(path), f"before-{scripts.get_current_head()}")
    command.upgrade(config, "head")
    connection.commit()
    return backup
