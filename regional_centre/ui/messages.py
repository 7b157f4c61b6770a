"""Every message box of the program goes through here (tests patch these functions)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something failed and what to do about it."""
    QMessageBox.critical(parent, title, text)
