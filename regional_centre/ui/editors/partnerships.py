"""Forms for strategic partnerships and joint activities, with their members and contributions.

The records that belong to the one shown (members, contributions, outcomes,
reviews) are listed in a table with a small form to add one; they are created
and deleted through ``Edits``, so Ctrl+Z undoes them, and a refused one shows
the services' messages next to the fields of that small form.
"""

from __future__ import annotations

import decimal
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import (
    ActivityStatus,
    ActivityType,
    AgreementStatus,
    Recommendation,
    StakeholderType,
)
from regional_centre.i18n import _, format_day, format_number
from regional_centre.services import Services
from regional_centre.services.engagement import (
    AdvisoryReviewRecord,
    OutcomeRecord,
    PartnershipMemberRecord,
)
from regional_centre.services.errors import NotFound
from regional_centre.services.listing import Kind
from regional_centre.services.reference import PRIORITY_FIELD
from regional_centre.services.related import Linked
from regional_centre.ui.collation import sorted_by_text
from regional_centre.ui.editors.children import (
    ChildRecords,
    contributions_table,
    first_line,
    link_problems,
)
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
)
from regional_centre.ui.editors.links import LinkedList
from regional_centre.ui.editors.organisations import (
    LinkedRecordsEditor,
    country_entries,
    waste_stream_entries,
)
from regional_centre.ui.edits import Edits


