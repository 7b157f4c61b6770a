"""Records that belong to the one a form shows (members, contributions, actions...).

``ChildRecords`` lists them in a table with a small form to add one; they are
created and deleted through ``Edits``, so Ctrl+Z undoes them, and a refused one
shows the services' messages next to the fields of that small form.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import ContributionKind
from regional_centre.i18n import _, format_number, ngettext
from regional_centre.services.engagement import (
    ContributionRecord,
)
from regional_centre.services.errors import Problem, ServiceError, ValidationError
from regional_centre.services.listing import Kind
from regional_centre.ui.editors.fields import (
    ChoiceField,
    FieldEditor,
    LineField,
    RecordField,
)
from regional_centre.ui.editors.form import RecordForm
from regional_centre.ui.edits import Edits, Service
from regional_centre.ui.messages import confirm, show_error

if TYPE_CHECKING:
    from regional_centre.services import Services

ID_ROLE = Qt.ItemDataRole.UserRole


def link_problems(
    form: RecordForm, values: dict[str, Any], required: Iterable[str] = ()
) -> ValidationError | None:
    """Pickers of ``form`` whose text names no record (or empty though ``required``), as problems.

    ``values`` are the form's values, read once: reading a picker again may lose what was typed.
    """
    problems = []
    for name, field in form.fields.items():
        if not isinstance(field, RecordField):
            continue
        value = values.get(name)
        if value == "":
            message = _("No record matches what you typed; choose one from the list.")
            problems.append(Problem(name, message))
        elif value is None and name in required:
            problems.append(Problem(name, _("Choose one from the list.")))
    return ValidationError(problems) if problems else None


def first_line(text: str) -> str:
    """The first line of a longer text, for a table cell."""
    return text.strip().split("\n", 1)[0]


class ChildRecords(QWidget):
    """Records belonging to the one an editor shows: a table, and a small form to add one."""

    #: The user activated a row: the id of its record.
    activated = Signal(str)

    def __init__(
        self,
        edits: Edits,
        service: Service,
        parent_field: str,
        fields: dict[str, FieldEditor],
        headings: Sequence[str],
        cells: Callable[[Any], list[str]],
        load: Callable[[str], Sequence[Any]],
        *,
        add_title: str,
        waiting_hint: str,
        required_links: Iterable[str] = (),
        also_shows: Iterable[str] = (),
        numbers: Iterable[int] = (),
    ) -> None:
        super().__init__()
        self.edits = edits
        self.service = service
        self.parent_field = parent_field
        self.parent_id: str | None = None
        self.records: list[Any] = []
        self._cells = cells
        self._load = load
        self._required_links = frozenset(required_links)
        self._entities = {service.entity, *also_shows}
        self._numbers = tuple(numbers)
        self.summarize: Callable[[Sequence[Any]], str] | None = None
        self.table = QTreeWidget()
        self.table.setObjectName(f"{service.entity}_table")
        self.table.setAccessibleName(add_title)
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setHeaderLabels(list(headings))
        self.table.setColumnWidth(0, 200)
        self.table.itemActivated.connect(self._on_table_item_activated)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.hide()
        self.remove_button = QPushButton(_("Remove selected"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_selected)
        self.hint = QLabel(waiting_hint)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.form = RecordForm(service.entity, fields)
        self.add_button = QPushButton(_("Add"))
        self.add_button.clicked.connect(self.add)
        self.adding = QGroupBox(add_title)
        adding_layout = QVBoxLayout(self.adding)
        adding_layout.addWidget(self.form)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        adding_layout.addLayout(add_row)
        adding_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.adding)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        below = QHBoxLayout()
        below.addWidget(self.summary, 1)
        below.addStretch(0)
        below.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        top_layout.addLayout(below)
        top_layout.addWidget(self.hint)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        edits.changed.connect(self._on_edits_changed)
        self.set_parent(None)

    def set_parent(self, parent_id: str | None) -> None:
        """Show the records of ``parent_id`` (None: a record not saved yet, nothing to add to)."""
        if parent_id != self.parent_id:
            self.reset_form()
        self.parent_id = parent_id
        self.hint.setVisible(parent_id is None)
        self.adding.setEnabled(parent_id is not None)
        self.reload()

    def reset_form(self) -> None:
        """Empty the small form and its messages."""
        empty = {f.name: f.default for f in dataclasses.fields(self.service.draft_type)}
        self.form.set_values({k: None if v is dataclasses.MISSING else v for k, v in empty.items()})
        self.form.clear_problems()

    def reload(self) -> None:
        """Read the records again."""
        self.records = list(self._load(self.parent_id)) if self.parent_id is not None else []
        selected = set(self.selected_ids())
        self.table.clear()
        for record in self.records:
            item = QTreeWidgetItem(self._cells(record))
            item.setData(0, ID_ROLE, record.id)
            for column in self._numbers:
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.table.addTopLevelItem(item)
            item.setSelected(record.id in selected)
        for column in range(self.table.columnCount() - 1):
            self.table.resizeColumnToContents(column)
            width = self.table.columnWidth(column)
            self.table.setColumnWidth(column, min(max(width + 12, 80), 260))
        text = self.summarize(self.records) if self.summarize is not None else ""
        self.summary.setText(text)
        self.summary.setVisible(bool(text))

    def selected_ids(self) -> list[str]:
        """The ids of the selected rows."""
        return [item.data(0, ID_ROLE) for item in self.table.selectedItems()]

    @Slot()
    def add(self) -> bool:
        """Add a record with what the small form holds; on refusal show why next to its fields."""
        if self.parent_id is None:
            return False
        values = self.form.values()
        try:
            problems = link_problems(self.form, values, self._required_links)
            if problems is not None:
                raise problems
            draft = self.service.draft_type(**{self.parent_field: self.parent_id, **values})
            self.edits.create(self.service, draft)
        except ValidationError as error:
            self._show_problems(error)
            return False
        except (TypeError, ValueError) as error:  # a value the draft cannot even hold
            self._show_problems(ValidationError.single("", str(error)))
            return False
        self.reset_form()
        return True

    def _show_problems(self, error: ValidationError) -> None:
        """Show the messages, giving the small form the room they take (the table gives way)."""
        self.form.show_problems(error)
        self.adding.adjustSize()
        total = sum(self.splitter.sizes())
        wanted = min(self.adding.sizeHint().height() + 4, total * 2 // 3)
        if self.splitter.sizes()[1] < wanted:
            self.splitter.setSizes([total - wanted, wanted])

    @Slot()
    def remove_selected(self) -> None:
        """Delete the selected records after asking; undo brings them back."""
        remove_rows(self, self.edits, self.service, self.selected_ids())

    @Slot(str, list)
    def _on_edits_changed(self, entity: str, _ids: list[str]) -> None:
        if entity in self._entities and self.parent_id is not None:
            self.reload()

    @Slot()
    def _on_table_item_selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectedItems()))

    @Slot(QTreeWidgetItem, int)
    def _on_table_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.activated.emit(item.data(0, ID_ROLE))


def contribution_totals(contributions: Sequence[ContributionRecord]) -> str:
    """The amounts contributed, one line per currency."""
    totals: dict[str, decimal.Decimal] = {}
    for contribution in contributions:
        if contribution.amount is not None and contribution.currency:
            currency = contribution.currency
            totals[currency] = totals.get(currency, decimal.Decimal(0)) + contribution.amount
    return "\n".join(
        _("Total in {currency}: {amount}").format(currency=currency, amount=format_number(amount))
        for currency, amount in sorted(totals.items())
    )


def contributions_table(
    services: Services,
    edits: Edits,
    parent_field: str,
    load: Callable[[str], Sequence[ContributionRecord]],
    *,
    offered: Kind,
    currency_hint: str,
    add_title: str,
    waiting_hint: str,
) -> ChildRecords:
    """Partners' cash or in-kind contributions to the record shown, with totals per currency."""

    def cells(contribution: ContributionRecord) -> list[str]:
        name = services.lists.label(Kind.ORGANISATIONS, contribution.organisation_id)
        amount = contribution.amount
        return [
            name or contribution.organisation_id,
            contribution.kind.label(),
            format_number(amount) if amount is not None else "",
            contribution.currency or "",
            first_line(contribution.description),
        ]

    table = ChildRecords(
        edits,
        services.contributions,
        parent_field,
        {
            "organisation_id": RecordField(services, offered),
            "kind": ChoiceField(ContributionKind),
            "amount": LineField(empty_is_none=True),
            "currency": LineField(placeholder=currency_hint),
            "description": LineField(),
        },
        [_("Organisation"), _("Kind"), _("Amount"), _("Currency"), _("Description")],
        cells,
        load,
        add_title=add_title,
        waiting_hint=waiting_hint,
        required_links=["organisation_id"],
        also_shows=["organisation"],
        numbers=[2],
    )
    table.summarize = contribution_totals
    return table


def remove_rows(parent: QWidget, edits: Edits, service: Service, ids: Sequence[str]) -> None:
    """Delete the records of the selected rows after asking; undo brings them back."""
    if not ids or not confirm(
        parent,
        _("Remove"),
        ngettext(
            "Remove the selected row? You can undo this with Ctrl+Z.",
            "Remove the {count} selected rows? You can undo this with Ctrl+Z.",
            len(ids),
        ).format(count=len(ids)),
    ):
        return
    try:
        edits.delete(service, ids)
    except ServiceError as error:
        show_error(parent, _("Cannot remove"), str(error))
