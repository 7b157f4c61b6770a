"""The form of a scoping dialogue: who took part in it, and the follow-up actions agreed.

Participants and follow-up actions are records of their own. They are added,
changed and removed through ``Edits`` (so Ctrl+Z undoes them), only once the
dialogue itself is saved; a refused one shows the services' messages next to
the fields of the small form that asked for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
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

from regional_centre.enums import ActionStatus, DialogueFormat, StakeholderType
from regional_centre.i18n import N_, _, format_day, ngettext
from regional_centre.services import Services
from regional_centre.services.engagement import (
    DialogueParticipantDraft,
    DialogueParticipantRecord,
    FollowUpActionDraft,
    FollowUpActionRecord,
)
from regional_centre.services.errors import Problem, ServiceError, ValidationError
from regional_centre.services.listing import Kind
from regional_centre.services.reference import LIFECYCLE_STAGE
from regional_centre.ui.collation import sorted_by_text
from regional_centre.ui.editors.children import remove_rows
from regional_centre.ui.editors.fields import (
    ChoiceField,
    CodeField,
    CodesField,
    DateField,
    FieldEditor,
    LineField,
    RecordField,
    TextField,
    code_entries,
    line_of,
)
from regional_centre.ui.editors.form import RecordForm
from regional_centre.ui.editors.organisations import (
    LinkedRecordsEditor,
    country_entries,
    waste_stream_entries,
)
from regional_centre.ui.edits import Edits, Service
from regional_centre.ui.messages import show_error

ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE_COLOUR = "#c62828"
STATUS_COLUMN = 1  # of the follow-up actions table
NO_MATCH = N_("No record matches what you typed; choose one from the list.")


def today() -> dt.date:
    """The date actions are overdue against."""
    return dt.date.today()


def chosen_record(field: RecordField) -> str | None:
    """The id of the record a picker shows, without searching again (None while typing)."""
    combo = field.combo
    text = combo.currentText().strip()
    index = combo.currentIndex()
    if index < 0 or combo.itemText(index) != text:
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    data = combo.itemData(index) if index >= 0 else None
    return str(data) if data else None


def names(services: Services, kind: Kind, ids: Sequence[str], *keys: str) -> dict[str, list[Any]]:
    """The values of columns ``keys`` of list ``kind`` for the records ``ids``, by id."""
    positions = [[c.key for c in services.lists.columns(kind)].index(k) for k in keys]
    rows = services.lists.rows(kind, list(dict.fromkeys(ids)))
    return {row.id: [row.values[p] for p in positions] for row in rows}


class DialogueRecords(QWidget):
    """A tab of the dialogue form: a table, actions on its rows, and a small form below.

    Until the dialogue is saved the form is disabled and a hint says why.
    """

    #: The number of records shown changed; carries the tab's new title.
    retitled = Signal(str)

    def __init__(
        self, edits: Edits, service: Service, headings: Sequence[str], title: str, hint: str
    ) -> None:
        super().__init__()
        self.edits = edits
        self.service = service
        self.dialogue_id: str | None = None
        # Names of organisations and people show in the tables too.
        self._entities = {service.entity, "organisation", "contact"}
        self.table = QTreeWidget()
        self.table.setObjectName(f"{service.entity}_table")
        self.table.setAccessibleName(title)
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setUniformRowHeights(True)
        self.table.setHeaderLabels(list(headings))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.row_buttons = QHBoxLayout()
        self.row_buttons.addStretch(1)
        self.remove_button = QPushButton(_("Remove selected"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.row_buttons.addWidget(self.remove_button)
        self.hint = QLabel(hint)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.adding = QGroupBox()
        self.adding_layout = QVBoxLayout(self.adding)
        self.form_buttons = QHBoxLayout()
        self.form_buttons.addStretch(1)
        self.add_button = QPushButton(_("Add"))
        self.form_buttons.addWidget(self.add_button)
        edits.changed.connect(self._on_edits_changed)

    def lay_out(self, form: RecordForm) -> None:
        """Put the table above the small form (called once the subclass made the form)."""
        self.form = form
        self.adding_layout.addWidget(form)
        self.adding_layout.addLayout(self.form_buttons)
        self.adding_layout.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(self.row_buttons)
        top_layout.addWidget(self.hint)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.adding)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.set_dialogue(None)

    def set_dialogue(self, dialogue_id: str | None) -> None:
        """Show the records of a dialogue (None: one not saved yet, nothing to add to)."""
        if dialogue_id != self.dialogue_id:
            self.table.clearSelection()
            self.reset_form()
        self.dialogue_id = dialogue_id
        self.hint.setVisible(dialogue_id is None)
        self.adding.setEnabled(dialogue_id is not None)
        self.add_button.setEnabled(dialogue_id is not None)
        self.reload()

    def reset_form(self) -> None:
        """Empty the small form and hide its messages."""
        empty = {f.name: f.default for f in dataclasses.fields(self.service.draft_type)}
        self.form.set_values({k: None if v is dataclasses.MISSING else v for k, v in empty.items()})
        self.form.clear_problems()

    def reload(self) -> None:
        """Read the records of the dialogue again and show them."""
        raise NotImplementedError

    def selected_ids(self) -> list[str]:
        """The ids of the selected rows, top to bottom."""
        items = sorted(self.table.selectedItems(), key=self.table.indexOfTopLevelItem)
        return [item.data(0, ID_ROLE) for item in items]

    def add_record(self, draft: Any) -> bool:
        """Add a record; on refusal show why next to the fields."""
        try:
            self.edits.create(self.service, draft)
        except ValidationError as error:
            self.show_problems(error)
            return False
        self.reset_form()
        return True

    def show_problems(self, error: ValidationError) -> None:
        """Show the services' messages next to the fields of the small form."""
        self.form.show_problems(error)

    def fill(self, rows: Sequence[tuple[str, list[str]]]) -> None:
        """Show ``rows`` (id, cells), keeping the selection, without announcing a change."""
        selected = set(self.selected_ids())
        self.table.blockSignals(True)
        try:
            self.table.clear()
            for record_id, cells in rows:
                item = QTreeWidgetItem(cells)
                item.setData(0, ID_ROLE, record_id)
                self.table.addTopLevelItem(item)
                item.setSelected(record_id in selected)
        finally:
            self.table.blockSignals(False)
        for column in range(self.table.columnCount() - 1):
            self.table.resizeColumnToContents(column)
            width = self.table.columnWidth(column)
            self.table.setColumnWidth(column, min(max(width + 12, 80), 240))
        self._on_table_item_selection_changed()

    @Slot()
    def remove_selected(self) -> None:
        """Delete the selected records after asking; undo brings them back."""
        remove_rows(self, self.edits, self.service, self.selected_ids())

    @Slot()
    def _on_table_item_selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectedItems()))

    @Slot(str, list)
    def _on_edits_changed(self, entity: str, _ids: list[str]) -> None:
        if entity in self._entities and self.dialogue_id is not None:
            self.reload()


