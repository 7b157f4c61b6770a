"""Pages made of record lists: one list, or several in tabs (e.g. organisations and people)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from regional_centre.services.listing import Kind
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.list_page import ListPage


class Later:
    """A tab built only when it is first shown (or a record of its kind is opened)."""

    def __init__(self, build: Callable[[], QWidget], kind: Kind | None = None) -> None:
        self.build = build
        self.kind = kind


Tab = QWidget | Later


class RecordsPage(Page):
    """One or more lists with their forms; the window's actions go to the list shown.

    Tabs given as ``Later(build, kind)`` are built when first needed, so that a
    page with several lists opens as fast as one with a single list.
    """

    def __init__(
        self, lists: Sequence[tuple[str, Tab]], extra: Sequence[tuple[str, Tab]] = ()
    ) -> None:
        super().__init__()
        self.lists: list[ListPage] = []
        self._later: dict[QWidget, Later] = {}
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for title, tab in [*lists, *extra]:
            if isinstance(tab, Later):
                placeholder = QWidget()
                self._later[placeholder] = tab
                self.tabs.addTab(placeholder, title)
            else:
                self.tabs.addTab(tab, title)
                self._adopt(tab)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if len(lists) + len(extra) == 1:
            self.tabs.tabBar().hide()
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    def _adopt(self, widget: QWidget) -> None:
        """Connect a built tab to the page."""
        if isinstance(widget, ListPage):
            self.lists.append(widget)
            widget.status_message.connect(self._on_list_status_message)
            widget.open_requested.connect(self.open_requested)
        elif hasattr(widget, "open_requested"):
            widget.open_requested.connect(self.open_requested)

    def _build(self, placeholder: QWidget) -> QWidget:
        """Build a tab that was waiting to be needed, in its place."""
        later = self._later.pop(placeholder)
        index = self.tabs.indexOf(placeholder)
        widget = later.build()
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        try:
            self.tabs.insertTab(index, widget, self.tabs.tabText(index))
            self.tabs.removeTab(index + 1)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        placeholder.deleteLater()
        self._adopt(widget)
        return widget

    def current_list(self) -> ListPage | None:
        """The list shown, if the tab shown is a list."""
        widget = self.tabs.currentWidget()
        if widget in self._later:
            widget = self._build(widget)
        return widget if isinstance(widget, ListPage) else None

    def list_of(self, kind: Kind) -> ListPage | None:
        """The list of ``kind`` on this page (built if it was waiting)."""
        page = next((page for page in self.lists if page.kind is kind), None)
        if page is None:
            waiting = next((p for p, later in self._later.items() if later.kind is kind), None)
            if waiting is not None:
                built = self._build(waiting)
                page = built if isinstance(built, ListPage) else None
        return page

    @Slot(str)
    def _on_list_status_message(self, message: str) -> None:
        if self.sender() is self.current_list():
            self.status_message.emit(message)

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() in self._later:
            self._build(self.tabs.currentWidget())
        current = self.current_list()
        if current is not None:
            current.status_message.emit(current.count_label.text())
        else:
            self.status_message.emit("")  # nothing counted on this tab

    def new_record(self) -> None:
        if (page := self.current_list()) is not None:
            page.new_record()

    def save(self) -> bool:
        page = self.current_list()
        return page.save() if page is not None else False

    def delete_selected(self) -> None:
        if (page := self.current_list()) is not None:
            page.delete_selected()

    def focus_search(self) -> None:
        if (page := self.current_list()) is not None:
            page.focus_search()

    def refresh(self) -> None:
        for page in self.lists:
            page.refresh()

    def has_unsaved_changes(self) -> bool:
        return any(p.editor is not None and p.editor.dirty for p in self.lists)

    def open_record(self, kind: str, record_id: str) -> bool:
        page = self.list_of(Kind(kind))
        if page is None:
            return False
        self.tabs.setCurrentWidget(page)
        page.open_record(record_id)
        return True

    def save_view_settings(self) -> None:
        for page in self.lists:
            page.save_view_settings()

    def smoke_test(self) -> None:
        for index in range(self.tabs.count()):
            self.tabs.setCurrentIndex(index)  # builds a tab that was waiting
            page = self.current_list()
            if page is not None and page.editor is not None:
                page.editor.new()
                if page.model.rowCount():
                    page.open_record(page.model.record_id(0))
