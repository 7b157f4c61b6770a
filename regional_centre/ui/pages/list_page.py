"""A page with one list of records and the form of the record chosen in it.

The list searches as the user types, filters, sorts by any column (all in the
database), remembers the columns the user hides and the filters last used,
and acts on a selection of rows: delete, change a field, export to a
spreadsheet. Choosing a row opens the record in the editor beside the list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import EngagementStage
from regional_centre.i18n import _, format_number, ngettext
from regional_centre.reports.spreadsheets import Table, write_table
from regional_centre.services import Services
from regional_centre.services.directory import ORGANISATION_LISTS
from regional_centre.services.errors import ServiceError
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.ui.display import CellText
from regional_centre.ui.editors.form import RecordEditor
from regional_centre.ui.edits import Edits, Service
from regional_centre.ui.list_model import ListModel
from regional_centre.ui.messages import confirm, show_error, show_information
from regional_centre.ui.operations import Operation
from regional_centre.ui.pages.filter_bar import FileChooser, FilterBar
from regional_centre.ui.pages.list_printing import directory_button, print_directory
from regional_centre.ui.settings import Settings, list_columns, list_header, list_query

SEARCH_DELAY_MS = 200
EDITOR_DELAY_MS = 100


class ListPage(QWidget):
    """One kind of list beside the editor of the chosen record."""

    #: A message for the status bar (the number of matches, what an action did).
    status_message = Signal(str)
    #: The form asked to open a linked record: list kind (value) and record id.
    open_requested = Signal(str, str)

    def __init__(
        self,
        services: Services,
        edits: Edits,
        settings: Settings,
        kind: Kind,
        editor: RecordEditor | Callable[[], RecordEditor] | None,
        service: Service,
    ) -> None:
        super().__init__()
        self.services = services
        self.edits = edits
        self.settings = settings
        self.kind = kind
        self._editor: RecordEditor | None = None
        self._make_editor = editor if callable(editor) and not isinstance(editor, QWidget) else None
        self.service = service
        self._cells = CellText(services.reference)
        self.model = ListModel(services, kind, self)
        self.filter_bar = FilterBar(services, kind)
        self.view = QTableView()
        self.view.setObjectName(f"{kind.value}_table")
        self.view.setAccessibleName(_("List"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(140)
        # A heading longer than that (French, Russian) gets the width it needs, not clipped.
        for column in range(self.model.columnCount()):
            header.resizeSection(column, max(140, header.sectionSizeHint(column)))
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_menu_requested)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Number of records"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.view, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setToolTip(_("The selected rows, or the whole list, to a spreadsheet"))
        self.export_button.clicked.connect(self.export_selected)
        footer.addWidget(self.export_button)
        self.directory_button: QToolButton | None = None
        if kind in ORGANISATION_LISTS:
            self.directory_button = directory_button(self, self.print_directory)
            footer.addWidget(self.directory_button)
        left_layout.addLayout(footer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        if isinstance(editor, RecordEditor):
            self._place_editor(editor)
        elif self._make_editor is not None:
            # Built a moment later (or when first asked for): the list shows first, and the
            # event loop answers in between.
            self.splitter.addWidget(QWidget())
            self._size_splitter()
            QTimer.singleShot(EDITOR_DELAY_MS, lambda: self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.filter_bar.changed.connect(self._search_timer.start)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.failed.connect(self.status_message)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        edits.changed.connect(self._on_edits_changed)
        self._pending_open: str | None = None
        self._restore_view_settings()

    @property
    def editor(self) -> RecordEditor | None:
        """The form beside the list (built now if it was waiting to be)."""
        if self._editor is None and self._make_editor is not None:
            make, self._make_editor = self._make_editor, None
            placeholder = self.splitter.widget(1)
            self._place_editor(make())
            if placeholder is not None:
                placeholder.hide()
                placeholder.deleteLater()
        return self._editor

    def _place_editor(self, editor: RecordEditor) -> None:
        self._editor = editor
        self.splitter.insertWidget(1, editor)
        self._size_splitter()
        editor.saved.connect(self._on_editor_saved)
        if hasattr(editor, "open_requested"):
            editor.open_requested.connect(self.open_requested)
        editor.new()

    def _size_splitter(self) -> None:
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 460])

    # Settings kept per list.

    @property
    def list_name(self) -> str:
        """The key this list's settings are kept under."""
        return self.kind.value

    def _restore_view_settings(self) -> None:
        header = self.view.horizontalHeader()
        state = self.settings.get(list_header(self.list_name))
        if not state.isEmpty():
            header.restoreState(state)
        hidden = self.settings.get_json(list_columns(self.list_name), None)
        for index, column in enumerate(self.model.columns):
            hide = column.key in hidden if isinstance(hidden, list) else not column.shown
            self.view.setColumnHidden(index, hide)
        saved = self.settings.get_json(list_query(self.list_name), {})
        fields = {f.name for f in dataclasses.fields(ListQuery)}
        try:
            query = ListQuery(**{k: v for k, v in saved.items() if k in fields})
            query = dataclasses.replace(
                query,
                date_from=_date_or_none(query.date_from),
                date_to=_date_or_none(query.date_to),
            )
        except (TypeError, ValueError, AttributeError):
            query = ListQuery()
        self.filter_bar.show_query(query)
        self.model.set_query(dataclasses.replace(query, search=""))
        self.filter_bar.search.clear()

    def save_view_settings(self) -> None:
        """Remember column widths and order, hidden columns and filters."""
        self.settings.set(list_header(self.list_name), self.view.horizontalHeader().saveState())
        hidden = [c.key for i, c in enumerate(self.model.columns) if self.view.isColumnHidden(i)]
        self.settings.set_json(list_columns(self.list_name), hidden)
        query = dataclasses.asdict(dataclasses.replace(self.model.query, search=""))
        self.settings.set_json(list_query(self.list_name), query)

    # Searching and filtering.

    @Slot()
    def apply_filters(self) -> None:
        """Show the rows that match the search box and filters."""
        self._search_timer.stop()
        self.model.set_query(self.filter_bar.query(self.model.query))

    def show_filtered(self, **filters: Any) -> None:
        """Show the list with only ``filters`` applied (e.g. from a chart on the dashboard)."""
        query = dataclasses.replace(ListQuery(sort=self.model.query.sort), **filters)
        self.filter_bar.show_query(query)
        self.model.set_query(query)

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F)."""
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def refresh(self) -> None:
        """Read the list again (F5)."""
        self.model.reload()
        if self.editor is not None:
            self.editor.reload()

    @Slot(int)
    def _on_model_loaded(self, total: int) -> None:
        text = ngettext("{count} record", "{count} records", total).format(
            count=format_number(total)
        )
        self.count_label.setText(text)
        self.status_message.emit(text)
        if self._pending_open is not None:
            row = self.model.row_of(self._pending_open)
            self._pending_open = None
            if row is not None:
                self.view.selectRow(row)

    # Records.

    def selected_ids(self) -> list[str]:
        """The ids of the selected rows, top to bottom."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.record_id(row) for row in rows]

    @Slot()
    def new_record(self) -> None:
        """Start a new record in the editor (Ctrl+N)."""
        if self.editor is not None and self._may_leave_editor():
            self.view.selectionModel().clear()  # the current row too, so a click reopens it
            self.editor.new()

    @Slot()
    def save(self) -> bool:
        """Save the record in the editor (Ctrl+S)."""
        return self.editor.save() if self.editor is not None else False

    def open_record(self, record_id: str) -> bool:
        """Show a record in the editor and select its row (now, or once it is loaded).

        False when the user chose to keep unsaved changes in the form instead.
        """
        if self.editor is not None and self.editor.record_id != record_id:
            if not self._may_leave_editor():
                return False
            self.editor.open(record_id)
        self._select_when_loaded(record_id)
        return True

    def _select_when_loaded(self, record_id: str) -> None:
        row = self.model.row_of(record_id)
        if row is not None and not self.model.loading:
            self._pending_open = None
            self.view.selectRow(row)
        else:
            self._pending_open = record_id

    def _may_leave_editor(self) -> bool:
        if self.editor is None or not self.editor.dirty:
            return True
        return confirm(
            self,
            _("Unsaved changes"),
            _("The form has changes that are not saved. Throw them away?"),
        )

    def _on_current_row_changed(self, current: Any, previous: Any) -> None:
        if self.editor is None or not current.isValid():
            return
        record_id = self.model.record_id(current.row())
        if record_id == self.editor.record_id:
            return
        self._pending_open = None  # the user chose a row: an earlier wish no longer holds
        if self._may_leave_editor():
            self.editor.open(record_id)
        elif previous.isValid():
            # The form keeps its record: so does the selection, or actions would act on another.
            QTimer.singleShot(0, functools.partial(self._reselect, previous.row()))

    def _reselect(self, row: int) -> None:
        selection = self.view.selectionModel()
        selection.blockSignals(True)
        try:
            self.view.selectRow(row)
        finally:
            selection.blockSignals(False)

    @Slot(str)
    def _on_editor_saved(self, record_id: str) -> None:
        self._select_when_loaded(record_id)

    @Slot(str, list)
    def _on_edits_changed(self, entity: str, ids: list[str]) -> None:
        if entity != self.service.entity and not self._shows_entity(entity):
            return
        if entity != self.service.entity:
            # Linked records changed (a participant, an action): the rows showing their
            # counts are not known by id, so the rows loaded are read again.
            self.model.refresh_records(
                [self.model.record_id(row) for row in range(self.model.rowCount())]
            )
        else:
            loaded = [i for i in ids if self.model.row_of(i) is not None]
            still_there = {row.id for row in self.services.lists.rows(self.kind, loaded)}
            filtered = self.model.query != ListQuery(
                sort=self.model.query.sort, descending=self.model.query.descending
            )
            if len(loaded) < len(ids) or set(loaded) != still_there or (loaded and filtered):
                # Records came or went, or may no longer match the search and filters.
                self.model.reload()
            else:
                self.model.refresh_records(loaded)
        if self.editor is not None:
            self.editor.reload()

    def _shows_entity(self, entity: str) -> bool:
        """Whether rows of this list show figures of ``entity`` (counts, flags)."""
        return entity in {
            Kind.PARTNERS: {"contact", "dialogue_participant", "follow_up_action"},
            Kind.SMES: {"contact"},
            Kind.CONTACTS: {"organisation"},
            Kind.DIALOGUES: {"dialogue_participant", "follow_up_action"},
            Kind.PARTNERSHIPS: {"partnership_member", "joint_activity"},
            Kind.ACTIVITIES: {"partnership"},
            Kind.SESSIONS: {"participation", "certificate"},
        }.get(self.kind, set())

    @Slot()
    def delete_selected(self) -> None:
        """Delete the selected records after asking (Delete key); undo brings them back."""
        focus = QApplication.focusWidget()
        if self.editor is not None and focus is not None and self.editor.isAncestorOf(focus):
            return  # the key belongs to the form (a table of linked rows, a text field)
        ids = self.selected_ids()
        if not ids:
            return
        if not confirm(
            self,
            _("Delete"),
            ngettext(
                "Delete the selected record? You can undo this with Ctrl+Z.",
                "Delete the {count} selected records? You can undo this with Ctrl+Z.",
                len(ids),
            ).format(count=len(ids)),
        ):
            return
        try:
            self.edits.delete(self.service, ids)
        except ServiceError as error:
            show_error(self, _("Cannot delete"), str(error))
            return
        self.status_message.emit(
            ngettext("{count} record deleted", "{count} records deleted", len(ids)).format(
                count=len(ids)
            )
        )

    def change_selected(self, **fields: Any) -> None:
        """Give every selected record the same values (e.g. an engagement stage)."""
        ids = self.selected_ids()
        if not ids:
            return
        try:
            self.edits.change_many(self.service, ids, **fields)
        except ServiceError as error:
            show_error(self, _("Cannot change the records"), str(error))
            return
        self.status_message.emit(
            ngettext("{count} record changed", "{count} records changed", len(ids)).format(
                count=len(ids)
            )
        )

    @Slot()
    def export_selected(self) -> None:
        """Write the selected rows (or, with none selected, every matching row) to a spreadsheet."""
        ids = self.selected_ids()
        path = FileChooser.ask(self, _("Export to a spreadsheet"), f"{self.list_name}.xlsx")
        if path is None:
            return
        columns = [c for i, c in enumerate(self.model.columns) if not self.view.isColumnHidden(i)]
        positions = [self.model.columns.index(c) for c in columns]
        lists, kind, query, cells = self.services.lists, self.kind, self.model.query, self._cells

        def work(progress: Callable[[int, int], None]) -> int:
            if ids:
                rows = lists.rows(kind, ids)
            else:
                rows = lists.page(kind, query, 0, lists.count(kind, query))
            table = Table(
                title=self.list_name,
                headings=[_(c.label) for c in columns],
                rows=(
                    [
                        cells.export_value(c, row.values[p])
                        for c, p in zip(columns, positions, strict=True)
                    ]
                    for row in rows
                ),
                total=len(rows),
            )
            return write_table(path, table, progress)

        def done(count: int) -> None:
            show_information(
                self,
                _("Export finished"),
                ngettext(
                    "{count} row written to {path}.", "{count} rows written to {path}.", count
                ).format(count=format_number(count), path=path),
            )

        Operation(self, work).success(done).with_progress(_("Exporting…")).run_in_background()

    def print_directory(self, language: str) -> None:
        """Preview the organisations the list shows, with their people, as a PDF in ``language``."""
        print_directory(self, self.services, self.kind, self.model.query, language)

    # Menus.

    def bulk_actions(self) -> list[QAction]:
        """The actions on the selected rows (subclasses add their own)."""
        delete = QAction(_("Delete selected"), self)
        delete.triggered.connect(self.delete_selected)
        export = QAction(_("Export to spreadsheet…"), self)
        export.triggered.connect(self.export_selected)
        actions = [export, delete]
        if self.kind in (Kind.PARTNERS, Kind.SMES, Kind.ORGANISATIONS):
            for stage in EngagementStage:
                action = QAction(_("Set stage: {stage}").format(stage=stage.label()), self)
                action.triggered.connect(
                    lambda _checked=False, s=stage: self.change_selected(engagement_stage=s)
                )
                actions.append(action)
        return actions

    @Slot(QPoint)
    def _on_view_menu_requested(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in self.bulk_actions():
            menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    @Slot(QPoint)
    def _on_header_menu_requested(self, position: QPoint) -> None:
        menu = self.columns_menu()
        menu.exec(self.view.horizontalHeader().mapToGlobal(position))

    def columns_menu(self) -> QMenu:
        """A menu of check boxes to show or hide each column."""
        menu = QMenu(_("Columns"), self)
        for index, column in enumerate(self.model.columns):
            action = menu.addAction(_(column.label))
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(index))
            action.toggled.connect(lambda shown, i=index: self.set_column_shown(i, shown))
        return menu

    def set_column_shown(self, index: int, shown: bool) -> None:
        """Show or hide a column and remember the choice."""
        self.view.setColumnHidden(index, not shown)
        self.save_view_settings()


def _date_or_none(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None
