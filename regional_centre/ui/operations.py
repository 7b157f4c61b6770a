"""Work off the GUI thread: list queries, and long operations with a progress dialog.

Modelled on Anki's ``CollectionOp``: the caller gives the work and a success
callback, optionally a failure one; both callbacks run on the GUI thread. The
work never touches a widget. Writes run one at a time on a single worker, so
two long operations never compete for the database's write lock; reads run on
a small pool of their own.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from regional_centre.i18n import _
from regional_centre.services.errors import ServiceError

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The user cancelled a long operation; nothing it did in its unit of work was kept."""


class _Relay(QObject):
    """Carries a worker's results to the GUI thread (it lives there, so signals are queued)."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class _Task(QRunnable):
    """Runs ``work`` on a pool thread and hands its result to the relay.

    The relay (a QObject of the GUI thread) must be destroyed on that thread:
    the task drops its reference before it finishes, and the GUI side lets go
    of the relay only once the task says it has (``_release``).
    """

    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay: _Relay | None = relay
        self.done = False

    def run(self) -> None:
        relay = self._relay
        assert relay is not None
        self._relay = None
        try:
            result = self._work()
        except BaseException as error:  # delivered to the GUI thread, never lost
            relay.failed.emit(error)
        else:
            relay.finished.emit(result)
        finally:
            del relay
            self._work = _nothing
            self.done = True


def _nothing() -> None:
    return None


_pools: dict[str, QThreadPool] = {}
# Relays (and operations) alive until their task is over and the GUI thread has their result.
_running: dict[object, _Task | None] = {}


def _release(owner: object) -> None:
    """Let go of a finished relay or operation, on the GUI thread, once its task is over."""
    task = _running.get(owner)
    if task is not None and not task.done:
        QTimer.singleShot(10, lambda: _release(owner))
        return
    _running.pop(owner, None)
    if isinstance(owner, QObject):
        owner.deleteLater()  # on this thread, whichever thread later frees the Python side
    elif isinstance(owner, Operation) and owner._relay is not None:
        owner._relay.deleteLater()


def _pool(name: str, threads: int) -> QThreadPool:
    pool = _pools.get(name)
    if pool is None:
        pool = _pools[name] = QThreadPool()
        pool.setMaxThreadCount(threads)
    return pool


def wait_for_background_work(milliseconds: int = 30_000) -> bool:
    """Wait for every queued background task (at exit and in tests); whether all finished."""
    return all(pool.waitForDone(milliseconds) for pool in _pools.values())


def run_query(
    work: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Run a read-only ``work`` on the read pool; deliver its result or error on the GUI thread."""
    relay = _Relay()
    task = _Task(work, relay)
    _running[relay] = task

    def finished(result: object) -> None:
        _release(relay)
        on_done(result)  # type: ignore[arg-type]

    def failed(error: object) -> None:
        _release(relay)
        assert isinstance(error, BaseException)
        on_error(error)

    relay.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
    relay.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    _pool("read", 2).start(task)


