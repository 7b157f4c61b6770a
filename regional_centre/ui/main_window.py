"""The main window: navigation between the pages, menus, toolbar, status bar, undo."""

from __future__ import annotations

import functools
import gc
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from regional_centre.i18n import N_, _
from regional_centre.ui.collation import text_order
from regional_centre.ui.edits import Edits
from regional_centre.ui.messages import confirm, show_error
from regional_centre.ui.pages.base import Page
from regional_centre.ui.settings import GEOMETRY, PAGE, WINDOW_STATE, Settings

if TYPE_CHECKING:
    from regional_centre.services import Services

PageFactory = Callable[["Services", Edits, Settings], Page]


@dataclass(frozen=True)
class PageEntry:
    """A page of the window: its key (kept in the settings), title, and the factory building it.

    Page modules are imported only when their page is first shown, so that
    start-up builds the first page alone.
    """

    key: str
    title: str
    module: str
    factory_name: str

    def factory(self) -> PageFactory:
        """The function or class that builds the page."""
        factory: PageFactory = getattr(importlib.import_module(self.module), self.factory_name)
        return factory


_PAGES = "regional_centre.ui.pages."
NAVIGATION_WIDTH = 170  # pixels the navigation may take at least, its names wrapped
PAGES = (
    PageEntry("dashboard", N_("Dashboard"), _PAGES + "dashboard", "DashboardPage"),
    PageEntry("partners", N_("Partners"), _PAGES + "organisations", "partners_page"),
    PageEntry("dialogues", N_("Dialogues"), _PAGES + "dialogues", "dialogues_page"),
    PageEntry(
        "partnerships",
        N_("Partnerships and joint activities"),
        _PAGES + "partnerships",
        "partnerships_page",
    ),
    PageEntry("smes", N_("SMEs"), _PAGES + "organisations", "smes_page"),
    PageEntry("training", N_("Training sessions"), _PAGES + "training", "training_page"),
    PageEntry("sync", N_("Sync"), _PAGES + "sync", "SyncPage"),
    PageEntry("reports", N_("Reports"), _PAGES + "reports", "ReportsPage"),
    PageEntry("settings", N_("Settings"), _PAGES + "settings", "SettingsPage"),
)


