"""``regional-centre report`` and ``certificate verify`` run as real programs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from regional_centre.services import Services
from tests.cli.test_cli import assert_refused, run
from tests.reports.test_progress_report import busiest_year, independent_counts
from tests.reports.test_training_papers import session_with_certificates
from tests.reports.test_typesetting import embedded_fonts, plain


@pytest.fixture
def centre_file(small_demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the small demo database of the Dakar centre."""
    return Path(shutil.copyfile(small_demo_file, tmp_path / "dakar.sqlite"))


def test_report_progress_writes_the_pdf_and_its_tables(centre_file: Path, tmp_path: Path) -> None:
    period = busiest_year(centre_file)
    dates = ["--from", period.start.isoformat(), "--to", period.end.isoformat()]  # type: ignore[union-attr]
    pdf = tmp_path / "report.pdf"
    result = run("report", "progress", "--db", centre_file, *dates, "--lang", "ar", "--out", pdf)
    assert result.returncode == 0, result.stderr
    pages = len(PdfReader(pdf).pages)
    assert result.stdout.strip() == f"{pdf}: {pages} pages"
    assert all(embedded_fonts(pdf.read_bytes()).values())
    counted = independent_counts(centre_file, period)
    text = plain("".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert all(str(value) in text for value in counted.values())
    services = Services.open(centre_file)
    try:
        [kept] = services.reported.reported()  # to go to the secretariat with the next bundle
    finally:
        services.close()
    assert kept.figures["training"]["participants"] == counted["participants"]
    assert kept.document_number.endswith("/AR")

    workbook = tmp_path / "report.xlsx"
    result = run(
        "report",
        "progress",
        "--db",
        centre_file,
        *dates,
        "--out",
        workbook,
        "--currency",
        "USD",
        "--rate",
        "EUR=1.1",
    )
    assert result.returncode == 0, result.stderr
    book = load_workbook(workbook)
    summary = {
        row[0]: row[1] for row in book[book.sheetnames[0]].iter_rows(min_row=2, values_only=True)
    }
    assert summary["Training sessions for SMEs"] == counted["sessions"]
    assert summary["Participants trained"] == counted["participants"]


def test_report_training_writes_every_paper_and_certificates_verify(
    centre_file: Path, tmp_path: Path
) -> None:
    session_id = session_with_certificates(centre_file)
    folder = tmp_path / "papers"
    result = run(
        "report",
        "training",
        "--db",
        centre_file,
        "--session",
        session_id,
        "--lang",
        "zh",
        "--out",
        folder,
    )
    assert result.returncode == 0, result.stderr
    written = {Path(line).name for line in result.stdout.splitlines()}
    assert written == {
        "sign-in-sheets.pdf",
        "participants.pdf",
        "evaluation.pdf",
        "certificates.pdf",
        "participants.xlsx",
    }

    services = Services.open(centre_file)
    try:
        issued = services.certificates.for_session(session_id)[0]
    finally:
        services.close()
    code = issued.certificate.verification_code
    result = run("certificate", "verify", "--db", centre_file, code.lower().replace("-", " "))
    assert result.returncode == 0, result.stderr
    assert issued.certificate.number in result.stdout and issued.name in result.stdout
    assert result.stdout.startswith("Genuine")
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert_refused(run("certificate", "verify", "--db", centre_file, forged), forged)


def test_report_directory_writes_what_the_filters_select(centre_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "directory.csv"
    result = run("report", "directory", "--db", centre_file, "--kind", "smes", "--out", out)
    assert result.returncode == 0, result.stderr
    services = Services.open(centre_file)
    try:
        from regional_centre.services.listing import Kind, ListQuery

        smes = services.directory.entries(Kind.SMES, ListQuery())
    finally:
        services.close()
    assert result.stdout.strip() == f"{out}: {len(smes)} organisations"
    text = out.read_text(encoding="utf-8-sig")
    assert all(entry.organisation.name in text for entry in smes)


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (
            ["progress", "--from", "2025-01-01", "--to", "2025-12-31", "--out", "{tmp}/r.doc"],
            [".pdf"],
        ),
        (
            [
                "progress",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--out",
                "{tmp}/no/such/r.pdf",
            ],
            ["no such folder"],
        ),
        (
            ["progress", "--from", "2025-13-01", "--to", "2025-12-31", "--out", "{tmp}/r.pdf"],
            ["--from"],
        ),
        (
            ["progress", "--from", "2025-12-31", "--to", "2025-01-01", "--out", "{tmp}/r.pdf"],
            ["ends before it starts"],
        ),
        (
            [
                "progress",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--out",
                "{tmp}/r.pdf",
                "--rate",
                "EUR=x",
                "--currency",
                "USD",
            ],
            ["EUR"],
        ),
        (
            [
                "progress",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--out",
                "{tmp}/r.pdf",
                "--centre",
                "NOPE",
            ],
            ["NOPE"],
        ),
        (["training", "--session", "no-such-session", "--out", "{tmp}/papers"], []),
        (["directory", "--out", "{tmp}/d.txt"], [".pdf"]),
    ],
)
def test_bad_requests_are_one_line_and_write_nothing(
    centre_file: Path, tmp_path: Path, arguments: list[str], words: list[str]
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in arguments]
    result = run("report", argv[0], "--db", centre_file, *argv[1:])
    assert_refused(result, *words)
    assert not [
        p for p in tmp_path.rglob("*") if p.suffix in (".pdf", ".xlsx", ".doc", ".txt", ".part")
    ]
