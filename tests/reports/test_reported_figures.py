"""A centre's issued progress report sends its figures to the secretariat in the next bundle."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from regional_centre.demo import generate
from regional_centre.reports.progress import prepare, record_issued, write
from regional_centre.services.periods import Period
from tests.reports.test_progress_report import busiest_year
from tests.sync.conftest import Installation, add_organisation, enrol, new_installation, send


@pytest.fixture
def centre_and_secretariat(tmp_path: Path) -> Iterator[tuple[Installation, Installation]]:
    centre = new_installation(tmp_path, "Dakar office", centre="BCRC-SN")
    generate(centre.services, "small", seed=5)
    secretariat = new_installation(tmp_path, "Secretariat", centre=None)
    enrol(centre, secretariat)
    yield centre, secretariat
    centre.services.close()
    secretariat.services.close()


def issue(centre: Installation, period: Period) -> str:
    """Issue the centre's report for ``period``; its document number."""
    document = prepare(centre.services, period, "en")
    write(document, io.BytesIO(), centre.services)
    assert record_issued(centre.services, document)
    return document.info.number


def test_the_figures_of_an_issued_report_reach_the_secretariat_unchanged(
    centre_and_secretariat: tuple[Installation, Installation], tmp_path: Path
) -> None:
    centre, secretariat = centre_and_secretariat
    period = busiest_year(centre.path)
    number = issue(centre, period)
    secretariat.services.sync.import_bundle(send(centre, secretariat, tmp_path))
    [received] = secretariat.services.reported.reported()
    assert (received.centre, received.period_start, received.period_end) == (
        "BCRC-SN",
        period.start,
        period.end,
    )
    assert received.document_number == number
    stats = centre.services.progress.figures(period, "BCRC-SN").as_json()
    assert received.figures == stats
    # The secretariat counts the same from the records it received.
    own = secretariat.services.progress.figures(period, "BCRC-SN").as_json()
    assert own["training"] == received.figures["training"]
    assert own["dialogues"] == received.figures["dialogues"]


def test_issuing_a_report_again_replaces_its_figures_and_the_secretariat_keeps_the_last(
    centre_and_secretariat: tuple[Installation, Installation], tmp_path: Path
) -> None:
    centre, secretariat = centre_and_secretariat
    period = busiest_year(centre.path)
    issue(centre, period)
    secretariat.services.sync.import_bundle(send(centre, secretariat, tmp_path))
    [first] = secretariat.services.reported.reported()
    # A partner entered late changes the figures; the report is issued again.
    add_organisation(centre, "Late Partner SARL")
    issue(centre, period)
    assert len(centre.services.reported.reported()) == 1
    secretariat.services.sync.import_bundle(send(centre, secretariat, tmp_path))
    [received] = secretariat.services.reported.reported()
    assert received.id == first.id
    assert received.figures["stakeholders"]["total"] == first.figures["stakeholders"]["total"] + 1


def test_the_secretariat_does_not_keep_its_own_consolidated_report(
    centre_and_secretariat: tuple[Installation, Installation], tmp_path: Path
) -> None:
    centre, secretariat = centre_and_secretariat
    secretariat.services.sync.import_bundle(send(centre, secretariat, tmp_path))
    document = prepare(secretariat.services, busiest_year(centre.path), "fr")
    assert not record_issued(secretariat.services, document)
    assert secretariat.services.reported.reported() == []


def test_the_secretariat_reports_page_lists_what_centres_reported(
    qtbot: QtBot, centre_and_secretariat: tuple[Installation, Installation], tmp_path: Path
) -> None:
    from regional_centre.ui.main_window import MainWindow
    from regional_centre.ui.pages.reports import ReportsPage
    from regional_centre.ui.settings import Settings

    centre, secretariat = centre_and_secretariat
    period = busiest_year(centre.path)
    number = issue(centre, period)
    secretariat.services.sync.import_bundle(send(centre, secretariat, tmp_path))
    window = MainWindow(secretariat.services, Settings())
    qtbot.addWidget(window)
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage) and page.reported is not None
    panel = page.reported
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    assert panel.table.cell_text(0, 0) == "BCRC-SN"
    assert panel.table.cell_text(0, 3) == number
    reported = secretariat.services.reported.reported()[0].figures["training"]
    assert panel.table.cell_text(0, 5) == f"{reported['participants']:,}"
