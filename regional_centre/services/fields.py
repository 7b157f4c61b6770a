"""What each field of each kind of record is called for users, and how its values read.

The one place forms, lists, the history and reports take a field's name from.
Labels are marked with ``N_`` and translated where they are shown
(``field_label``, ``entity_label``). ``FIELD_VALUES`` says how a stored value
is shown; a field it does not name is plain text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from regional_centre.enums import (
    ActionStatus,
    ActivityStatus,
    ActivityType,
    AgreementStatus,
    Choice,
    ContributionKind,
    DialogueFormat,
    EngagementStage,
    Gender,
    Recommendation,
    RegistrationStatus,
    SessionStatus,
    SizeClass,
    StakeholderType,
    TrainingFormat,
)
from regional_centre.i18n import N_, _
from regional_centre.services.reference import (
    BASEL_CODE,
    COUNTRY,
    ISIC,
    LIFECYCLE_STAGE,
    PRIORITY_FIELD,
    WASTE_STREAM,
)


class ValueKind(enum.Enum):
    """The ways a field's value is shown."""

    TEXT = "text"  # as typed
    LONG_TEXT = "long_text"  # notes, summaries: shortened where space is short
    TEXTS = "texts"  # several texts (topics, trainers)
    NUMBER = "number"
    DATE = "date"
    DATES = "dates"  # several days
    FLAG = "flag"  # yes or no
    CHOICE = "choice"  # a member of a Choice enum, shown by its label
    COUNTRY = "country"  # an ISO 3166 code, shown by the country's name
    CODE = "code"  # one code of a reference list, shown by its title
    CODES = "codes"  # several codes of reference lists
    REFERENCE = "reference"  # the id of another record, shown by its name or title
    LANGUAGE = "language"  # a language code, shown by the language's name
    CURRENCY = "currency"  # an ISO 4217 code


@dataclass(frozen=True)
class ValueFormat:
    """How one field's value is shown: its kind and what the kind needs."""

    kind: ValueKind
    choices: type[Choice] | None = None  # CHOICE: the enum
    code_lists: tuple[str, ...] = ()  # CODE, CODES: the reference lists, searched in order
    entity: str | None = None  # REFERENCE: the kind of record named


def _choice(choices: type[Choice]) -> ValueFormat:
    return ValueFormat(ValueKind.CHOICE, choices=choices)


def _code(list_name: str) -> ValueFormat:
    return ValueFormat(ValueKind.CODE, code_lists=(list_name,))


def _codes(*list_names: str) -> ValueFormat:
    return ValueFormat(ValueKind.CODES, code_lists=list_names)


def _reference(entity: str) -> ValueFormat:
    return ValueFormat(ValueKind.REFERENCE, entity=entity)


TEXT = ValueFormat(ValueKind.TEXT)
LONG_TEXT = ValueFormat(ValueKind.LONG_TEXT)
TEXTS = ValueFormat(ValueKind.TEXTS)
NUMBER = ValueFormat(ValueKind.NUMBER)
DATE = ValueFormat(ValueKind.DATE)
DATES = ValueFormat(ValueKind.DATES)
FLAG = ValueFormat(ValueKind.FLAG)
COUNTRY_NAME = ValueFormat(ValueKind.COUNTRY, code_lists=(COUNTRY,))
LANGUAGE = ValueFormat(ValueKind.LANGUAGE)
CURRENCY = ValueFormat(ValueKind.CURRENCY)
WASTE_STREAMS = _codes(WASTE_STREAM, BASEL_CODE)
LIFECYCLE_STAGES = _codes(LIFECYCLE_STAGE)

ENTITY_LABELS: dict[str, str] = {
    "organisation": N_("Organisation"),
    "contact": N_("Person"),
    "dialogue": N_("Dialogue"),
    "dialogue_participant": N_("Dialogue participant"),
    "follow_up_action": N_("Follow-up action"),
    "partnership": N_("Partnership"),
    "partnership_member": N_("Partnership member"),
    "joint_activity": N_("Joint activity"),
    "contribution": N_("Contribution"),
    "outcome": N_("Outcome"),
    "advisory_review": N_("Advisory review"),
    "training_session": N_("Training session"),
    "participation": N_("Participation"),
    "certificate": N_("Certificate"),
    "sme_follow_up": N_("SME follow-up"),
    "reported_figures": N_("Reported figures"),
}

