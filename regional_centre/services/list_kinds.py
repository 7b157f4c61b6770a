"""The kinds of list the program shows, and how each is read from the database.

A ``Listing`` names a list's columns (with the SQL expression behind each),
what its search looks through (names, acronyms, people, codes), which filters
apply and its default order. ``services.listing`` runs the queries.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Date,
    Select,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from regional_centre.db.models import (
    Certificate,
    Contact,
    Dialogue,
    DialogueParticipant,
    FollowUpAction,
    JointActivity,
    Organisation,
    Participation,
    Partnership,
    PartnershipMember,
    ReferenceCode,
    TrainingSession,
)
from regional_centre.enums import (
    ActionStatus,
    ActivityStatus,
    ActivityType,
    AgreementStatus,
    Choice,
    DialogueFormat,
    EngagementStage,
    Gender,
    RegistrationStatus,
    SessionStatus,
    SizeClass,
    StakeholderType,
    TrainingFormat,
)
from regional_centre.i18n import N_
from regional_centre.services.reference import ISIC


class Kind(enum.StrEnum):
    """The lists the program shows."""

    ORGANISATIONS = "organisations"
    PARTNERS = "partners"
    SMES = "smes"
    CONTACTS = "contacts"
    DIALOGUES = "dialogues"
    PARTNERSHIPS = "partnerships"
    ACTIVITIES = "activities"
    SESSIONS = "sessions"


class Display(enum.Enum):
    """How a column's values are shown."""

    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    CHOICE = "choice"
    COUNTRY = "country"
    SECTOR = "sector"
    CODES = "codes"
    FLAG = "flag"


@dataclass(frozen=True)
class Column:
    """One column of a list: its key, translatable heading and how its values show."""

    key: str
    label: str
    display: Display = Display.TEXT
    choices: type[Choice] | None = None
    shown: bool = True  # shown unless the user hides it


# A column or an SQL expression over columns. Typed loosely: SQLAlchemy gives
# mapped attributes and expressions types that share no useful base here.
Expression = Any


@dataclass
class Listing:
    """How one kind of list is read from the database."""

    model: Any
    columns: Sequence[Column]
    expressions: dict[str, Expression]
    base: Callable[[], Select[Any]]
    where: Sequence[Expression]
    search: Sequence[Expression]
    people_of: Any | None  # a column holding the organisation id whose contacts the search covers
    date: Expression | None
    filters: dict[str, Callable[[Any], Expression]] = field(default_factory=dict)
    default_sort: tuple[str, bool] = ("name", False)
    status_choices: type[Choice] | None = None
    # Records around this one the search also looks through: given a "contains" test, a clause.
    related: Sequence[Callable[[Callable[[Any], Expression]], Expression]] = ()
    # The period filter when it is not ``date`` between the bounds (people: trained then).
    period: Callable[[dt.date | None, dt.date | None], list[Expression]] | None = None


def _today() -> dt.date:
    return dt.date.today()


def _has_code(column: Any, code: str) -> Expression:
    # Code sets are stored as sorted JSON arrays, so one member matches '%"Y8"%'. The cast
    # compares the stored text (not a pattern turned into a code set on the way in).
    return cast(column, String).like(f'%"{escape_like(code)}"%', escape="\\")


def _in_sector(column: Any, code: str) -> Expression:
    """An ISIC code at or under ``code``: a division, or a section letter and its divisions."""
    divisions = select(ReferenceCode.code).where(
        ReferenceCode.list_name == ISIC, ReferenceCode.parent == code
    )
    return or_(
        column == code, column.like(f"{escape_like(code)}%", escape="\\"), column.in_(divisions)
    )


def _overdue_of_dialogue(dialogue_id: Any) -> Expression:
    return exists().where(
        FollowUpAction.dialogue_id == dialogue_id,
        FollowUpAction.deleted.is_(False),
        FollowUpAction.status == ActionStatus.OPEN,
        # Bound when the query runs, not when the list is defined: the program may stay open
        # past midnight.
        FollowUpAction.due_on < bindparam("today", callable_=_today, type_=Date, unique=True),
    )


def _overdue_of_organisation(organisation_id: Any) -> Expression:
    participant = aliased(DialogueParticipant)
    return exists().where(
        participant.organisation_id == organisation_id,
        participant.deleted.is_(False),
        _overdue_of_dialogue(participant.dialogue_id),
    )


