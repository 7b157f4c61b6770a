"""Long work off the GUI thread (progress, cancel, failure) and unexpected errors."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from regional_centre.services.errors import ServiceError
from regional_centre.ui import errors as errors_module
from regional_centre.ui import operations
from regional_centre.ui.errors import ErrorDialog, install_error_handler
from regional_centre.ui.operations import Operation, run_query


def test_an_operation_runs_off_the_gui_thread_and_reports_progress(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    threads: list[threading.Thread] = []
    results: list[int] = []

    def work(progress: Any) -> int:
        threads.append(threading.current_thread())
        for done in range(1, 6):
            progress(done, 5)
        return 42

    operation = Operation(parent, work).success(results.append).with_progress("Counting…")
    operation.run_in_background()
    qtbot.waitUntil(lambda: results == [42])
    assert threads[0] is not threading.main_thread()


def test_cancelling_stops_the_work_and_calls_neither_callback(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    release = threading.Event()
    outcome: list[str] = []

    def work(progress: Any) -> None:
        started.set()
        release.wait(5)
        for done in range(100):
            progress(done, 100)  # raises Cancelled once the user cancelled
        outcome.append("finished the loop")

    operation = Operation(parent, work).with_progress("Working…")
    operation.success(lambda _r: outcome.append("success"))
    operation.failure(lambda _e: outcome.append("failure"))
    operation.run_in_background()
    assert started.wait(5)
    dialog = operation._dialog
    assert dialog is not None
    dialog.canceled.emit()  # as when the user presses Cancel
    assert dialog.isVisible() and dialog.labelText() == "Cancelling…"  # until the work stops
    release.set()
    assert operations.wait_for_background_work(5000)
    qtbot.wait(20)
    assert outcome == []


def test_a_refused_operation_is_explained(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "regional_centre.ui.messages.show_error", lambda p, title, text: shown.append(text)
    )

    def work(progress: Any) -> None:
        raise ServiceError("The session is full.")

    Operation(None, work).success(lambda _r: None).run_in_background()
    qtbot.waitUntil(lambda: shown == ["The session is full."])


def test_a_query_error_reaches_its_handler_on_the_gui_thread(qtbot: QtBot) -> None:
    got: list[tuple[str, bool]] = []

    def work() -> None:
        raise ValueError("broken")

    run_query(
        work,
        lambda _r: got.append(("done", False)),
        lambda e: got.append((str(e), threading.current_thread() is threading.main_thread())),
    )
    qtbot.waitUntil(lambda: got == [("broken", True)])


def test_an_operation_needs_a_success_callback() -> None:
    with pytest.raises(TypeError):
        Operation(None, lambda progress: None).run_in_background()


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_is_logged_and_shown_and_the_program_goes_on(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(ErrorDialog, "ask", classmethod(lambda cls, p, e: shown.append(e)))
    monkeypatch.setattr(errors_module, "_reporter", None)
    install_error_handler()
    after: list[str] = []

    def broken_slot() -> None:
        raise RuntimeError("forced for the test")

    with caplog.at_level(logging.ERROR):
        QTimer.singleShot(0, broken_slot)
        QTimer.singleShot(5, lambda: after.append("still running"))
        qtbot.waitUntil(lambda: bool(shown) and bool(after))
    assert isinstance(shown[0], RuntimeError) and str(shown[0]) == "forced for the test"
    assert "forced for the test" in caplog.text and "Traceback" in caplog.text


def test_the_error_dialog_offers_the_details_to_copy(qtbot: QtBot) -> None:
    try:
        raise KeyError("missing")
    except KeyError as error:
        dialog = ErrorDialog(None, error)
    qtbot.addWidget(dialog)
    assert "KeyError" in dialog.text() and "Your data is safe" in dialog.text()
    assert "Traceback" in dialog.details and "missing" in dialog.detailedText()
    dialog.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == dialog.details
