"""Framework element (e): training sessions for SMEs, registrations, attendance, certificates."""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regional_centre.db.models import (
    Certificate,
    Contact,
    Organisation,
    Participation,
    SmeFollowUp,
    TrainingSession,
)
from regional_centre.enums import (
    Gender,
    RegistrationStatus,
    SessionStatus,
    SizeClass,
    StakeholderType,
    TrainingFormat,
)
from regional_centre.i18n import _, ngettext
from regional_centre.services.records import RecordService, link_id
from regional_centre.services.reference import COUNTRY
from regional_centre.services.validation import Checker

# Registrations that take a seat.
SEATED = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED)
MAX_DAYS = 31


@dataclass(frozen=True, kw_only=True)
class TrainingSessionDraft:
    """A training session as the coordinator plans it."""

    title: str
    format: TrainingFormat
    days: tuple[str, ...]
    hours_per_day: decimal.Decimal
    country: str
    language: str
    capacity: int
    status: SessionStatus = SessionStatus.PLANNED
    topics: tuple[str, ...] = ()
    venue: str = ""
    city: str = ""
    trainers: tuple[str, ...] = ()
    attendance_threshold: int = 100


@dataclass(frozen=True, kw_only=True)
class TrainingSessionRecord(TrainingSessionDraft):
    id: str
    first_day: dt.date

    @property
    def total_hours(self) -> decimal.Decimal:
        """Hours of training over all days."""
        return self.hours_per_day * len(self.days)

    def days_needed(self) -> int:
        """Days a participant must attend to earn a certificate."""
        return days_needed(len(self.days), self.attendance_threshold)

    def days_attended_of(self, days_attended: tuple[str, ...]) -> int:
        """How many of the session's days are among ``days_attended``."""
        return len(set(days_attended) & set(self.days))

    def meets_attendance_rule(self, days_attended: tuple[str, ...]) -> bool:
        """Whether attending ``days_attended`` earns a certificate of this session."""
        return self.days_attended_of(days_attended) >= self.days_needed()


