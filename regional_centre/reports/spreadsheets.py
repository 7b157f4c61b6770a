"""Tables written as spreadsheets: XLSX (typed cells, widths, frozen header) and CSV.

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
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Progress = Callable[[int, int], None]

MAX_WIDTH = 60


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
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=suffix)
    os.close(handle)
    try:
        count = writer(Path(temporary), table, progress)
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
    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = (table.title or "Sheet")[:31]
    sheet.append(list(table.headings))
    widths = [len(str(h)) for h in table.headings]
    count = 0
    for row in table.rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            if value is not None and index < len(widths):
                shown = value.isoformat() if isinstance(value, dt.date) else str(value)
                widths[index] = max(widths[index], len(shown))
        count += 1
        if progress is not None and count % 500 == 0:
            progress(count, table.total)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    book.save(path)
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