class Operation(Generic[T]):
    """A long piece of work with a progress dialog the user can cancel.

    ``Operation(parent, work).success(show).failure(explain).run_in_background()``;
    ``work`` receives a progress callback ``(done, total)`` and raises
    ``Cancelled`` from it once the user cancels.
    """

    def __init__(self, parent: QWidget | None, work: Callable[[Progress], T]) -> None:
        self._parent = parent
        self._work = work
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._label = ""
        self._cancel_requested = False
        self._dialog: QProgressDialog | None = None
        self._relay: _Relay | None = None

    def success(self, callback: Callable[[T], None]) -> Operation[T]:
        """What to do with the result, on the GUI thread (required)."""
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Operation[T]:
        """What to do if the work fails (default: tell the user); not called on cancel."""
        self._on_failure = callback
        return self

    def with_progress(self, label: str) -> Operation[T]:
        """Show a progress dialog with ``label`` and a Cancel button while the work runs."""
        self._label = label
        return self

    def run_in_background(self) -> None:
        """Start the work on the single writing worker."""
        if self._on_success is None:
            raise TypeError("an Operation needs a success callback")
        self._relay = relay = _Relay()
        relay.finished.connect(self._on_relay_finished, Qt.ConnectionType.QueuedConnection)
        relay.failed.connect(self._on_relay_failed, Qt.ConnectionType.QueuedConnection)
        relay.progressed.connect(self._on_relay_progressed, Qt.ConnectionType.QueuedConnection)
        if self._label:
            self._dialog = dialog = QProgressDialog(self._label, _("Cancel"), 0, 0, self._parent)
            dialog.setWindowTitle(self._label)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.canceled.connect(self._on_dialog_canceled)
        task = _Task(lambda: self._work(self._report), relay)
        _running[self] = task
        _pool("write", 1).start(task)

    def _report(self, done: int, total: int) -> None:
        """The progress callback the work calls (on its own thread)."""
        if self._cancel_requested:
            raise Cancelled
        if self._relay is not None:
            self._relay.progressed.emit(done, total)

    @Slot()
    def _on_dialog_canceled(self) -> None:
        self._cancel_requested = True
        if self._dialog is not None:
            # Qt hides the dialog on cancel; it stays (without its button) until the work
            # has stopped, so the window is not used while the work still holds the database.
            self._dialog.setCancelButton(None)
            self._dialog.setLabelText(_("Cancelling…"))
            self._dialog.show()

    @Slot(int, int)
    def _on_relay_progressed(self, done: int, total: int) -> None:
        if self._dialog is not None and not self._cancel_requested:
            self._dialog.setMaximum(max(total, 1))
            self._dialog.setValue(min(done, max(total, 1)))

    @Slot(object)
    def _on_relay_finished(self, result: object) -> None:
        self._finish()
        assert self._on_success is not None
        self._on_success(result)  # type: ignore[arg-type]

    @Slot(object)
    def _on_relay_failed(self, error: object) -> None:
        self._finish()
        assert isinstance(error, BaseException)
        if isinstance(error, Cancelled):
            log.info("operation cancelled: %s", self._label)
            return
        if self._on_failure is not None:
            self._on_failure(error)
            return
        report_failure(self._parent, error)

    def _finish(self) -> None:
        _release(self)
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


def report_failure(parent: QWidget | None, error: BaseException) -> None:
    """Tell the user about a failed operation: a known fault plainly, a bug with its details."""
    from regional_centre.ui.errors import show_unexpected
    from regional_centre.ui.messages import show_error

    if isinstance(error, ServiceError):
        show_error(parent, _("The operation could not be completed"), str(error))
    else:
        show_unexpected(parent, error)


class GuiThreadCollector(QObject):
    """Runs Python's cycle collector on the GUI thread only.

    Left automatic, the collector runs on whichever thread allocates at the
    wrong moment; freeing a cycle that holds a Qt object there destroys the
    object on the wrong thread, which can crash the program. This keeps the
    same thresholds, checked from a timer on the GUI thread (as calibre and
    pyqtgraph do); full collections wait until start-up is over.
    """

    def __init__(self, interval_ms: int = 200) -> None:
        super().__init__()
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(interval_ms)

    def stop(self) -> None:
        """Hand collection back to Python and collect everything now, while Qt still runs.

        Called before the program ends, so that no Qt object is left for the
        interpreter to free after the application is gone.
        """
        self._timer.stop()
        gc.unfreeze()
        gc.enable()
        gc.collect()

    @Slot()
    def _on_timer_timeout(self) -> None:
        first, second, third = gc.get_count()
        if first > self._thresholds[0]:
            generation = 0
            if second > self._thresholds[1]:
                generation = 2 if third > self._thresholds[2] else 1
            if generation == 2 and gc.get_freeze_count() == 0:
                # Start-up is still loading modules (the window freezes them once a
                # database is open): walking all of them now would block the window.
                generation = 1
            gc.collect(generation)
