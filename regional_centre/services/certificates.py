"""Certificates of participation: issued to those who met a session's attendance rule, verifiable by code."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regional_centre.db.models import Certificate, Contact, Participation, TrainingSession
from regional_centre.i18n import _
from regional_centre.services.errors import NotFound
from regional_centre.services.records import RecordService, link_id
from regional_centre.services.training import SEATED, days_needed
from regional_centre.services.validation import Checker

# Unambiguous letters and digits for verification codes (no 0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, kw_only=True)
class CertificateRecord:
    """An issued certificate of participation."""

    id: str
    participation_id: str
    number: str
    issued_on: dt.date
    verification_code: str


@dataclass(frozen=True, kw_only=True)
class CertificateDraft:
    participation_id: str
    number: str
    issued_on: dt.date
    verification_code: str


class CertificateService(RecordService[CertificateDraft, CertificateRecord]):
    """Certificates for participants who met the session's attendance rule."""

    model = Certificate
    draft_type = CertificateDraft
    record_type = CertificateRecord
    entity = "certificate"
    references = {"participation_id": Participation}

    def check(self, c: Checker) -> None:
        c.text("number", required=True, max_length=40)
        c.text("verification_code", required=True, max_length=40)
        c.date("issued_on")

    derived_ids = True

    def new_id(self, values: dict[str, Any]) -> str:
        return link_id(self.entity, values["participation_id"])

    def duplicate_message(self) -> str:
        return _("A certificate was already issued for this participation.")

    def check_in_database(
        self, c: Checker, session: Session, current: CertificateRecord | None
    ) -> None:
        participation = session.get(Participation, c.values["participation_id"])
        if participation is None:
            return
        training = session.get(TrainingSession, participation.session_id)
        assert training is not None
        self._check_eligible(c, participation, training)
        # The row this certificate is (or becomes, when a deleted one is restored) may
        # hold the number already; any other row holding it, deleted or not, is a clash.
        own_id = current.id if current else self.new_id(c.values)
        taken = session.scalar(
            select(Certificate.id).where(
                Certificate.number == c.values["number"], Certificate.id != own_id
            )
        )
        if taken:
            c.add(
                "number",
                _("Certificate number {number} is already used.").format(number=c.values["number"]),
            )

    def check_batch_in_database(self, session: Session, checkers: list[Checker]) -> None:
        numbers = Counter(c.values["number"] for c in checkers)
        taken = set(
            session.scalars(select(Certificate.number).where(Certificate.number.in_(numbers)))
        )
        for c in checkers:
            number = c.values["number"]
            if number in taken:
                c.add(
                    "number",
                    _("Certificate number {number} is already used.").format(number=number),
                )
            elif numbers[number] > 1:
                c.add(
                    "number", _("Two certificates have the number {number}.").format(number=number)
                )
        participations = {
            p.id: p
            for p in session.execute(
                select(
                    Participation.id,
                    Participation.session_id,
                    Participation.registration_status,
                    Participation.days_attended,
                ).where(Participation.id.in_({c.values["participation_id"] for c in checkers}))
            )
        }
        sessions = {
            s.id: s
            for s in session.execute(
                select(
                    TrainingSession.id, TrainingSession.days, TrainingSession.attendance_threshold
                ).where(TrainingSession.id.in_({p.session_id for p in participations.values()}))
            )
        }
        for c in checkers:
            participation = participations[c.values["participation_id"]]
            self._check_eligible(c, participation, sessions[participation.session_id])

    @staticmethod
    def _check_eligible(c: Checker, participation: Any, training: Any) -> None:
        """Whether the participation (a row or record) met the session's attendance rule."""
        needed = days_needed(len(training.days), training.attendance_threshold)
        attended = len(set(participation.days_attended) & set(training.days))
        if participation.registration_status not in SEATED:
            c.add("participation_id", _("Only a registered participant can get a certificate."))
        elif attended < needed:
            c.add(
                "participation_id",
                _(
                    "Attended {attended} of {days} days; {needed} are needed for a certificate."
                ).format(attended=attended, days=len(training.days), needed=needed),
            )

    def issue(
        self, participation_id: str, *, issued_on: dt.date | None = None, number: str | None = None
    ) -> CertificateRecord:
        """Issue the certificate of a participant who met the attendance rule."""
        issued_on = issued_on or dt.date.today()
        return self.create(
            CertificateDraft(
                participation_id=participation_id,
                number=number or self.next_number(issued_on.year),
                issued_on=issued_on,
                verification_code=new_verification_code(),
            )
        )

    def next_number(self, year: int, offset: int = 0) -> str:
        """The next free certificate number of this centre for ``year`` (``offset`` further on)."""
        prefix = f"{self._context.node.owner}-{year}-"
        with self._context.read() as session:
            last = session.scalar(
                select(func.max(Certificate.number)).where(Certificate.number.like(f"{prefix}%"))
            )
        sequence = int(last.rsplit("-", 1)[1]) if last else 0
        return f"{prefix}{sequence + 1 + offset:06d}"

    def verify(self, code: str) -> CertificateRecord:
        """The live certificate with verification ``code``; NotFound for a forged or unknown one."""
        letters = re.sub(r"[^A-Z0-9]", "", code.upper())
        normalised = f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"
        with self._context.read() as session:
            row = session.scalars(
                select(Certificate).where(
                    Certificate.verification_code == normalised, Certificate.deleted.is_(False)
                )
            ).one_or_none()
            if row is None:
                raise NotFound(
                    _("No certificate has the verification code {code}.").format(code=code)
                )
            return self._to_record(row)

    def verified(self, code: str) -> VerifiedCertificate:
        """What a genuine certificate with verification ``code`` says; NotFound for a forged one."""
        certificate = self.verify(code)
        statement = (
            select(Contact.given_name, Contact.family_name, TrainingSession)
            .join(Participation, Participation.contact_id == Contact.id)
            .join(TrainingSession, TrainingSession.id == Participation.session_id)
            .where(Participation.id == certificate.participation_id)
        )
        with self._context.read() as session:
            given, family, training = session.execute(statement).one()
            return VerifiedCertificate(
                certificate=certificate,
                name=f"{given} {family}".strip(),
                session_title=training.title,
                days=tuple(sorted(training.days)),
                hours=training.hours_per_day * len(training.days),
                centre=training.owner,
            )

    def draft_for(
        self, participation_id: str, *, issued_on: dt.date | None = None, offset: int = 0
    ) -> CertificateDraft:
        """The certificate ``issue`` would create (``offset`` numbers further on), to create later."""
        issued_on = issued_on or dt.date.today()
        return CertificateDraft(
            participation_id=participation_id,
            number=self.next_number(issued_on.year, offset),
            issued_on=issued_on,
            verification_code=new_verification_code(),
        )

    def for_session(self, session_id: str) -> list[IssuedCertificate]:
        """The live certificates of a session's participants, by number."""
        statement = (
            select(Certificate, Contact.given_name, Contact.family_name)
            .join(Participation, Participation.id == Certificate.participation_id)
            .join(Contact, Contact.id == Participation.contact_id)
            .where(Participation.session_id == session_id, Certificate.deleted.is_(False))
            .order_by(Certificate.number)
        )
        with self._context.read() as session:
            return [
                IssuedCertificate(
                    certificate=self._to_record(row), name=f"{given} {family}".strip()
                )
                for row, given, family in session.execute(statement)
            ]


@dataclass(frozen=True, kw_only=True)
class IssuedCertificate:
    """A certificate with the name of the person it was issued to."""

    certificate: CertificateRecord
    name: str


@dataclass(frozen=True, kw_only=True)
class VerifiedCertificate:
    """A genuine certificate and what it certifies."""

    certificate: CertificateRecord
    name: str
    session_title: str
    days: tuple[str, ...]
    hours: decimal.Decimal
    centre: str


def new_verification_code() -> str:
    """A random code, 12 characters in three groups (about 59 bits), easy to read out."""
    number = secrets.randbits(60)
    letters = []
    for _position in range(12):
        number, digit = divmod(number, len(_CODE_ALPHABET))
        letters.append(_CODE_ALPHABET[digit])
    raw = "".join(letters)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
