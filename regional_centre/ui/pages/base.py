"""What every page of the main window offers the window's menus and toolbar."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


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
