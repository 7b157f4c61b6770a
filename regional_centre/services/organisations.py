"""Organisations (framework element a: stakeholders; SMEs for element e) and their people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from regional_centre.db.models import Contact, Organisation
from regional_centre.enums import EngagementStage, Gender, SizeClass, StakeholderType
from regional_centre.i18n import _
from regional_centre.services.records import IDS_PER_STATEMENT, RecordService
from regional_centre.services.reference import COUNTRY, ISIC, LIFECYCLE_STAGE
from regional_centre.services.validation import Checker

# Employees per size class: the usual SME bands (micro < 10, small < 50, medium < 250).
SIZE_BANDS = {
    SizeClass.MICRO: (1, 9),
    SizeClass.SMALL: (10, 49),
    SizeClass.MEDIUM: (50, 249),
}


@dataclass(frozen=True, kw_only=True)
class OrganisationDraft:
    """What a user enters for an organisation."""

    name: str
    stakeholder_type: StakeholderType
    country: str
    acronym: str = ""
    city: str = ""
    address: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    sector: str | None = None
    waste_streams: tuple[str, ...] = ()
    lifecycle_stages: tuple[str, ...] = ()
    engagement_stage: EngagementStage = EngagementStage.IDENTIFIED
    size_class: SizeClass | None = None
    employees: int | None = None
    registration_number: str = ""
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class OrganisationRecord(OrganisationDraft):
    """A saved organisation."""

    id: str


class OrganisationService(RecordService[OrganisationDraft, OrganisationRecord]):
    """Stakeholders, partners and SMEs."""

    model = Organisation
    draft_type = OrganisationDraft
    record_type = OrganisationRecord
    entity = "organisation"

    def check(self, c: Checker) -> None:
        c.text("name", required=True, max_length=300)
        c.text("acronym", max_length=40)
        c.choice("stakeholder_type", StakeholderType)
        c.code("country", COUNTRY)
        c.text("city", max_length=120)
        c.text("address", max_length=2000)
        c.text("website", max_length=300)
        c.email("email")
        c.text("phone", max_length=60)
        c.code("sector", ISIC, required=False)
        c.code_set("waste_streams", self._reference.waste_stream_codes())
        c.code_set("lifecycle_stages", self._reference.codes(LIFECYCLE_STAGE))
        c.choice("engagement_stage", EngagementStage)
        c.choice("size_class", SizeClass, required=False)
        c.number("employees", minimum=0, maximum=10_000_000, integer=True)
        c.text("registration_number", max_length=80)
        c.text("notes", max_length=20_000)
        values = c.values
        if values["stakeholder_type"] == StakeholderType.SME:
            size = values["size_class"]
            employees = values["employees"]
            if size is None:
                c.add("size_class", _("Choose the size class of this SME."))
            elif isinstance(size, SizeClass) and isinstance(employees, int):
                low, high = SIZE_BANDS[size]
                if not low <= employees <= high:
                    c.add(
                        "employees",
                        _("A {size} enterprise has {low} to {high} employees.").format(
                            size=size.label().lower(), low=low, high=high
                        ),
                    )
        elif values["size_class"] is not None:
            c.add("size_class", _("Only SMEs have a size class."))


@dataclass(frozen=True, kw_only=True)
class ContactDraft:
    """What a user enters for a person."""

    given_name: str
    family_name: str
    gender: Gender
    country: str
    organisation_id: str | None = None
    job_title: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class ContactRecord(ContactDraft):
    """A saved person."""

    id: str

    @property
    def full_name(self) -> str:
        """Given and family name as usually written."""
        return f"{self.given_name} {self.family_name}".strip()


class ContactService(RecordService[ContactDraft, ContactRecord]):
    """People: contacts of organisations, dialogue participants, trainees."""

    model = Contact
    draft_type = ContactDraft
    record_type = ContactRecord
    entity = "contact"
    references = {"organisation_id": Organisation}

    def of_organisations(self, organisation_ids: Sequence[str]) -> dict[str, list[ContactRecord]]:
        """The live people of each organisation, by family and given name."""
        people: dict[str, list[ContactRecord]] = {}
        for start in range(0, len(organisation_ids), IDS_PER_STATEMENT):
            chunk = organisation_ids[start : start + IDS_PER_STATEMENT]
            order = [Contact.family_name, Contact.given_name, Contact.id]
            for contact in self._live_where(Contact.organisation_id.in_(chunk), order_by=order):
                people.setdefault(contact.organisation_id or "", []).append(contact)
        return people

    def check(self, c: Checker) -> None:
        c.text("given_name", max_length=120)
        c.text("family_name", required=True, max_length=120)
        c.choice("gender", Gender)
        c.code("country", COUNTRY)
        c.text("job_title", max_length=200)
        c.email("email")
        c.text("phone", max_length=60)
        c.text("notes", max_length=20_000)
