"""The Sync page exchanges data: peers, enrolment, export, import with a preview, conflicts.

Two real installations of the Dakar centre (an office and a field laptop) are
made with the sync tests' helpers; the file dialogs, message boxes and the
page's own dialogs are answered by the tests where a person would click.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog
from pytestqt.qtbot import QtBot

from regional_centre.i18n import format_number
from regional_centre.services.listing import Kind
from regional_centre.sync.crypto import readable_fingerprint
from regional_centre.ui.errors import ErrorDialog
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.operations import wait_for_background_work
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.pages.reports import FiguresTable
from regional_centre.ui.pages.sync import SyncPage
from regional_centre.ui.pages.sync_dialogs import EnrolDialog, ImportPreviewDialog
from regional_centre.ui.settings import Settings
from tests.sync.conftest import (
    Installation,
    add_contact,
    add_organisation,
    database_bytes,
    enrol,
    exchange,
    new_installation,
    send,
)


@pytest.fixture(autouse=True)
def closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window closed at the end of a failed test must not wait for an answer."""
    monkeypatch.setattr("regional_centre.ui.main_window.confirm", lambda *args: True)


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Settings of this test alone (``Settings()`` opens QSettings in the native format)."""
    folder = tmp_path_factory.mktemp("native-settings")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Installation]:
    """The Dakar centre's office installation."""
    installation = new_installation(tmp_path, "Dakar office")
    yield installation
    wait_for_background_work()
    installation.services.close()


@pytest.fixture
def laptop(tmp_path: Path, office: Installation) -> Iterator[Installation]:
    """A field laptop of the same centre, enrolled with the office both ways."""
    installation = new_installation(tmp_path, "Field laptop")
    enrol(office, installation)
    yield installation
    wait_for_background_work()
    installation.services.close()


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    """A folder for bundles and enrolment files (the USB stick)."""
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


@dataclass
class Clicks:
    """What the test answers in the dialogs a person would see, and what they showed."""

    save_as: Path | None = None
    open_file: Path | None = None
    enrol: bool = False
    import_bundle: bool = False
    suggested: list[str] = field(default_factory=list)
    enrol_dialogs: list[EnrolDialog] = field(default_factory=list)
    previews: list[ImportPreviewDialog] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    information: list[tuple[str, str]] = field(default_factory=list)
    confirm: bool = False
    questions: list[str] = field(default_factory=list)
    unexpected: list[BaseException] = field(default_factory=list)


@pytest.fixture
def clicks(monkeypatch: pytest.MonkeyPatch) -> Clicks:
    """Answer the file dialogs, message boxes, enrolment and preview dialogs."""
    answers = Clicks()

    def save(parent: object, title: str, suggested: str, kinds: str) -> tuple[str, str]:
        answers.suggested.append(suggested)
        return (str(answers.save_as) if answers.save_as else "", "")

    def open_file(parent: object, title: str, folder: str, kinds: str) -> tuple[str, str]:
        return (str(answers.open_file) if answers.open_file else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_file))

    def enrol_exec(dialog: EnrolDialog) -> int:
        answers.enrol_dialogs.append(dialog)
        return QDialog.DialogCode.Accepted if answers.enrol else QDialog.DialogCode.Rejected

    def preview_exec(dialog: ImportPreviewDialog) -> int:
        answers.previews.append(dialog)
        return QDialog.DialogCode.Accepted if answers.import_bundle else QDialog.DialogCode.Rejected

    monkeypatch.setattr(EnrolDialog, "exec", enrol_exec)
    monkeypatch.setattr(ImportPreviewDialog, "exec", preview_exec)

    def confirm(parent: object, title: str, text: str) -> bool:
        answers.questions.append(text)
        return answers.confirm

    messages = "regional_centre.ui.messages."
    monkeypatch.setattr(messages + "confirm", confirm)
    monkeypatch.setattr(
        messages + "show_error", lambda parent, title, text: answers.errors.append((title, text))
    )
    monkeypatch.setattr(
        messages + "show_information",
        lambda parent, title, text: answers.information.append((title, text)),
    )
    monkeypatch.setattr(
        ErrorDialog, "ask", classmethod(lambda cls, parent, error: answers.unexpected.append(error))
    )
    return answers


def open_sync(qtbot: QtBot, installation: Installation) -> tuple[MainWindow, SyncPage]:
    """A window over ``installation`` showing its Sync page, read."""
    window = MainWindow(installation.services, Settings())
    qtbot.addWidget(window)
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(page.state.isHidden, timeout=10_000)
    return window, page