def days_needed(days: int, threshold: int) -> int:
    """Days of ``days`` to attend for a certificate: ``threshold`` percent, rounded up."""
    return -(-days * threshold // 100)


class TrainingSessionService(RecordService[TrainingSessionDraft, TrainingSessionRecord]):
    """Training sessions for SMEs."""

    model = TrainingSession
    draft_type = TrainingSessionDraft
    record_type = TrainingSessionRecord
    entity = "training_session"

    def check(self, c: Checker) -> None:
        values = c.values
        c.text("title", required=True)
        c.choice("format", TrainingFormat)
        c.choice("status", SessionStatus)
        c.number("hours_per_day", required=True, minimum=decimal.Decimal("0.5"), maximum=24)
        c.code("country", COUNTRY)
        c.number("capacity", required=True, minimum=1, maximum=10_000, integer=True)
        c.number("attendance_threshold", required=True, minimum=1, maximum=100, integer=True)
        c.text("venue", max_length=200)
        c.text("city", max_length=120)
        values["topics"] = _clean_list(values.get("topics"))
        values["trainers"] = _clean_list(values.get("trainers"))
        language = str(values.get("language") or "").strip()
        values["language"] = language
        try:
            Locale.parse(language)
        except (ValueError, UnknownLocaleError):
            c.add("language", _("Unknown language '{code}'.").format(code=language))
        days: list[dt.date] = []
        for day in values.get("days") or ():
            try:
                days.append(day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)))
            except ValueError:
                c.add("days", _("'{value}' is not a date (use YYYY-MM-DD).").format(value=day))
        if not days and not any(p.field == "days" for p in c.problems):
            c.add("days", _("A session has at least one day."))
        if len(set(days)) > MAX_DAYS:
            c.add("days", _("A session has at most {count} days.").format(count=MAX_DAYS))
        values["days"] = tuple(sorted({d.isoformat() for d in days}))
        values["first_day"] = min(days) if days else None

    def check_in_database(
        self, c: Checker, session: Session, current: TrainingSessionRecord | None
    ) -> None:
        if current is None:
            return
        seated = _seated_count(session, current.id)
        capacity = c.values["capacity"]
        if isinstance(capacity, int) and capacity < seated:
            c.add(
                "capacity",
                ngettext(
                    "{count} person is registered; the capacity cannot be lower.",
                    "{count} people are registered; the capacity cannot be lower.",
                    seated,
                ).format(count=seated),
            )
        removed = set(current.days) - set(c.values["days"])
        if removed:
            attended = session.scalars(
                select(Participation.days_attended).where(
                    Participation.session_id == current.id, Participation.deleted.is_(False)
                )
            )
            if any(removed & set(days) for days in attended):
                c.add("days", _("Attendance was recorded on a day you removed; clear it first."))

    def figures(self, session_id: str) -> SessionFigures:
        """Who took a seat in a session, counted by gender, country, sector and SME size."""
        seated = (
            Participation.session_id == session_id,
            Participation.deleted.is_(False),
            Participation.registration_status.in_(SEATED),
        )
        people = (
            select(func.count())
            .select_from(Participation)
            .join(Contact, Contact.id == Participation.contact_id)
        )
        firms = (
            select(func.count())
            .select_from(Participation)
            .outerjoin(Organisation, Organisation.id == Participation.organisation_id)
        )

        def counts(session: Session, statement: Any, column: Any) -> tuple[tuple[Any, int], ...]:
            rows = session.execute(
                statement.add_columns(column).where(*seated).group_by(column)
            ).all()
            return tuple(
                (value, count)
                for count, value in sorted(rows, key=lambda r: (-r[0], str(r[1] or "")))
            )

        with self._context.read() as session:
            pre, post, rating = session.execute(
                select(
                    func.avg(Participation.pre_test_score),
                    func.avg(Participation.post_test_score),
                    func.avg(Participation.evaluation_rating),
                ).where(*seated)
            ).one()
            return SessionFigures(
                participants=session.scalar(
                    select(func.count()).select_from(Participation).where(*seated)
                )
                or 0,
                by_gender=counts(session, people, Contact.gender),
                by_country=counts(session, people, Contact.country),
                by_sector=counts(session, firms, Organisation.sector),
                by_size=counts(session, firms, Organisation.size_class),
                pre_test_average=_average(pre),
                post_test_average=_average(post),
                rating_average=_average(rating),
            )


def _average(value: Any) -> decimal.Decimal | None:
    """An SQL average (a float in SQLite) rounded to one decimal."""
    if value is None:
        return None
    return decimal.Decimal(str(value)).quantize(decimal.Decimal("0.1"))


def _clean_list(value: Any) -> tuple[str, ...]:
    return tuple(s for s in (str(v).strip() for v in value or ()) if s)


def _seated_count(session: Session, session_id: str) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Participation.session_id == session_id,
                Participation.deleted.is_(False),
                Participation.registration_status.in_(SEATED),
            )
        )
        or 0
    )


@dataclass(frozen=True, kw_only=True)
class ParticipationDraft:
    """A person's registration for a session, with what happened there."""

    session_id: str
    contact_id: str
    organisation_id: str | None = None
    registration_status: RegistrationStatus = RegistrationStatus.REGISTERED
    days_attended: tuple[str, ...] = ()
    pre_test_score: decimal.Decimal | None = None
    post_test_score: decimal.Decimal | None = None
    evaluation_rating: int | None = None
    evaluation_comments: str = ""


@dataclass(frozen=True, kw_only=True)
class ParticipationRecord(ParticipationDraft):
    id: str


