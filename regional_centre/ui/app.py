"""Starting the desktop program: language, database (set up on first run), main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from regional_centre import APP_NAME, __version__
from regional_centre.demo import generate
from regional_centre.i18n import _, is_right_to_left, set_language, system_language
from regional_centre.services import Services
from regional_centre.services.errors import DatabaseError, ServiceError
from regional_centre.services.reference import shipped_centres
from regional_centre.ui.first_run import FirstRunDialog
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.messages import show_error

log = logging.getLogger(__name__)


def application(language: str | None = None) -> QApplication:
    """The one QApplication, with the program's names, language and layout direction."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    language = language or system_language()
    set_language(language)
    QLocale.setDefault(QLocale(language))
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft
        if is_right_to_left(language)
        else Qt.LayoutDirection.LeftToRight
    )
    return app


def open_services(database: Path) -> Services | None:
    """Open ``database``, setting it up first if it does not exist; None if the user cancels."""
    if database.exists():
        return Services.open(database)
    choice = FirstRunDialog.ask(shipped_centres())
    if choice is None:
        return None
    database.parent.mkdir(parents=True, exist_ok=True)
    services = Services.open(database, create=True)
    services.installation.initialise(node_name=choice.node_name, centre_code=choice.centre_code)
    if choice.load_demo:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            generate(services, "small")
        finally:
            QGuiApplication.restoreOverrideCursor()
    return services


def run_gui(database: Path, *, smoke: bool = False, language: str | None = None) -> int:
    """Run the desktop program on ``database``; return its exit status."""
    app = application(language)
    try:
        services = open_services(database)
    except (DatabaseError, ServiceError) as error:
        log.warning("cannot open %s: %s", database, error)
        if smoke:  # no one to answer a dialog: the command line reports it
            raise
        show_error(None, _("Cannot open the database"), str(error))
        return 1
    if services is None:
        return 0
    window = MainWindow(services)
    window.show()
    if smoke:
        QTimer.singleShot(0, app.quit)
    try:
        return app.exec()
    finally:
        services.close()