def cells(table: FiguresTable, row: int) -> list[str]:
    """The texts of one row, each on one line."""
    return [table.cell_text(row, c).replace("\n", " ") for c in range(table.columnCount())]


def column_of(table: FiguresTable, heading: str) -> int:
    headings = [table.table.headings[c].replace("\n", " ") for c in range(table.columnCount())]
    return headings.index(heading)


def wait_for_text(qtbot: QtBot, label: Any, words: str) -> None:
    qtbot.waitUntil(lambda: words in label.text(), timeout=20_000)


# Peers and enrolment.


def test_peers_are_listed_with_their_fingerprint_and_where_the_exchange_stands(
    qtbot: QtBot, office: Installation, laptop: Installation
) -> None:
    """Each peer shows its centre, its fingerprint as people read it, and what waits for it."""
    add_organisation(office)
    _window, page = open_sync(qtbot, office)
    own = readable_fingerprint(office.services.sync.fingerprint())
    assert page.fingerprint.text() == own
    peers = page.peers_box.table
    assert peers.rowCount() == 1
    pending = office.services.sync.peer("Field laptop").pending
    assert pending > 0
    assert cells(peers, 0) == [
        "Field laptop",
        "BCRC-SN",
        readable_fingerprint(laptop.services.sync.fingerprint()),
        "Trusted",
        "0",
        "0",
        "Never",
        "Never",
        format_number(pending),
        "Full",
    ]
    assert page.export_button.isEnabled()
    assert page.export_button.text() == "Export bundle for Field laptop…"
    assert "for Field laptop" in page.pending.text()
    assert page.last_export.text() == page.last_import.text() == "None yet"


def test_saving_the_enrolment_file_writes_one_the_other_side_can_enrol(
    qtbot: QtBot, office: Installation, tmp_path: Path, outbox: Path, clicks: Clicks
) -> None:
    """The file is written where the user chose (with its suffix) and carries this node's keys."""
    geneva = new_installation(tmp_path, "Geneva", centre=None)
    try:
        _window, page = open_sync(qtbot, office)
        assert not page.export_button.isEnabled()  # no peer to export for yet
        assert not page.peers_box.no_peers.isHidden()
        clicks.save_as = outbox / "dakar"
        qtbot.mouseClick(page.peers_box.save_enrolment_button, Qt.MouseButton.LeftButton)
        written = outbox / "dakar.rcenrol"
        wait_for_text(qtbot, page.peers_box.result, str(written))
        assert Path(clicks.suggested[0]).name == "Dakar-office.rcenrol"
        assert page.fingerprint.text() in page.peers_box.result.text()
        enrolment = geneva.services.sync.read_enrolment(written.read_bytes())
        assert enrolment.node_id == office.services.installation.this_node().id
        assert enrolment.fingerprint == office.services.sync.fingerprint()
        assert [p.name for p in geneva.services.sync.peers()] == []  # nothing enrolled by saving
    finally:
        geneva.services.close()


def test_enrolling_asks_whether_the_fingerprint_matches_and_only_yes_trusts_it(
    qtbot: QtBot, office: Installation, tmp_path: Path, outbox: Path, clicks: Clicks
) -> None:
    """The dialog shows the name, the Secretariat and the fingerprint; No leaves things as they were."""
    geneva = new_installation(tmp_path, "Geneva", centre=None)
    try:
        enrolment = outbox / "geneva.rcenrol"
        enrolment.write_bytes(geneva.services.sync.enrolment())
        _window, page = open_sync(qtbot, office)
        clicks.open_file = enrolment
        before = database_bytes(office)

        qtbot.mouseClick(page.peers_box.enrol_button, Qt.MouseButton.LeftButton)
        dialog = clicks.enrol_dialogs[0]
        assert dialog.who.text() == "Geneva"
        assert "Secretariat" in dialog.where.text()
        assert dialog.fingerprint.text() == readable_fingerprint(geneva.services.sync.fingerprint())
        assert dialog.question.text() == "Does it match what the other side reads out?"
        no = dialog.buttons.button(QDialogButtonBox.StandardButton.No)
        assert no.isDefault()  # Enter does not trust a key
        assert "Not enrolled" in page.peers_box.result.text()
        wait_for_background_work()
        assert database_bytes(office) == before
        assert office.services.sync.peers() == []

        clicks.enrol = True
        with qtbot.waitSignal(page.loaded, timeout=20_000):
            qtbot.mouseClick(page.peers_box.enrol_button, Qt.MouseButton.LeftButton)
        assert len(clicks.enrol_dialogs) == 2
        assert office.services.sync.peer("Geneva").is_secretariat
        assert cells(page.peers_box.table, 0)[:3] == [
            "Geneva",
            "Secretariat",
            dialog.fingerprint.text(),
        ]
        assert page.peers_box.selected_peer() is not None
        assert page.export_button.text() == "Export bundle for Geneva…"
        assert "Enrolled Geneva" in page.peers_box.result.text()
    finally:
        geneva.services.close()


