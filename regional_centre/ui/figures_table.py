"""A small table of figures shown whole, numbers written as the current language writes them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
)

from regional_centre.i18n import format_number
from regional_centre.reports.spreadsheets import Table


class FiguresTable(QTableWidget):
    """A small, read-only table shown whole (no scroll bar of its own): a ``Table`` of figures."""

    def __init__(self, stretch_column: int = 0) -> None:
        super().__init__()
        self._stretch_column = stretch_column
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setWordWrap(False)
        self.table = Table("", [], [])

    def show_table(self, table: Table) -> None:
        """Show ``table``: numbers right-aligned as the current language writes them."""
        self.table = table
        rows = [list(row) for row in table.rows]
        self.clear()
        self.setColumnCount(len(table.headings))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels(list(table.headings))
        for row_number, row in enumerate(rows):
            for column, value in enumerate(row):
                item = QTableWidgetItem(self._text(value))
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                elif column == self._stretch_column:
                    item.setToolTip(item.text())  # the text may be cut short to fit
                self.setItem(row_number, column, item)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if self._stretch_column < len(table.headings):
            header.setSectionResizeMode(self._stretch_column, QHeaderView.ResizeMode.Stretch)
        self.resizeRowsToContents()
        height = header.height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(row) for row in range(self.rowCount()))
        self.setFixedHeight(max(height, header.sizeHint().height() + 2 * self.frameWidth()))

    @staticmethod
    def _text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return format_number(value)
        return str(value)

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in one cell."""
        item = self.item(row, column)
        return item.text() if item is not None else ""
