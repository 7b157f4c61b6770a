"""What the sync and settings pages read about this installation: its changes, file and backups."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from regional_centre.paths import backups_dir
from regional_centre.services import Services
from regional_centre.services.errors import ServiceError
from regional_centre.services.maintenance import MANUAL_BACKUP
from tests.services.test_organisations import organisation_draft


def test_a_new_installation_has_made_no_change_yet(services: Services) -> None:
    status = services.installation.status()
    assert status.seq == 0
    assert status.last_change is None
    assert status.created_at <= dt.datetime.now(dt.UTC).replace(tzinfo=None)


def test_each_unit_of_work_advances_the_sequence_and_the_last_change(services: Services) -> None:
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    services.organisations.create(organisation_draft(name="Sonatel"))
    services.organisations.create(organisation_draft(name="Senelec"))
    status = services.installation.status()
    assert status.seq == 2
    assert status.last_change is not None
    assert before <= status.last_change <= dt.datetime.now(dt.UTC).replace(tzinfo=None)


def test_a_backup_is_a_sound_copy_listed_newest_first(services: Services) -> None:
    services.organisations.create(organisation_draft(name="Sonatel"))
    database = services.maintenance.database_file()
    assert database is not None
    size = services.maintenance.database_size()
    assert size is not None and size >= database.stat().st_size > 0
    first = services.maintenance.backup()
    services.organisations.create(organisation_draft(name="Senelec"))
    second = services.maintenance.backup("before-import")
    assert first.parent == second.parent == backups_dir(database)
    listed = services.maintenance.backups()
    assert [b.path for b in listed] == [second, first]
    assert [b.label for b in listed] == ["before-import", MANUAL_BACKUP]
    assert listed[0].made_at >= listed[1].made_at
    assert listed[1].size == first.stat().st_size
    copy = Services.open(first)
    try:
        assert copy.organisations.count() == 1
    finally:
        copy.close()
    assert services.organisations.count() == 2


def test_files_that_are_not_backups_of_this_database_are_not_listed(services: Services) -> None:
    database = services.maintenance.database_file()
    assert database is not None
    folder = backups_dir(database)
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    (folder / f"other-20270101-120000-000000-{MANUAL_BACKUP}.sqlite").write_bytes(b"")
    (folder / f"{database.stem}-20270101-120000-000000-manual.sqlite.partial").write_bytes(b"")
    assert services.maintenance.backups() == []
    made = services.maintenance.backup()
    assert [b.path for b in services.maintenance.backups()] == [made]


def test_no_backups_folder_means_no_backups(services: Services) -> None:
    assert services.maintenance.backups() == []


def test_a_label_that_is_not_a_plain_word_is_refused(services: Services) -> None:
    with pytest.raises(ServiceError, match="letters, digits"):
        services.maintenance.backup("../elsewhere")


def test_a_database_without_a_file_cannot_be_backed_up(tmp_path: Path) -> None:
    memory = Services.open("sqlite://", create=True)
    try:
        memory.installation.initialise(node_name="In memory", centre_code=None)
        assert memory.maintenance.database_file() is None
        assert memory.maintenance.database_size() is None
        assert memory.maintenance.backups() == []
        with pytest.raises(ServiceError, match="kept in a file"):
            memory.maintenance.backup()
    finally:
        memory.close()


def test_a_failed_copy_is_refused_with_the_reason(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("regional_centre.db.backup.sqlite3.connect", broken)
    with pytest.raises(ServiceError, match="disk I/O error"):
        services.maintenance.backup()
    database = services.maintenance.database_file()
    assert database is not None
    assert list(backups_dir(database).iterdir()) == []
