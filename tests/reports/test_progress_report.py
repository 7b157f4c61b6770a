"""The progress report prints the figures the services count, in every language, for one centre or all."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from regional_centre.demo import generate
from regional_centre.i18n import LANGUAGES, document_language
from regional_centre.reports.figure_tables import Value
from regional_centre.reports.progress import ProgressDocument, cell_text, prepare, write
from regional_centre.services import Services
from regional_centre.services.errors import ValidationError
from regional_centre.services.periods import Period
from regional_centre.services.progress_figures import Conversion
from tests.reports.test_typesetting import embedded_fonts, plain
from tests.sync.conftest import enrol, new_installation, send


def busiest_year(database: Path) -> Period:
    """The calendar year in which the most training sessions began (the demo data move with today)."""
    with sqlite3.connect(database) as connection:
        (year,) = connection.execute(
            "SELECT substr(first_day, 1, 4) AS y FROM training_session GROUP BY y ORDER BY count(*) DESC, y LIMIT 1"
        ).fetchone()
    return Period(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def laid_out(services: Services, document: ProgressDocument) -> bytes:
    buffer = io.BytesIO()
    write(document, buffer, services)
    return buffer.getvalue()


def independent_counts(database: Path, period: Period) -> dict[str, int]:
    """A few figures counted straight from the tables, as the report defines them."""
    start, end = period.start.isoformat(), period.end.isoformat()  # type: ignore[union-attr]
    with sqlite3.connect(database) as connection:

        def one(sql: str) -> int:
            return int(connection.execute(sql, {"start": start, "end": end}).fetchone()[0])

        sessions = "SELECT id FROM training_session WHERE deleted = 0 AND status != 'cancelled' AND first_day BETWEEN :start AND :end"
        return {
            "sessions": one(f"SELECT count(*) FROM ({sessions})"),
            "participants": one(
                f"SELECT count(*) FROM participation WHERE deleted = 0 AND registration_status IN ('registered', 'confirmed') AND session_id IN ({sessions})"
            ),
            "dialogues": one("SELECT count(*) FROM dialogue WHERE deleted = 0 AND held_on BETWEEN :start AND :end"),
            "certificates": one("SELECT count(*) FROM certificate WHERE deleted = 0 AND issued_on BETWEEN :start AND :end"),
        }  # fmt: skip


def test_the_pdf_prints_every_figure_of_every_table(
    demo_services: Services, small_demo_file: Path
) -> None:
    period = busiest_year(small_demo_file)
    document = prepare(demo_services, period, "en")
    text = plain(pdf_text(laid_out(demo_services, document)))
    tables = document.tables
    assert len(tables) > 20
    for table in tables:
        assert plain(table.title) in text, table.title
        for label, values in table.rows:
            # A row is its label followed by its values, whatever the line breaks.
            row = plain(label) + "".join(plain(_shown(v, table.money)) for v in values)
            assert row in text, (table.key, label, values)


def _shown(value: Value, money: bool) -> str:
    with document_language("en"):
        return cell_text(value, money)


def test_the_figures_equal_independent_counts_and_the_stats(
    demo_services: Services, small_demo_file: Path
) -> None:
    period = busiest_year(small_demo_file)
    document = prepare(demo_services, period, "en")
    [column] = document.columns
    figures = column.figures
    counted = independent_counts(small_demo_file, period)
    assert counted["sessions"] > 0 and counted["participants"] > 0
    assert figures.training.sessions == counted["sessions"]
    assert figures.training.participants == counted["participants"]
    assert figures.dialogues.held == counted["dialogues"]
    assert figures.training.certificates == counted["certificates"]
    stats = demo_services.progress.figures(period, column.figures.centre).as_json()
    assert stats["training"]["sessions"] == counted["sessions"]
    assert stats["training"]["participants"] == counted["participants"]
    summary = {label: values[0] for label, values in document.tables[0].rows}
    assert summary["Training sessions for SMEs"] == counted["sessions"]
    assert summary["Participants trained"] == counted["participants"]
    text = plain(pdf_text(laid_out(demo_services, document)))
    assert plain(f"Training sessions for SMEs{counted['sessions']}") in text
    assert plain(f"Scoping dialogues held{counted['dialogues']}") in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_its_fonts_embedded_and_its_figures_readable(
    demo_services: Services, small_demo_file: Path, language: str
) -> None:
    period = busiest_year(small_demo_file)
    document = prepare(demo_services, period, language)
    data = laid_out(demo_services, document)
    fonts = embedded_fonts(data)
    assert fonts and all(fonts.values()), fonts
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 8
    assert reader.metadata is not None and reader.metadata.title == document.info.title
    text = pdf_text(data)
    assert document.info.number in text
    counted = independent_counts(small_demo_file, period)
    numbers = plain(text)
    for value in counted.values():
        assert str(value) in numbers
    pages = len(reader.pages)
    assert plain(f"{pages}") in plain(reader.pages[-1].extract_text())  # "Page N of N"


def test_a_report_needs_both_ends_of_its_period(demo_services: Services) -> None:
    with pytest.raises(ValidationError):
        prepare(demo_services, Period(dt.date(2025, 1, 1), None), "en")


@pytest.mark.slow
def test_the_secretariat_report_puts_centres_side_by_side_with_the_total(tmp_path: Path) -> None:
    secretariat = new_installation(tmp_path, "Secretariat", centre=None)
    centres = []
    for index, code in enumerate(("BCRC-SN", "BCRC-NG")):
        centre = new_installation(tmp_path, f"Office {code}", centre=code)
        generate(centre.services, "small", seed=index + 3)
        enrol(centre, secretariat)
        secretariat.services.sync.import_bundle(send(centre, secretariat, tmp_path))
        centres.append(centre)
    period = busiest_year(centres[0].path)
    document = prepare(secretariat.services, period, "en")
    assert [c.name for c in document.columns] == ["BCRC-NG", "BCRC-SN", "Total"]
    by_centre = {c.name: c.figures for c in document.columns}
    for code, centre in zip(("BCRC-SN", "BCRC-NG"), centres, strict=True):
        counted = independent_counts(centre.path, period)
        assert by_centre[code].training.sessions == counted["sessions"]
        assert by_centre[code].dialogues.held == counted["dialogues"]
    total = by_centre["Total"]
    assert total.training.participants == sum(
        by_centre[c].training.participants for c in ("BCRC-SN", "BCRC-NG")
    )
    data = laid_out(secretariat.services, document)
    text = plain(pdf_text(data))
    row = next(v for label, v in document.tables[0].rows if label == "Training sessions for SMEs")
    assert plain("Training sessions for SMEs" + "".join(str(v) for v in row)) in text
    assert (
        PdfReader(io.BytesIO(data)).pages[1].mediabox.width
        > PdfReader(io.BytesIO(data)).pages[1].mediabox.height
    )
    for installation in (secretariat, *centres):
        installation.services.close()


def test_contributions_are_converted_only_at_the_rates_given(
    demo_services: Services, small_demo_file: Path
) -> None:
    period = busiest_year(small_demo_file)
    start, end = period.start.isoformat(), period.end.isoformat()  # type: ignore[union-attr]
    with sqlite3.connect(small_demo_file) as connection:
        sums = dict(
            connection.execute(
                "SELECT c.currency, sum(CAST(c.amount AS TEXT)) FROM contribution c JOIN joint_activity a ON a.id = c.activity_id "
                "WHERE c.deleted = 0 AND a.deleted = 0 AND c.kind = 'cash' AND a.start_on <= :end "
                "AND (a.end_on IS NULL OR a.end_on >= :start) GROUP BY c.currency",
                {"start": start, "end": end},
            ).fetchall()
        )
    assert sums, "the demo data has cash contributions in its busiest year"
    currencies = sorted(sums)
    rated = currencies[0]
    target = "USD" if rated != "USD" else "EUR"
    conversion = Conversion(target, {rated: Decimal("1.25")})
    document = prepare(demo_services, period, "en", conversion=conversion)
    table = next(t for t in document.tables if t.key == "contributions_converted")
    expected = Decimal(str(sums[rated])) * Decimal("1.25") + Decimal(str(sums.get(target, 0)))
    (currency, [converted]), (_label, [missing]) = table.rows
    assert currency == target
    assert abs(Decimal(converted) - expected) < Decimal("0.01")  # type: ignore[arg-type]
    left_out = [c for c in currencies if c not in (rated, target)]
    assert missing == (", ".join(left_out) or "–")
    text = plain(pdf_text(laid_out(demo_services, document)))
    assert plain("Not added up (no rate given)" + str(missing)) in text
