"""The desktop program's start: first-run set-up and the overview window, through real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from regional_centre.enums import SizeClass, StakeholderType
from regional_centre.services import Services
from regional_centre.services.errors import NotADatabase
from regional_centre.services.organisations import OrganisationDraft
from regional_centre.services.reference import Code, shipped_centres
from regional_centre.ui import app as app_module
from regional_centre.ui.first_run import FirstRunChoice, FirstRunDialog
from regional_centre.ui.main_window import OVERVIEW, MainWindow


def centres() -> list[Code]:
    return shipped_centres()


def test_first_run_dialog_wants_a_name_and_says_so_next_to_the_field(qtbot: QtBot) -> None:
    dialog = FirstRunDialog(centres())
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
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.choice() == FirstRunChoice("BCRC-SN", "Dakar office laptop", True)


def test_closed_centres_are_not_offered_but_the_secretariat_is(qtbot: QtBot) -> None:
    dialog = FirstRunDialog(centres())
    qtbot.addWidget(dialog)
    codes = [dialog.centre.itemData(i) for i in range(dialog.centre.count())]
    assert "BCRC-CAM" not in codes
    assert codes[-1] == "" and len(codes) == 14


def test_first_run_creates_the_database_with_demo_data(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        FirstRunDialog,
        "ask",
        classmethod(lambda cls, c, p=None: FirstRunChoice("BCRC-NG", "Ibadan", True)),
    )
    database = tmp_path / "new" / "centre.sqlite"
    services = app_module.open_services(database)
    assert services is not None
    try:
        assert services.installation.this_node().centre_code == "BCRC-NG"
        assert services.organisations.count() == 210
    finally:
        services.close()


def test_cancelling_the_first_run_creates_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda cls, c, p=None: None))
    database = tmp_path / "centre.sqlite"
    assert app_module.open_services(database) is None
    assert not database.exists()


def test_the_overview_counts_what_the_database_holds(qtbot: QtBot, demo_services: Services) -> None:
    window = MainWindow(demo_services)
    qtbot.addWidget(window)
    shown = {
        window.overview.item(r, 0).text(): window.overview.item(r, 1).text()
        for r in range(len(OVERVIEW))
    }
    assert shown["Organisations"] == "210"
    assert shown["Participations"] == "1,500"
    assert "BCRC-SN" in window.windowTitle()
    demo_services.organisations.create(
        OrganisationDraft(
            name="New Recycler SARL",
            stakeholder_type=StakeholderType.SME,
            country="SN",
            size_class=SizeClass.MICRO,
        )
    )
    window.refresh()
    assert window.overview.item(0, 1).text() == "211"


def test_an_unusable_database_is_reported_not_crashed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_error", lambda parent, title, text: shown.append(text))
    broken = tmp_path / "broken.sqlite"
    broken.write_text("this is not a database\n" * 20)
    assert app_module.run_gui(broken, language="en") == 1
    assert len(shown) == 1 and "not a Regional Centre database" in shown[0]
    with pytest.raises(NotADatabase):  # unattended: no dialog that nobody would close
        app_module.run_gui(broken, smoke=True, language="en")
    assert len(shown) == 1
