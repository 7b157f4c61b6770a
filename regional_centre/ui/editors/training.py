"""The form of a training session: its plan, and the whole workflow that follows it.

Plan the session (days, venue, trainers, supporting partners), register
participants (found by name, or added on the spot with a new SME), mark their
attendance, enter test scores and evaluations, issue certificates to those who
met the attendance rule, and record SME follow-ups later. Every change goes
through ``Edits``, so Ctrl+Z undoes it; the services' refusals (a full session,
a person registered twice) are shown where the user made the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from babel import Locale
from PySide6.QtCore import QDate, QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import (
    SessionStatus,
    TrainingFormat,
)
from regional_centre.i18n import (
    LANGUAGES,
    _,
    current_language,
    format_day,
    ngettext,
)
from regional_centre.services import Services
from regional_centre.services.errors import NotFound, ServiceError
from regional_centre.services.listing import Kind
from regional_centre.services.training import (
    SmeFollowUpRecord,
    TrainingSessionRecord,
)
from regional_centre.ui.collation import sorted_by_text
from regional_centre.ui.editors.attendance import AttendancePanel, ScoresPanel, problem_text
from regional_centre.ui.editors.children import (
    ChildRecords,
    contributions_table,
    first_line,
)
from regional_centre.ui.editors.fields import (
    ChoiceField,
    CodeField,
    DateField,
    FieldEditor,
    LineField,
    LinesField,
    TextField,
)
from regional_centre.ui.editors.organisations import LinkedRecordsEditor, country_entries
from regional_centre.ui.editors.registration import ID_ROLE, ParticipantsPanel
from regional_centre.ui.editors.session_results import CertificatesPanel, FiguresPanel
from regional_centre.ui.edits import Edits


def python_date(date: QDate) -> dt.date:
    """A Qt date as a Python one."""
    return dt.date(date.year(), date.month(), date.day())


def language_entries() -> list[tuple[str, str]]:
    """The program's languages by name in the current language; others can be typed as codes."""
    here = current_language()
    return [(code, Locale.parse(code).get_display_name(here) or code) for code in LANGUAGES]


class DaysField(FieldEditor):
    """The days of a session: clicking a date (or Space on it) adds or removes it."""

    def __init__(self) -> None:
        super().__init__()
        self.days: set[dt.date] = set()
        self.calendar = QCalendarWidget()
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setToolTip(_("Click a date, or press Space on it, to add or remove it."))
        self.chosen = QListWidget()
        self.chosen.setObjectName("chosen_days")
        self.chosen.setAccessibleName(_("Chosen days"))
        self.chosen.setFlow(QListWidget.Flow.LeftToRight)
        self.chosen.setWrapping(True)
        self.chosen.setMaximumHeight(64)
        self.count = QLabel()
        self.remove_button = QPushButton(_("Remove day"))
        self.remove_button.setEnabled(False)
        side = QVBoxLayout()
        side.addWidget(self.count)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        below = QHBoxLayout()
        below.addWidget(self.chosen, 1)
        below.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        layout.addLayout(below)
        self.setFocusProxy(self.calendar)
        view = self.calendar.findChild(QTableView)
        if view is not None:
            view.installEventFilter(self)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.chosen.itemSelectionChanged.connect(self._on_chosen_item_selection_changed)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self._show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Space in the calendar toggles the selected date."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
        ):
            self.toggle(python_date(self.calendar.selectedDate()))
            return True
        return super().eventFilter(watched, event)

    def toggle(self, day: dt.date) -> None:
        """Add ``day`` to the session, or remove it if it is there."""
        self.days ^= {day}
        self._show()
        self.edited.emit()

    @Slot(QDate)
    def _on_calendar_clicked(self, date: QDate) -> None:
        self.toggle(python_date(date))

    @Slot()
    def _on_chosen_item_selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.chosen.selectedItems()))

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        removed = {item.data(ID_ROLE) for item in self.chosen.selectedItems()}
        self.days -= {dt.date.fromisoformat(day) for day in removed}
        self._show()
        self.edited.emit()

    def _show(self) -> None:
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        marked = QTextCharFormat()
        marked.setBackground(self.palette().highlight())
        marked.setForeground(self.palette().highlightedText())
        marked.setFontWeight(700)
        self.chosen.clear()
        for day in sorted(self.days):
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), marked)
            item = QListWidgetItem(format_day(day))
            item.setData(ID_ROLE, day.isoformat())
            self.chosen.addItem(item)
        count = len(self.days)
        self.count.setText(ngettext("{count} day", "{count} days", count).format(count=count))

    def value(self) -> Any:
        return tuple(day.isoformat() for day in sorted(self.days))

    def set_value(self, value: Any) -> None:
        days = set()
        for day in value or ():
            try:
                days.add(day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)))
            except ValueError:
                continue  # never saved by the services: nothing to show
        self.days = days
        self._show()
        if days:
            first = min(days)
            self.calendar.setSelectedDate(QDate(first.year, first.month, first.day))

    def focus_widget(self) -> QWidget:
        return self.calendar


