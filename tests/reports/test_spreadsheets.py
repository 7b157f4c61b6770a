"""Several tables in one workbook: a sheet each, typed cells, names Excel accepts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from regional_centre.reports.spreadsheets import Table, write_table, write_tables


def test_each_table_gets_a_sheet_with_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "figures.xlsx"
    tables = [
        Table("Key figures", ["Figure", "2027"], [["Partners", 60], ["Sessions", 12]]),
        Table(
            "Training per quarter",
            ["Year", "Quarter", "Sessions", "Share"],
            [[2027, 1, 4, Decimal("0.25")], [2027, 2, 0, 0.0]],
        ),
        Table("Days", ["Day", "Note"], [[dt.date(2027, 5, 3), None]]),
    ]
    progress: list[tuple[int, int]] = []
    assert write_tables(path, tables, lambda done, total: progress.append((done, total))) == 5
    book = load_workbook(path)
    assert book.sheetnames == ["Key figures", "Training per quarter", "Days"]
    figures = [list(row) for row in book["Key figures"].iter_rows(values_only=True)]
    assert figures == [["Figure", "2027"], ["Partners", 60], ["Sessions", 12]]
    assert all(isinstance(row[1], int) for row in figures[1:])
    quarters = list(book["Training per quarter"].iter_rows(values_only=True))
    assert quarters[1] == (2027, 1, 4, 0.25)
    assert [type(value) for value in quarters[1][:3]] == [int, int, int]
    days = book["Days"]
    assert days["A2"].value == dt.datetime(2027, 5, 3)  # Excel keeps dates as date-times
    assert days["A2"].number_format == "yyyy-mm-dd"
    assert days["B2"].value is None
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)
    assert all(cell.font.bold for cell in book["Key figures"][1])


def test_sheet_names_are_made_acceptable_and_unique(tmp_path: Path) -> None:
    path = tmp_path / "names.xlsx"
    long_title = "Participants by gender and by country of the session"
    tables = [
        Table("Q1/Q2: [draft]?", ["A"], [[1]]),
        Table(long_title, ["A"], [[2]]),
        Table(long_title, ["A"], [[3]]),
        Table("", ["A"], [[4]]),
        Table("SHEET", ["A"], [[5]]),
    ]
    write_tables(path, tables)
    names = load_workbook(path).sheetnames
    assert names[0] == "Q1-Q2- -draft--"
    assert names[1] == long_title[:31]
    assert names[2] == long_title[:27] + " (2)"
    assert names[3:] == ["Sheet", "SHEET (2)"]
    assert all(len(name) <= 31 for name in names)


def test_only_workbooks_hold_several_tables(tmp_path: Path) -> None:
    table = Table("Key figures", ["Figure", "Value"], [["Partners", 60]])
    with pytest.raises(ValueError):
        write_tables(tmp_path / "figures.csv", [table])
    with pytest.raises(ValueError):
        write_tables(tmp_path / "figures.xlsx", [])
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    def rows() -> Iterator[list[object]]:
        yield [1]
        raise RuntimeError("the query failed")

    tables = [Table("Good", ["A"], [[1]]), Table("Bad", ["A"], rows())]
    with pytest.raises(RuntimeError):
        write_tables(tmp_path / "figures.xlsx", tables)
    assert list(tmp_path.iterdir()) == []


def test_one_table_still_writes_as_before(tmp_path: Path) -> None:
    table = Table("Partners", ["Name", "Employees"], [["Sonatel", 3000]])
    assert write_table(tmp_path / "partners.xlsx", table) == 1
    book = load_workbook(tmp_path / "partners.xlsx")
    assert book.sheetnames == ["Partners"]
    assert list(book["Partners"].iter_rows(values_only=True)) == [
        ("Name", "Employees"),
        ("Sonatel", 3000),
    ]
    assert write_table(tmp_path / "partners.csv", table) == 1
    text = (tmp_path / "partners.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["Name,Employees", "Sonatel,3000"]
