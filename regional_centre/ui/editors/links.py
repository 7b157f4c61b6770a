"""Lists of linked records inside a form, and a record's readable history."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from regional_centre.i18n import _, format_day
from regional_centre.services.related import Linked

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class LinkedList(QTreeWidget):
    """Records linked to the one shown; activating one opens it on its page."""

    #: The user asked to open a linked record: its list kind (value) and id.
    open_requested = Signal(str, str)

    def __init__(self, headings: Sequence[str]) -> None:
        super().__init__()
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels(list(headings))
        self.setColumnWidth(0, 280)
        self.itemActivated.connect(self._on_item_activated)

    def show_links(self, links: Sequence[Linked]) -> None:
        """Show ``links`` (name, date, detail), replacing what was there."""
        self.clear()
        for link in links:
            item = QTreeWidgetItem(
                [link.label, format_day(link.on) if link.on else "", link.detail]
            )
            item.setData(0, KIND_ROLE, link.kind.value if link.kind else "")
            item.setData(0, ID_ROLE, link.id)
            self.addTopLevelItem(item)

    @Slot(QTreeWidgetItem, int)
    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        kind = item.data(0, KIND_ROLE)
        if kind:
            self.open_requested.emit(kind, item.data(0, ID_ROLE))


class HistoryList(QTreeWidget):
    """Who changed what in a record, oldest first, in plain sentences."""

    def __init__(self) -> None:
        super().__init__()
        self.setRootIsDecorated(False)
        self.setHeaderLabels([_("What happened")])
        self.setWordWrap(True)
        self.setAccessibleName(_("History"))

    def show_lines(self, lines: Sequence[str]) -> None:
        """Show one line per change."""
        self.clear()
        for line in lines:
            self.addTopLevelItem(QTreeWidgetItem([line]))
