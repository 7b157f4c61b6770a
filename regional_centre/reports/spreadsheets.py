"""Tables written as spreadsheets: XLSX (typed cells, widths, frozen header) and CSV.

Several tables go to one XLSX workbook, a sheet each (``write_tables``); CSV holds one.

CSV files start with a byte-order mark so that spreadsheet programs read them
as UTF-8 (names in Arabic, Chinese or Russian stay readable). Files are
written to a temporary name and renamed, so a failed export never leaves half
a file under the name the user chose.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

Progress = Callable[[int, int], None]

MAX_WIDTH = 60
MAX_SHEET_NAME = 31  # Excel's limit
_SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Table:
    """A table to export: a title, headings, and rows of plain values (text, numbers, dates)."""

    title: str
    headings: Sequence[str]
    rows: Iterable[Sequence[Any]]
    total: int = 0  # rows expected, for progress


def write_table(path: Path, table: Table, progress: Progress | None = None) -> int:
    """Write ``table`` as XLSX or CSV (by the file's suffix); return the number of rows."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        writer = _write_xlsx
    elif suffix == ".csv":
        writer = _write_csv
    else:
        raise ValueError(path.suffix)
    return _write_atomically(path, lambda temporary: writer(temporary, table, progress))


def write_tables(path: Path, tables: Sequence[Table], progress: Progress | None = None) -> int:
    """Write ``tables`` to one XLSX workbook, a sheet each; return the number of rows.

    Each sheet is named after its table's title, shortened to Excel's 31 characters,
    without the characters Excel refuses, and numbered when two names would be the same.
    """
    if path.suffix.lower() != ".xlsx":
        raise ValueError(path.suffix)
    if not tables:
        raise ValueError("no tables to write")
    return _write_atomically(path, lambda temporary: _write_workbook(temporary, tables, progress))


def _write_atomically(path: Path, write: Callable[[Path], int]) -> int:
    """Let ``write`` fill a temporary file beside ``path``, then rename it to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=".export-", suffix=path.suffix.lower()
    )
    os.close(handle)
    try:
        count = write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell holds it: numbers and dates keep their type."""
    if isinstance(value, (tuple, list, set, frozenset)):
        return ", ".join(str(v) for v in value)
    if value is None or isinstance(value, (str, int, float, decimal.Decimal, dt.date, dt.datetime)):
        return value
    return str(value)


def _text(value: Any) -> str:
    """A value as CSV text: ISO dates, plain decimals."""
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def _write_xlsx(path: Path, table: Table, progress: Progress | None) -> int:
    return _write_workbook(path, [table], progress)


def _write_workbook(path: Path, tables: Sequence[Table], progress: Progress | None) -> int:
    # Imported here, not with the module: openpyxl takes longer to import than the
    # program's window takes to show.
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook(write_only=False)
    first = book.active
    assert isinstance(first, Worksheet)
    total = sum(table.total for table in tables)
    names: set[str] = set()
    count = 0
    for index, table in enumerate(tables):
        sheet = first if index == 0 else book.create_sheet()
        sheet.title = _sheet_name(table.title, names)
        count = _fill_sheet(sheet, table, progress, count, total)
    book.save(path)
    return count


def _sheet_name(title: str, taken: set[str]) -> str:
    """A name Excel accepts for a sheet, unlike (ignoring case) those ``taken``; adds it to them."""
    base = _SHEET_NAME_REFUSED.sub("-", title).strip("'").strip() or "Sheet"
    name, number = base[:MAX_SHEET_NAME], 1
    while name.casefold() in taken:
        number += 1
        ending = f" ({number})"
        name = base[: MAX_SHEET_NAME - len(ending)] + ending
    taken.add(name.casefold())
    return name


def _fill_sheet(
    sheet: Worksheet, table: Table, progress: Progress | None, done: int, total: int
) -> int:
    """Write ``table`` to ``sheet``; return ``done`` plus the rows written (``total`` for progress)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(table.headings))
    widths = [len(str(h)) for h in table.headings]
    count = done
    for row in table.rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            if value is not None and index < len(widths):
                shown = value.isoformat() if isinstance(value, dt.date) else str(value)
                widths[index] = max(widths[index], len(shown))
        count += 1
        if progress is not None and count % 500 == 0:
            progress(count, total)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return count


def _write_csv(path: Path, table: Table, progress: Progress | None) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(table.headings)
        for row in table.rows:
            writer.writerow([_text(v) for v in row])
            count += 1
            if progress is not None and count % 500 == 0:
                progress(count, table.total)
    return count