def test_a_new_key_endorsed_by_the_old_one_is_said_so_and_still_confirmed(
    qtbot: QtBot, office: Installation, laptop: Installation, outbox: Path, clicks: Clicks
) -> None:
    """After the laptop replaced its keys, the dialog names the old key it replaces."""
    old = readable_fingerprint(laptop.services.sync.fingerprint())
    rotated = outbox / "laptop-new.rcenrol"
    rotated.write_bytes(laptop.services.sync.rotate_keys())
    _window, page = open_sync(qtbot, office)
    clicks.open_file = rotated
    clicks.enrol = True
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.mouseClick(page.peers_box.enrol_button, Qt.MouseButton.LeftButton)
    note = clicks.enrol_dialogs[0].note.text()
    assert "new key of Field laptop" in note and old in note
    new = readable_fingerprint(laptop.services.sync.fingerprint())
    assert cells(page.peers_box.table, 0)[2] == new != old


def test_a_file_that_is_not_an_enrolment_file_is_refused_plainly(
    qtbot: QtBot, office: Installation, outbox: Path, clicks: Clicks
) -> None:
    """No dialog asks about it, nothing is enrolled, and the message says what is wrong."""
    damaged = outbox / "notes.rcenrol"
    damaged.write_text('{"kind": "something else"}', encoding="utf-8")
    _window, page = open_sync(qtbot, office)
    clicks.open_file = damaged
    qtbot.mouseClick(page.peers_box.enrol_button, Qt.MouseButton.LeftButton)
    assert clicks.errors == [
        ("Cannot enrol from notes.rcenrol", "This file is not a Regional Centre enrolment file.")
    ]
    assert clicks.enrol_dialogs == [] and office.services.sync.peers() == []


def test_revoking_asks_first_and_then_the_peer_can_no_longer_be_exported_for(
    qtbot: QtBot, office: Installation, laptop: Installation, clicks: Clicks
) -> None:
    """Answering No keeps the key; Yes revokes it and the export is switched off."""
    _window, page = open_sync(qtbot, office)
    qtbot.mouseClick(page.peers_box.revoke_button, Qt.MouseButton.LeftButton)
    assert "Stop trusting the key of Field laptop" in clicks.questions[0]
    wait_for_background_work()
    assert not office.services.sync.peer("Field laptop").revoked
    clicks.confirm = True
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.mouseClick(page.peers_box.revoke_button, Qt.MouseButton.LeftButton)
    assert office.services.sync.peer("Field laptop").revoked
    assert cells(page.peers_box.table, 0)[3] == "Revoked"
    assert not page.export_button.isEnabled()
    assert not page.peers_box.revoke_button.isEnabled()


def test_the_personal_data_a_peer_gets_is_chosen_per_peer(
    qtbot: QtBot, office: Installation, laptop: Installation
) -> None:
    """Choosing pseudonymised participants keeps it for that peer and the table says so."""
    _window, page = open_sync(qtbot, office)
    choice = page.peers_box.personal_data
    assert choice.currentData() == "full"
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        choice.setCurrentIndex(choice.findData("pseudonymised"))
        choice.activated.emit(choice.currentIndex())
    assert office.services.sync.peer("Field laptop").personal_data == "pseudonymised"
    assert cells(page.peers_box.table, 0)[9] == "Pseudonymised"
    assert choice.currentData() == "pseudonymised"


# Export and import.


def test_exporting_writes_a_bundle_the_other_installation_imports(
    qtbot: QtBot, office: Installation, laptop: Installation, outbox: Path, clicks: Clicks
) -> None:
    """The bundle goes where the user chose; the page says which bundle, where, and how much."""
    organisation = add_organisation(office, "Ecobat Recyclage")
    _window, page = open_sync(qtbot, office)
    clicks.save_as = outbox / "for-laptop.rcbundle"
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    today = dt.date.today().isoformat()
    assert Path(clicks.suggested[0]).name == f"Dakar-office-to-Field-laptop-{today}.rcbundle"
    result = page.exchange_result.text()
    assert result.startswith("Bundle 1 for Field laptop written to")
    assert str(clicks.save_as) in result
    assert cells(page.peers_box.table, 0)[4] == "1"  # bundles sent
    assert "bundle 1 for Field laptop" in page.last_export.text()
    report = laptop.services.sync.import_bundle(clicks.save_as)
    assert report.tables["organisation"].added == 1
    assert laptop.services.organisations.get(organisation).name == "Ecobat Recyclage"


