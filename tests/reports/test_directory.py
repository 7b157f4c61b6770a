"""The partner directory prints what the list shows: its filters, its organisations, their people."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from regional_centre.reports.directory import write_directory
from regional_centre.services import Services
from regional_centre.services.listing import Kind, ListQuery
from tests.reports.test_typesetting import embedded_fonts, plain


def partners_of_commonest_country(
    database: Path,
) -> tuple[str, list[tuple[str, str]], dict[str, list[str]]]:
    """The country with most partners, its partners (id, name) by name, and their people's names."""
    with sqlite3.connect(database) as connection:
        (country,) = connection.execute(
            "SELECT country FROM organisation WHERE deleted = 0 AND stakeholder_type != 'sme' "
            "GROUP BY country ORDER BY count(*) DESC, country LIMIT 1"
        ).fetchone()
        partners = connection.execute(
            "SELECT id, name FROM organisation WHERE deleted = 0 AND stakeholder_type != 'sme' "
            "AND country = ? ORDER BY name, id",
            (country,),
        ).fetchall()
        people: dict[str, list[str]] = {}
        for organisation_id, given, family in connection.execute(
            "SELECT organisation_id, given_name, family_name FROM contact WHERE deleted = 0 "
            "ORDER BY family_name, given_name, id"
        ):
            people.setdefault(organisation_id, []).append(f"{given} {family}".strip())
    return country, partners, people


def test_the_directory_has_the_filtered_partners_and_their_people(
    demo_services: Services, small_demo_file: Path, tmp_path: Path
) -> None:
    country, partners, people = partners_of_commonest_country(small_demo_file)
    query = ListQuery(country=country)
    entries = demo_services.directory.entries(Kind.PARTNERS, query)
    assert [(e.organisation.id, e.organisation.name) for e in entries] == partners
    assert all(
        [c.full_name for c in e.contacts] == people.get(e.organisation.id, []) for e in entries
    )

    pdf = tmp_path / "directory.pdf"
    assert write_directory(demo_services, Kind.PARTNERS, query, "en", pdf) == len(partners)
    text = plain("\n".join(page.extract_text() for page in PdfReader(pdf).pages))
    for organisation_id, name in partners:
        assert plain(name) in text
        assert all(plain(person) in text for person in people.get(organisation_id, []))
    with sqlite3.connect(small_demo_file) as connection:
        others = [
            n
            for (n,) in connection.execute(
                "SELECT name FROM organisation WHERE country != ? AND deleted = 0", (country,)
            )
        ]
    assert not any(plain(other) in text for other in others if len(other) > 12)

    workbook = tmp_path / "directory.xlsx"
    write_directory(demo_services, Kind.PARTNERS, query, "en", workbook)
    rows = list(load_workbook(workbook).active.iter_rows(values_only=True))
    expected_rows = sum(max(1, len(people.get(i, []))) for i, _name in partners)
    assert len(rows) == expected_rows + 1
    assert rows[0][:3] == ("Organisation", "Acronym", "Stakeholder type")
    assert {row[0] for row in rows[1:]} == {name for _id, name in partners}


def test_an_empty_directory_says_so(demo_services: Services, tmp_path: Path) -> None:
    pdf = tmp_path / "none.pdf"
    assert (
        write_directory(
            demo_services, Kind.SMES, ListQuery(search="no such organisation at all"), "ar", pdf
        )
        == 0
    )
    fonts = embedded_fonts(pdf.read_bytes())
    assert fonts and all(fonts.values())
    assert len(PdfReader(pdf).pages) >= 2  # the cover and the note that nothing matched
