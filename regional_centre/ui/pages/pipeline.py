"""The partner pipeline: a board with a column per engagement stage, and partners moved along it.

Each column shows the first partners (non-SME organisations) at its stage, by
name, read a page at a time from the database: never every row. Moving a
partner to the next or previous stage is an edit like any other, so Ctrl+Z
undoes it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import EngagementStage
from regional_centre.i18n import _, format_number, ngettext, pgettext
from regional_centre.services import Services
from regional_centre.services.errors import ServiceError
from regional_centre.services.listing import Kind, ListQuery, ListRow
from regional_centre.ui.edits import Edits
from regional_centre.ui.messages import show_error
from regional_centre.ui.operations import run_query

log = logging.getLogger(__name__)

SHOWN_PER_STAGE = 200
SEARCH_DELAY_MS = 200
ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE_COLOUR = "#c62828"
STAGES = tuple(EngagementStage)
# Changes to these records can move a partner, rename it or change its overdue flag.
WATCHED = frozenset({"organisation", "contact", "dialogue_participant", "follow_up_action"})


@dataclass(frozen=True)
class StageRows:
    """What one column shows: how many partners are at the stage, and the first of them."""

    stage: EngagementStage
    total: int
    rows: list[ListRow]


class StageColumn(QFrame):
    """One stage of the pipeline: a heading with its count, its partners, and how many more."""

    def __init__(self, stage: EngagementStage) -> None:
        super().__init__()
        self.stage = stage
        self.total = 0
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.list = QListWidget()
        self.list.setObjectName(f"stage_{stage.value}")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.heading.setBuddy(self.list)
        self.more = QLabel()
        self.more.setObjectName("more")
        self.more.setWordWrap(True)
        self.more.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.more)
        self.show_rows(StageRows(stage, 0, []), {})

    def show_rows(self, contents: StageRows, keys: dict[str, int]) -> None:
        """Show the partners of ``contents``; ``keys`` gives the position of each list column."""
        self.total = contents.total
        title = _("{stage} ({count})").format(
            stage=self.stage.label(), count=format_number(contents.total)
        )
        self.heading.setText(title)
        self.list.setAccessibleName(
            ngettext(
                "{stage}: {count} partner", "{stage}: {count} partners", contents.total
            ).format(stage=self.stage.label(), count=format_number(contents.total))
        )
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for row in contents.rows:
                self.list.addItem(partner_item(row, keys))
        finally:
            self.list.blockSignals(False)
        hidden = contents.total - len(contents.rows)
        self.more.setText(
            ngettext(
                "and {count} more: search to narrow the list",
                "and {count} more: search to narrow the list",
                hidden,
            ).format(count=format_number(hidden))
        )
        self.more.setVisible(hidden > 0)

    def item_of(self, partner_id: str) -> QListWidgetItem | None:
        """The item showing ``partner_id``, if it is among those shown."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == partner_id:
                return item
        return None


def partner_item(row: ListRow, keys: dict[str, int]) -> QListWidgetItem:
    """A partner as the board shows it: name (acronym), city, and the overdue flag."""
    values = row.values
    name, acronym = values[keys["name"]], values[keys["acronym"]]
    lines = [f"{name} ({acronym})" if acronym else str(name)]
    if values[keys["city"]]:
        lines.append(str(values[keys["city"]]))
    item = QListWidgetItem()
    item.setData(ID_ROLE, row.id)
    if values[keys["overdue"]]:
        lines.append(_("⚠ overdue follow-up"))
        item.setForeground(QBrush(QColor(OVERDUE_COLOUR)))
        item.setToolTip(
            _("An action agreed in a dialogue with {name} is past its due date.").format(name=name)
        )
    else:
        item.setToolTip(str(name))
    item.setText("\n".join(lines))
    return item