class ParticipantsTab(DialogueRecords):
    """The organisations, and people of them, who took part in the dialogue."""

    #: Open a participant on its page: list kind (value) and id.
    open_requested = Signal(str, str)

    def __init__(self, services: Services, edits: Edits) -> None:
        super().__init__(
            edits,
            services.dialogue_participants,
            [_("Organisation"), _("Person")],
            _("Participants"),
            _("Save the dialogue first, then add who took part."),
        )
        self.adding.setTitle(_("Add a participant"))
        self.services = services
        self.records: list[DialogueParticipantRecord] = []
        self._kinds: dict[str, tuple[Kind, str]] = {}
        self.organisation = RecordField(services, Kind.ORGANISATIONS)
        self.person = RecordField(services, Kind.CONTACTS)
        self.person.setToolTip(_("Optional: one of the organisation's people"))
        form = RecordForm(
            services.dialogue_participants.entity,
            {"organisation_id": self.organisation, "contact_id": self.person},
        )
        self.table.itemActivated.connect(self._on_table_item_activated)
        self.lay_out(form)
        line_of(self.organisation.combo).textChanged.connect(self._on_organisation_text_changed)
        self.add_button.clicked.connect(self.add)
        self._on_organisation_text_changed()

    @Slot(str)
    def _on_organisation_text_changed(self, _text: str = "") -> None:
        organisation_id = chosen_record(self.organisation)
        self.person.setEnabled(organisation_id is not None)
        if organisation_id != self.person.within:
            self.person.within = organisation_id  # offer only that organisation's people
            self.person.set_value(None)

    def reset_form(self) -> None:
        super().reset_form()
        self._on_organisation_text_changed()

    def reload(self) -> None:
        """Read the participants again, by organisation name."""
        service = self.services.dialogue_participants
        self.records = service.for_dialogue(self.dialogue_id) if self.dialogue_id else []
        organisations = names(
            self.services,
            Kind.ORGANISATIONS,
            [r.organisation_id for r in self.records],
            "name",
            "stakeholder_type",
        )
        people = names(
            self.services,
            Kind.CONTACTS,
            [r.contact_id for r in self.records if r.contact_id],
            "given_name",
            "family_name",
        )
        rows = []
        self._kinds = {}
        for record in self.records:
            name, stakeholder = organisations.get(record.organisation_id, ["", None])
            given, family = people.get(record.contact_id or "", ["", ""])
            sme = stakeholder == StakeholderType.SME
            self._kinds[record.id] = (Kind.SMES if sme else Kind.PARTNERS, record.organisation_id)
            rows.append((record.id, [name or record.organisation_id, f"{given} {family}".strip()]))
        rows = sorted_by_text(rows, lambda row: f"{row[1][0]}\t{row[1][1]}")
        self.fill(rows)
        count = len(self.records)
        self.retitled.emit(
            _("Participants ({count})").format(count=count) if count else _("Participants")
        )

    @Slot()
    def add(self) -> bool:
        """Add the organisation (and person) chosen as a participant."""
        if self.dialogue_id is None:
            return False
        problems = []
        organisation_id, person_id = self.organisation.value(), self.person.value()
        if organisation_id == "":
            problems.append(Problem("organisation_id", _(NO_MATCH)))
        elif organisation_id is None:
            problems.append(Problem("organisation_id", _("Choose an organisation from the list.")))
        if person_id == "":
            problems.append(Problem("contact_id", _(NO_MATCH)))
        if problems:
            self.form.show_problems(ValidationError(problems))
            return False
        draft = DialogueParticipantDraft(
            dialogue_id=self.dialogue_id, organisation_id=organisation_id, contact_id=person_id
        )
        return self.add_record(draft)

    def show_problems(self, error: ValidationError) -> None:
        # "Already a participant" concerns the organisation (and person) chosen.
        moved = [
            Problem("organisation_id", p.message) if p.field == "id" else p for p in error.problems
        ]
        self.form.show_problems(ValidationError(moved))

    @Slot(QTreeWidgetItem, int)
    def _on_table_item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        record = next((r for r in self.records if r.id == item.data(0, ID_ROLE)), None)
        if record is None:
            return
        if column == 1 and record.contact_id:
            self.open_requested.emit(Kind.CONTACTS.value, record.contact_id)
        else:
            kind, organisation_id = self._kinds[record.id]
            self.open_requested.emit(kind.value, organisation_id)


