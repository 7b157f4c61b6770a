"""A table model over one list, paged by the database and loaded off the GUI thread.

The model holds only the rows fetched so far. A new query (search, filter,
sort) loads the count and the first page in the background and then resets
the model; scrolling down asks for the next page (``canFetchMore`` /
``fetchMore``), which arrives the same way. Answers to an older query are
dropped, so typing fast never shows stale rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from regional_centre.i18n import _
from regional_centre.services import Services
from regional_centre.services.listing import Column, Display, Kind, ListQuery, ListRow
from regional_centre.ui.display import CellText
from regional_centre.ui.operations import run_query

log = logging.getLogger(__name__)

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class ListModel(QAbstractTableModel):
    """The rows of one kind of list that match the current query."""

    #: A query's first page arrived (the model was reset); carries the number of matches.
    loaded = Signal(int)
    #: Loading rows failed; carries the message to show.
    failed = Signal(str)

    def __init__(self, services: Services, kind: Kind, parent: Any = None) -> None:
        super().__init__(parent)
        self._services = services
        self.kind = kind
        self.columns: Sequence[Column] = services.lists.columns(kind)
        self._cells = CellText(services.reference)
        self._rows: list[ListRow] = []
        self._total = 0
        self._query = ListQuery()
        self._generation = 0
        self._fetching = False
        self._failed = False
        self.loading = False

    # Queries.

    @property
    def query(self) -> ListQuery:
        """The query whose rows the model shows (or is loading)."""
        return self._query

    @property
    def total(self) -> int:
        """How many records match the query."""
        return self._total

    def set_query(self, query: ListQuery) -> None:
        """Show the rows matching ``query``; they arrive in the background."""
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Load the current query again from its first page."""
        self._generation += 1
        self._failed = False
        generation = self._generation
        query, kind, lists = self._query, self.kind, self._services.lists
        self.loading = True

        def work() -> tuple[int, list[ListRow]]:
            return lists.count(kind, query), lists.page(kind, query, 0, PAGE_SIZE)

        run_query(
            work,
            lambda result: self._on_first_page(generation, result),
            lambda error: self._on_error(generation, error),
        )

    def _on_first_page(self, generation: int, result: tuple[int, list[ListRow]]) -> None:
        if generation != self._generation:
            return
        total, rows = result
        self.beginResetModel()
        self._rows = rows
        self._total = max(total, len(rows))
        self._fetching = False
        self.endResetModel()
        self.loading = False
        self.loaded.emit(self._total)

    def _on_error(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self._fetching = False
        self._failed = True  # no more pages until the list is loaded again
        log.error("loading a list failed", exc_info=(type(error), error, error.__traceback__))
        self.failed.emit(_("The list could not be loaded: {error}").format(error=error))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """Whether more rows match than were loaded."""
        if parent.isValid() or self.loading or self._failed:
            return False
        return not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Load the next page in the background."""
        if parent.isValid() or not self.canFetchMore():
            return
        self._fetching = True
        generation = self._generation
        offset, query, kind, lists = len(self._rows), self._query, self.kind, self._services.lists
        run_query(
            lambda: lists.page(kind, query, offset, PAGE_SIZE),
            lambda rows: self._on_next_page(generation, offset, rows),
            lambda error: self._on_error(generation, error),
        )

    def _on_next_page(self, generation: int, offset: int, rows: list[ListRow]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        self._fetching = False
        if not rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def refresh_records(self, ids: Sequence[str]) -> None:
        """Read the given records again and update their rows in place."""
        wanted = set(ids)
        positions = {row.id: i for i, row in enumerate(self._rows) if row.id in wanted}
        if not positions:
            return
        fresh = {row.id: row for row in self._services.lists.rows(self.kind, list(positions))}
        for record_id, position in positions.items():
            if record_id in fresh:
                self._rows[position] = fresh[record_id]
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(self.columns) - 1)
                )

    # Reading.

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """All the list's columns (the view hides those the user does not want)."""
        return 0 if parent.isValid() else len(self.columns)

    def record_id(self, row: int) -> str:
        """The id of the record in ``row``."""
        return self._rows[row].id

    def row_of(self, record_id: str) -> int | None:
        """The row showing ``record_id``, if it is loaded."""
        for position, row in enumerate(self._rows):
            if row.id == record_id:
                return position
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, alignment, id or raw value."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        value = row.values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells.text(column, value)
        if role == Qt.ItemDataRole.ToolTipRole and column.display is Display.CODES:
            return self._cells.text(column, value) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.display in (
            Display.INTEGER,
            Display.DECIMAL,
        ):
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.display is Display.FLAG and value:
            palette = QApplication.palette()
            return QBrush(palette.color(QPalette.ColorRole.Link))
        if role == ID_ROLE:
            return row.id
        if role == VALUE_ROLE:
            return value
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headings (translated now, so a language switch shows at once)."""
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(self.columns[section].label)
            if role == Qt.ItemDataRole.UserRole:
                return self.columns[section].key
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows are selectable, not editable in place (forms edit them)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column: the services sort, text as the program's language does."""
        if not 0 <= column < len(self.columns):
            return
        self.set_query(
            replace(
                self._query,
                sort=self.columns[column].key,
                descending=order == Qt.SortOrder.DescendingOrder,
            )
        )