def _count_of(model: Any, column: Any, owner: Any, *extra: Expression) -> Any:
    return (
        select(func.count())
        .select_from(model)
        .where(column == owner, model.deleted.is_(False), *extra)
        .scalar_subquery()
    )


def _organisation_listing(smes: bool | None) -> Listing:
    """Partners (``smes`` False), SMEs (True) or every organisation (None)."""
    o = Organisation
    overdue = _overdue_of_organisation(o.id)
    columns: list[Column] = [
        Column("name", N_("Name")),
        Column("acronym", N_("Acronym"), shown=not smes),
    ]
    expressions: dict[str, Expression] = {"name": o.name, "acronym": o.acronym}
    if smes is None:
        columns.append(
            Column("stakeholder_type", N_("Stakeholder type"), Display.CHOICE, StakeholderType)
        )
        expressions["stakeholder_type"] = o.stakeholder_type
    if smes:
        columns += [
            Column("size_class", N_("Size"), Display.CHOICE, SizeClass),
            Column("employees", N_("Employees"), Display.INTEGER),
        ]
        expressions |= {"size_class": o.size_class, "employees": o.employees}
    elif smes is False:
        columns.append(
            Column("stakeholder_type", N_("Stakeholder type"), Display.CHOICE, StakeholderType)
        )
        expressions["stakeholder_type"] = o.stakeholder_type
    columns += [
        Column("sector", N_("Sector"), Display.SECTOR),
        Column("country", N_("Country"), Display.COUNTRY),
        Column("city", N_("City")),
        Column("engagement_stage", N_("Stage"), Display.CHOICE, EngagementStage, shown=not smes),
        Column("waste_streams", N_("Waste streams"), Display.CODES),
        Column("contacts", N_("People"), Display.INTEGER),
        Column("overdue", N_("Overdue follow-up"), Display.FLAG, shown=not smes),
    ]
    expressions |= {
        "sector": o.sector,
        "country": o.country,
        "city": o.city,
        "engagement_stage": o.engagement_stage,
        "waste_streams": o.waste_streams,
        "contacts": _count_of(Contact, Contact.organisation_id, o.id),
        "overdue": overdue,
    }
    kind_clause = {
        True: o.stakeholder_type == StakeholderType.SME,
        False: o.stakeholder_type != StakeholderType.SME,
        None: literal(True),
    }[smes]
    return Listing(
        model=o,
        columns=columns,
        expressions=expressions,
        base=lambda: select(o.id),
        where=[o.deleted.is_(False), kind_clause],
        search=[
            o.name,
            o.acronym,
            o.city,
            o.email,
            o.registration_number,
            o.sector,
            cast(o.waste_streams, String),
        ],
        people_of=o.id,
        date=None,
        filters={
            "country": lambda v: o.country == v,
            "sector": lambda v: _in_sector(o.sector, v),
            "stakeholder_type": lambda v: o.stakeholder_type == v,
            "engagement_stage": lambda v: o.engagement_stage == v,
            "waste_stream": lambda v: _has_code(o.waste_streams, v),
            "overdue_only": lambda v: overdue if v else literal(True),
        },
    )


def _contact_listing() -> Listing:
    c, o = Contact, Organisation
    return Listing(
        model=c,
        columns=[
            Column("family_name", N_("Family name")),
            Column("given_name", N_("Given name")),
            Column("organisation", N_("Organisation")),
            Column("job_title", N_("Job title")),
            Column("email", N_("E-mail")),
            Column("phone", N_("Phone"), shown=False),
            Column("gender", N_("Gender"), Display.CHOICE, Gender),
            Column("country", N_("Country"), Display.COUNTRY),
        ],
        expressions={
            "family_name": c.family_name,
            "given_name": c.given_name,
            "organisation": o.name,
            "job_title": c.job_title,
            "email": c.email,
            "phone": c.phone,
            "gender": c.gender,
            "country": c.country,
        },
        base=lambda: select(c.id).outerjoin(o, o.id == c.organisation_id),
        where=[c.deleted.is_(False)],
        search=[c.family_name, c.given_name, c.email, c.phone, o.name, o.acronym],
        people_of=None,
        date=None,
        filters={
            "country": lambda v: c.country == v,
            "sector": lambda v: _in_sector(o.sector, v),
            "stakeholder_type": lambda v: o.stakeholder_type == v,
            "gender": lambda v: c.gender == v,
        },
        default_sort=("family_name", False),
        period=_trained_in,
    )


