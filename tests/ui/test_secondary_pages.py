"""The Sync, Reports and Settings pages: what they show, the backups and exports they make.

The Sync page's exchange (peers, bundles, conflicts) is tested in test_sync_page.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from regional_centre.enums import EngagementStage, Gender
from regional_centre.i18n import format_number
from regional_centre.logs import LOG_FILE_NAME
from regional_centre.paths import backups_dir, logs_dir
from regional_centre.services import Services
from regional_centre.services.statistics import Period
from regional_centre.ui import app as app_module
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.operations import wait_for_background_work
from regional_centre.ui.pages.reports import FIGURE_LABELS, FiguresTable, ReportsPage
from regional_centre.ui.pages.settings import MAX_NAME, SettingsPage
from regional_centre.ui.pages.sync import SyncPage
from regional_centre.ui.settings import LANGUAGE, RESTORE_ON_START, USER_NAME, Settings
from tests.conftest import new_database
from tests.services.test_organisations import organisation_draft


@pytest.fixture(autouse=True)
def closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window closed at the end of a failed test must not wait for an answer."""
    monkeypatch.setattr("regional_centre.ui.main_window.confirm", lambda *args: True)


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Settings of this test alone. ``Settings()`` opens QSettings in the native format, which
    the shared ``fresh_settings`` fixture does not redirect (it sets the INI format's path)."""
    folder = tmp_path_factory.mktemp("native-settings")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))


def open_window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services, Settings())
    qtbot.addWidget(window)
    return window


def column(table: FiguresTable, number: int) -> list[str]:
    return [table.cell_text(row, number) for row in range(table.rowCount())]


def database_of(services: Services) -> Path:
    path = services.maintenance.database_file()
    assert path is not None
    return path


# Sync.


def sync_page(qtbot: QtBot, window: MainWindow) -> SyncPage:
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.counts_table.rowCount() > 0, timeout=10_000)
    return page