class PartnershipEditor(LinkedRecordsEditor):
    """A strategic partnership with its members and joint activities."""

    #: The user asked to plan a new joint activity of the partnership shown: its id.
    new_activity_requested = Signal(str)

    def __init__(self, services: Services, edits: Edits) -> None:
        priority_fields = code_entries(list(services.reference.codes(PRIORITY_FIELD).values()))
        fields: dict[str, FieldEditor] = {
            "title": LineField(),
            "priority_fields": CodesField(priority_fields),
            "regional_specificities": TextField(),
            "agreement_status": ChoiceField(AgreementStatus),
            "signed_on": DateField(optional=True),
            "start_on": DateField(optional=True),
            "end_on": DateField(optional=True),
            "description": TextField(),
        }
        super().__init__(services, edits, services.partnerships, fields)
        self.members = ChildRecords(
            edits,
            services.partnership_members,
            "partnership_id",
            {"organisation_id": RecordField(services, Kind.ORGANISATIONS), "role": LineField()},
            [_("Organisation"), _("Role")],
            self._member_cells,
            self._members_of,
            add_title=_("Add a member"),
            waiting_hint=_("Save the partnership first, then add its members."),
            required_links=["organisation_id"],
            also_shows=["organisation"],
        )
        self.members.activated.connect(self._on_members_activated)
        self.tabs.addTab(self.members, _("Members"))
        self.activities = LinkedList([_("Title"), _("Starts"), _("Status")])
        self.activities.setAccessibleName(_("Joint activities"))
        self.activities.open_requested.connect(self.open_requested)
        self.new_activity_button = QPushButton(_("Plan a joint activity…"))
        self.new_activity_button.clicked.connect(self._on_new_activity_button_clicked)
        self.activities_tab = QWidget()
        activities_layout = QVBoxLayout(self.activities_tab)
        activities_layout.addWidget(self.activities, 1)
        activities_layout.addWidget(self.new_activity_button, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs.addTab(self.activities_tab, _("Joint activities"))
        self.add_history_tab()
        edits.changed.connect(self._on_edits_changed)
        self.record_changed()

    def _members_of(self, partnership_id: str) -> list[PartnershipMemberRecord]:
        members = self.services.partnership_members.for_partnership(partnership_id)
        return sorted_by_text(members, lambda m: self._organisation_name(m.organisation_id))

    def _organisation_name(self, organisation_id: str) -> str:
        return self.services.lists.label(Kind.ORGANISATIONS, organisation_id) or organisation_id

    def _member_cells(self, member: PartnershipMemberRecord) -> list[str]:
        return [self._organisation_name(member.organisation_id), member.role]

    def record_changed(self) -> None:
        if not hasattr(self, "activities"):
            return  # called by the base class before the tabs exist
        self.members.set_parent(self.record_id)
        self.new_activity_button.setEnabled(self.record_id is not None)
        self.show_activities()
        self.show_history()

    def show_activities(self) -> None:
        """Fill the joint activities tab for the partnership shown."""
        if self.record_id is None:
            self.activities.show_links([])
            return
        self.activities.show_links(
            [
                Linked(Kind.ACTIVITIES, a.id, a.title, a.start_on, a.status.label())
                for a in self.services.activities.for_partnership(self.record_id)
            ]
        )

    @Slot(str, list)
    def _on_edits_changed(self, entity: str, _ids: list[str]) -> None:
        if entity == "joint_activity" and self.record_id is not None:
            self.show_activities()

    @Slot(str)
    def _on_members_activated(self, member_id: str) -> None:
        member = next((m for m in self.members.records if m.id == member_id), None)
        if member is None:
            return
        try:
            organisation = self.services.organisations.get(member.organisation_id)
        except NotFound:
            return
        sme = organisation.stakeholder_type == StakeholderType.SME
        self.open_requested.emit((Kind.SMES if sme else Kind.PARTNERS).value, organisation.id)

    @Slot()
    def _on_new_activity_button_clicked(self) -> None:
        if self.record_id is not None:
            self.new_activity_requested.emit(self.record_id)


class ActivityEditor(LinkedRecordsEditor):
    """A joint activity with industry: contributions, outcomes and the Advisory Committee's reviews."""

    def __init__(self, services: Services, edits: Edits) -> None:
        fields: dict[str, FieldEditor] = {
            "title": LineField(),
            "activity_type": ChoiceField(ActivityType),
            "partnership_id": RecordField(services, Kind.PARTNERSHIPS),
            "objectives": TextField(),
            "status": ChoiceField(ActivityStatus),
            "start_on": DateField(optional=True),
            "end_on": DateField(optional=True),
            "country": CodeField(country_entries(services), optional=True),
            "waste_streams": CodesField(waste_stream_entries(services)),
            "budget_amount": LineField(empty_is_none=True),
            "budget_currency": LineField(placeholder=_("e.g. USD")),
        }
        super().__init__(services, edits, services.activities, fields)
        waiting = _("Save the activity first.")
        self.contributions = contributions_table(
            services,
            edits,
            "activity_id",
            services.contributions.for_activity,
            offered=Kind.ORGANISATIONS,
            currency_hint=_("e.g. USD"),
            add_title=_("Add a contribution"),
            waiting_hint=waiting,
        )
        self.tabs.addTab(self.contributions, _("Contributions"))
        self.outcomes = ChildRecords(
            edits,
            services.outcomes,
            "activity_id",
            {
                "indicator": LineField(),
                "value": LineField(empty_is_none=True),
                "unit": LineField(),
                "measured_on": DateField(optional=True),
                "notes": LineField(),
            },
            [_("Indicator"), _("Value"), _("Unit"), _("Measured on"), _("Notes")],
            outcome_cells,
            services.outcomes.for_activity,
            add_title=_("Add an outcome"),
            waiting_hint=waiting,
            numbers=[1],
        )
        self.tabs.addTab(self.outcomes, _("Outcomes"))
        self.reviews = ChildRecords(
            edits,
            services.reviews,
            "activity_id",
            {
                "reviewed_on": DateField(),
                "reviewer": LineField(),
                "recommendation": ChoiceField(Recommendation),
                "comments": TextField(),
            },
            [_("Reviewed on"), _("Reviewer"), _("Recommendation"), _("Comments")],
            review_cells,
            services.reviews.for_activity,
            add_title=_("Add a review"),
            waiting_hint=waiting,
        )
        self.tabs.addTab(self.reviews, _("Advisory Committee reviews"))
        self.add_history_tab()
        self.record_changed()

    def open(self, record_id: str) -> None:
        """Show a saved activity, its budget without trailing zeros."""
        super().open(record_id)
        budget = self.form.fields["budget_amount"].value()
        if budget:
            self.form.set_values({"budget_amount": plain_number(decimal.Decimal(budget))})

    def record_changed(self) -> None:
        if not hasattr(self, "reviews"):
            return  # called by the base class before the tabs exist
        for children in (self.contributions, self.outcomes, self.reviews):
            children.set_parent(self.record_id)
        self.show_history()

    def draft(self) -> Any:
        """The draft the form holds; a partnership typed but not chosen is refused."""
        values = self.form.values()
        problems = link_problems(self.form, values)
        if problems is not None:
            raise problems
        return self.service.draft_type(**values)


def plain_number(value: decimal.Decimal) -> str:
    """A number as typed in a form: plain digits, no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


def outcome_cells(outcome: OutcomeRecord) -> list[str]:
    """How an outcome reads in its table."""
    return [
        outcome.indicator,
        format_number(outcome.value),
        outcome.unit,
        format_day(outcome.measured_on) if outcome.measured_on else "",
        first_line(outcome.notes),
    ]


def review_cells(review: AdvisoryReviewRecord) -> list[str]:
    """How a review reads in its table."""
    return [
        format_day(review.reviewed_on),
        review.reviewer,
        review.recommendation.label(),
        first_line(review.comments),
    ]
