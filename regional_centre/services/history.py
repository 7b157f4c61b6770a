"""A record's audit trail as sentences a user reads: who changed which field from what to what, when."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from regional_centre.db.models import (
    Contact,
    Dialogue,
    JointActivity,
    Organisation,
    Participation,
    Partnership,
    TrainingSession,
)
from regional_centre.enums import AuditAction
from regional_centre.i18n import _, current_language, in_sentence
from regional_centre.services.audit import AuditRecord, AuditService
from regional_centre.services.context import ServiceContext
from regional_centre.services.fields import (
    FIELD_LABELS,
    ValueFormat,
    ValueKind,
    entity_label,
    field_label,
    value_format,
)
from regional_centre.services.records import batched
from regional_centre.services.reference import ReferenceService

SHORT_TEXT = 60  # characters of a free text shown in a history line
_IN_CHUNK = 900  # ids per IN (...) list, under every database's parameter limit


@dataclass(frozen=True)
class HistoryLine:
    """One readable line of a record's history."""

    at: dt.datetime  # UTC, as the audit trail records it
    actor: str
    text: str


def shorten(text: str, limit: int = SHORT_TEXT) -> str:
    """``text`` on one line, cut to at most ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


def is_empty(value: Any) -> bool:
    """Whether an audited value means "nothing entered"."""
    return value is None or value == "" or value == [] or value == ()


class HistoryService:
    """Turns the audit trail of a record into sentences."""

    def __init__(self, context: ServiceContext, reference: ReferenceService) -> None:
        self._context = context
        self._reference = reference
        self._audit = AuditService(context)

    def describe(self, record_id: str, *, language: str | None = None) -> list[HistoryLine]:
        """The history of one record, oldest first.

        The sentences are in the current language; dates, numbers, country and
        language names are written as ``language`` (default: the current one) writes them.
        """
        language = language or current_language()
        entries = self._audit.history(record_id)
        names = self._names(entries)
        values = _Values(self._reference, language, names)
        lines: list[HistoryLine] = []
        for entry in entries:
            lines.extend(
                HistoryLine(entry.at, entry.actor, text) for text in _sentences(entry, values)
            )
        return lines

    def _names(self, entries: list[AuditRecord]) -> dict[tuple[str, str], str]:
        """The names of the records the entries' reference fields point at, by (entity, id)."""
        wanted: dict[str, set[str]] = {}
        for entry in entries:
            if entry.action != AuditAction.UPDATE:  # only changes show values
                continue
            for field, change in entry.changes.items():
                target = value_format(entry.entity, field).entity
                if target is None or not isinstance(change, list):
                    continue
                ids = wanted.setdefault(target, set())
                ids.update(v for v in change if isinstance(v, str) and v)
        if not wanted:
            return {}
        names: dict[tuple[str, str], str] = {}
        with self._context.read() as session:
            for entity, ids in wanted.items():
                lookup = _NAME_LOOKUPS.get(entity)
                if lookup is None:
                    continue
                for chunk in batched(ids, _IN_CHUNK):
                    names.update(((entity, i), name) for i, name in lookup(session, chunk) if name)
        return names


def _sentences(entry: AuditRecord, values: _Values) -> list[str]:
    """The lines one audit entry reads as (none for one that is not about a single record)."""
    actor = entry.actor
    date = values.date(entry.at.date())
    entity = in_sentence(entity_label(entry.entity))
    whole = {
        AuditAction.CREATE: _("{actor} created this {entity} on {date}"),
        AuditAction.DELETE: _("{actor} deleted this {entity} on {date}"),
        AuditAction.RESTORE: _("{actor} restored this {entity} on {date}"),
    }
    if entry.action in whole:
        return [whole[entry.action].format(actor=actor, entity=entity, date=date)]
    if entry.action != AuditAction.UPDATE:
        return []
    lines = []
    for field in _in_form_order(entry.entity, entry.changes):
        change = entry.changes[field]
        if not isinstance(change, list) or len(change) != 2:
            continue
        fmt = value_format(entry.entity, field)
        old, new = (values.show(fmt, v) for v in change)
        label = field_label(entry.entity, field)
        if not old and not new:
            continue
        if not old:
            text = _("{actor} set {field} to {new} on {date}").format(
                actor=actor, field=label, new=new, date=date
            )
        elif not new:
            text = _("{actor} cleared {field} on {date}").format(
                actor=actor, field=label, date=date
            )
        else:
            text = _("{actor} changed {field} from {old} to {new} on {date}").format(
                actor=actor, field=label, old=old, new=new, date=date
            )
        lines.append(text)
    return lines


def _in_form_order(entity: str, changes: dict[str, Any]) -> list[str]:
    """The changed fields in the order the form shows them; unknown ones last, by name."""
    order = {field: position for position, field in enumerate(FIELD_LABELS.get(entity, {}))}
    return sorted(changes, key=lambda f: (order.get(f, len(order)), f))