class OptionsField(FieldEditor):
    """One of a short list of records the form offers (e.g. the SMEs that took part)."""

    def __init__(self) -> None:
        super().__init__()
        self.combo = QComboBox()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.activated.connect(self.edited)

    def set_options(self, options: Sequence[tuple[str, str]]) -> None:
        """Offer ``options`` (id, label), keeping the choice if it is still offered."""
        chosen = self.value()
        self.combo.clear()
        for record_id, label in options:
            self.combo.addItem(label, record_id)
        self.set_value(chosen)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(value), 0) if value else 0)

    def focus_widget(self) -> QWidget:
        return self.combo


class SessionEditor(LinkedRecordsEditor):
    """A training session, from its plan to certificates and follow-ups."""

    def __init__(self, services: Services, edits: Edits) -> None:
        fields: dict[str, FieldEditor] = {
            "title": LineField(),
            "topics": LinesField(),
            "format": ChoiceField(TrainingFormat),
            "days": DaysField(),
            "hours_per_day": LineField(),
            "venue": LineField(),
            "city": LineField(),
            "country": CodeField(country_entries(services)),
            "language": CodeField(language_entries()),
            "capacity": LineField(),
            "trainers": LinesField(),
            "status": ChoiceField(SessionStatus),
            "attendance_threshold": LineField(),
        }
        super().__init__(services, edits, services.sessions, fields, self._defaults)
        self.session: TrainingSessionRecord | None = None
        self.tabs.setTabText(0, _("Plan"))
        form_layout = self.form.layout()
        if isinstance(form_layout, QFormLayout):  # the calendar needs the width of the form
            form_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.unsaved_hint = QLabel(
            _("Save the session first; then register participants and record attendance.")
        )
        self.unsaved_hint.setObjectName("hint")
        self.unsaved_hint.setWordWrap(True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.unsaved_hint)
        self.partners = contributions_table(
            services,
            edits,
            "session_id",
            services.contributions.for_session,
            offered=Kind.PARTNERS,
            currency_hint=_("e.g. XOF"),
            add_title=_("Add a supporting partner"),
            waiting_hint=_("Save the session first."),
        )
        self.participants = ParticipantsPanel(services, edits)
        self.participants.person_requested.connect(self._on_participants_person_requested)
        self.attendance = AttendancePanel(self._mark_attendance)
        self.scores = ScoresPanel(self._save_result)
        self.certificates = CertificatesPanel(services, edits)
        self.follow_up_organisation = OptionsField()
        self.follow_ups = ChildRecords(
            edits,
            services.sme_follow_ups,
            "session_id",
            {
                "organisation_id": self.follow_up_organisation,
                "followed_up_on": DateField(),
                "measures_implemented": TextField(),
                "outcome": TextField(),
            },
            [_("Date"), _("SME"), _("Measures implemented"), _("Outcome")],
            self._follow_up_cells,
            services.sme_follow_ups.for_session,
            add_title=_("Add a follow-up"),
            waiting_hint=_("Register participants from SMEs first."),
            also_shows=["organisation"],
        )
        self.figures = FiguresPanel(services.reference)
        for widget, title in (
            (self.partners, _("Supporting partners")),
            (self.participants, _("Participants")),
            (self.attendance, _("Attendance")),
            (self.scores, _("Tests and evaluation")),
            (self.certificates, _("Certificates")),
            (self.follow_ups, _("Follow-ups")),
            (self.figures, _("Figures")),
        ):
            self.tabs.addTab(widget, title)
        self.add_history_tab()
        edits.changed.connect(self._on_edits_changed)
        self.record_changed()

    @staticmethod
    def _defaults() -> dict[str, Any]:
        return {"format": TrainingFormat.IN_PERSON, "language": current_language()}

    def record_changed(self) -> None:
        if not hasattr(self, "figures"):
            return  # called by the base class before the tabs exist
        saved = self.record_id is not None
        self.unsaved_hint.setVisible(not saved)
        for index in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(index, saved)
            self.tabs.setTabToolTip(index, "" if saved else _("Save the session first."))
        self.partners.set_parent(self.record_id)
        self.follow_ups.set_parent(self.record_id)
        self.show_training()
        self.show_history()

    def show_training(self) -> None:
        """Read the session's registrations, certificates and figures again and show them."""
        session = None
        if self.record_id is not None:
            try:
                session = self.services.sessions.get(self.record_id)
            except NotFound:  # deleted (or its creation undone) a moment ago
                session = None
        self.session = session
        if session is None:
            registrants, issued, figures = [], [], None
        else:
            registrants = self.services.participations.roster(session.id)
            issued = self.services.certificates.for_session(session.id)
            figures = self.services.sessions.figures(session.id)
        self.participants.show_registrants(session, registrants)
        self.attendance.show_session(session, registrants)
        self.scores.show_scores(registrants, figures)
        self.certificates.show_certificates(session, registrants, issued)
        self.figures.show_figures(figures)
        smes = {
            r.participation.organisation_id: r.organisation_name
            for r in registrants
            if r.organisation_is_sme and r.participation.organisation_id
        }
        self.follow_up_organisation.set_options(sorted_by_text(smes.items(), lambda pair: pair[1]))
        self.follow_ups.adding.setEnabled(bool(smes))
        self.follow_ups.hint.setVisible(session is None or not smes)

    def _mark_attendance(self, participation_id: str, day: str, present: bool) -> bool:
        """Record one day of attendance (undoable); a refusal is shown below the grid."""
        try:
            current = self.services.participations.get(participation_id)
            days = set(current.days_attended)
            days = days | {day} if present else days - {day}
            self.edits.change(
                self.services.participations, participation_id, days_attended=tuple(sorted(days))
            )
        except ServiceError as error:
            self.attendance.show_problem(problem_text(error))
            return False
        self.attendance.show_problem("")
        return True

    def _save_result(self, participation_id: str, field: str, value: Any) -> bool:
        """Save a test score, rating or comment (undoable); a refusal is shown below the grid."""
        try:
            self.edits.change(self.services.participations, participation_id, **{field: value})
        except ServiceError as error:
            self.scores.show_problem(problem_text(error))
            return False
        self.scores.show_problem("")
        return True

    def _organisation_name(self, organisation_id: str) -> str:
        return self.services.lists.label(Kind.ORGANISATIONS, organisation_id) or organisation_id

    def _follow_up_cells(self, follow_up: SmeFollowUpRecord) -> list[str]:
        return [
            format_day(follow_up.followed_up_on),
            self._organisation_name(follow_up.organisation_id),
            first_line(follow_up.measures_implemented),
            first_line(follow_up.outcome),
        ]

    @Slot(str, list)
    def _on_edits_changed(self, entity: str, _ids: list[str]) -> None:
        shown = {"training_session", "participation", "certificate", "contact", "organisation"}
        if entity in shown and self.record_id is not None:
            self.show_training()

    @Slot(str)
    def _on_participants_person_requested(self, contact_id: str) -> None:
        self.open_requested.emit(Kind.CONTACTS.value, contact_id)
