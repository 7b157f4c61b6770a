"""Starting the desktop program: language, database (set up on first run), main window."""

from __future__ import annotations

import importlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from regional_centre import APP_NAME, __version__
from regional_centre.i18n import (
    LANGUAGES,
    _,
    current_language,
    is_right_to_left,
    set_language,
    system_language,
)
from regional_centre.paths import backups_dir, resources_dir
from regional_centre.services.errors import DatabaseError, DatabaseLocked, ServiceError
from regional_centre.ui.errors import install_error_handler
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.messages import show_error
from regional_centre.ui.operations import (
    GuiThreadCollector,
    Operation,
    run_query,
    wait_for_background_work,
)
from regional_centre.ui.settings import LANGUAGE, RESTORE_ON_START, USER_NAME, Settings

if TYPE_CHECKING:
    from regional_centre.services import Services

log = logging.getLogger(__name__)


_collector: GuiThreadCollector | None = None


def keep_collecting_on_gui_thread() -> None:
    """Run Python's cycle collector on the GUI thread from now on (once per process)."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector()


def stop_collecting_on_gui_thread() -> None:
    """Collect every cycle now and give collection back to Python (before the program ends)."""
    global _collector
    if _collector is not None:
        _collector.stop()
        _collector = None


def application(language: str | None = None) -> QApplication:
    """The one QApplication, with the program's names, language and layout direction."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
        keep_collecting_on_gui_thread()
        add_shipped_fonts()
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    language = language or Settings().get(LANGUAGE) or system_language()
    if language not in LANGUAGES:
        language = "en"
    set_language(language)
    QLocale.setDefault(QLocale(_QT_LOCALES.get(language, language)))
    _translate_qt(app, language)
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft
        if is_right_to_left(language)
        else Qt.LayoutDirection.LeftToRight
    )
    return app


def add_shipped_fonts() -> list[str]:
    """Offer the fonts shipped for the documents to the windows too; return their families.

    A computer without Chinese or Arabic fonts (a fresh Windows in English, a server) then
    still draws every language of the program, through Qt's fallback to these fonts.
    """
    families: list[str] = []
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        added = QFontDatabase.addApplicationFont(str(path))
        if added < 0:
            log.warning("cannot load the font %s", path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(added))
    return sorted(set(families))


# The locale Qt formats numbers in (chart axes, spin boxes) for each language, so that they agree
# with Babel's: Qt's "ar" writes Arabic-Indic digits, Babel's (CLDR's) "ar" Latin ones, as here.
_QT_LOCALES = {"ar": "ar_AE"}

# Qt's own catalogue of each language (file dialogs, message-box buttons, context menus).
_QT_CATALOGUES = {"zh": "qtbase_zh_CN"}
_qt_translator: QTranslator | None = None