class ParticipationService(RecordService[ParticipationDraft, ParticipationRecord]):
    """Registrations, attendance per day, test scores and evaluations."""

    model = Participation
    draft_type = ParticipationDraft
    record_type = ParticipationRecord
    entity = "participation"
    references = {
        "session_id": TrainingSession,
        "contact_id": Contact,
        "organisation_id": Organisation,
    }

    def check(self, c: Checker) -> None:
        c.choice("registration_status", RegistrationStatus)
        c.number("pre_test_score", minimum=0, maximum=100)
        c.number("post_test_score", minimum=0, maximum=100)
        c.number("evaluation_rating", minimum=1, maximum=5, integer=True)
        c.text("evaluation_comments", max_length=10_000)
        days = c.values.get("days_attended") or ()
        c.values["days_attended"] = tuple(
            sorted({d.isoformat() if isinstance(d, dt.date) else str(d) for d in days})
        )

    derived_ids = True

    def new_id(self, values: dict[str, Any]) -> str:
        return link_id(self.entity, values["session_id"], values["contact_id"])

    def duplicate_message(self) -> str:
        return _("This person is already registered for the session.")

    def check_in_database(
        self, c: Checker, session: Session, current: ParticipationRecord | None
    ) -> None:
        training = session.get(TrainingSession, c.values["session_id"])
        if training is None:
            return
        self._check_days(c, training)
        if current is not None and current.session_id != c.values["session_id"]:
            c.add("session_id", _("A registration cannot move to another session."))
            return
        status = c.values["registration_status"]
        was_seated = current is not None and current.registration_status in SEATED
        full = status in SEATED and not was_seated
        if full and _seated_count(session, training.id) >= training.capacity:
            c.add(
                "registration_status",
                _(
                    "The session is full ({capacity} places); put the person on the waiting list."
                ).format(capacity=training.capacity),
            )

    def check_batch_in_database(self, session: Session, checkers: list[Checker]) -> None:
        sessions = {
            s.id: s
            for s in session.scalars(
                select(TrainingSession).where(
                    TrainingSession.id.in_({c.values["session_id"] for c in checkers})
                )
            )
        }
        seated: Counter[str] = Counter()
        for session_id, count in session.execute(
            select(Participation.session_id, func.count())
            .where(
                Participation.session_id.in_(sessions),
                Participation.deleted.is_(False),
                Participation.registration_status.in_(SEATED),
            )
            .group_by(Participation.session_id)
        ):
            seated[session_id] = count
        for c in checkers:
            training = sessions[c.values["session_id"]]
            self._check_days(c, training)
            if c.values["registration_status"] in SEATED:
                seated[training.id] += 1
                if seated[training.id] > training.capacity:
                    c.add(
                        "registration_status",
                        _("The session is full ({capacity} places).").format(
                            capacity=training.capacity
                        ),
                    )

    @staticmethod
    def _check_days(c: Checker, training: TrainingSession) -> None:
        foreign = set(c.values["days_attended"]) - set(training.days)
        if foreign:
            c.add(
                "days_attended",
                _("The session has no day {days}.").format(days=", ".join(sorted(foreign))),
            )

    def register(
        self,
        session_id: str,
        contact_id: str,
        *,
        status: RegistrationStatus = RegistrationStatus.REGISTERED,
    ) -> ParticipationRecord:
        """Register a person for a session (their organisation is taken from the contact)."""
        with self._context.read() as session:
            contact = session.get(Contact, contact_id)
            organisation_id = contact.organisation_id if contact is not None else None
        return self.create(
            ParticipationDraft(
                session_id=session_id,
                contact_id=contact_id,
                organisation_id=organisation_id,
                registration_status=status,
            )
        )

    def mark_attendance(self, participation_id: str, day: dt.date | str, present: bool) -> None:
        """Record whether the participant attended on ``day``."""
        current = self.get(participation_id)
        iso = day.isoformat() if isinstance(day, dt.date) else str(day)
        days = set(current.days_attended)
        if present:
            days.add(iso)
        else:
            days.discard(iso)
        self.change(participation_id, days_attended=tuple(days))

    def for_session(self, session_id: str) -> list[ParticipationRecord]:
        """Every live registration of a session."""
        with self._context.read() as session:
            rows = session.scalars(
                select(Participation).where(
                    Participation.session_id == session_id, Participation.deleted.is_(False)
                )
            )
            return [self._to_record(r) for r in rows]

    def roster(self, session_id: str) -> list[Registrant]:
        """A session's registrations with the person's and organisation's names, by name."""
        statement = (
            select(
                Participation,
                Contact.given_name,
                Contact.family_name,
                Organisation.name,
                Organisation.stakeholder_type,
                Certificate.number,
            )
            .join(Contact, Contact.id == Participation.contact_id)
            .outerjoin(Organisation, Organisation.id == Participation.organisation_id)
            .outerjoin(
                Certificate,
                (Certificate.participation_id == Participation.id) & Certificate.deleted.is_(False),
            )
            .where(Participation.session_id == session_id, Participation.deleted.is_(False))
            .order_by(Contact.family_name, Contact.given_name, Participation.id)
        )
        with self._context.read() as session:
            return [
                Registrant(
                    participation=self._to_record(row),
                    name=f"{given} {family}".strip(),
                    organisation_name=organisation or "",
                    organisation_is_sme=kind == StakeholderType.SME,
                    certificate_number=number,
                )
                for row, given, family, organisation, kind, number in session.execute(statement)
            ]


