"""Registering people for a training session: a person picked, or added with an SME."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import (
    Gender,
    RegistrationStatus,
    SizeClass,
    StakeholderType,
)
from regional_centre.i18n import (
    _,
    ngettext,
    pgettext,
)
from regional_centre.services import Services
from regional_centre.services.errors import ServiceError, ValidationError
from regional_centre.services.listing import Kind
from regional_centre.services.organisations import ContactDraft, OrganisationDraft
from regional_centre.services.training import (
    ParticipationDraft,
    Registrant,
    TrainingSessionRecord,
)
from regional_centre.ui.editors.attendance import (
    one_step,
    problem_text,
)
from regional_centre.ui.editors.children import (
    link_problems,
)
from regional_centre.ui.editors.fields import (
    ChoiceField,
    CodeField,
    LineField,
    RecordField,
)
from regional_centre.ui.editors.form import RecordForm, error_label
from regional_centre.ui.editors.organisations import country_entries
from regional_centre.ui.edits import Edits
from regional_centre.ui.messages import confirm, show_error

ID_ROLE = Qt.ItemDataRole.UserRole
CONTACT_ROLE = Qt.ItemDataRole.UserRole + 1


class ParticipantsPanel(QWidget):
    """A session's registrations: register someone found by name or added here; change status."""

    #: The user asked to see a participant's person record: their contact id.
    person_requested = Signal(str)

    def __init__(self, services: Services, edits: Edits) -> None:
        super().__init__()
        self.services = services
        self.edits = edits
        self.session: TrainingSessionRecord | None = None
        self.registrants: list[Registrant] = []
        countries = country_entries(services)
        self.person = RecordField(services, Kind.CONTACTS)
        self.person.setObjectName("person")
        self.person.focus_widget().setAccessibleName(_("Person to register"))
        self.status = ChoiceField(RegistrationStatus)
        self.status.focus_widget().setAccessibleName(_("Registration"))
        self.register_button = QPushButton(_("Register"))
        self.new_person_button = QPushButton(_("New person…"))
        self.new_person_button.setCheckable(True)
        self.problem = error_label()
        self.problem.setAccessibleName(_("Problem with the registration"))
        caption = QLabel(_("Person:"))
        caption.setBuddy(self.person.focus_widget())
        picker = QHBoxLayout()
        picker.addWidget(caption)
        picker.addWidget(self.person, 1)
        picker.addWidget(self.status)
        picker.addWidget(self.register_button)
        picker.addWidget(self.new_person_button)
        self.person_form = RecordForm(
            "contact",
            {
                "given_name": LineField(),
                "family_name": LineField(),
                "gender": ChoiceField(Gender, optional=True),
                "country": CodeField(countries),
                "organisation_id": RecordField(services, Kind.ORGANISATIONS),
            },
        )
        self.new_sme_button = QPushButton(_("New SME…"))
        self.new_sme_button.setCheckable(True)
        self.sme_form = RecordForm(
            "organisation",
            {
                "name": LineField(),
                "size_class": ChoiceField(SizeClass, optional=True),
                "employees": LineField(empty_is_none=True),
                "country": CodeField(countries),
            },
        )
        self.sme_box = QGroupBox(_("New SME"))
        QVBoxLayout(self.sme_box).addWidget(self.sme_form)
        self.sme_box.hide()
        self.add_person_button = QPushButton(_("Add and register"))
        cancel = QPushButton(_("Cancel"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_sme_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.add_person_button)
        self.new_person_box = QGroupBox(_("New person"))
        box_layout = QVBoxLayout(self.new_person_box)
        box_layout.addWidget(self.person_form)
        box_layout.addWidget(self.sme_box)
        box_layout.addLayout(buttons)
        self.new_person_box.hide()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("participants_table")
        self.table.setAccessibleName(_("Participants"))
        self.table.setHorizontalHeaderLabels(
            [pgettext("person", "Name"), _("Organisation"), _("Registration"), _("Certificate")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 180)
        self.table.setColumnWidth(1, 180)
        self.table.setColumnWidth(2, 150)
        self.places = QLabel()
        self.places.setObjectName("places")
        self.remove_button = QPushButton(_("Remove registration"))
        self.remove_button.setEnabled(False)
        below = QHBoxLayout()
        below.addWidget(self.places, 1)
        below.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addWidget(self.problem)
        layout.addWidget(self.new_person_box)
        layout.addWidget(self.table, 1)
        layout.addLayout(below)
        self.register_button.clicked.connect(self.register)
        self.new_person_button.toggled.connect(self._on_new_person_button_toggled)
        self.new_sme_button.toggled.connect(self._on_new_sme_button_toggled)
        self.add_person_button.clicked.connect(self.add_person)
        cancel.clicked.connect(lambda: self.new_person_button.setChecked(False))
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.table.itemActivated.connect(self._on_table_item_activated)

    def show_registrants(
        self, session: TrainingSessionRecord | None, registrants: Sequence[Registrant]
    ) -> None:
        """Show the registrations of ``session``, keeping the selected one selected."""
        if session is None or self.session is None or session.id != self.session.id:
            self.show_problem("")
            self.new_person_button.setChecked(False)
        self.session = session
        self.registrants = list(registrants)
        selected = self.selected_id()
        self.table.setRowCount(0)
        self.table.setRowCount(len(registrants))
        for row, registrant in enumerate(registrants):
            participation = registrant.participation
            name = QTableWidgetItem(registrant.name)
            name.setData(ID_ROLE, participation.id)
            name.setData(CONTACT_ROLE, participation.contact_id)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(registrant.organisation_name))
            combo = QComboBox()
            combo.setAccessibleName(_("Registration of {name}").format(name=registrant.name))
            for status in RegistrationStatus:
                combo.addItem(status.label(), status.value)
            combo.setCurrentIndex(combo.findData(participation.registration_status.value))
            combo.activated.connect(
                lambda _index, p=participation.id, c=combo: self.change_status(
                    p, RegistrationStatus(c.currentData())
                )
            )
            self.table.setCellWidget(row, 2, combo)
            self.table.setItem(row, 3, QTableWidgetItem(registrant.certificate_number or ""))
            if participation.id == selected:
                self.table.selectRow(row)
        seated = sum(r.seated for r in registrants)
        waiting = sum(
            r.participation.registration_status == RegistrationStatus.WAITLISTED
            for r in registrants
        )
        capacity = session.capacity if session is not None else 0
        self.places.setText(
            ngettext(
                "{seated} of {capacity} place taken; {waiting} on the waiting list.",
                "{seated} of {capacity} places taken; {waiting} on the waiting list.",
                capacity,
            ).format(seated=seated, capacity=capacity, waiting=waiting)
        )

    def selected_id(self) -> str | None:
        """The participation of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.data(ID_ROLE) if item is not None else None

    def show_problem(self, message: str) -> None:
        """Say, next to the person picker, why a registration was refused ('' hides it)."""
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    @Slot()
    def register(self) -> bool:
        """Register the person chosen in the picker, with the registration status chosen."""
        return self.register_person(self.person.value())

    def register_person(self, contact_id: str | None) -> bool:
        """Register a person with the registration status chosen; say why if refused."""
        if self.session is None:
            return False
        if not contact_id:
            self.show_problem(_("Choose a person from the list, or add a new person."))
            return False
        try:
            contact = self.services.contacts.get(contact_id)
            draft = ParticipationDraft(
                session_id=self.session.id,
                contact_id=contact_id,
                organisation_id=contact.organisation_id,
                registration_status=self.status.value() or RegistrationStatus.REGISTERED,
            )
            self.edits.create(self.services.participations, draft)
        except ServiceError as error:
            self.show_problem(problem_text(error))
            return False
        self.show_problem("")
        self.person.set_value(None)
        return True

    @Slot()
    def add_person(self) -> bool:
        """Add the person of the small form (and their new SME), then register them."""
        if self.session is None:
            return False
        self.person_form.clear_problems()
        self.sme_form.clear_problems()
        with one_step(self.edits, _("Add and register a person")):
            if self.new_sme_button.isChecked():
                try:
                    sme = self.edits.create(
                        self.services.organisations,
                        OrganisationDraft(
                            stakeholder_type=StakeholderType.SME, **self.sme_form.values()
                        ),
                    )
                except ValidationError as error:
                    self.sme_form.show_problems(error)
                    return False
                self.person_form.fields["organisation_id"].set_value(sme.id)
                self.new_sme_button.setChecked(False)
            values = self.person_form.values()  # once: reading a picker again may lose its text
            if (problems := link_problems(self.person_form, values)) is not None:
                self.person_form.show_problems(problems)
                return False
            try:
                contact = self.edits.create(self.services.contacts, ContactDraft(**values))
            except ValidationError as error:
                self.person_form.show_problems(error)
                return False
            self.new_person_button.setChecked(False)
            self.person.choose(contact.id)
            return self.register_person(contact.id)

    def change_status(self, participation_id: str, status: RegistrationStatus) -> None:
        """Change a registration's status; a refusal is shown and the row shows the old one."""
        try:
            self.edits.change(
                self.services.participations, participation_id, registration_status=status
            )
        except ServiceError as error:
            self.show_problem(problem_text(error))
            self.show_registrants(self.session, self.registrants)
            return
        self.show_problem("")

    @Slot()
    def remove_selected(self) -> None:
        """Delete the selected registration after asking; undo brings it back."""
        participation_id = self.selected_id()
        if participation_id is None or not confirm(
            self,
            _("Remove registration"),
            _("Remove the selected registration? You can undo this with Ctrl+Z."),
        ):
            return
        try:
            self.edits.delete(self.services.participations, [participation_id])
        except ServiceError as error:
            show_error(self, _("Cannot remove the registration"), problem_text(error))

    def _reset_forms(self) -> None:
        country = self.session.country if self.session is not None else None
        empty = {"given_name": "", "family_name": "", "gender": None, "organisation_id": None}
        self.person_form.set_values({**empty, "country": country})
        self.sme_form.set_values(
            {"name": "", "size_class": None, "employees": None, "country": country}
        )
        self.person_form.clear_problems()
        self.sme_form.clear_problems()

    @Slot(bool)
    def _on_new_person_button_toggled(self, shown: bool) -> None:
        if shown:
            self._reset_forms()
        self.new_person_box.setVisible(shown)
        if not shown:
            self.new_sme_button.setChecked(False)
        else:
            self.person_form.fields["given_name"].focus_widget().setFocus()

    @Slot(bool)
    def _on_new_sme_button_toggled(self, shown: bool) -> None:
        self.sme_box.setVisible(shown)
        self.person_form.fields["organisation_id"].setEnabled(not shown)
        if shown:
            self.sme_form.fields["name"].focus_widget().setFocus()

    @Slot()
    def _on_table_item_selection_changed(self) -> None:
        self.remove_button.setEnabled(self.selected_id() is not None)

    @Slot(QTableWidgetItem)
    def _on_table_item_activated(self, item: QTableWidgetItem) -> None:
        name = self.table.item(item.row(), 0)
        if name is not None:
            self.person_requested.emit(name.data(CONTACT_ROLE))
