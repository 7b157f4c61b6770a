"""Starting the desktop program: first run, opening a database, and the ways out when it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from regional_centre.i18n import LANGUAGES
from regional_centre.services import Services
from regional_centre.services.errors import NotADatabase
from regional_centre.services.reference import Code, shipped_centres
from regional_centre.ui import app as app_module
from regional_centre.ui.app import DatabaseFileChooser, DatabaseProblem
from regional_centre.ui.first_run import FirstRunChoice, FirstRunDialog
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.settings import LANGUAGE, Settings


def centres() -> list[Code]:
    return shipped_centres()


def test_first_run_dialog_wants_a_name_and_says_so_next_to_the_field(qtbot: QtBot) -> None:
    dialog = FirstRunDialog(centres(), LANGUAGES)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(dialog.demo, Qt.MouseButton.LeftButton)
    with qtbot.assertNotEmitted(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.name_error.isVisible()
    assert "name" in dialog.name_error.text()
    qtbot.keyClicks(dialog.node_name, "  Dakar office laptop ")
    dialog.centre.setCurrentIndex(dialog.centre.findData("BCRC-SN"))
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    assert dialog.language.currentText() == "Français"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.choice() == FirstRunChoice("BCRC-SN", "Dakar office laptop", True, "fr")


def test_closed_centres_are_not_offered_but_the_secretariat_is(qtbot: QtBot) -> None:
    dialog = FirstRunDialog(centres())
    qtbot.addWidget(dialog)
    codes = [dialog.centre.itemData(i) for i in range(dialog.centre.count())]
    assert "BCRC-CAM" not in codes
    assert codes[-1] == "" and len(codes) == 14


def test_first_run_creates_the_database_and_keeps_the_language(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        FirstRunDialog,
        "ask",
        classmethod(
            lambda cls, c, languages=None, p=None: FirstRunChoice("BCRC-NG", "Ibadan", True, "en")
        ),
    )
    database = tmp_path / "new" / "centre.sqlite"
    opened = app_module.open_services(database)
    assert opened is not None
    try:
        assert opened.services.installation.this_node().centre_code == "BCRC-NG"
        assert opened.load_demo  # the window loads it in the background once it shows
        assert opened.services.organisations.count() == 0
        assert Settings().get(LANGUAGE) == "en"
    finally:
        opened.services.close()


def test_cancelling_the_first_run_creates_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        FirstRunDialog, "ask", classmethod(lambda cls, c, languages=None, p=None: None)
    )
    database = tmp_path / "centre.sqlite"
    assert app_module.open_services(database) is None
    assert not database.exists()


def test_an_unusable_database_fails_cleanly_when_unattended(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_text("this is not a database\n" * 20)
    with pytest.raises(NotADatabase):  # unattended: no dialog that nobody would close
        app_module.run_gui(broken, smoke=True, language="en")
    assert broken.read_text().startswith("this is not a database")  # left as it was


def test_the_problem_dialog_offers_three_ways_out(qtbot: QtBot) -> None:
    dialog = DatabaseProblem(NotADatabase("The file is damaged."))
    qtbot.addWidget(dialog)
    texts = sorted(button.text() for button in dialog.buttons())  # order follows the platform
    assert texts == ["Open another database…", "Quit", "Restore a backup…"]
    assert dialog.text() == "The file is damaged."


def waiting_window(qtbot: QtBot) -> MainWindow:
    window = MainWindow(None, Settings())
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_window_shows_before_the_database_is_open(
    qtbot: QtBot, tmp_path: Path, small_demo_file: Path
) -> None:
    database = tmp_path / "centre.sqlite"
    shutil.copyfile(small_demo_file, database)
    window = waiting_window(qtbot)
    assert not window.new_action.isEnabled() and not window.navigation.isEnabled()
    app_module.open_in_background(window, database, "Test User")
    qtbot.waitUntil(window.has_services, timeout=10_000)
    assert window.new_action.isEnabled() and "BCRC-SN" in window.windowTitle()
    window.services.close()


def test_a_damaged_database_can_be_replaced_by_a_backup(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_demo_file: Path
) -> None:
    backup = tmp_path / "backups" / "centre-before-upgrade.sqlite"
    backup.parent.mkdir()
    shutil.copyfile(small_demo_file, backup)
    database = tmp_path / "centre.sqlite"
    database.write_bytes(b"\0garbage" * 100)
    answers = iter([DatabaseProblem.RESTORE])
    monkeypatch.setattr(DatabaseProblem, "ask", classmethod(lambda cls, e: next(answers)))
    monkeypatch.setattr(DatabaseFileChooser, "ask", classmethod(lambda cls, t, f: backup))
    window = waiting_window(qtbot)
    app_module.open_in_background(window, database, "Test User")
    qtbot.waitUntil(window.has_services, timeout=10_000)
    try:
        assert window.services.organisations.count() == 210
        assert (tmp_path / "centre.sqlite.before-restore").read_bytes().startswith(b"\0garbage")
    finally:
        window.services.close()


def test_another_database_can_be_opened_instead(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_demo_file: Path
) -> None:
    newer = tmp_path / "newer.sqlite"
    newer.write_text("not ours")
    other = tmp_path / "other.sqlite"
    shutil.copyfile(small_demo_file, other)
    monkeypatch.setattr(
        DatabaseProblem, "ask", classmethod(lambda cls, e: DatabaseProblem.OPEN_OTHER)
    )
    monkeypatch.setattr(DatabaseFileChooser, "ask", classmethod(lambda cls, t, f: other))
    window = waiting_window(qtbot)
    app_module.open_in_background(window, newer, "Test User")
    qtbot.waitUntil(window.has_services, timeout=10_000)
    try:
        assert window.services.database.path == other.resolve()
    finally:
        window.services.close()


def test_quitting_at_an_unusable_database_closes_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_text("this is not a database\n" * 20)
    monkeypatch.setattr(DatabaseProblem, "ask", classmethod(lambda cls, e: DatabaseProblem.QUIT))
    window = waiting_window(qtbot)
    app_module.open_in_background(window, broken, "Test User")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert not window.has_services()


def test_smoke_run_visits_every_page_and_exits_cleanly(
    qtbot: QtBot, demo_services: Services
) -> None:
    path = demo_services.database.path
    assert path is not None
    demo_services.close()
    assert app_module.run_gui(path, smoke=True, language="en") == 0


def test_a_restore_keeps_the_replaced_database_with_its_log(
    tmp_path: Path, small_demo_file: Path
) -> None:
    database = tmp_path / "centre.sqlite"
    database.write_bytes(b"the database as it was")
    Path(str(database) + "-wal").write_bytes(b"changes saved but not yet checkpointed")
    backup = tmp_path / "backups" / "centre-manual.sqlite"
    backup.parent.mkdir()
    shutil.copyfile(small_demo_file, backup)
    app_module.restore_backup(backup, database)
    assert database.read_bytes() == backup.read_bytes()
    aside = app_module.set_aside_path(database)
    assert aside.read_bytes() == b"the database as it was"
    assert Path(str(aside) + "-wal").read_bytes() == b"changes saved but not yet checkpointed"
    assert not Path(str(database) + "-wal").exists()  # not applied to the restored file


def test_a_locked_database_is_not_offered_a_restore(qtbot: QtBot) -> None:
    from regional_centre.services.errors import DatabaseLocked

    dialog = DatabaseProblem(DatabaseLocked("Another program is using the database."))
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isHidden() and not dialog.open_button.isHidden()


def test_the_window_can_show_before_the_database_modules_are_loaded() -> None:
    """``run_gui`` shows the window first and opens the database behind it: importing the
    window must not load SQLAlchemy, Alembic or the report libraries, a second of start-up."""
    code = (
        "import sys\n"
        "import regional_centre.ui.app, regional_centre.ui.main_window\n"
        "import regional_centre.ui.operations, regional_centre.ui.settings\n"
        "heavy = ('sqlalchemy', 'alembic', 'reportlab', 'openpyxl')\n"
        "print(' '.join(name for name in heavy if name in sys.modules))\n"
    )
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    assert result.stdout.strip() == ""
