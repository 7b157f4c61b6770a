"""Every message box of the program goes through here (tests patch these functions)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something failed and what to do about it."""
    QMessageBox.critical(parent, title, text)


def show_information(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something worth knowing that needs no decision."""
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask the user to confirm an action; True if they did."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
