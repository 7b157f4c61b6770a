"""Printing from the desktop: the progress report's preview, a session's papers, a list's directory."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from regional_centre.services import Services
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.reports import ReportsPage
from regional_centre.ui.pdf_preview import PdfPreview
from regional_centre.ui.settings import Settings
from tests.reports.test_training_papers import session_with_certificates
from tests.reports.test_typesetting import plain

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def private_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path_factory.mktemp("native-settings")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setattr("regional_centre.ui.main_window.confirm", lambda *args: True)


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes, str]]:
    """The documents the program would have shown in its preview (title, PDF, suggested name)."""
    shown: list[tuple[str, bytes, str]] = []

    def show(parent: object, title: str, data: bytes, suggested: str) -> None:
        shown.append((title, data, suggested))

    monkeypatch.setattr(PdfPreview, "show_document", classmethod(lambda cls, *args: show(*args)))
    return shown


def open_window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services, Settings())
    qtbot.addWidget(window)
    return window


def reports_page(qtbot: QtBot, window: MainWindow) -> ReportsPage:
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage)
    qtbot.waitUntil(lambda: page.period is not None, timeout=10_000)
    return page


def test_the_progress_report_is_previewed_in_the_language_chosen(
    qtbot: QtBot, demo_services: Services, previews: list[tuple[str, bytes, str]]
) -> None:
    page = reports_page(qtbot, open_window(qtbot, demo_services))
    panel = page.printing
    panel.language.setCurrentIndex(panel.language.findData("fr"))
    qtbot.mouseClick(panel.preview_button, LEFT)
    qtbot.waitUntil(lambda: bool(previews), timeout=30_000)
    title, data, suggested = previews[0]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 8
    assert suggested.endswith("-FR.pdf")
    assert reader.metadata is not None and reader.metadata.title == title
    figures = demo_services.progress.figures(page.period, demo_services.context.node.owner)  # type: ignore[arg-type]
    text = plain("".join(p.extract_text() for p in reader.pages))
    assert str(figures.training.participants) in text


def test_wrong_exchange_rates_are_shown_next_to_them_and_nothing_is_made(
    qtbot: QtBot, demo_services: Services, previews: list[tuple[str, bytes, str]]
) -> None:
    page = reports_page(qtbot, open_window(qtbot, demo_services))
    panel = page.printing
    panel.currency.setText("USD")
    panel.rates.setText("EUR=abc")
    qtbot.mouseClick(panel.preview_button, LEFT)
    assert panel.conversion_error.isVisibleTo(panel)
    assert "EUR" in panel.conversion_error.text()
    qtbot.wait(200)
    assert previews == []
    panel.rates.setText("EUR=1.10")
    qtbot.mouseClick(panel.preview_button, LEFT)
    qtbot.waitUntil(lambda: bool(previews), timeout=30_000)
    assert not panel.conversion_error.isVisibleTo(panel)


def test_the_report_tables_go_to_a_workbook(
    qtbot: QtBot, demo_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = reports_page(qtbot, open_window(qtbot, demo_services))
    target = tmp_path / "tables.xlsx"
    monkeypatch.setattr(
        "regional_centre.ui.pages.reports.WorkbookChooser.ask", lambda *args: target
    )
    told: list[str] = []
    monkeypatch.setattr(
        "regional_centre.ui.pages.report_printing.show_information",
        lambda parent, title, text: told.append(text),
    )
    qtbot.mouseClick(page.printing.tables_button, LEFT)
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    book = load_workbook(target)
    assert len(book.sheetnames) > 20
    summary = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    assert summary[0][0] == "Figure" and all(isinstance(row[1], int) for row in summary[1:])


def test_a_session_prints_its_papers_into_the_folder_chosen(
    qtbot: QtBot,
    demo_services: Services,
    small_demo_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session_id = session_with_certificates(small_demo_file)
    window = open_window(qtbot, demo_services)
    page = window.show_page("training")
    sessions = page.lists[0]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: sessions.count_label.text() != "", timeout=10_000)
    sessions.open_record(session_id)
    panel = sessions.editor.certificates
    qtbot.waitUntil(
        lambda: panel.session is not None and panel.session.id == session_id, timeout=10_000
    )
    folder = tmp_path / "papers"
    monkeypatch.setattr(
        "regional_centre.ui.editors.papers.PapersDialog.ask",
        classmethod(lambda cls, parent, session, suggested: ("es", folder)),
    )
    told: list[str] = []
    monkeypatch.setattr(
        "regional_centre.ui.editors.papers.show_information",
        lambda parent, title, text: told.append(text),
    )
    qtbot.mouseClick(panel.print_button, LEFT)
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    names = {path.name for path in folder.iterdir()}
    assert names == {
        "sign-in-sheets.pdf",
        "participants.pdf",
        "evaluation.pdf",
        "certificates.pdf",
        "participants.xlsx",
    }
    assert all(name in told[0] for name in names)
    issued = demo_services.certificates.for_session(session_id)
    assert len(PdfReader(folder / "certificates.pdf").pages) == len(issued)


def test_a_list_of_partners_prints_as_a_directory_of_what_it_shows(
    qtbot: QtBot, demo_services: Services, previews: list[tuple[str, bytes, str]]
) -> None:
    window = open_window(qtbot, demo_services)
    page = window.show_page("partners")
    partners = next(p for p in page.lists if isinstance(p, ListPage) and p.kind == Kind.PARTNERS)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: partners.count_label.text() != "", timeout=10_000)
    partners.filter_bar.search.setText("Ltd")
    partners.apply_filters()
    qtbot.waitUntil(lambda: partners.model.query.search == "Ltd", timeout=10_000)
    button = partners.directory_button
    assert button is not None and button.text() == "Print directory…"
    actions = button.menu().actions()
    assert [a.text() for a in actions][:2] == ["English", "Français"] and len(actions) == 6
    actions[1].trigger()  # in French, whatever the program's language
    qtbot.waitUntil(lambda: bool(previews), timeout=30_000)
    _title, data, suggested = previews[0]
    assert suggested == "partners-directory-fr.pdf"
    text = plain("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    expected = demo_services.directory.entries(Kind.PARTNERS, ListQuery(search="Ltd"))
    assert expected and all(plain(e.organisation.name) in text for e in expected)
    others = demo_services.directory.entries(Kind.PARTNERS, ListQuery())
    left_out = [
        e.organisation.name
        for e in others
        if "Ltd" not in e.organisation.name and "ltd" not in e.organisation.name.lower()
    ]
    assert left_out and not any(plain(name) in text for name in left_out if len(name) > 14)