# In the order forms show them; the history lists a change's fields in this order.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "organisation": {
        "name": N_("Name"),
        "acronym": N_("Acronym"),
        "stakeholder_type": N_("Stakeholder type"),
        "country": N_("Country"),
        "city": N_("City"),
        "address": N_("Address"),
        "website": N_("Website"),
        "email": N_("E-mail"),
        "phone": N_("Phone"),
        "sector": N_("Sector"),
        "waste_streams": N_("Waste streams"),
        "lifecycle_stages": N_("Life-cycle stages"),
        "engagement_stage": N_("Stage"),
        "size_class": N_("Size"),
        "employees": N_("Employees"),
        "registration_number": N_("Registration number"),
        "notes": N_("Notes"),
    },
    "contact": {
        "given_name": N_("Given name"),
        "family_name": N_("Family name"),
        "gender": N_("Gender"),
        "organisation_id": N_("Organisation"),
        "job_title": N_("Job title"),
        "email": N_("E-mail"),
        "phone": N_("Phone"),
        "country": N_("Country"),
        "notes": N_("Notes"),
    },
    "dialogue": {
        "title": N_("Title"),
        "held_on": N_("Held on"),
        "format": N_("Format"),
        "country": N_("Country"),
        "venue": N_("Venue"),
        "city": N_("City"),
        "lifecycle_stages": N_("Life-cycle stages"),
        "waste_streams": N_("Waste streams"),
        "summary": N_("Summary"),
    },
    "dialogue_participant": {
        "dialogue_id": N_("Dialogue"),
        "organisation_id": N_("Organisation"),
        "contact_id": N_("Person"),
    },
    "follow_up_action": {
        "dialogue_id": N_("Dialogue"),
        "description": N_("Action"),
        "status": N_("Status"),
        "responsible": N_("Responsible"),
        "due_on": N_("Due on"),
        "completed_on": N_("Completed on"),
    },
    "partnership": {
        "title": N_("Title"),
        "priority_fields": N_("Priority fields"),
        "agreement_status": N_("Agreement status"),
        "regional_specificities": N_("Regional specificities"),
        "signed_on": N_("Signed on"),
        "start_on": N_("Starts"),
        "end_on": N_("Ends"),
        "description": N_("Description"),
    },
    "partnership_member": {
        "partnership_id": N_("Partnership"),
        "organisation_id": N_("Organisation"),
        "role": N_("Role"),
    },
    "joint_activity": {
        "title": N_("Title"),
        "activity_type": N_("Type"),
        "status": N_("Status"),
        "partnership_id": N_("Partnership"),
        "objectives": N_("Objectives"),
        "start_on": N_("Starts"),
        "end_on": N_("Ends"),
        "country": N_("Country"),
        "waste_streams": N_("Waste streams"),
        "budget_amount": N_("Budget"),
        "budget_currency": N_("Budget currency"),
    },
    "contribution": {
        "organisation_id": N_("Organisation"),
        "kind": N_("Kind"),
        "activity_id": N_("Joint activity"),
        "session_id": N_("Training session"),
        "amount": N_("Amount"),
        "currency": N_("Currency"),
        "description": N_("Description"),
    },
    "outcome": {
        "activity_id": N_("Joint activity"),
        "indicator": N_("Indicator"),
        "value": N_("Value"),
        "unit": N_("Unit"),
        "measured_on": N_("Measured on"),
        "notes": N_("Notes"),
    },
    "advisory_review": {
        "activity_id": N_("Joint activity"),
        "reviewed_on": N_("Reviewed on"),
        "recommendation": N_("Recommendation"),
        "reviewer": N_("Reviewer"),
        "comments": N_("Comments"),
    },
    "training_session": {
        "title": N_("Title"),
        "format": N_("Format"),
        "status": N_("Status"),
        "days": N_("Days"),
        "first_day": N_("First day"),  # derived from the days, but audited
        "hours_per_day": N_("Hours per day"),
        "country": N_("Country"),
        "city": N_("City"),
        "venue": N_("Venue"),
        "language": N_("Language"),
        "capacity": N_("Places"),
        "topics": N_("Topics"),
        "trainers": N_("Trainers"),
        "attendance_threshold": N_("Attendance needed for a certificate (%)"),
    },
    "participation": {
        "session_id": N_("Training session"),
        "contact_id": N_("Participant"),
        "organisation_id": N_("Organisation"),
        "registration_status": N_("Registration"),
        "days_attended": N_("Days attended"),
        "pre_test_score": N_("Pre-test score"),
        "post_test_score": N_("Post-test score"),
        "evaluation_rating": N_("Evaluation rating"),
        "evaluation_comments": N_("Evaluation comments"),
    },
    "certificate": {
        "participation_id": N_("Participation"),
        "number": N_("Number"),
        "issued_on": N_("Issued on"),
        "verification_code": N_("Verification code"),
    },
    "sme_follow_up": {
        "organisation_id": N_("Organisation"),
        "session_id": N_("Training session"),
        "followed_up_on": N_("Date"),
        "measures_implemented": N_("Measures implemented"),
        "outcome": N_("Outcome"),
    },
    "reported_figures": {
        "centre": N_("Centre"),
        "period_start": N_("From"),
        "period_end": N_("To"),
        "prepared_on": N_("Issued on"),
        "document_number": N_("Document number"),
        "figures": N_("Figures"),
    },
}