class _Values:
    """Shows audited values (JSON: enum values, ISO dates, decimals as text) readably."""

    def __init__(
        self, reference: ReferenceService, language: str, names: dict[tuple[str, str], str]
    ) -> None:
        self._reference = reference
        self._language = language
        self._names = names

    def date(self, day: dt.date) -> str:
        """A day in the long form of the language ("3 May 2027")."""
        return format_date(day, format="long", locale=self._language)

    def show(self, fmt: ValueFormat, value: Any) -> str:
        """``value`` as text; an empty text for an empty value."""
        if is_empty(value):
            return ""
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, list | tuple):
            return self._show_many(fmt, value)
        return self._show_one(fmt, value)

    def _show_many(self, fmt: ValueFormat, values: Iterable[Any]) -> str:
        one, separator = fmt, ", "
        if fmt.kind is ValueKind.DATES:
            # Long dates may hold commas themselves ("March 1, 2027").
            one, separator = ValueFormat(ValueKind.DATE), "; "
        elif fmt.kind is ValueKind.CODES:
            one = ValueFormat(ValueKind.CODE, code_lists=fmt.code_lists)
        elif fmt.kind is ValueKind.TEXTS:
            return shorten(", ".join(str(v) for v in values))
        return separator.join(self._show_one(one, v) for v in values if not is_empty(v))

    def _show_one(self, fmt: ValueFormat, value: Any) -> str:
        kind = fmt.kind
        if kind is ValueKind.CHOICE and fmt.choices is not None:
            try:
                return fmt.choices(value).label()
            except ValueError:
                return str(value)
        if kind is ValueKind.COUNTRY:
            return self._reference.country_name(str(value), self._language)
        if kind in (ValueKind.CODE, ValueKind.CODES):
            return self._code_title(fmt.code_lists, str(value))
        if kind in (ValueKind.DATE, ValueKind.DATES):
            try:
                return self.date(dt.date.fromisoformat(str(value)[:10]))
            except ValueError:
                return str(value)
        if kind is ValueKind.NUMBER:
            try:
                return format_decimal(decimal.Decimal(str(value)), locale=self._language)
            except decimal.InvalidOperation:
                return str(value)
        if kind is ValueKind.REFERENCE and fmt.entity is not None:
            return self._names.get((fmt.entity, str(value)), str(value))
        if kind is ValueKind.LANGUAGE:
            return self._language_name(str(value))
        if kind is ValueKind.CURRENCY:
            return str(value)
        return shorten(str(value))

    def _code_title(self, lists: tuple[str, ...], code: str) -> str:
        for list_name in lists:
            entry = self._reference.codes(list_name).get(code)
            if entry is not None:
                return entry.title or code
        return code

    def _language_name(self, code: str) -> str:
        try:
            name = Locale.parse(code).get_display_name(self._language)
        except (ValueError, UnknownLocaleError):
            return code
        return name or code


def _organisation_names(session: Session, ids: list[str]) -> Iterable[tuple[str, str]]:
    rows = session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return [(i, name) for i, name in rows]


def _contact_names(session: Session, ids: list[str]) -> Iterable[tuple[str, str]]:
    rows = session.execute(
        select(Contact.id, Contact.given_name, Contact.family_name).where(Contact.id.in_(ids))
    )
    return [(i, f"{given} {family}".strip()) for i, given, family in rows]


def _titles(model: Any) -> Callable[[Session, list[str]], Iterable[tuple[str, str]]]:
    def lookup(session: Session, ids: list[str]) -> Iterable[tuple[str, str]]:
        rows = session.execute(select(model.id, model.title).where(model.id.in_(ids)))
        return [(i, title) for i, title in rows]

    return lookup


def _participation_names(session: Session, ids: list[str]) -> Iterable[tuple[str, str]]:
    rows = session.execute(
        select(Participation.id, Contact.given_name, Contact.family_name, TrainingSession.title)
        .outerjoin(Contact, Contact.id == Participation.contact_id)
        .outerjoin(TrainingSession, TrainingSession.id == Participation.session_id)
        .where(Participation.id.in_(ids))
    )
    names = []
    for i, given, family, title in rows:
        person = f"{given or ''} {family or ''}".strip()
        if person and title:
            names.append((i, _("{person} in {session}").format(person=person, session=title)))
        else:
            names.append((i, person or title or ""))
    return names


# How to name the records a reference field may point at, deleted ones included:
# the history of a record outlives what it linked to.
_NAME_LOOKUPS: dict[str, Callable[[Session, list[str]], Iterable[tuple[str, str]]]] = {
    "organisation": _organisation_names,
    "contact": _contact_names,
    "dialogue": _titles(Dialogue),
    "partnership": _titles(Partnership),
    "joint_activity": _titles(JointActivity),
    "training_session": _titles(TrainingSession),
    "participation": _participation_names,
}

__all__ = ["SHORT_TEXT", "HistoryLine", "HistoryService", "is_empty", "shorten"]