class PipelineBoard(QWidget):
    """Partners by engagement stage (identified, dialogue, partnership, joint activity)."""

    #: The user asked to open a partner: list kind (value) and id.
    open_requested = Signal(str, str)
    #: The columns were read again and are shown.
    loaded = Signal()

    def __init__(self, services: Services, edits: Edits) -> None:
        super().__init__()
        self.services = services
        self.edits = edits
        self._keys = {c.key: i for i, c in enumerate(services.lists.columns(Kind.PARTNERS))}
        self._generation = 0
        self._pending_select: str | None = None
        self.loading = False
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Search partners, people and codes"))
        self.search.setAccessibleName(_("Search"))
        self.back_action = self._action(
            _("◀ Move back"), "Ctrl+Left", _("Move the selected partner to the previous stage")
        )
        self.back_action.triggered.connect(self.move_back)
        self.forward_action = self._action(
            _("Move forward ▶"), "Ctrl+Right", _("Move the selected partner to the next stage")
        )
        self.forward_action.triggered.connect(self.move_forward)
        self.open_action = QAction(pgettext("verb", "Open"), self)
        self.open_action.setToolTip(_("Open the selected partner (Enter or double-click)"))
        self.open_action.triggered.connect(self.open_selected)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for action in (self.back_action, self.forward_action, self.open_action):
            button = QToolButton()
            button.setDefaultAction(action)
            top.addWidget(button)
        self.columns = [StageColumn(stage) for stage in STAGES]
        board = QHBoxLayout()
        for column in self.columns:
            board.addWidget(column, 1)
            column.list.itemSelectionChanged.connect(self._on_list_item_selection_changed)
            column.list.itemActivated.connect(self._on_list_item_activated)
        self.status = QLabel(
            _(
                "Select a partner and press Ctrl+Right or Ctrl+Left to move it along; "
                "double-click or Enter opens it."
            )
        )
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(board, 1)
        layout.addWidget(self.status)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._search_timer.start)
        edits.changed.connect(self._on_edits_changed)
        self._update_actions()
        self.reload()

    def _action(self, text: str, keys: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(keys).toString()})")
        self.addAction(action)
        return action

    # Reading.

    @Slot()
    def reload(self) -> None:
        """Read every column again (in the background) for the search text shown."""
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        self.loading = True
        lists, search = self.services.lists, self.search.text()

        def work() -> list[StageRows]:
            result = []
            for stage in STAGES:
                query = ListQuery(search=search, engagement_stage=stage.value)
                rows = lists.page(Kind.PARTNERS, query, 0, SHOWN_PER_STAGE)
                total = len(rows)
                if total == SHOWN_PER_STAGE:
                    total = lists.count(Kind.PARTNERS, query)
                result.append(StageRows(stage, total, rows))
            return result

        run_query(
            work,
            lambda result: self._on_loaded(generation, result),
            lambda error: self._on_failed(generation, error),
        )

    def _on_loaded(self, generation: int, result: list[StageRows]) -> None:
        if generation != self._generation:
            return
        self.loading = False
        selected = self._pending_select or self.selected_id()
        self._pending_select = None
        for column, contents in zip(self.columns, result, strict=True):
            column.show_rows(contents, self._keys)
        if selected is not None:
            self.select(selected)
        self._update_actions()
        self.loaded.emit()

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        log.error("loading the pipeline failed", exc_info=(type(error), error, error.__traceback__))
        self.status.setText(_("The pipeline could not be loaded: {error}").format(error=error))

    @Slot(str, list)
    def _on_edits_changed(self, entity: str, _ids: list[str]) -> None:
        if entity in WATCHED:
            self.reload()

    # Choosing.

    def column_of(self, stage: EngagementStage) -> StageColumn:
        """The column of ``stage``."""
        return self.columns[STAGES.index(stage)]

    def selected(self) -> tuple[StageColumn, str] | None:
        """The column and id of the selected partner."""
        for column in self.columns:
            items = column.list.selectedItems()
            if items:
                return column, items[0].data(ID_ROLE)
        return None

    def selected_id(self) -> str | None:
        """The id of the selected partner."""
        chosen = self.selected()
        return chosen[1] if chosen is not None else None

    def select(self, partner_id: str) -> bool:
        """Select a partner (if it is shown) and give its column the keyboard focus."""
        for column in self.columns:
            item = column.item_of(partner_id)
            if item is not None:
                column.list.setCurrentItem(item)
                item.setSelected(True)
                column.list.scrollToItem(item)
                if self.isVisible():
                    column.list.setFocus()
                return True
        return False

    @Slot()
    def _on_list_item_selection_changed(self) -> None:
        source = self.sender()
        if isinstance(source, QListWidget) and source.selectedItems():
            for column in self.columns:
                if column.list is not source:
                    column.list.blockSignals(True)
                    column.list.clearSelection()
                    column.list.blockSignals(False)
                    column.list.viewport().update()
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = self.selected()
        position = STAGES.index(chosen[0].stage) if chosen is not None else None
        self.back_action.setEnabled(position is not None and position > 0)
        self.forward_action.setEnabled(position is not None and position < len(STAGES) - 1)
        self.open_action.setEnabled(chosen is not None)

    # Acting.

    @Slot()
    def move_forward(self) -> bool:
        """Move the selected partner to the next stage (Ctrl+Right)."""
        return self.move_by(1)

    @Slot()
    def move_back(self) -> bool:
        """Move the selected partner to the previous stage (Ctrl+Left)."""
        return self.move_by(-1)

    def move_by(self, step: int) -> bool:
        """Move the selected partner ``step`` stages along; whether it moved."""
        chosen = self.selected()
        if chosen is None:
            return False
        column, partner_id = chosen
        position = STAGES.index(column.stage) + step
        if not 0 <= position < len(STAGES):
            return False
        stage = STAGES[position]
        self._pending_select = partner_id
        try:
            record = self.edits.change(
                self.services.organisations, partner_id, engagement_stage=stage
            )
        except ServiceError as error:
            self._pending_select = None
            show_error(self, _("Cannot move the partner"), str(error))
            return False
        self.status.setText(
            _("{name} moved to “{stage}”. Ctrl+Z undoes it.").format(
                name=record.name, stage=stage.label()
            )
        )
        return True

    @Slot()
    def open_selected(self) -> None:
        """Open the selected partner on its form (Return)."""
        partner_id = self.selected_id()
        if partner_id is not None:
            self.open_requested.emit(Kind.PARTNERS.value, partner_id)

    @Slot(QListWidgetItem)
    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(Kind.PARTNERS.value, item.data(ID_ROLE))

    def shown_names(self, stage: EngagementStage) -> list[str]:
        """The first line of each partner shown at ``stage`` (for tests and screen readers)."""
        column = self.column_of(stage)
        return [column.list.item(row).text().split("\n")[0] for row in range(column.list.count())]

    def item_text(self, partner_id: str) -> str | None:
        """The whole text shown for a partner, or None when it is not shown."""
        for column in self.columns:
            item = column.item_of(partner_id)
            if item is not None:
                return item.text()
        return None