class FollowUpActionsTab(DialogueRecords):
    """The actions agreed in the dialogue; open ones past their due date are flagged."""

    def __init__(self, services: Services, edits: Edits) -> None:
        super().__init__(
            edits,
            services.follow_up_actions,
            [_("Due on"), _("Status"), _("Action"), _("Responsible"), _("Completed on")],
            _("Follow-up actions"),
            _("Save the dialogue first, then add the actions agreed."),
        )
        self.adding.setTitle(_("New follow-up action"))
        self.services = services
        self.records: list[FollowUpActionRecord] = []
        self.editing_id: str | None = None
        description = TextField()
        description.text.setMaximumHeight(64)
        self.status = ChoiceField(ActionStatus)
        self.completed = DateField(optional=True)
        form = RecordForm(
            services.follow_up_actions.entity,
            {
                "description": description,
                "responsible": LineField(),
                "due_on": DateField(optional=True),
                "status": self.status,
                "completed_on": self.completed,
            },
        )
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.row_buttons.insertWidget(0, self.summary, 1)
        self.done_button = QPushButton(_("Mark done"))
        self.done_button.setToolTip(_("Mark the selected open actions as done today"))
        self.done_button.clicked.connect(self.mark_done)
        self.row_buttons.insertWidget(2, self.done_button)
        self.new_button = QPushButton(_("New action"))
        self.new_button.setEnabled(False)
        self.new_button.clicked.connect(self.start_new)
        self.form_buttons.insertWidget(1, self.new_button)
        self.lay_out(form)
        self.status.edited.connect(self._on_status_edited)
        self.add_button.clicked.connect(self.save_action)

    def reload(self) -> None:
        """Read the actions again; mark the overdue ones in colour and in words."""
        service = self.services.follow_up_actions
        self.records = service.for_dialogue(self.dialogue_id) if self.dialogue_id else []
        self.fill([(r.id, self._cells(r)) for r in self.records])
        day = today()
        brush = QBrush(QColor(OVERDUE_COLOUR))
        overdue = 0
        for row, record in enumerate(self.records):
            if not record.is_overdue(day):
                continue
            overdue += 1
            item = self.table.topLevelItem(row)
            assert item is not None
            days = (day - record.due_on).days if record.due_on else 0
            tip = ngettext(
                "Open and due {days} day ago", "Open and due {days} days ago", days
            ).format(days=days)
            for column in range(self.table.columnCount()):
                item.setForeground(column, brush)
                item.setToolTip(column, tip)
            font = item.font(STATUS_COLUMN)
            font.setBold(True)
            item.setFont(STATUS_COLUMN, font)
        still_open = sum(r.status == ActionStatus.OPEN for r in self.records)
        self.summary.setText(
            _("{open} open, {overdue} overdue").format(open=still_open, overdue=overdue)
            if self.records
            else ""
        )
        if self.editing_id is not None and self.editing_id not in {r.id for r in self.records}:
            self.start_new()
        count = len(self.records)
        title = _("Follow-up actions ({count})").format(count=count) if count else ""
        self.retitled.emit(f"{title} ⚠" if overdue else title or _("Follow-up actions"))

    @staticmethod
    def _cells(action: FollowUpActionRecord) -> list[str]:
        status = _("Overdue") if action.is_overdue(today()) else action.status.label()
        return [
            format_day(action.due_on) if action.due_on else "",
            status,
            action.description.strip().split("\n", 1)[0],
            action.responsible,
            format_day(action.completed_on) if action.completed_on else "",
        ]

    @Slot()
    def _on_status_edited(self) -> None:
        done = self.status.value() == ActionStatus.DONE
        if done and self.completed.value() is None:
            self.completed.set_value(today())
        elif not done:
            self.completed.set_value(None)

    @Slot()
    def _on_table_item_selection_changed(self) -> None:
        super()._on_table_item_selection_changed()
        ids = self.selected_ids()
        chosen = {r.id: r for r in self.records}
        self.done_button.setEnabled(
            any(chosen[i].status == ActionStatus.OPEN for i in ids if i in chosen)
        )
        if len(ids) == 1 and ids[0] in chosen and ids[0] != self.editing_id:
            self.edit(chosen[ids[0]])
        elif not ids and self.editing_id is not None:
            self.start_new()

    def edit(self, action: FollowUpActionRecord) -> None:
        """Show an action in the small form, to change it."""
        self.editing_id = action.id
        self.form.set_values(dataclasses.asdict(action))
        self.form.clear_problems()
        self.adding.setTitle(_("Change the follow-up action"))
        self.add_button.setText(_("Save changes"))
        self.new_button.setEnabled(True)

    @Slot()
    def start_new(self) -> None:
        """Empty the small form to add a new action."""
        self.editing_id = None
        self.reset_form()
        self.adding.setTitle(_("New follow-up action"))
        self.add_button.setText(_("Add"))
        self.new_button.setEnabled(False)
        self.table.clearSelection()

    @Slot()
    def save_action(self) -> bool:
        """Add the action in the small form, or save the changes to the one chosen."""
        if self.dialogue_id is None:
            return False
        try:
            draft = FollowUpActionDraft(dialogue_id=self.dialogue_id, **self.form.values())
            if self.editing_id is None:
                self.edits.create(self.service, draft)
            else:
                self.edits.update(self.service, self.editing_id, draft)
        except ValidationError as error:
            self.form.show_problems(error)
            return False
        self.start_new()
        return True

    @Slot()
    def mark_done(self) -> None:
        """Mark the selected open actions as done today (one undo step)."""
        still_open = {r.id for r in self.records if r.status == ActionStatus.OPEN}
        ids = [i for i in self.selected_ids() if i in still_open]
        try:
            self.edits.change_many(
                self.service, ids, status=ActionStatus.DONE, completed_on=today()
            )
        except ServiceError as error:
            show_error(self, _("Cannot mark the actions done"), str(error))


