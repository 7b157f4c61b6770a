"""Starting the desktop program: first run, opening a database, and the ways out when it fails."""

from __future__ import annotations

import shutil
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


def test_an_unusable_database_is_explained_with_ways_out_not_crashed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def ask(cls: type, error: Exception) -> int:
        shown.append(str(error))
        return DatabaseProblem.QUIT

    monkeypatch.setattr(DatabaseProblem, "ask", classmethod(ask))
    broken = tmp_path / "broken.sqlite"
    broken.write_text("this is not a database\n" * 20)
    assert app_module.run_gui(broken, language="en") == 0
    assert len(shown) == 1 and "not a Regional Centre database" in shown[0]
    assert broken.read_text().startswith("this is not a database")  # left as it was
    with pytest.raises(NotADatabase):  # unattended: no dialog that nobody would close
        app_module.run_gui(broken, smoke=True, language="en")
    assert len(shown) == 1


def test_the_problem_dialog_offers_three_ways_out(qtbot: QtBot) -> None:
    dialog = DatabaseProblem(NotADatabase("The file is damaged."))
    qtbot.addWidget(dialog)
    texts = sorted(button.text() for button in dialog.buttons())  # order follows the platform
    assert texts == ["Open another database…", "Quit", "Restore a backup…"]
    assert dialog.text() == "The file is damaged."


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
    opened = app_module.open_with_way_out(database, "Test User")
    assert opened is not None
    try:
        assert opened.services.organisations.count() == 210
        assert (tmp_path / "centre.sqlite.unusable").read_bytes().startswith(b"\0garbage")
    finally:
        opened.services.close()


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
    opened = app_module.open_with_way_out(newer, "Test User")
    assert opened is not None
    try:
        assert opened.services.database.path == other.resolve()
    finally:
        opened.services.close()


def test_smoke_run_visits_every_page_and_exits_cleanly(
    qtbot: QtBot, demo_services: Services
) -> None:
    path = demo_services.database.path
    assert path is not None
    demo_services.close()
    assert app_module.run_gui(path, smoke=True, language="en") == 0
