"""A session's papers: sign-in sheets per day, lists, evaluation, certificates that verify."""

from __future__ import annotations

import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from regional_centre.reports.training_papers import BLANK_ROWS, write_training_papers
from regional_centre.services import Services
from regional_centre.services.errors import NotFound
from tests.reports.test_typesetting import embedded_fonts, plain


def session_with_certificates(database: Path) -> str:
    """The session of the demo data with the most certificates issued."""
    with sqlite3.connect(database) as connection:
        (session_id,) = connection.execute(
            "SELECT p.session_id FROM certificate c JOIN participation p ON p.id = c.participation_id "
            "WHERE c.deleted = 0 GROUP BY p.session_id ORDER BY count(*) DESC, p.session_id LIMIT 1"
        ).fetchone()
    return str(session_id)


def pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_every_paper_is_written_with_what_the_session_holds(
    demo_services: Services, small_demo_file: Path, tmp_path: Path
) -> None:
    session_id = session_with_certificates(small_demo_file)
    session = demo_services.sessions.get(session_id)
    roster = demo_services.participations.roster(session_id)
    seated = [r for r in roster if r.seated]
    issued = demo_services.certificates.for_session(session_id)
    written = write_training_papers(demo_services, session_id, tmp_path / "papers", "en")
    assert sorted(p.name for p in written) == sorted(
        [
            "sign-in-sheets.pdf",
            "participants.pdf",
            "evaluation.pdf",
            "certificates.pdf",
            "participants.xlsx",
        ]
    )
    folder = tmp_path / "papers"

    # One sheet per day, each listing every seated person, then blank numbered rows.
    sheets = plain("\n".join(pages(folder / "sign-in-sheets.pdf")))
    days = len(session.days)
    for day in range(1, days + 1):
        assert plain(f"day {day} of {days}") in sheets
    for person in seated:
        assert sheets.count(plain(person.name)) >= days, person.name
    last_row = len(seated) + BLANK_ROWS
    assert plain(f"{last_row}") in sheets

    # The participant list has everyone registered, seated or not.
    listing = plain("\n".join(pages(folder / "participants.pdf")))
    assert all(plain(r.name) in listing for r in roster)
    book = load_workbook(folder / "participants.xlsx")
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == len(roster) + 1
    attended_column = rows[0].index("Days attended")
    assert all(isinstance(row[attended_column], int) for row in rows[1:])

    # The evaluation summary's average rating is the seated people's.
    ratings = [
        r.participation.evaluation_rating
        for r in seated
        if r.participation.evaluation_rating is not None
    ]
    evaluation = plain("\n".join(pages(folder / "evaluation.pdf")))
    average = round(Decimal(sum(ratings)) / len(ratings), 1)
    assert plain(f"Average rating (1 to 5){average}") in evaluation
    assert all(plain(r.name) not in evaluation for r in roster)  # anonymous

    # One certificate per page, each with a code that verifies, and a forged one that does not.
    certificate_pages = pages(folder / "certificates.pdf")
    assert len(certificate_pages) == len(issued)
    for page, entry in zip(certificate_pages, issued, strict=True):
        code = entry.certificate.verification_code
        assert (
            plain(entry.name) in plain(page) and code in page and entry.certificate.number in page
        )
        assert demo_services.certificates.verify(code).id == entry.certificate.id
    forged = issued[0].certificate.verification_code
    forged = forged[:-1] + ("A" if forged[-1] != "A" else "B")
    with pytest.raises(NotFound):
        demo_services.certificates.verify(forged)


@pytest.mark.parametrize("language", ["ar", "zh", "ru"])
def test_papers_in_other_scripts_embed_their_fonts(
    demo_services: Services, small_demo_file: Path, tmp_path: Path, language: str
) -> None:
    session_id = session_with_certificates(small_demo_file)
    folder = tmp_path / language
    write_training_papers(demo_services, session_id, folder, language)
    for name in ("sign-in-sheets.pdf", "participants.pdf", "evaluation.pdf", "certificates.pdf"):
        data = (folder / name).read_bytes()
        fonts = embedded_fonts(data)
        assert fonts and all(fonts.values()), (name, fonts)
    issued = demo_services.certificates.for_session(session_id)
    assert len(PdfReader(io.BytesIO((folder / "certificates.pdf").read_bytes())).pages) == len(
        issued
    )


def test_a_session_without_certificates_gets_no_certificate_file(
    demo_services: Services, small_demo_file: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(small_demo_file) as connection:
        row = connection.execute(
            "SELECT s.id FROM training_session s WHERE s.deleted = 0 AND NOT EXISTS ("
            " SELECT 1 FROM participation p JOIN certificate c ON c.participation_id = p.id WHERE p.session_id = s.id)"
            " ORDER BY s.id LIMIT 1"
        ).fetchone()
    assert row is not None
    written = write_training_papers(demo_services, row[0], tmp_path, "fr")
    assert "certificates.pdf" not in {p.name for p in written}
    assert (tmp_path / "sign-in-sheets.pdf").exists()
