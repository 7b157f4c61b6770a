"""Test set-up: headless Qt, private data folders, and ready-made databases."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before Qt or the program is imported: no screen, and nothing written to the user's folders.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = Path(tempfile.mkdtemp(prefix="regional-centre-tests-"))
os.environ["REGIONAL_CENTRE_DATA_DIR"] = str(_HOME / "data")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_HOME / "share")
os.environ["XDG_RUNTIME_DIR"] = str(_HOME / "runtime")
(_HOME / "runtime").mkdir(mode=0o700)

import pytest  # noqa: E402

from regional_centre.demo import generate  # noqa: E402
from regional_centre.services import Services  # noqa: E402

CENTRE = "BCRC-SN"


def new_database(path: Path, centre: str | None = CENTRE) -> Services:
    """A new, set-up database at ``path`` for a node of ``centre`` (None: the secretariat)."""
    services = Services.open(path, create=True, actor="Test User")
    services.installation.initialise(node_name="Test node", centre_code=centre)
    return services


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """Services over a new, empty database of a node of the Dakar centre."""
    opened = new_database(tmp_path / "test.sqlite")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def small_demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the small demo data set, made once per test run (do not modify it)."""
    path = tmp_path_factory.mktemp("demo") / "small.sqlite"
    opened = new_database(path)
    generate(opened, "small", seed=7)
    opened.close()
    return path


@pytest.fixture
def demo_services(small_demo_file: Path, tmp_path: Path) -> Iterator[Services]:
    """Services over a private copy of the small demo database."""
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(small_demo_file, copy)
    opened = Services.open(copy, actor="Test User")
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test starts with no saved settings (window state, list filters, language)."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for kind in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))
    yield


@pytest.fixture(autouse=True)
def no_waiting_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Message boxes a test did not expect answer at once instead of waiting for a click.

    Tests that care patch the function where it is used; this only keeps a
    forgotten one (e.g. "Unsaved changes" when a test's window closes) from
    hanging the run. Yields the titles of the boxes that were answered.
    """
    from PySide6.QtWidgets import QMessageBox

    titles: list[str] = []

    def answer(parent: object, title: str, *rest: object, **named: object) -> object:
        titles.append(title)
        return QMessageBox.StandardButton.Yes

    for name in ("question", "critical", "information", "warning"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(answer))

    def run(self: QMessageBox) -> int:
        titles.append(self.windowTitle())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", run)
    yield titles


@pytest.fixture(scope="session", autouse=True)
def collector_on_gui_thread(qapp: object) -> Iterator[None]:
    """As in the program: Python's cycle collector runs on the GUI thread only."""
    from regional_centre.ui.app import (
        keep_collecting_on_gui_thread,
        stop_collecting_on_gui_thread,
    )
    from regional_centre.ui.operations import wait_for_background_work

    keep_collecting_on_gui_thread()
    yield
    wait_for_background_work()
    stop_collecting_on_gui_thread()  # nothing left for the interpreter to free after Qt


@pytest.fixture(autouse=True)
def background_work_finishes() -> Iterator[None]:
    """No background query or operation of one test runs on into the next."""
    yield
    from regional_centre.ui.operations import wait_for_background_work

    assert wait_for_background_work(30_000), "background work did not finish"
