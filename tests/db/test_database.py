"""Opening databases: creation, migration with backup, and every file we must refuse."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from regional_centre.db.database import alembic_config, head_revision, open_database
from regional_centre.db.engine import database_url, make_engine
from regional_centre.db.errors import DatabaseNotFound, NewerDatabase, NotADatabase
from regional_centre.db.models import Base


def test_migrations_build_the_same_schema_as_the_models(tmp_path: Path) -> None:
    engine = make_engine(database_url(tmp_path / "migrated.sqlite"))
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_new_database_is_stamped_at_the_newest_revision(tmp_path: Path) -> None:
    database = open_database(tmp_path / "new.sqlite", create=True)
    with database.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    database.close()
    assert database.backup is None


def test_upgrading_backs_up_the_file_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as connection:  # ours, but before the first revision
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("CREATE TABLE keepsake (note TEXT)")
        connection.execute("INSERT INTO keepsake VALUES ('written before the upgrade')")
    connection.close()
    database = open_database(path)
    database.close()
    assert database.backup is not None and database.backup.parent == tmp_path / "backups"
    with sqlite3.connect(database.backup) as backup:
        assert backup.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert backup.execute("SELECT note FROM keepsake").fetchall() == [
            ("written before the upgrade",)
        ]
        assert "organisation" not in {
            r[0] for r in backup.execute("SELECT name FROM sqlite_master")
        }
    backup.close()
    with sqlite3.connect(path) as upgraded:
        assert upgraded.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
    upgraded.close()


def test_a_database_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    open_database(path, create=True).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabase, match="newer version"):
        open_database(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("minutes of the scoping dialogue\n" * 50)
    with pytest.raises(NotADatabase):
        open_database(path)
    assert path.read_text().startswith("minutes")


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    connection.close()
    with pytest.raises(NotADatabase, match="another program"):
        open_database(path)


def test_a_damaged_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    open_database(path, create=True).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    path.write_bytes(bytes(data))
    with pytest.raises(NotADatabase):
        open_database(path)


def test_a_missing_file_or_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotFound, match="init"):
        open_database(tmp_path / "absent.sqlite")
    with pytest.raises(DatabaseNotFound, match="does not exist"):
        open_database(tmp_path / "no-such-folder" / "new.sqlite", create=True)
    with pytest.raises(NotADatabase, match="folder"):
        open_database(tmp_path)
    assert not (tmp_path / "absent.sqlite").exists()
