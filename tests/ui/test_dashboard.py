"""The dashboard: key figures of a chosen period, charts, and the lists behind them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from regional_centre.enums import ActivityStatus, EngagementStage, Gender
from regional_centre.i18n import format_number
from regional_centre.services import Services
from regional_centre.services.errors import ServiceError
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.services.statistics import Period
from regional_centre.ui.edits import Edits
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.operations import wait_for_background_work
from regional_centre.ui.pages.dashboard import (
    CUSTOM_PERIOD,
    TILES,
    DashboardPage,
    period_of,
    quarter_days,
)
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.settings import DASHBOARD_PERIOD, Settings

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> Iterator[None]:
    """Settings of this test alone: ``Settings()`` uses the native format, which the shared
    ``fresh_settings`` fixture does not move, so choices would leak from one test to the next."""
    native, scope = QSettings.Format.NativeFormat, QSettings.Scope.UserScope
    QSettings.setPath(native, scope, str(tmp_path))
    yield
    QSettings.setPath(native, scope, os.environ["XDG_CONFIG_HOME"])


@pytest.fixture
def edits() -> Iterator[Edits]:
    yield Edits()


def open_dashboard(qtbot: QtBot, services: Services, edits: Edits) -> DashboardPage:
    """A dashboard on screen, with its first figures shown."""
    page = DashboardPage(services, edits, Settings())
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with qtbot.waitSignal(page.loaded):
        page.show()
    return page


def choose_period(qtbot: QtBot, page: DashboardPage, key: str) -> None:
    with qtbot.waitSignal(page.loaded):
        page.period_bar.choice.setCurrentIndex(page.period_bar.choice.findData(key))


def tile_texts(page: DashboardPage) -> dict[str, str]:
    return {key: tile.number.text() for key, tile in page.tiles.items()}


def expected_texts(services: Services, period: Period) -> dict[str, str]:
    figures = services.statistics.key_figures(period)
    return {spec.key: format_number(getattr(figures, spec.key)) for spec in TILES}


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def click_bar(chart: Any, index: int) -> None:
    """Click the bar of category ``index`` as the chart reports it (QBarSet.clicked)."""
    chart.sets[0].clicked.emit(chart.index_of(index))


def test_tiles_show_the_key_figures_of_this_year(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    assert page.period_bar.key() == "year"
    this_year = Period(dt.date(TODAY.year, 1, 1), dt.date(TODAY.year, 12, 31))
    assert tile_texts(page) == expected_texts(demo_services, this_year)
    dialogues = demo_services.statistics.key_figures(this_year).dialogues
    assert page.tiles["dialogues"].accessibleName() == f"Scoping dialogues: {dialogues}"
    assert page.period_bar.summary.text() == f"Jan 1, {TODAY.year} – Dec 31, {TODAY.year}"


def test_choosing_all_time_shows_other_figures(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    this_year = tile_texts(page)
    choose_period(qtbot, page, "all")
    assert tile_texts(page) == expected_texts(demo_services, Period())
    assert tile_texts(page) != this_year  # the demo has records of earlier years
    assert page.period_bar.summary.text() == "all records"
    choose_period(qtbot, page, "last_year")
    last_year = Period(dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31))
    assert tile_texts(page) == expected_texts(demo_services, last_year)


def test_the_funnel_has_a_bar_per_stage_with_its_partners(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    stages = demo_services.statistics.partners_by_stage()
    chart = page.stages
    assert chart.categories == [stage.label() for stage in EngagementStage]
    assert chart.sets[0].count() == len(EngagementStage)
    shown = [chart.sets[0].at(chart.index_of(i)) for i in range(len(stages))]
    assert shown == [count for _stage, count in stages]
    # The first stage is drawn on top: the last bar of a horizontal series.
    assert chart.sets[0].at(len(stages) - 1) == stages[0][1]
    assert f"Identified: Partners {stages[0][1]}" in chart.view.accessibleDescription()


def test_the_other_charts_show_the_statistics(
    qtbot: QtBot, demo_services: Services, edits: Edits, qtmodeltester: Any
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    choose_period(qtbot, page, "all")
    statistics = demo_services.statistics
    quarters = statistics.trainings_per_quarter(Period())
    assert page.quarters.categories[0] == f"{quarters[0].year} Q{quarters[0].quarter}"
    assert [page.quarters.sets[0].at(i) for i in range(len(quarters))] == [
        q.sessions for q in quarters
    ]
    assert page.quarters.line is not None
    assert [p.y() for p in page.quarters.line.points()] == [q.participants for q in quarters]
    genders = dict(statistics.participants_by_gender(Period()))
    labels = [piece.label() for piece in page.genders.slices]
    assert f"Female: {format_number(genders[Gender.FEMALE])}" in labels
    assert len(labels) == sum(1 for count in genders.values() if count)  # no empty slices
    sectors = statistics.partners_by_sector()
    assert page.sectors.categories[0].startswith(f"{sectors[0][0]} ")  # "C Manufacturing"
    outcomes = statistics.outcomes_by_indicator(Period())
    table = page.outcomes
    assert table.rowCount() == len(outcomes)
    indicator, unit, total, activities = outcomes[0]
    assert [cell(table, 0, c) for c in range(3)] == [
        indicator,
        f"{format_number(total)} {unit}",
        format_number(activities),
    ]
    qtmodeltester.check(table.model())


def test_a_period_without_records_says_so(qtbot: QtBot, services: Services, edits: Edits) -> None:
    page = open_dashboard(qtbot, services, edits)
    assert set(tile_texts(page).values()) == {"0"}
    assert page.quarters.is_empty and page.genders.is_empty
    assert not page.stages.is_empty  # every stage, with no partners yet
    assert cell(page.outcomes, 0, 0) == "No outcomes recorded for this period."


def test_the_period_choice_is_kept_for_the_next_dashboard(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    choose_period(qtbot, page, "custom")
    assert page.period_bar.custom.isVisible()
    with qtbot.waitSignal(page.loaded):
        page.period_bar.start.set_value(dt.date(2024, 1, 1))
        page.period_bar.end.set_value(dt.date(2024, 6, 30))
    custom = Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert page.figures is not None and page.figures.period == custom
    assert tile_texts(page) == expected_texts(demo_services, custom)
    assert Settings().get(DASHBOARD_PERIOD) == "custom"
    assert Settings().get_json(CUSTOM_PERIOD, {}) == {"start": "2024-01-01", "end": "2024-06-30"}

    again = open_dashboard(qtbot, demo_services, edits)
    assert again.period_bar.key() == "custom"
    assert again.figures is not None and again.figures.period == custom
    choose_period(qtbot, again, "last_12_months")
    assert DashboardPage(demo_services, edits, Settings()).period_bar.key() == "last_12_months"


def test_a_custom_period_that_ends_before_it_starts_is_refused(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    choose_period(qtbot, page, "custom")
    shown = tile_texts(page)
    with qtbot.assertNotEmitted(page.loaded, wait=500):
        page.period_bar.start.set_value(dt.date(2025, 3, 1))
        page.period_bar.end.set_value(dt.date(2025, 2, 1))
    assert page.period_bar.problem.isVisible()
    assert page.period_bar.problem.text() == "The period ends before it starts."
    assert tile_texts(page) == shown


def test_clicking_a_stage_asks_for_the_partners_at_that_stage(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    with qtbot.waitSignal(page.filter_requested) as blocker:
        click_bar(page.stages, 1)
    assert blocker.args == ["partners", {"engagement_stage": "dialogue"}]


def test_clicking_bars_and_tiles_asks_for_the_matching_lists(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    year_start, year_end = dt.date(TODAY.year, 1, 1), dt.date(TODAY.year, 12, 31)
    assert page.figures is not None
    with qtbot.waitSignal(page.filter_requested) as blocker:
        click_bar(page.activities, 2)
    assert blocker.args == [
        "activities",
        {"status": ActivityStatus.COMPLETED.value, "date_from": year_start, "date_to": year_end},
    ]
    quarter = page.figures.quarters[0]
    with qtbot.waitSignal(page.filter_requested) as blocker:
        click_bar(page.quarters, 0)
    first = dt.date(quarter.year, 3 * quarter.quarter - 2, 1)
    assert blocker.args[0] == "sessions"
    assert blocker.args[1]["date_from"] == first
    sector = page.figures.sectors[0][0]
    with qtbot.waitSignal(page.filter_requested) as blocker:
        click_bar(page.sectors, 0)
    assert blocker.args == ["partners", {"sector": sector}]
    with qtbot.waitSignal(page.filter_requested) as blocker:
        qtbot.mouseClick(page.tiles["dialogues"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["dialogues", {"date_from": year_start, "date_to": year_end}]
    with qtbot.waitSignal(page.filter_requested) as blocker:
        page.tiles["overdue_actions"].setFocus()
        qtbot.keyClick(page.tiles["overdue_actions"], Qt.Key.Key_Space)
    assert blocker.args == ["dialogues", {"overdue_only": True}]
    with qtbot.waitSignal(page.filter_requested) as blocker:
        qtbot.mouseClick(page.tiles["participants"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["contacts", {"date_from": year_start, "date_to": year_end}]
    with qtbot.assertNotEmitted(page.filter_requested):
        qtbot.mouseClick(page.tiles["certificates"], Qt.MouseButton.LeftButton)


def test_a_gender_slice_opens_the_people_of_that_gender_trained_in_the_period(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = MainWindow(demo_services, Settings())
    qtbot.addWidget(window)
    window.show()
    dashboard = window.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.figures is not None)
    with qtbot.waitSignal(dashboard.loaded):
        dashboard.period_bar.set_key("all")
    assert dashboard.figures is not None
    gender, participations = dashboard.figures.genders[0]
    people = records_list(window, "partners", Kind.CONTACTS)
    with qtbot.waitSignal(people.model.loaded) as loaded:
        dashboard.genders.slice_clicked.emit(0)
    assert window.current_page() is window.page("partners")
    assert records_page(window, "partners").current_list() is people
    assert people.filter_bar.widgets["gender"].value() is gender
    # Each person once, however many sessions they attended: never more than the slice counts.
    assert 0 < loaded.args[0] <= participations
    genders = set(
        people.model.data(people.model.index(row, 6)) for row in range(people.model.rowCount())
    )
    assert genders == {gender.label()}


def records_page(window: MainWindow, key: str) -> RecordsPage:
    page = window.page(key)
    assert isinstance(page, RecordsPage)
    return page


def records_list(window: MainWindow, key: str, kind: Kind) -> ListPage:
    found = records_page(window, key).list_of(kind)
    assert found is not None
    return found


def test_a_stage_bar_opens_the_partners_list_at_that_stage(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = MainWindow(demo_services, Settings())
    qtbot.addWidget(window)
    window.show()
    dashboard = window.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.figures is not None)
    partners = records_list(window, "partners", Kind.PARTNERS)
    with qtbot.waitSignal(partners.model.loaded) as loaded:
        click_bar(dashboard.stages, 2)
    stage = EngagementStage.PARTNERSHIP
    expected = demo_services.lists.count(Kind.PARTNERS, ListQuery(engagement_stage=stage.value))
    assert expected == dict(demo_services.statistics.partners_by_stage())[stage]
    assert loaded.args == [expected]
    assert window.current_page() is window.page("partners")
    assert records_page(window, "partners").current_list() is partners
    rows = demo_services.lists.page(Kind.PARTNERS, partners.model.query, 0, expected)
    assert partners.model.rowCount() == expected
    assert [partners.model.record_id(r) for r in range(expected)] == [row.id for row in rows]
    assert partners.filter_bar.widgets["engagement_stage"].value() is stage


def test_a_status_bar_opens_the_joint_activities_tab(qtbot: QtBot, demo_services: Services) -> None:
    window = MainWindow(demo_services, Settings())
    qtbot.addWidget(window)
    window.show()
    dashboard = window.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.figures is not None)
    with qtbot.waitSignal(dashboard.loaded):
        dashboard.period_bar.set_key("all")
    activities = records_list(window, "partnerships", Kind.ACTIVITIES)
    with qtbot.waitSignal(activities.model.loaded) as loaded:
        click_bar(dashboard.activities, 1)
    assert window.current_page() is window.page("partnerships")
    assert records_page(window, "partnerships").current_list() is activities
    ongoing = dict(demo_services.statistics.activities_by_status(Period()))[ActivityStatus.ONGOING]
    assert loaded.args == [ongoing]
    assert activities.filter_bar.widgets["status"].value() is ActivityStatus.ONGOING


def test_an_edit_is_counted_after_a_moment_and_a_hidden_page_catches_up_when_shown(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    identified = demo_services.lists.page(
        Kind.PARTNERS, ListQuery(engagement_stage=EngagementStage.IDENTIFIED.value), 0, 2
    )
    stages = dict(demo_services.statistics.partners_by_stage())
    position = page.stages.index_of(list(EngagementStage).index(EngagementStage.DIALOGUE))
    with qtbot.waitSignal(page.loaded):
        edits.change_many(
            demo_services.organisations,
            [identified[0].id],
            engagement_stage=EngagementStage.DIALOGUE,
        )
    assert page.stages.sets[0].at(position) == stages[EngagementStage.DIALOGUE] + 1

    page.hide()
    with qtbot.assertNotEmitted(page.loaded, wait=500):
        edits.change_many(
            demo_services.organisations,
            [identified[1].id],
            engagement_stage=EngagementStage.DIALOGUE,
        )
    with qtbot.waitSignal(page.loaded):
        page.show()
    assert page.stages.sets[0].at(position) == stages[EngagementStage.DIALOGUE] + 2


def test_figures_that_cannot_be_read_are_explained_on_the_page(
    qtbot: QtBot, demo_services: Services, edits: Edits, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_dashboard(qtbot, demo_services, edits)
    shown = tile_texts(page)

    def fail(_period: Period) -> None:
        raise ServiceError("the database is locked")

    monkeypatch.setattr(demo_services.statistics, "key_figures", fail)
    with qtbot.assertNotEmitted(page.loaded, wait=0):
        page.refresh()
        qtbot.waitUntil(page.message.isVisible)
    assert page.message.text() == (
        "The figures could not be read: the database is locked. Press F5 to try again."
    )
    assert tile_texts(page) == shown
    monkeypatch.undo()
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    assert not page.message.isVisible()


def test_smoke_test_draws_the_charts_at_once(
    qtbot: QtBot, demo_services: Services, edits: Edits
) -> None:
    page = DashboardPage(demo_services, edits, Settings())
    qtbot.addWidget(page)
    page.smoke_test()
    assert page.figures is not None
    assert page.stages.sets and not page.stages.is_empty
    assert wait_for_background_work()  # the read the page began when built is dropped


@pytest.mark.parametrize(
    ("choice", "today", "expected"),
    [
        ("year", dt.date(2027, 5, 3), Period(dt.date(2027, 1, 1), dt.date(2027, 12, 31))),
        ("last_year", dt.date(2027, 5, 3), Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
        ("last_12_months", dt.date(2027, 5, 3), Period(dt.date(2026, 5, 4), dt.date(2027, 5, 3))),
        ("last_12_months", dt.date(2028, 2, 29), Period(dt.date(2027, 3, 1), dt.date(2028, 2, 29))),
        ("all", dt.date(2027, 5, 3), Period()),
    ],
)
def test_the_periods_cover_the_days_they_say(choice: str, today: dt.date, expected: Period) -> None:
    assert period_of(choice, today) == expected


def test_a_quarter_is_cut_to_the_period() -> None:
    period = Period(dt.date(2026, 12, 1), dt.date(2027, 11, 30))
    assert quarter_days(2026, 4, period) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert quarter_days(2027, 1, period) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert quarter_days(2027, 4, Period()) == (dt.date(2027, 10, 1), dt.date(2027, 12, 31))