def import_clicking(qtbot: QtBot, page: SyncPage, clicks: Clicks, bundle: Path) -> None:
    """Choose ``bundle`` with the Import button and wait until the preview was answered."""
    clicks.open_file = bundle
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(clicks.previews), timeout=20_000)


def test_the_preview_shows_what_would_change_and_cancel_changes_nothing(
    qtbot: QtBot, office: Installation, laptop: Installation, outbox: Path, clicks: Clicks
) -> None:
    """A dry run counts the records; cancelling leaves the database exactly as it was."""
    add_organisation(laptop, "Ecobat Recyclage")
    add_organisation(laptop, "Sonatel")
    bundle = send(laptop, office, outbox)
    _window, page = open_sync(qtbot, office)
    before = database_bytes(office)
    import_clicking(qtbot, page, clicks, bundle)
    preview = clicks.previews[0]
    assert preview.windowTitle() == "Import bundle 1 from Field laptop?"
    rows = {cells(preview.table, r)[0]: cells(preview.table, r)[1:] for r in range(2)}
    assert preview.table.table.headings[:4] == ["Kind of record", "Added", "Updated", "Deleted"]
    assert rows["Organisation"] == ["2", "0", "0", "0", "0"]
    assert "Field laptop (BCRC-SN)" in preview.texts()[0]
    assert "No value would go to the conflict log." in preview.texts()
    wait_for_text(qtbot, page.exchange_result, "Not imported")
    wait_for_background_work()
    assert database_bytes(office) == before
    assert office.services.organisations.count() == 0


def test_confirming_the_preview_imports_and_the_other_pages_show_the_new_records(
    qtbot: QtBot, office: Installation, laptop: Installation, outbox: Path, clicks: Clicks
) -> None:
    """After the import the partners list, opened before, lists the organisation."""
    organisation = add_organisation(laptop, "Ecobat Recyclage")
    bundle = send(laptop, office, outbox)
    window, page = open_sync(qtbot, office)
    partners = window.page("partners")
    assert isinstance(partners, RecordsPage)
    listed = partners.list_of(Kind.PARTNERS)
    assert listed is not None
    qtbot.waitUntil(lambda: not listed.model.loading, timeout=10_000)
    assert listed.model.rowCount() == 0
    clicks.import_bundle = True
    import_clicking(qtbot, page, clicks, bundle)
    wait_for_text(qtbot, page.exchange_result, "Imported bundle 1 from Field laptop")
    assert "1 added, 0 updated, 0 deleted" in page.exchange_result.text()
    assert office.services.organisations.get(organisation).name == "Ecobat Recyclage"
    qtbot.waitUntil(lambda: listed.model.rowCount() == 1, timeout=10_000)
    assert listed.model.record_id(0) == organisation
    qtbot.waitUntil(lambda: cells(page.peers_box.table, 0)[5] == "1", timeout=10_000)


def test_a_bundle_imported_before_is_said_so_without_a_preview(
    qtbot: QtBot, office: Installation, laptop: Installation, outbox: Path, clicks: Clicks
) -> None:
    """The same file twice: the second time only a message, and nothing changes."""
    add_organisation(laptop)
    bundle = send(laptop, office, outbox)
    office.services.sync.import_bundle(bundle)
    _window, page = open_sync(qtbot, office)
    before = database_bytes(office)
    clicks.open_file = bundle
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(clicks.information), timeout=20_000)
    assert clicks.information == [
        ("Already imported", "Bundle 1 from Field laptop was imported before; nothing changed.")
    ]
    assert clicks.previews == []
    assert database_bytes(office) == before


def drag(path: Path, *more: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (path, *more)])
    return mime


def test_dropping_a_bundle_on_the_window_imports_it_on_the_sync_page(
    qtbot: QtBot, office: Installation, laptop: Installation, outbox: Path, clicks: Clicks
) -> None:
    """From any page: the window shows the Sync page and the same preview, then imports."""
    organisation = add_organisation(laptop, "Ecobat Recyclage")
    bundle = send(laptop, office, outbox)
    window = MainWindow(office.services, Settings())
    qtbot.addWidget(window)
    window.show_page("reports")
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    copy = Qt.DropAction.CopyAction
    for refused in (drag(outbox / "notes.txt"), drag(bundle, bundle)):
        entering = QDragEnterEvent(QPoint(50, 50), copy, refused, buttons, keys)
        entering.ignore()
        window.dragEnterEvent(entering)
        assert not entering.isAccepted()
    dragged = drag(bundle)  # the events do not keep their data alive
    entering = QDragEnterEvent(QPoint(50, 50), copy, dragged, buttons, keys)
    entering.ignore()
    window.dragEnterEvent(entering)
    assert entering.isAccepted()
    clicks.import_bundle = True
    window.dropEvent(QDropEvent(QPointF(50, 50), copy, dragged, buttons, keys))
    page = window.current_page()
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: bool(clicks.previews), timeout=20_000)
    wait_for_text(qtbot, page.exchange_result, "Imported bundle 1 from Field laptop")
    assert office.services.organisations.get(organisation).name == "Ecobat Recyclage"


