"""Record lists in the window: paged loading, type-ahead search, filters, sorting, bulk actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from regional_centre.enums import EngagementStage, SizeClass, StakeholderType
from regional_centre.services import Services
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.services.organisations import OrganisationDraft
from regional_centre.ui import app as app_module
from regional_centre.ui import list_model
from regional_centre.ui.collation import sorted_by_text
from regional_centre.ui.list_model import ListModel
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.pages.list_page import FileChooser, ListPage
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.settings import Settings


def open_list(
    qtbot: QtBot, services: Services, key: str = "partners"
) -> tuple[MainWindow, ListPage]:
    window = MainWindow(services, Settings())
    qtbot.addWidget(window)
    page = window.show_page(key)
    assert isinstance(page, RecordsPage)
    listed = page.current_list()
    assert listed is not None
    if listed.model.loading:
        qtbot.waitSignal(listed.model.loaded, timeout=10_000).wait()
    return window, listed


def reload(qtbot: QtBot, page: ListPage, action: Any) -> None:
    """Run ``action`` and wait until the list shows the new rows."""
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        action()


def column_values(page: ListPage, key: str) -> list[str]:
    column = [c.key for c in page.model.columns].index(key)
    model = page.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_the_model_passes_the_model_tester_and_loads_page_by_page(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    demo_services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(list_model, "PAGE_SIZE", 25)
    model = ListModel(demo_services, Kind.PARTNERS)
    with qtbot.waitSignal(model.loaded) as loaded:
        model.set_query(ListQuery())
    assert loaded.args == [60]
    assert model.rowCount() == 25 and model.canFetchMore()
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore()
        assert not model.canFetchMore()  # one page at a time, never a second while one loads
    assert model.rowCount() == 50
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 60)
    assert not model.canFetchMore()
    ids = {model.record_id(row) for row in range(60)}
    assert len(ids) == 60
    qtmodeltester.check(model, force_py=True)


def test_an_older_query_answering_late_is_ignored(qtbot: QtBot, demo_services: Services) -> None:
    model = ListModel(demo_services, Kind.PARTNERS)
    model.set_query(ListQuery(search="zzzz-no-such-name"))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(ListQuery())
    qtbot.wait(50)  # let any late answer to the first query arrive
    assert model.rowCount() == 60 and model.query.search == ""


def test_type_ahead_search_narrows_the_list(qtbot: QtBot, demo_services: Services) -> None:
    window, page = open_list(qtbot, demo_services)
    first_name = column_values(page, "name")[0]
    word = first_name.split()[0]
    reload(qtbot, page, lambda: qtbot.keyClicks(page.filter_bar.search, word))
    names = column_values(page, "name")
    assert first_name in names and 0 < len(names) < 60
    assert page.count_label.text() == f"{len(names)} records"
    assert window.statusBar().currentMessage() == page.count_label.text()
    reload(qtbot, page, page.filter_bar.search.clear)
    assert page.model.rowCount() == 60


def test_filters_and_clearing_them(qtbot: QtBot, demo_services: Services) -> None:
    _window, page = open_list(qtbot, demo_services)
    stage = page.filter_bar.widgets["engagement_stage"]
    index = stage.combo.findData(EngagementStage.PARTNERSHIP.value)
    reload(
        qtbot, page, lambda: (stage.combo.setCurrentIndex(index), stage.combo.activated.emit(index))
    )
    stages = set(column_values(page, "engagement_stage"))
    assert stages == {"Strategic partnership"}
    expected = demo_services.lists.count(Kind.PARTNERS, ListQuery(engagement_stage="partnership"))
    assert page.model.rowCount() == expected
    reload(qtbot, page, page.filter_bar.clear_button.click)
    assert page.model.rowCount() == 60


def test_clicking_a_heading_sorts_the_list(qtbot: QtBot, demo_services: Services) -> None:
    app_module.application("en")  # as the program starts: the language's collation, not C's
    _window, page = open_list(qtbot, demo_services)
    header = page.view.horizontalHeader()
    city = [c.key for c in page.model.columns].index("city")
    reload(qtbot, page, lambda: header.setSortIndicator(city, Qt.SortOrder.DescendingOrder))
    cities = column_values(page, "city")
    assert cities == sorted_by_text(cities, str)[::-1]  # as the language sorts, not by code point
    assert cities.index("Thika") < cities.index("Thiès")  # "è" is after "k" only by code point
    assert page.model.query.sort == "city" and page.model.query.descending


def test_hidden_columns_and_filters_are_kept_for_next_time(
    qtbot: QtBot, demo_services: Services
) -> None:
    window, page = open_list(qtbot, demo_services)
    acronym = [c.key for c in page.model.columns].index("acronym")
    page.set_column_shown(acronym, False)
    reload(qtbot, page, lambda: page.show_filtered(country="NG"))
    window.close()
    again, reopened = open_list(qtbot, demo_services)
    assert reopened.view.isColumnHidden(acronym)
    assert reopened.model.query.country == "NG"
    assert set(column_values(reopened, "country")) == {"Nigeria"}
    assert again.current_page() is not window.current_page()


def test_bulk_stage_change_and_its_undo(qtbot: QtBot, demo_services: Services) -> None:
    window, page = open_list(qtbot, demo_services)
    page.view.selectRow(0)
    page.view.selectionModel().select(
        page.model.index(2, 0),
        page.view.selectionModel().SelectionFlag.Select
        | page.view.selectionModel().SelectionFlag.Rows,
    )
    ids = page.selected_ids()
    assert len(ids) == 2
    before = {i: demo_services.organisations.get(i).engagement_stage for i in ids}
    action = next(a for a in page.bulk_actions() if a.text() == "Set stage: Joint activity")
    action.trigger()
    assert {demo_services.organisations.get(i).engagement_stage for i in ids} == {
        EngagementStage.JOINT_ACTIVITY
    }
    assert column_values(page, "engagement_stage")[0] == "Joint activity"
    window.undo_action.trigger()
    assert {i: demo_services.organisations.get(i).engagement_stage for i in ids} == before


def test_deleting_a_selection_asks_and_can_be_undone(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    free = demo_services.organisations.create(
        OrganisationDraft(
            name="Aaa Atelier",
            stakeholder_type=StakeholderType.SME,
            country="SN",
            size_class=SizeClass.MICRO,
            employees=2,
        )
    ).id
    window, page = open_list(qtbot, demo_services, "smes")
    page.view.setFocus()
    page.open_record(free)
    qtbot.waitUntil(lambda: page.selected_ids() == [free])
    asked: list[str] = []

    def refuse(parent: object, title: str, text: str) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr("regional_centre.ui.pages.list_page.confirm", refuse)
    window.delete_action.trigger()
    assert asked and demo_services.organisations.get(free)  # said no: still there
    monkeypatch.setattr("regional_centre.ui.pages.list_page.confirm", lambda *a: True)
    reload(qtbot, page, window.delete_action.trigger)
    assert page.model.row_of(free) is None
    assert demo_services.lists.count(Kind.SMES, ListQuery()) == 150
    reload(qtbot, page, window.undo_action.trigger)
    assert page.model.row_of(free) is not None


def test_a_record_in_use_is_not_deleted_and_the_reason_is_shown(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = open_list(qtbot, demo_services, "partners")
    page.view.selectRow(0)
    errors: list[str] = []
    monkeypatch.setattr("regional_centre.ui.pages.list_page.confirm", lambda *a: True)
    monkeypatch.setattr(
        "regional_centre.ui.pages.list_page.show_error", lambda p, t, text: errors.append(text)
    )
    window.delete_action.trigger()
    assert errors and "still" in errors[0]
    assert demo_services.lists.count(Kind.PARTNERS, ListQuery()) == 60


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_exporting_the_selection_to_a_spreadsheet(
    qtbot: QtBot,
    demo_services: Services,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    suffix: str,
) -> None:
    _window, page = open_list(qtbot, demo_services)
    page.view.selectRow(0)
    page.view.selectionModel().select(
        page.model.index(1, 0),
        page.view.selectionModel().SelectionFlag.Select
        | page.view.selectionModel().SelectionFlag.Rows,
    )
    target = tmp_path / f"partners{suffix}"
    monkeypatch.setattr(FileChooser, "ask", classmethod(lambda cls, p, t, s: target))
    finished: list[str] = []
    monkeypatch.setattr(
        "regional_centre.ui.pages.list_page.show_information",
        lambda p, t, text: finished.append(text),
    )
    page.export_selected()
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    assert finished == [f"2 rows written to {target}."]
    names = column_values(page, "name")[:2]
    if suffix == ".xlsx":
        sheet = load_workbook(target).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "Name" and [r[0] for r in rows[1:]] == names
        people = rows[0].index("People")
        assert all(isinstance(r[people], int) for r in rows[1:])  # numbers stay numbers
        assert sheet.freeze_panes == "A2"
    else:
        text = target.read_bytes()
        assert text.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read UTF-8
        lines = text.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Name,") and [line.split(",")[0] for line in lines[1:]] == [
            f'"{n}"' if "," in n else n for n in names
        ]