def test_sync_page_shows_this_node_its_changes_and_what_it_holds(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = open_window(qtbot, demo_services)
    page = sync_page(qtbot, window)
    node = demo_services.installation.this_node()
    assert page.centre.text().startswith("BCRC-SN: Basel Convention Regional Centre")
    assert page.node_name.text() == node.name == "Test node"
    assert page.node_id.text() == node.id
    status = demo_services.installation.status()
    assert status.seq > 0 and page.seq.text() == format_number(status.seq)
    assert page.last_change.text() not in ("", "…")
    kinds = column(page.counts_table, 0)
    counts = dict(zip(kinds, column(page.counts_table, 1), strict=True))
    assert counts["Organisation"] == format_number(demo_services.organisations.count())
    assert counts["Training session"] == format_number(demo_services.sessions.count())
    assert counts["Certificate"] == format_number(demo_services.certificates.count())
    assert kinds[-1] == "All records"
    lists = demo_services.reference.lists()
    assert page.lists_table.rowCount() == len(lists)
    assert "Regional Centres" in column(page.lists_table, 0)
    assert set(column(page.lists_table, 1)) == {info.version for info in lists}
    # The page exchanges bundles now: it offers to, and no longer says it comes later.
    assert page.import_button.isEnabled() and page.peers_box.enrol_button.isEnabled()
    assert not page.export_button.isEnabled()  # no peer enrolled to export for
    notes = [label.text() for label in page.findChildren(QLabel)]
    assert not [text for text in notes if "later version" in text]


def test_sync_page_names_the_secretariat_for_its_node(qtbot: QtBot, tmp_path: Path) -> None:
    secretariat = new_database(tmp_path / "secretariat.sqlite", centre=None)
    try:
        window = open_window(qtbot, secretariat)
        page = sync_page(qtbot, window)
        assert "Secretariat" in page.centre.text()
        assert page.seq.text() == "0" and page.last_change.text() == "None yet"
        assert column(page.counts_table, 1)[-1] == "0"
        window.close()
        wait_for_background_work()
    finally:
        secretariat.close()


def test_sync_page_counts_again_after_a_change(qtbot: QtBot, demo_services: Services) -> None:
    window = open_window(qtbot, demo_services)
    page = sync_page(qtbot, window)
    before = demo_services.organisations.count()
    window.show_page("reports")
    window.edits.create(demo_services.organisations, organisation_draft(name="Sonatel"))
    window.show()
    window.show_page("sync")
    qtbot.waitUntil(
        lambda: page.counts_table.cell_text(0, 1) == format_number(before + 1), timeout=10_000
    )
    assert page.seq.text() == format_number(demo_services.installation.status().seq)


def test_back_up_now_makes_a_copy_that_opens_as_the_same_database(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = open_window(qtbot, demo_services)
    page = sync_page(qtbot, window)
    with qtbot.waitSignal(page.backed_up, timeout=20_000) as made:
        qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    backup = made.args[0]
    assert isinstance(backup, Path)
    assert backup.parent == backups_dir(database_of(demo_services))
    assert str(backup) in page.backup_result.text()
    copy = Services.open(backup)
    try:
        assert copy.organisations.count() == demo_services.organisations.count()
        assert copy.installation.this_node() == demo_services.installation.this_node()
    finally:
        copy.close()


# Reports.


def reports_page(qtbot: QtBot, window: MainWindow) -> ReportsPage:
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage)
    qtbot.waitUntil(lambda: page.period is not None, timeout=10_000)
    return page


def test_reports_page_shows_the_statistics_of_the_period_chosen(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = open_window(qtbot, demo_services)
    page = reports_page(qtbot, window)
    year = dt.date.today().year
    assert page.period == Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.last_year_button, Qt.MouseButton.LeftButton)
    assert (page.start.value(), page.end.value()) == (
        dt.date(year - 1, 1, 1),
        dt.date(year - 1, 12, 31),
    )
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.start.set_value(dt.date(2024, 1, 1))  # as the user picks a day: counted shortly after
    period = Period(dt.date(2024, 1, 1), dt.date(year - 1, 12, 31))
    assert page.period == period
    statistics = demo_services.statistics
    key = statistics.key_figures(period)
    assert column(page.figures_table, 0) == list(FIGURE_LABELS.values())
    assert column(page.figures_table, 1) == [
        format_number(getattr(key, name)) for name in FIGURE_LABELS
    ]
    assert key.sessions > 0 and key.participants > 0
    stages = statistics.partners_by_stage()
    assert column(page.stage_table, 0) == [stage.label() for stage in EngagementStage]
    assert column(page.stage_table, 1) == [format_number(count) for _stage, count in stages]
    genders = statistics.participants_by_gender(period)
    assert column(page.gender_table, 0) == [gender.label() for gender in Gender]
    assert column(page.gender_table, 1) == [format_number(count) for _gender, count in genders]
    quarters = statistics.trainings_per_quarter(period)
    assert column(page.quarter_table, 0) == [f"{q.year} Q{q.quarter}" for q in quarters]
    assert column(page.quarter_table, 1) == [format_number(q.sessions) for q in quarters]
    assert column(page.quarter_table, 2) == [format_number(q.participants) for q in quarters]


def test_a_period_ending_before_it_starts_is_refused_next_to_the_dates(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = open_window(qtbot, demo_services)
    page = reports_page(qtbot, window)
    page.set_period(dt.date(2026, 6, 1), dt.date(2026, 1, 1))
    assert not page.period_error.isHidden()
    assert "ends before it starts" in page.period_error.text()
    assert page.period is None and not page.export_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_period(dt.date(2026, 1, 1), dt.date(2026, 6, 1))
    assert page.period_error.isHidden() and page.export_button.isEnabled()


def test_export_writes_one_sheet_per_table_with_numbers_as_numbers(
    qtbot: QtBot, demo_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, demo_services)
    page = reports_page(qtbot, window)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_period(dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    target = tmp_path / "figures.xlsx"
    suggested: list[str] = []

    def ask(parent: object, title: str, name: str) -> Path:
        suggested.append(name)
        return target

    monkeypatch.setattr("regional_centre.ui.pages.reports.WorkbookChooser.ask", ask)
    told: list[str] = []
    monkeypatch.setattr(
        "regional_centre.ui.pages.reports.show_information",
        lambda parent, title, text: told.append(text),
    )
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert suggested == ["key-figures-2023-01-01-2026-12-31.xlsx"]
    assert str(target) in told[0]
    book = load_workbook(target)
    assert book.sheetnames == [table.title for table in page.tables]
    assert book.sheetnames[0] == "Key figures"
    key = demo_services.statistics.key_figures(page.period or Period())
    figures = list(book["Key figures"].iter_rows(values_only=True))
    assert figures[0] == ("Figure", "2023-01-01 to 2026-12-31")
    assert figures[1:] == [
        (str(label), getattr(key, name)) for name, label in FIGURE_LABELS.items()
    ]
    for name in book.sheetnames:
        rows = list(book[name].iter_rows(min_row=2, values_only=True))
        assert rows, name
        assert all(isinstance(value, int) for row in rows for value in row[1:]), name
    quarters = demo_services.statistics.trainings_per_quarter(page.period or Period())
    quarter_rows = list(book["Training per quarter"].iter_rows(min_row=2, values_only=True))
    assert [row[1:] for row in quarter_rows] == [(q.sessions, q.participants) for q in quarters]


# Settings.


def settings_page(window: MainWindow) -> SettingsPage:
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return page


def test_settings_keeps_the_name_and_language_and_the_name_applies_at_once(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, demo_services)
    page = settings_page(window)
    qtbot.keyClicks(page.name, "  Aminata Diop ")
    page.language.setCurrentIndex(page.language.findData("fr"))
    assert page.language.currentText() == "Français"
    assert page.language_note.text() == "The program speaks French once this is saved."
    assert page.has_unsaved_changes()
    asked: list[str] = []
    monkeypatch.setattr(  # keep the window in English (the language switch is tested elsewhere)
        "regional_centre.ui.main_window.confirm", lambda *args: asked.append(args[2]) and False
    )
    window.save_action.trigger()  # Ctrl+S
    assert asked == ["Show the program in French (Français) now?"]
    assert window.has_services() and window.navigation.item(0).text() == "Dashboard"
    assert not page.has_unsaved_changes()
    stored = Settings()
    assert stored.get(USER_NAME) == "Aminata Diop"
    assert stored.get(LANGUAGE) == "fr"
    assert window.statusBar().currentMessage()
    created = demo_services.organisations.create(organisation_draft(name="Sonatel"))
    assert [entry.actor for entry in demo_services.audit.history(created.id)] == ["Aminata Diop"]


def test_a_name_too_long_is_refused_next_to_the_field(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = open_window(qtbot, demo_services)
    page = settings_page(window)
    qtbot.keyClicks(page.name, "A" * (MAX_NAME + 1))
    assert not page.save()
    assert not page.name_error.isHidden()
    assert str(MAX_NAME) in page.name_error.text()
    assert Settings().get(USER_NAME) == ""
    qtbot.keyClick(page.name, Qt.Key.Key_Backspace)
    assert page.name_error.isHidden()
    assert page.save()
    assert Settings().get(USER_NAME) == "A" * MAX_NAME


def test_settings_lists_the_backups_and_makes_new_ones(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = open_window(qtbot, demo_services)
    page = settings_page(window)
    assert page.backup_table.isHidden() and not page.no_backups.isHidden()
    made = demo_services.maintenance.backup()
    window.refresh_action.trigger()  # F5
    assert page.backup_table.rowCount() == 1
    made_cell, reason_cell = page.backup_table.item(0, 0), page.backup_table.item(0, 1)
    assert made_cell is not None and made_cell.toolTip() == str(made)
    assert reason_cell is not None and reason_cell.text() == "Made on request"
    assert not page.restore_button.isEnabled()
    page.backup_table.selectRow(0)
    assert page.chosen_backup() == made and page.restore_button.isEnabled()
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.backup_table.rowCount() == 2, timeout=20_000)
    newest = demo_services.maintenance.backups()[0].path
    assert newest != made and page.chosen_backup() == newest


def test_restore_at_next_start_puts_the_backup_in_place_when_the_program_starts(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = database_of(demo_services)
    backup = demo_services.maintenance.backup()
    in_backup = demo_services.organisations.count()
    demo_services.organisations.create(organisation_draft(name="Sonatel"))
    window = open_window(qtbot, demo_services)
    page = settings_page(window)
    page.choose_backup(backup)
    asked: list[str] = []

    def confirm(parent: object, title: str, text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr("regional_centre.ui.pages.settings.confirm", confirm)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert "Changes made since then will be lost" in asked[0]
    assert Settings().get(RESTORE_ON_START) == str(backup)
    assert not page.pending.isHidden() and not page.cancel_restore_button.isHidden()
    assert demo_services.organisations.count() == in_backup + 1  # nothing replaced while open
    window.close()
    wait_for_background_work()
    demo_services.close()

    assert app_module.run_gui(database, smoke=True) == 0
    restored = Services.open(database)
    try:
        assert restored.organisations.count() == in_backup
    finally:
        restored.close()
    assert Settings().get(RESTORE_ON_START) == ""
    assert database.with_name(database.name + ".before-restore").exists()  # the replaced one, kept


def test_a_restore_can_be_called_off_and_only_backups_of_the_database_are_restored(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = open_window(qtbot, demo_services)
    page = settings_page(window)
    page.choose_backup(demo_services.maintenance.backup())
    window.refresh_action.trigger()
    page.choose_backup(demo_services.maintenance.backups()[0].path)
    monkeypatch.setattr("regional_centre.ui.pages.settings.confirm", lambda *args: True)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert Settings().get(RESTORE_ON_START)
    qtbot.mouseClick(page.cancel_restore_button, Qt.MouseButton.LeftButton)
    assert Settings().get(RESTORE_ON_START) == ""
    assert page.pending.isHidden()

    stranger = tmp_path / "elsewhere.sqlite"
    stranger.write_bytes(database_of(demo_services).read_bytes())
    settings = Settings()
    settings.set(RESTORE_ON_START, str(stranger))
    before = database_of(demo_services).read_bytes()
    message = app_module.apply_pending_restore(settings, database_of(demo_services))
    assert "not restored" in message
    assert settings.get(RESTORE_ON_START) == ""
    assert database_of(demo_services).read_bytes() == before


def test_settings_shows_the_database_and_opens_its_folder_and_the_log(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REGIONAL_CENTRE_DATA_DIR", str(tmp_path / "data"))
    window = open_window(qtbot, demo_services)
    page = settings_page(window)
    database = database_of(demo_services)
    assert page.database_path.text() == str(database)
    assert page.database_size.text().endswith("MB")
    opened: list[Path] = []

    def open_location(path: Path) -> bool:
        opened.append(path)
        return True

    monkeypatch.setattr("regional_centre.ui.pages.settings.open_location", open_location)
    qtbot.mouseClick(page.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [database.parent]
    assert "nothing written yet" in page.log_path.text()
    assert not page.open_log_button.isEnabled()
    log_file = logs_dir() / LOG_FILE_NAME
    log_file.parent.mkdir(parents=True)
    log_file.write_text("WARNING something happened\n", encoding="utf-8")
    window.refresh_action.trigger()  # F5
    assert page.log_path.text() == str(log_file)
    qtbot.mouseClick(page.open_log_button, Qt.MouseButton.LeftButton)
    assert opened == [database.parent, log_file]
