"""Unexpected errors: logged with their traceback, shown with details to copy; the program goes on."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from regional_centre.i18n import _
from regional_centre.logs import setup_logging

log = logging.getLogger(__name__)


class ErrorDialog(QMessageBox):
    """Says that something went wrong, where the details were written, and lets them be copied."""

    def __init__(self, parent: QWidget | None, error: BaseException) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(_("Something went wrong"))
        log_file = setup_logging()
        self.setText(
            _(
                "The program met an unexpected problem ({kind}). Your data is safe: the "
                "change in progress was not saved. You can go on working."
            ).format(kind=type(error).__name__)
        )
        if log_file is not None:
            self.setInformativeText(
                _(
                    "The details were written to {log}. Please send them to your support contact."
                ).format(log=log_file)
            )
        self.details = "".join(traceback.format_exception(error))
        self.setDetailedText(self.details)
        self.copy_button = self.addButton(_("Copy details"), QMessageBox.ButtonRole.ActionRole)
        self.copy_button.clicked.disconnect()
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.addButton(QMessageBox.StandardButton.Close)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details)

    @classmethod
    def ask(cls, parent: QWidget | None, error: BaseException) -> None:
        """Show the dialog and wait until the user closes it."""
        cls(parent, error).exec()


def show_unexpected(parent: QWidget | None, error: BaseException) -> None:
    """Log an unexpected error with its traceback and show it to the user."""
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    ErrorDialog.ask(parent, error)


class _Reporter(QObject):
    """Brings errors raised anywhere (a slot, a worker thread) to one dialog on the GUI thread."""

    raised = Signal(object)


_reporter: _Reporter | None = None
_showing = False


def install_error_handler() -> None:
    """Catch every uncaught exception of the GUI: log it, show it, keep the program running."""
    global _reporter
    if _reporter is not None:
        return
    _reporter = _Reporter()
    _reporter.raised.connect(_on_raised)

    def excepthook(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        assert _reporter is not None
        _reporter.raised.emit(error.with_traceback(trace))

    sys.excepthook = excepthook


def _on_raised(error: object) -> None:
    global _showing
    assert isinstance(error, BaseException)
    if _showing:  # one dialog at a time; the rest go to the log
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
        return
    _showing = True
    try:
        show_unexpected(QApplication.activeWindow(), error)
    finally:
        _showing = False