@dataclass(frozen=True, kw_only=True)
class SmeFollowUpDraft:
    """A later check on what an SME did after training."""

    organisation_id: str
    followed_up_on: dt.date
    measures_implemented: str
    session_id: str | None = None
    outcome: str = ""


@dataclass(frozen=True, kw_only=True)
class SmeFollowUpRecord(SmeFollowUpDraft):
    id: str


class SmeFollowUpService(RecordService[SmeFollowUpDraft, SmeFollowUpRecord]):
    """Follow-ups of SMEs after training."""

    model = SmeFollowUp
    draft_type = SmeFollowUpDraft
    record_type = SmeFollowUpRecord
    entity = "sme_follow_up"
    references = {"organisation_id": Organisation, "session_id": TrainingSession}

    def check(self, c: Checker) -> None:
        c.date("followed_up_on")
        c.text("measures_implemented", required=True, max_length=20_000)
        c.text("outcome", max_length=20_000)

    def check_in_database(
        self, c: Checker, session: Session, current: SmeFollowUpRecord | None
    ) -> None:
        self._check_all(session, [c])

    def check_batch_in_database(self, session: Session, checkers: list[Checker]) -> None:
        self._check_all(session, checkers)

    @staticmethod
    def _check_all(session: Session, checkers: list[Checker]) -> None:
        kinds = dict(
            session.execute(
                select(Organisation.id, Organisation.stakeholder_type).where(
                    Organisation.id.in_({c.values["organisation_id"] for c in checkers})
                )
            ).all()
        )
        first_days = dict(
            session.execute(
                select(TrainingSession.id, TrainingSession.first_day).where(
                    TrainingSession.id.in_({c.values["session_id"] for c in checkers} - {None})
                )
            ).all()
        )
        for c in checkers:
            if kinds.get(c.values["organisation_id"], StakeholderType.SME) != StakeholderType.SME:
                c.add("organisation_id", _("Follow-ups are recorded for SMEs only."))
            first_day = first_days.get(c.values["session_id"])
            followed = c.values["followed_up_on"]
            if first_day is not None and isinstance(followed, dt.date) and followed < first_day:
                c.add("followed_up_on", _("The follow-up is dated before the training."))

    def for_session(self, session_id: str) -> list[SmeFollowUpRecord]:
        """The live follow-ups recorded after a session, oldest first."""
        return self._live_where(
            SmeFollowUp.session_id == session_id,
            order_by=(
                SmeFollowUp.followed_up_on,
                SmeFollowUp.id,
            ),
        )


@dataclass(frozen=True, kw_only=True)
class Registrant:
    """A registration as a session's pages show it: with names and any certificate."""

    participation: ParticipationRecord
    name: str
    organisation_name: str = ""
    organisation_is_sme: bool = False
    certificate_number: str | None = None

    @property
    def seated(self) -> bool:
        """Whether the registration takes a seat (registered or confirmed)."""
        return self.participation.registration_status in SEATED


@dataclass(frozen=True, kw_only=True)
class SessionFigures:
    """The people seated in a session, counted by group (most first), and their averages.

    Each count is a (value, count) pair; the value is None where it is not
    known (no organisation, no sector, not an SME).
    """

    participants: int
    by_gender: tuple[tuple[Gender | None, int], ...]
    by_country: tuple[tuple[str | None, int], ...]
    by_sector: tuple[tuple[str | None, int], ...]
    by_size: tuple[tuple[SizeClass | None, int], ...]
    pre_test_average: decimal.Decimal | None
    post_test_average: decimal.Decimal | None
    rating_average: decimal.Decimal | None