def _translate_qt(app: QApplication, language: str) -> bool:
    """Let Qt's own dialogs and buttons speak ``language``; whether Qt has a catalogue for it."""
    global _qt_translator
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language == "en":
        return True
    translator = QTranslator(app)
    name = _QT_CATALOGUES.get(language, f"qtbase_{language}")
    if not translator.load(name, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        log.warning("Qt has no catalogue %s; its dialogs stay in English", name)
        return False
    app.installTranslator(translator)
    _qt_translator = translator
    return True


@dataclass(frozen=True)
class Opened:
    """An open database, and whether the user asked for demo data in it."""

    services: Services
    load_demo: bool = False


def open_services(database: Path, actor: str | None = None) -> Opened | None:
    """Open ``database``, setting it up first if it does not exist; None if the user cancels."""
    from regional_centre.services import Services

    if database.exists():
        return Opened(Services.open(database, actor=actor))
    from regional_centre.services.reference import shipped_centres
    from regional_centre.ui.first_run import FirstRunDialog

    choice = FirstRunDialog.ask(shipped_centres(), LANGUAGES)
    if choice is None:
        return None
    database.parent.mkdir(parents=True, exist_ok=True)
    services = Services.open(database, create=True, actor=actor)
    services.installation.initialise(node_name=choice.node_name, centre_code=choice.centre_code)
    if choice.language:
        Settings().set(LANGUAGE, choice.language)
        application(choice.language)
    return Opened(services, choice.load_demo)


class DatabaseProblem(QMessageBox):
    """A database that cannot be opened: why, and the ways out (another file, a backup, quit)."""

    OPEN_OTHER = 1
    RESTORE = 2
    QUIT = 0

    def __init__(self, error: Exception, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        locked = isinstance(error, DatabaseLocked)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(_("Cannot open the database"))
        self.setText(str(error))
        self.setInformativeText(
            _("Nothing was changed. You can open another database or restore a backup.")
        )
        self.open_button = self.addButton(
            _("Open another database…"), QMessageBox.ButtonRole.AcceptRole
        )
        self.restore_button = self.addButton(
            _("Restore a backup…"), QMessageBox.ButtonRole.ActionRole
        )
        # A database another program holds is sound: replacing it under that program
        # would lose its work. Only another file or quitting are offered then.
        self.restore_button.setVisible(not locked)
        self.quit_button = self.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)

    @classmethod
    def ask(cls, error: Exception) -> int:
        """Show the problem; the user's way out."""
        dialog = cls(error)
        dialog.exec()
        clicked = dialog.clickedButton()
        if clicked is dialog.open_button:
            return cls.OPEN_OTHER
        if clicked is dialog.restore_button:
            return cls.RESTORE
        return cls.QUIT


class DatabaseFileChooser:
    """Asks for a database file to open or a backup to restore (tests patch ``ask``)."""

    @classmethod
    def ask(cls, title: str, folder: Path) -> Path | None:
        """The chosen file, or None."""
        name, _filter = QFileDialog.getOpenFileName(
            None, title, str(folder), _("Regional Centre databases (*.sqlite *.db);;All files (*)")
        )
        return Path(name) if name else None


ASIDE_SUFFIX = ".before-restore"


def set_aside_path(database: Path) -> Path:
    """Where ``restore_backup`` keeps the database it replaces."""
    return database.with_name(database.name + ASIDE_SUFFIX)


def restore_backup(backup: Path, database: Path) -> Path:
    """Put a copy of ``backup`` in place of ``database``, keeping the replaced file aside.

    The backup is copied beside the database first, so a failed copy changes
    nothing; only then is the database moved aside and the copy renamed.
    """
    import shutil
    import tempfile

    handle, name = tempfile.mkstemp(dir=database.parent, prefix=".restore-", suffix=".sqlite")
    os.close(handle)
    copy = Path(name)
    try:
        shutil.copyfile(backup, copy)
        if database.exists():
            aside = set_aside_path(database)
            # The write-ahead log goes with its file: it may hold saved changes.
            for suffix in ("-wal", "-shm"):
                log_file = Path(str(database) + suffix)
                if log_file.exists():
                    log_file.replace(Path(str(aside) + suffix))
            database.replace(aside)
        copy.replace(database)
    finally:
        copy.unlink(missing_ok=True)
    return database


def apply_pending_restore(settings: Settings, database: Path) -> str:
    """Put the backup chosen for "Restore at next start" in place of ``database``.

    Runs before the database is opened, when nothing holds it. Only a backup of this
    database (in its backups folder) is restored; the request is cleared whatever
    happens, so a restore that fails is not tried again at every start. Returns what
    to tell the user, or "" when nothing was asked for.
    """
    pending = settings.get(RESTORE_ON_START)
    if not pending:
        return ""
    settings.set(RESTORE_ON_START, "")
    settings.sync()
    backup = Path(pending)
    if not backup.is_file() or backup.parent.resolve() != backups_dir(database).resolve():
        log.warning("not restoring %s in place of %s: not one of its backups", backup, database)
        return _("The backup {name} was not restored: it is no longer among the backups.").format(
            name=backup.name
        )
    original = database.stat().st_ino if database.exists() else None
    try:
        restore_backup(backup, database)
    except OSError as error:
        log.error("restoring %s in place of %s failed: %s", backup, database, error)
        aside = set_aside_path(database)
        if original is not None and aside.exists() and aside.stat().st_ino == original:
            aside.replace(database)  # the database as it was, never a half-copied backup
            for suffix in ("-wal", "-shm"):
                log_file = Path(str(aside) + suffix)
                if log_file.exists():
                    log_file.replace(Path(str(database) + suffix))
        return _("The backup {name} could not be restored: {reason}").format(
            name=backup.name, reason=error.strerror or error
        )
    log.info("restored %s from the backup %s", database, backup)
    return _("The database was restored from the backup {name}.").format(name=backup.name)


def open_in_background(window: MainWindow, database: Path, actor: str | None) -> None:
    """Open ``database`` off the GUI thread (the window is already shown), then work on it.

    When it cannot be opened the user is told why and chooses a way out: open
    another database, restore a backup, or quit.
    """

    start_module = window.start_page().module

    def work() -> Services:
        from regional_centre.services import Services  # the database layer loads here

        services = Services.open(database, actor=actor)
        # What the first page needs, loaded here so that building it is quick.
        services.reference.country_names(current_language())
        importlib.import_module(start_module)
        return services

    def failed(error: BaseException) -> None:
        if not isinstance(error, (DatabaseError, ServiceError)):
            raise error  # a bug: the error handler logs it and shows its details
        log.warning("cannot open %s: %s", database, error)
        answer = DatabaseProblem.ask(error)
        if answer == DatabaseProblem.OPEN_OTHER:
            chosen = DatabaseFileChooser.ask(_("Open a database"), database.parent)
            open_in_background(window, chosen or database, actor)
        elif answer == DatabaseProblem.RESTORE:
            chosen = DatabaseFileChooser.ask(_("Choose a backup to restore"), backups_dir(database))
            if chosen is not None:
                try:
                    restore_backup(chosen, database)
                except OSError as problem:  # e.g. the file is held by another program
                    show_error(
                        window,
                        _("The backup was not restored"),
                        _("{reason}. Nothing was changed.").format(
                            reason=problem.strerror or problem
                        ),
                    )
            open_in_background(window, database, actor)
        else:
            window.close()

    run_query(work, window.attach, failed)


def run_gui(database: Path, *, smoke: bool = False, language: str | None = None) -> int:
    """Run the desktop program on ``database``; return its exit status.

    The window shows first and the database opens in the background, so the
    program answers at once even while the database layer loads.
    """
    app = application(language)
    settings = Settings()
    actor = settings.get(USER_NAME) or None
    restored = apply_pending_restore(settings, database)
    if smoke:
        from regional_centre.services import Services

        # No one to answer a dialog: the command line reports a fault in one line.
        window = MainWindow(Services.open(database, actor=actor), settings)
        window.show()
        return smoke_run(app, window)
    install_error_handler()
    opened: Opened | None = None
    if not database.exists():  # first run: who is this installation?
        opened = open_services(database, actor)
        if opened is None:
            return 0
    window = MainWindow(None, settings)
    window.show()
    if restored:
        window.statusBar().showMessage(restored)
    if opened is None:
        open_in_background(window, database, actor)
    else:
        window.attach(opened.services)
        if opened.load_demo:
            load_demo(window)
    try:
        status = app.exec()
    finally:
        wait_for_background_work()
        # The window may have been reopened in another language: close the database of the last.
        for top in {window, *app.topLevelWidgets()}:
            if isinstance(top, MainWindow) and top.has_services():
                top.services.close()
        stop_collecting_on_gui_thread()
    return status


def smoke_run(app: QApplication, window: MainWindow) -> int:
    """Visit every page, open one form of each kind, close; 0 when all of it worked.

    Runs without ``app.exec()``: quitting an event loop would leave Qt refusing
    to run any later one in the same process (tests run many windows).
    """
    raised: list[BaseException] = []
    previous_hook = sys.excepthook
    sys.excepthook = lambda kind, error, trace: raised.append(error)  # errors inside slots
    try:
        window.smoke_test()
        wait_for_background_work()
        app.processEvents()
        window.close()
        wait_for_background_work()
        app.processEvents()
    finally:
        sys.excepthook = previous_hook
        window.services.close()
    if raised:
        raise raised[0]
    return 0


def load_demo(window: MainWindow, size: str = "small") -> None:
    """Fill the database with demo data in the background, with a progress dialog."""
    from regional_centre.demo import generate

    services = window.services
    Operation(window, lambda progress: generate(services, size, progress=progress)).success(
        lambda _result: window.refresh()
    ).with_progress(_("Adding demo data…")).run_in_background()