class DialogueEditor(LinkedRecordsEditor):
    """A scoping dialogue with its participants, follow-up actions and history."""

    def __init__(self, services: Services, edits: Edits) -> None:
        reference = services.reference
        fields: dict[str, FieldEditor] = {
            "title": LineField(),
            "held_on": DateField(),
            "format": ChoiceField(DialogueFormat),
            "country": CodeField(country_entries(services)),
            "venue": LineField(),
            "city": LineField(),
            "lifecycle_stages": CodesField(
                code_entries(list(reference.codes(LIFECYCLE_STAGE).values()))
            ),
            "waste_streams": CodesField(waste_stream_entries(services)),
            "summary": TextField(),
        }
        super().__init__(services, edits, services.dialogues, fields)
        self.participants = ParticipantsTab(services, edits)
        self.participants.open_requested.connect(self.open_requested)
        self.participants.retitled.connect(self._on_participants_retitled)
        self.tabs.addTab(self.participants, _("Participants"))
        self.follow_ups = FollowUpActionsTab(services, edits)
        self.follow_ups.retitled.connect(self._on_follow_ups_retitled)
        self.tabs.addTab(self.follow_ups, _("Follow-up actions"))
        self.add_history_tab()
        self.record_changed()

    def record_changed(self) -> None:
        if not hasattr(self, "follow_ups"):
            return  # called by the base class before the tabs exist
        self.participants.set_dialogue(self.record_id)
        self.follow_ups.set_dialogue(self.record_id)
        self.show_history()

    @Slot(str)
    def _on_participants_retitled(self, title: str) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.participants), title)

    @Slot(str)
    def _on_follow_ups_retitled(self, title: str) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.follow_ups), title)