class MainWindow(QMainWindow):
    """The program's window over one database."""

    #: A database was opened in the window and its first page shown.
    opened = Signal()

    def __init__(self, services: Services | None, settings: Settings) -> None:
        """The window; without ``services`` it shows at once and waits for ``attach``."""
        super().__init__()
        self.settings = settings
        self.edits = Edits(self)
        self.edits.refused.connect(self._on_edits_refused)
        self.setWindowTitle(_("Regional Centre"))
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(_("Pages"))
        for entry in PAGES:
            item = QListWidgetItem(_(entry.title))
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            self.navigation.addItem(item)
        # A long page name (French, Russian) wraps onto a second line rather than widening the
        # window past a 1366-pixel screen.
        self.navigation.setWordWrap(True)
        self.navigation.setTextElideMode(Qt.TextElideMode.ElideNone)
        widest = self.navigation.sizeHintForColumn(0) + 24
        self.navigation.setMinimumWidth(min(widest, NAVIGATION_WIDTH))
        self.navigation.setMaximumWidth(max(widest, NAVIGATION_WIDTH) + 56)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        self._placeholders: dict[str, QWidget] = {}
        for entry in PAGES:
            placeholder = QLabel(_("Opening the database…"))
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._placeholders[entry.key] = placeholder
            self.stack.addWidget(placeholder)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.navigation.minimumWidth(), 1100])
        splitter.setCollapsible(1, False)
        self.setCentralWidget(splitter)
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self.database_label = QLabel()
        self.statusBar().addPermanentWidget(self.database_label)
        geometry = settings.get(GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        state = settings.get(WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        self._services: Services | None = None
        self._set_actions_enabled(False)
        self.setAcceptDrops(True)  # a bundle file dropped on the window is imported
        if services is not None:
            self.attach(services)

    def start_page(self) -> PageEntry:
        """The page shown when a database opens: the one the user was on last."""
        key = self.settings.get(PAGE)
        return next((entry for entry in PAGES if entry.key == key), PAGES[0])

    def has_services(self) -> bool:
        """Whether a database is open in the window."""
        return self._services is not None

    @property
    def services(self) -> Services:
        """The services of the open database."""
        if self._services is None:
            raise RuntimeError("no database is open yet")
        return self._services

    def attach(self, services: Services) -> None:
        """Work on the database behind ``services``: show the page the user was on last."""
        # Here, not at the top: the window shows before the database's modules are loaded.
        from regional_centre.ui.display import CellText

        self._services = services
        services.lists.sort_text_with(text_order(CellText(services.reference)))
        node = services.installation.this_node()
        where = node.centre_code or _("Secretariat")
        self.setWindowTitle(
            _("Regional Centre — {node} ({where})").format(node=node.name, where=where)
        )
        path = services.database.path
        self.database_label.setText(str(path) if path else services.database.url.render_as_string())
        self._set_actions_enabled(True)
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)
        row = PAGES.index(self.start_page())
        if self.navigation.currentRow() == row:
            self._on_navigation_current_row_changed(row)
        else:
            self.navigation.setCurrentRow(row)
        # What start-up loaded stays: later collections need not walk it again.
        gc.freeze()
        self.opened.emit()

    def _set_actions_enabled(self, enabled: bool) -> None:
        for action in (
            self.new_action,
            self.save_action,
            self.delete_action,
            self.find_action,
            self.refresh_action,
            *self.page_actions,
        ):
            action.setEnabled(enabled)
        self.navigation.setEnabled(enabled)

    # Actions, menus, toolbar.

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)

        def run(_checked: bool = False) -> None:
            slot()

        action.triggered.connect(run)
        return action

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action(
            _("&New"), self.new_record, keys.New, _("Start a new record")
        )
        self.save_action = self._action(_("&Save"), self.save, keys.Save, _("Save the record"))
        self.delete_action = self._action(
            _("&Delete"), self.delete_selected, keys.Delete, _("Delete the selected records")
        )
        self.find_action = self._action(
            _("&Find"), self.find_in_page, keys.Find, _("Search the list")
        )
        self.refresh_action = self._action(
            _("&Refresh"), self.refresh, keys.Refresh, _("Read the page again")
        )
        self.quit_action = self._action(_("&Quit"), self.close, keys.Quit)
        self.undo_action = self.edits.stack.createUndoAction(self, _("&Undo"))
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.redo_action = self.edits.stack.createRedoAction(self, _("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(keys.Redo)])
        self.page_actions = []
        for number, entry in enumerate(PAGES, start=1):
            action = self._action(
                _(entry.title), functools.partial(self.show_page, entry.key), f"Ctrl+{number}"
            )
            self.page_actions.append(action)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        for action in (self.new_action, self.save_action, self.refresh_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(_("&Edit"))
        for action in (self.undo_action, self.redo_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.delete_action)
        go_menu = bar.addMenu(_("&Go"))
        for action in self.page_actions:
            go_menu.addAction(action)

    def _make_toolbar(self) -> None:
        toolbar = self.addToolBar(_("Main"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (
            self.new_action,
            self.save_action,
            self.delete_action,
            self.undo_action,
            self.redo_action,
            self.find_action,
            self.refresh_action,
        ):
            toolbar.addAction(action)

    # Pages.

    def page(self, key: str) -> Page:
        """The page with ``key``, built the first time it is asked for."""
        page = self.pages.get(key)
        if page is None:
            entry = next(e for e in PAGES if e.key == key)
            page = entry.factory()(self.services, self.edits, self.settings)
            page.setObjectName(f"{key}_page")
            page.status_message.connect(self._on_page_status_message)
            page.open_requested.connect(self.open_record)
            if hasattr(page, "filter_requested"):
                page.filter_requested.connect(self.show_filtered)
            if hasattr(page, "data_imported"):
                page.data_imported.connect(self._on_page_data_imported)
            if hasattr(page, "language_chosen"):
                page.language_chosen.connect(self._on_page_language_chosen)
            self.pages[key] = page
            placeholder = self._placeholders.pop(key)
            index = self.stack.indexOf(placeholder)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        return page

    def current_page(self) -> Page:
        """The page shown."""
        return self.page(PAGES[max(self.navigation.currentRow(), 0)].key)

    def show_page(self, key: str) -> Page:
        """Show the page with ``key``."""
        keys = [entry.key for entry in PAGES]
        self.navigation.setCurrentRow(keys.index(key))
        return self.current_page()

    @Slot(int)
    def _on_navigation_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        page = self.page(PAGES[row].key)
        self.stack.setCurrentWidget(page)
        self.statusBar().clearMessage()  # another page's message would mislead here
        current = getattr(page, "current_list", lambda: None)()
        if current is not None:
            self.statusBar().showMessage(current.count_label.text())
        self.settings.set(PAGE, PAGES[row].key)

    @Slot(str, str)
    def open_record(self, kind: str, record_id: str) -> None:
        """Show a record on the page that lists its kind."""
        for entry in PAGES:
            if entry.key in ("dashboard", "sync", "reports", "settings"):
                continue
            page = self.page(entry.key)
            if page.open_record(kind, record_id):
                self.show_page(entry.key)
                return

    @Slot(str, dict)
    def show_filtered(self, kind: str, filters: dict[str, Any]) -> None:
        """Show the list of ``kind`` (a ``Kind`` value) with only ``filters`` (``ListQuery`` fields) applied."""
        from regional_centre.services.listing import Kind
        from regional_centre.ui.pages.records import RecordsPage

        built_first = sorted(PAGES, key=lambda entry: entry.key not in self.pages)
        for entry in built_first:
            if entry.key in ("dashboard", "sync", "reports", "settings"):
                continue
            page = self.page(entry.key)
            if not isinstance(page, RecordsPage) or (records := page.list_of(Kind(kind))) is None:
                continue
            self.show_page(entry.key)
            page.tabs.setCurrentWidget(records)
            records.show_filtered(**filters)
            return

    @Slot(str)
    def _on_page_status_message(self, message: str) -> None:
        if self.sender() is self.current_page():
            self.statusBar().showMessage(message)

    @Slot()
    def _on_page_data_imported(self) -> None:
        """Records came from another installation: the other pages read theirs again."""
        for page in self.pages.values():
            if page is not self.sender():
                page.refresh()

    def dropped_bundle(self, mime: QMimeData) -> Path | None:
        """The one bundle file (``.rcbundle``) dragged onto the window, if that is what it is."""
        urls = mime.urls() if self._services is not None and mime.hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() == ".rcbundle" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept a bundle file dragged over the window."""
        if self.dropped_bundle(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Import a bundle file dropped on the window, on the Sync page (a preview first)."""
        from regional_centre.ui.pages.sync import SyncPage

        path = self.dropped_bundle(event.mimeData())
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        page = self.show_page("sync")
        assert isinstance(page, SyncPage)
        page.import_bundle_file(path)

    @Slot(str)
    def _on_edits_refused(self, message: str) -> None:
        show_error(self, _("Cannot undo or redo"), message)

    # Standard actions, passed to the page shown.

    def new_record(self) -> None:
        """Ctrl+N."""
        self.current_page().new_record()

    def save(self) -> None:
        """Ctrl+S."""
        if self.current_page().save():
            self.statusBar().showMessage(_("Saved."), 4000)

    def delete_selected(self) -> None:
        """Delete."""
        self.current_page().delete_selected()

    def find_in_page(self) -> None:
        """Ctrl+F."""
        self.current_page().focus_search()

    def refresh(self) -> None:
        """F5."""
        self.current_page().refresh()

    def smoke_test(self) -> None:
        """Visit every page and open one form of each kind (``--smoke``)."""
        for entry in PAGES:
            self.show_page(entry.key).smoke_test()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Keep the window's state; ask before losing unsaved changes."""
        if self._services is None:
            super().closeEvent(event)
            return
        if not self._may_close(_("Some forms have changes that are not saved. Close anyway?")):
            event.ignore()
            return
        self._keep_state()
        super().closeEvent(event)

    def _may_close(self, question: str) -> bool:
        """Whether no form has unsaved changes, or the user lets them go."""
        unsaved = any(page.has_unsaved_changes() for page in self.pages.values())
        return not unsaved or confirm(self, _("Unsaved changes"), question)

    def _keep_state(self) -> None:
        self.settings.set(GEOMETRY, self.saveGeometry())
        self.settings.set(WINDOW_STATE, self.saveState())
        for page in self.pages.values():
            page.save_view_settings()
        self.settings.sync()

    @Slot(str)
    def _on_page_language_chosen(self, language: str) -> None:
        from regional_centre.ui.first_run import language_in_sentence, language_name

        name = f"{language_in_sentence(language)} ({language_name(language)})"
        if confirm(
            self,
            _("Working language"),
            _("Show the program in {language} now?").format(language=name),
        ):
            self.reopen_in(language)

    def reopen_in(self, language: str) -> MainWindow | None:
        """Show this window's database in a new window in ``language``, on the same page, and
        close this one; None (and nothing changed) if the user keeps unsaved changes."""
        from regional_centre.ui.app import application
        from regional_centre.ui.operations import wait_for_background_work

        services = self._services
        if services is None or not self._may_close(
            _("Some forms have changes that are not saved. Change the language anyway?")
        ):
            return None
        wait_for_background_work()
        self._keep_state()
        application(language)
        successor = MainWindow(services, self.settings)
        successor.show()
        self._services = None  # the successor works on the database now
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close()
        return successor