def test_a_damaged_bundle_is_refused_with_a_clear_message_and_changes_nothing(
    qtbot: QtBot, office: Installation, laptop: Installation, outbox: Path, clicks: Clicks
) -> None:
    """A bundle cut short on the stick: no preview, one plain message, the database as it was."""
    add_organisation(laptop)
    bundle = send(laptop, office, outbox)
    data = bundle.read_bytes()
    damaged = outbox / "damaged.rcbundle"
    damaged.write_bytes(data[: len(data) // 2])
    _window, page = open_sync(qtbot, office)
    before = database_bytes(office)
    clicks.open_file = damaged
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(clicks.errors), timeout=20_000)
    [(title, text)] = clicks.errors
    assert title == "Cannot import damaged.rcbundle"
    assert "damaged" in text or "truncated" in text
    assert "Traceback" not in text and "\n" not in text
    assert clicks.previews == [] and clicks.unexpected == []
    wait_for_background_work()
    assert database_bytes(office) == before


# Conflicts.


@pytest.mark.parametrize("restore", [True, False])
def test_a_conflict_is_listed_and_either_brought_back_or_let_go(
    qtbot: QtBot,
    office: Installation,
    laptop: Installation,
    outbox: Path,
    clicks: Clicks,
    restore: bool,
) -> None:
    """Both changed the city; the laptop's later one won. The log offers the office's back."""
    organisation = add_organisation(office, "Ecobat Recyclage")
    exchange(office, laptop, outbox)
    office.services.organisations.change(organisation, city="Dakar")
    laptop.services.organisations.change(organisation, city="Thiès")
    exchange(laptop, office, outbox)
    _window, page = open_sync(qtbot, office)
    log = page.conflict_log
    assert log.table.rowCount() == 1
    assert cells(log.table, 0)[:4] == ["Organisation", "Ecobat Recyclage", "City", "Dakar"]
    assert cells(log.table, 0)[5] == "Thiès"
    assert "Dakar office" in cells(log.table, 0)[4]
    assert "Field laptop" in cells(log.table, 0)[6]
    assert log.caption.text() == "Conflict log (1 open)"
    assert not log.restore_button.isEnabled()
    log.table.selectRow(0)
    button = log.restore_button if restore else log.dismiss_button
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert office.services.organisations.get(organisation).city == ("Dakar" if restore else "Thiès")
    assert log.table.isHidden() and not log.no_conflicts.isHidden()
    [settled] = office.services.sync.conflicts(include_resolved=True)
    assert settled.resolution == ("restored" if restore else "dismissed")
    assert ("is back" if restore else "is kept") in log.result.text()


# The Secretariat.


def test_the_secretariat_sees_the_centres_side_by_side_with_their_counts(
    qtbot: QtBot, office: Installation, tmp_path: Path, outbox: Path
) -> None:
    """One row per centre: its installations, bundles, last bundle and records per kind."""
    geneva = new_installation(tmp_path, "Geneva", centre=None)
    try:
        enrol(office, geneva)
        first = add_organisation(office, "Ecobat Recyclage")
        add_organisation(office, "Sonatel")
        add_contact(office, first)
        geneva.services.sync.import_bundle(send(office, geneva, outbox))
        window, page = open_sync(qtbot, geneva)
        centres = page.centres_table
        assert not centres.isHidden() and not page.centres_caption.isHidden()
        assert centres.rowCount() == 1
        row = cells(centres, 0)
        assert row[:3] == ["BCRC-SN", "Dakar office", "1"]
        assert row[3] != "Never"
        assert row[column_of(centres, "Organisation")] == "2"
        assert row[column_of(centres, "Person")] == "1"
        assert row[column_of(centres, "Training session")] == "0"
        window.close()
        wait_for_background_work()
    finally:
        geneva.services.close()
    _window, centre_page = open_sync(qtbot, office)
    assert centre_page.centres_table.isHidden() and centre_page.centres_caption.isHidden()