FIELD_VALUES: dict[str, dict[str, ValueFormat]] = {
    "organisation": {
        "stakeholder_type": _choice(StakeholderType),
        "country": COUNTRY_NAME,
        "address": LONG_TEXT,
        "sector": _code(ISIC),
        "waste_streams": WASTE_STREAMS,
        "lifecycle_stages": LIFECYCLE_STAGES,
        "engagement_stage": _choice(EngagementStage),
        "size_class": _choice(SizeClass),
        "employees": NUMBER,
        "notes": LONG_TEXT,
    },
    "contact": {
        "gender": _choice(Gender),
        "organisation_id": _reference("organisation"),
        "country": COUNTRY_NAME,
        "notes": LONG_TEXT,
    },
    "dialogue": {
        "held_on": DATE,
        "format": _choice(DialogueFormat),
        "country": COUNTRY_NAME,
        "lifecycle_stages": LIFECYCLE_STAGES,
        "waste_streams": WASTE_STREAMS,
        "summary": LONG_TEXT,
    },
    "dialogue_participant": {
        "dialogue_id": _reference("dialogue"),
        "organisation_id": _reference("organisation"),
        "contact_id": _reference("contact"),
    },
    "follow_up_action": {
        "dialogue_id": _reference("dialogue"),
        "description": LONG_TEXT,
        "status": _choice(ActionStatus),
        "due_on": DATE,
        "completed_on": DATE,
    },
    "partnership": {
        "priority_fields": _codes(PRIORITY_FIELD),
        "agreement_status": _choice(AgreementStatus),
        "regional_specificities": LONG_TEXT,
        "signed_on": DATE,
        "start_on": DATE,
        "end_on": DATE,
        "description": LONG_TEXT,
    },
    "partnership_member": {
        "partnership_id": _reference("partnership"),
        "organisation_id": _reference("organisation"),
    },
    "joint_activity": {
        "activity_type": _choice(ActivityType),
        "status": _choice(ActivityStatus),
        "partnership_id": _reference("partnership"),
        "objectives": LONG_TEXT,
        "start_on": DATE,
        "end_on": DATE,
        "country": COUNTRY_NAME,
        "waste_streams": WASTE_STREAMS,
        "budget_amount": NUMBER,
        "budget_currency": CURRENCY,
    },
    "contribution": {
        "organisation_id": _reference("organisation"),
        "kind": _choice(ContributionKind),
        "activity_id": _reference("joint_activity"),
        "session_id": _reference("training_session"),
        "amount": NUMBER,
        "currency": CURRENCY,
        "description": LONG_TEXT,
    },
    "outcome": {
        "activity_id": _reference("joint_activity"),
        "value": NUMBER,
        "measured_on": DATE,
        "notes": LONG_TEXT,
    },
    "advisory_review": {
        "activity_id": _reference("joint_activity"),
        "reviewed_on": DATE,
        "recommendation": _choice(Recommendation),
        "comments": LONG_TEXT,
    },
    "training_session": {
        "format": _choice(TrainingFormat),
        "status": _choice(SessionStatus),
        "days": DATES,
        "first_day": DATE,
        "hours_per_day": NUMBER,
        "country": COUNTRY_NAME,
        "language": LANGUAGE,
        "capacity": NUMBER,
        "topics": TEXTS,
        "trainers": TEXTS,
        "attendance_threshold": NUMBER,
    },
    "participation": {
        "session_id": _reference("training_session"),
        "contact_id": _reference("contact"),
        "organisation_id": _reference("organisation"),
        "registration_status": _choice(RegistrationStatus),
        "days_attended": DATES,
        "pre_test_score": NUMBER,
        "post_test_score": NUMBER,
        "evaluation_rating": NUMBER,
        "evaluation_comments": LONG_TEXT,
    },
    "certificate": {
        "participation_id": _reference("participation"),
        "issued_on": DATE,
    },
    "sme_follow_up": {
        "organisation_id": _reference("organisation"),
        "session_id": _reference("training_session"),
        "followed_up_on": DATE,
        "measures_implemented": LONG_TEXT,
        "outcome": LONG_TEXT,
    },
    "reported_figures": {
        "period_start": DATE,
        "period_end": DATE,
        "prepared_on": DATE,
        "figures": LONG_TEXT,
    },
}


def field_label(entity: str, field: str) -> str:
    """The name of ``field`` of ``entity`` in the current language (the field's own name if unknown)."""
    label = FIELD_LABELS.get(entity, {}).get(field)
    if label is None:
        return field.replace("_", " ")
    return _(label)


def entity_label(entity: str) -> str:
    """The name of a kind of record in the current language (its own name if unknown)."""
    label = ENTITY_LABELS.get(entity)
    if label is None:
        return entity.replace("_", " ")
    return _(label)


def value_format(entity: str, field: str) -> ValueFormat:
    """How values of ``field`` of ``entity`` are shown (plain text unless said otherwise)."""
    return FIELD_VALUES.get(entity, {}).get(field, TEXT)


__all__ = [
    "ENTITY_LABELS",
    "FIELD_LABELS",
    "FIELD_VALUES",
    "ValueFormat",
    "ValueKind",
    "entity_label",
    "field_label",
    "value_format",
]