def _trained_in(start: dt.date | None, end: dt.date | None) -> list[Expression]:
    """People registered (and not waitlisted or cancelled) for a session that began in the period."""
    seated = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED)
    return [
        exists().where(
            Participation.contact_id == Contact.id,
            Participation.deleted.is_(False),
            Participation.registration_status.in_(seated),
            TrainingSession.id == Participation.session_id,
            TrainingSession.deleted.is_(False),
            TrainingSession.status != SessionStatus.CANCELLED,
            *([TrainingSession.first_day >= start] if start else []),
            *([TrainingSession.first_day <= end] if end else []),
        )
    ]


def _dialogue_listing() -> Listing:
    d = Dialogue
    overdue = _overdue_of_dialogue(d.id)
    participant = aliased(DialogueParticipant)
    organisation = aliased(Organisation)
    return Listing(
        model=d,
        columns=[
            Column("held_on", N_("Held on"), Display.DATE),
            Column("title", N_("Title")),
            Column("format", N_("Format"), Display.CHOICE, DialogueFormat),
            Column("country", N_("Country"), Display.COUNTRY),
            Column("city", N_("City")),
            Column("lifecycle_stages", N_("Life-cycle stages"), Display.CODES, shown=False),
            Column("waste_streams", N_("Waste streams"), Display.CODES),
            Column("participants", N_("Organisations"), Display.INTEGER),
            Column("open_actions", N_("Open actions"), Display.INTEGER),
            Column("overdue", N_("Overdue follow-up"), Display.FLAG),
        ],
        expressions={
            "held_on": d.held_on,
            "title": d.title,
            "format": d.format,
            "country": d.country,
            "city": d.city,
            "lifecycle_stages": d.lifecycle_stages,
            "waste_streams": d.waste_streams,
            "participants": _count_of(DialogueParticipant, DialogueParticipant.dialogue_id, d.id),
            "open_actions": _count_of(
                FollowUpAction,
                FollowUpAction.dialogue_id,
                d.id,
                FollowUpAction.status == ActionStatus.OPEN,
            ),
            "overdue": overdue,
        },
        base=lambda: select(d.id),
        where=[d.deleted.is_(False)],
        search=[
            d.title,
            d.city,
            d.venue,
            cast(d.waste_streams, String),
        ],
        people_of=None,
        related=[
            lambda contains: exists().where(
                participant.dialogue_id == d.id,
                participant.deleted.is_(False),
                organisation.id == participant.organisation_id,
                or_(contains(organisation.name), contains(organisation.acronym)),
            )
        ],
        date=d.held_on,
        filters={
            "country": lambda v: d.country == v,
            "waste_stream": lambda v: _has_code(d.waste_streams, v),
            "overdue_only": lambda v: overdue if v else literal(True),
        },
        default_sort=("held_on", True),
    )


def _partnership_listing() -> Listing:
    p = Partnership
    member = aliased(PartnershipMember)
    organisation = aliased(Organisation)
    return Listing(
        model=p,
        columns=[
            Column("title", N_("Title")),
            Column("agreement_status", N_("Status"), Display.CHOICE, AgreementStatus),
            Column("priority_fields", N_("Priority fields"), Display.CODES),
            Column("signed_on", N_("Signed on"), Display.DATE),
            Column("start_on", N_("Starts"), Display.DATE),
            Column("end_on", N_("Ends"), Display.DATE),
            Column("members", N_("Members"), Display.INTEGER),
            Column("activities", N_("Joint activities"), Display.INTEGER),
        ],
        expressions={
            "title": p.title,
            "agreement_status": p.agreement_status,
            "priority_fields": p.priority_fields,
            "signed_on": p.signed_on,
            "start_on": p.start_on,
            "end_on": p.end_on,
            "members": _count_of(PartnershipMember, PartnershipMember.partnership_id, p.id),
            "activities": _count_of(JointActivity, JointActivity.partnership_id, p.id),
        },
        base=lambda: select(p.id),
        where=[p.deleted.is_(False)],
        search=[
            p.title,
            cast(p.priority_fields, String),
        ],
        people_of=None,
        related=[
            lambda contains: exists().where(
                member.partnership_id == p.id,
                member.deleted.is_(False),
                organisation.id == member.organisation_id,
                or_(contains(organisation.name), contains(organisation.acronym)),
            )
        ],
        date=p.start_on,
        filters={"status": lambda v: p.agreement_status == v},
        default_sort=("title", False),
        status_choices=AgreementStatus,
    )


