"""Pages made of record lists: one list, or several in tabs (e.g. organisations and people)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from regional_centre.services.listing import Kind
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.list_page import ListPage


class RecordsPage(Page):
    """One or more lists with their forms; the window's actions go to the list shown."""

    def __init__(
        self, lists: Sequence[tuple[str, ListPage]], extra: Sequence[tuple[str, QWidget]] = ()
    ) -> None:
        super().__init__()
        self.lists = [page for _title, page in lists]
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for title, page in lists:
            self.tabs.addTab(page, title)
            page.status_message.connect(self._on_list_status_message)
            editor = page.editor
            if editor is not None and hasattr(editor, "open_requested"):
                editor.open_requested.connect(self.open_requested)
        for title, widget in extra:
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if len(lists) + len(extra) == 1:
            self.tabs.tabBar().hide()
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    def current_list(self) -> ListPage | None:
        """The list shown, if the tab shown is a list."""
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ListPage) else None

    def list_of(self, kind: Kind) -> ListPage | None:
        """The list of ``kind`` on this page."""
        return next((page for page in self.lists if page.kind is kind), None)

    @Slot(str)
    def _on_list_status_message(self, message: str) -> None:
        if self.sender() is self.current_list():
            self.status_message.emit(message)

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        current = self.current_list()
        if current is not None:
            current.status_message.emit(current.count_label.text())

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
        for page in self.lists:
            self.tabs.setCurrentWidget(page)
            if page.editor is not None:
                page.editor.new()
                if page.model.rowCount():
                    page.open_record(page.model.record_id(0))
