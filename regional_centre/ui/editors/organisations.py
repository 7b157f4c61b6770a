"""Forms for organisations (partners and SMEs) and people."""

from __future__ import annotations

from PySide6.QtCore import Signal

from regional_centre.enums import EngagementStage, Gender, SizeClass, StakeholderType
from regional_centre.i18n import _, pgettext
from regional_centre.services import Services
from regional_centre.services.listing import Kind
from regional_centre.services.reference import COUNTRY, ISIC, LIFECYCLE_STAGE
from regional_centre.ui.collation import sorted_by_text
from regional_centre.ui.editors.fields import (
    ChoiceField,
    CodeField,
    CodesField,
    FieldEditor,
    LineField,
    RecordField,
    TextField,
    code_entries,
)
from regional_centre.ui.editors.form import RecordEditor
from regional_centre.ui.editors.links import HistoryList, LinkedList
from regional_centre.ui.edits import Edits


def country_entries(services: Services) -> list[tuple[str, str]]:
    """Countries by name in the current language."""
    reference = services.reference
    return sorted_by_text(
        ((code, reference.country_name(code)) for code in reference.codes(COUNTRY)),
        lambda pair: pair[1],
    )


def waste_stream_entries(services: Services) -> list[tuple[str, str]]:
    """Basel Annex I/II categories and priority waste streams, with their titles."""
    titles = {}
    for list_name in ("basel_code", "waste_stream"):
        titles.update({c.code: c.title for c in services.reference.codes(list_name).values()})
    return sorted(
        ((code, titles.get(code, code)) for code in services.reference.waste_stream_codes()),
        key=lambda pair: (not pair[0].startswith("Y"), len(pair[0]), pair[0]),
    )


class LinkedRecordsEditor(RecordEditor):
    """A record editor that can ask to open records linked to the one it shows."""

    #: Open a linked record: its list kind (value) and id.
    open_requested = Signal(str, str)

    def add_history_tab(self) -> None:
        """A tab with the record's history, filled when a saved record is opened."""
        self.history = HistoryList()
        self.tabs.addTab(self.history, _("History"))

    def add_links_tab(self, title: str, headings: list[str]) -> LinkedList:
        """A tab listing linked records; activating one opens it."""
        linked = LinkedList(headings)
        linked.setAccessibleName(title)
        linked.open_requested.connect(self.open_requested)
        self.tabs.addTab(linked, title)
        return linked

    def show_history(self) -> None:
        """Fill the history tab for the record shown."""
        if self.record_id is None:
            self.history.show_lines([])
            return
        self.history.show_lines(
            [line.text for line in self.services.history.describe(self.record_id)]
        )


class OrganisationEditor(LinkedRecordsEditor):
    """A partner or SME with its people, dialogues, partnerships, trainings and follow-ups."""

    def __init__(self, services: Services, edits: Edits, *, sme: bool = False) -> None:
        reference = services.reference
        fields: dict[str, FieldEditor] = {
            "name": LineField(),
            "acronym": LineField(),
            "stakeholder_type": ChoiceField(StakeholderType),
            "country": CodeField(country_entries(services)),
            "city": LineField(),
            "address": TextField(),
            "website": LineField(),
            "email": LineField(),
            "phone": LineField(),
            "sector": CodeField(code_entries(list(reference.codes(ISIC).values())), optional=True),
            "waste_streams": CodesField(waste_stream_entries(services)),
            "lifecycle_stages": CodesField(
                code_entries(list(reference.codes(LIFECYCLE_STAGE).values()))
            ),
            "engagement_stage": ChoiceField(EngagementStage),
            "size_class": ChoiceField(SizeClass, optional=True),
            "employees": LineField(empty_is_none=True),
            "registration_number": LineField(),
            "notes": TextField(),
        }
        defaults = {"stakeholder_type": StakeholderType.SME} if sme else {}
        super().__init__(services, edits, services.organisations, fields, lambda: defaults)
        self.contacts = self.add_links_tab(
            _("People"), [pgettext("person", "Name"), "", _("Job title")]
        )
        self.dialogues = self.add_links_tab(_("Dialogues"), [_("Title"), _("Held on"), ""])
        self.partnerships = self.add_links_tab(
            _("Partnerships"), [_("Title"), _("Starts"), _("Status")]
        )
        self.activities = self.add_links_tab(
            _("Joint activities"), [_("Title"), _("Starts"), _("Status")]
        )
        self.trainings = self.add_links_tab(
            _("Trainings attended"), [_("Session"), _("First day"), _("Participant")]
        )
        self.follow_ups = self.add_links_tab(
            _("Follow-ups"), [_("Measures implemented"), _("Date"), _("Outcome")]
        )
        self.add_history_tab()

    def record_changed(self) -> None:
        if self.record_id is None:
            for linked in (
                self.contacts,
                self.dialogues,
                self.partnerships,
                self.activities,
                self.trainings,
                self.follow_ups,
            ):
                linked.show_links([])
        else:
            links = self.services.related.of_organisation(self.record_id)
            self.contacts.show_links(links.contacts)
            self.dialogues.show_links(links.dialogues)
            self.partnerships.show_links(links.partnerships)
            self.activities.show_links(links.activities)
            self.trainings.show_links(links.trainings)
            self.follow_ups.show_links(links.follow_ups)
        self.show_history()


class ContactEditor(LinkedRecordsEditor):
    """A person: contact of an organisation, dialogue participant or trainee."""

    def __init__(self, services: Services, edits: Edits) -> None:
        fields: dict[str, FieldEditor] = {
            "given_name": LineField(),
            "family_name": LineField(),
            "gender": ChoiceField(Gender),
            "organisation_id": RecordField(services, Kind.ORGANISATIONS),
            "job_title": LineField(),
            "email": LineField(),
            "phone": LineField(),
            "country": CodeField(country_entries(services)),
            "notes": TextField(),
        }
        super().__init__(services, edits, services.contacts, fields)
        self.add_history_tab()

    def record_changed(self) -> None:
        self.show_history()
