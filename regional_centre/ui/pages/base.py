"""What every page of the main window offers the window's menus and toolbar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from regional_centre.ui.edits import Edits


class Page(QWidget):
    """A page of the main window. The window's standard actions call these methods;
    a page that has nothing to do for one leaves it as it is."""

    #: A message for the status bar.
    status_message = Signal(str)
    #: Open a record on the page that lists it: list kind (value) and record id.
    open_requested = Signal(str, str)

    def new_record(self) -> None:
        """Ctrl+N: start a new record."""

    def save(self) -> bool:
        """Ctrl+S: save the record being edited; whether it was saved."""
        return False

    def delete_selected(self) -> None:
        """Delete: delete the selected records."""

    def focus_search(self) -> None:
        """Ctrl+F: go to the search box."""

    def refresh(self) -> None:
        """F5: read everything shown again."""

    def has_unsaved_changes(self) -> bool:
        """Whether a form on the page holds changes not saved yet."""
        return False

    def open_record(self, kind: str, record_id: str) -> bool:
        """Show a record of list ``kind``; whether this page shows that kind."""
        return False

    def save_view_settings(self) -> None:
        """Remember what the user chose to see (columns, filters)."""

    def smoke_test(self) -> None:
        """Open one form of each kind the page has (for ``--smoke``)."""

    # Helpers for pages that show figures read from the database.

    def follow_edits(self, edits: Edits) -> None:
        """Read everything again after an edit: now if the page is shown, else when it is next."""
        self._stale = False
        edits.changed.connect(self._on_edits_changed)

    @Slot(str, list)
    def _on_edits_changed(self, _entity: str, _ids: list[str]) -> None:
        if self.isVisible():
            self.refresh_soon()
        else:
            self._stale = True

    def refresh_soon(self) -> None:
        """Refresh after an edit (a page may wait for more edits first)."""
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with edits made while another page was shown."""
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()

    def set_scrolling_content(self, content: QWidget) -> QScrollArea:
        """Make ``content`` the page, scrolling when the window is smaller than it."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        return scroll