def _activity_listing() -> Listing:
    a = JointActivity
    p = aliased(Partnership)
    return Listing(
        model=a,
        columns=[
            Column("title", N_("Title")),
            Column("activity_type", N_("Type"), Display.CHOICE, ActivityType),
            Column("status", N_("Status"), Display.CHOICE, ActivityStatus),
            Column("partnership", N_("Partnership")),
            Column("country", N_("Country"), Display.COUNTRY),
            Column("start_on", N_("Starts"), Display.DATE),
            Column("end_on", N_("Ends"), Display.DATE),
            Column("waste_streams", N_("Waste streams"), Display.CODES),
            Column("budget_amount", N_("Budget"), Display.DECIMAL),
            Column("budget_currency", N_("Currency")),
        ],
        expressions={
            "title": a.title,
            "activity_type": a.activity_type,
            "status": a.status,
            "partnership": p.title,
            "country": a.country,
            "start_on": a.start_on,
            "end_on": a.end_on,
            "waste_streams": a.waste_streams,
            "budget_amount": a.budget_amount,
            "budget_currency": a.budget_currency,
        },
        base=lambda: select(a.id).outerjoin(p, p.id == a.partnership_id),
        where=[a.deleted.is_(False)],
        search=[a.title, a.objectives, p.title, cast(a.waste_streams, String)],
        people_of=None,
        date=a.start_on,
        filters={
            "country": lambda v: a.country == v,
            "waste_stream": lambda v: _has_code(a.waste_streams, v),
            "status": lambda v: a.status == v,
        },
        default_sort=("start_on", True),
        status_choices=ActivityStatus,
    )


def _session_listing() -> Listing:
    s = TrainingSession
    seated = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED)
    return Listing(
        model=s,
        columns=[
            Column("first_day", N_("First day"), Display.DATE),
            Column("title", N_("Title")),
            Column("format", N_("Format"), Display.CHOICE, TrainingFormat),
            Column("city", N_("City")),
            Column("country", N_("Country"), Display.COUNTRY),
            Column("language", N_("Language"), shown=False),
            Column("status", N_("Status"), Display.CHOICE, SessionStatus),
            Column("capacity", N_("Places"), Display.INTEGER),
            Column("registered", N_("Registered"), Display.INTEGER),
            Column("certificates", N_("Certificates"), Display.INTEGER),
        ],
        expressions={
            "first_day": s.first_day,
            "title": s.title,
            "format": s.format,
            "city": s.city,
            "country": s.country,
            "language": s.language,
            "status": s.status,
            "capacity": s.capacity,
            "registered": _count_of(
                Participation,
                Participation.session_id,
                s.id,
                Participation.registration_status.in_(seated),
            ),
            "certificates": select(func.count())
            .select_from(Certificate)
            .join(Participation, Participation.id == Certificate.participation_id)
            .where(Participation.session_id == s.id, Certificate.deleted.is_(False))
            .scalar_subquery(),
        },
        base=lambda: select(s.id),
        where=[s.deleted.is_(False)],
        search=[s.title, s.city, s.venue, cast(s.topics, String), cast(s.trainers, String)],
        people_of=None,
        date=s.first_day,
        filters={
            "country": lambda v: s.country == v,
            "status": lambda v: s.status == v,
        },
        default_sort=("first_day", True),
        status_choices=SessionStatus,
    )


LISTINGS: dict[Kind, Callable[[], Listing]] = {
    Kind.ORGANISATIONS: lambda: _organisation_listing(smes=None),
    Kind.PARTNERS: lambda: _organisation_listing(smes=False),
    Kind.SMES: lambda: _organisation_listing(smes=True),
    Kind.CONTACTS: _contact_listing,
    Kind.DIALOGUES: _dialogue_listing,
    Kind.PARTNERSHIPS: _partnership_listing,
    Kind.ACTIVITIES: _activity_listing,
    Kind.SESSIONS: _session_listing,
}


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards and escape character made literal."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
