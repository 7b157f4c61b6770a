"""Lists of records for the screens: searched, filtered, sorted and paged by the database.

A list never loads every row: the caller asks for a page (``offset``, ``limit``)
of a ``ListQuery`` and gets plain ``ListRow`` values. Each kind of list names
its columns, what the search looks through (names, acronyms, people, codes) and
which filters apply.

Dates and numbers are sorted by the database. Text is not: SQLite compares it by
code point, so "Égypte" would follow "Zambia". The matching records' ids and sort
values are read instead, put in order by a ``TextOrder``, and the page's rows read
by id; the order is kept until a change is written, so scrolling down does not sort
the list again. The screens hand over their language's collation (``sort_text_with``), which
knows each language's rules (Spanish "ñ", Chinese by pinyin); without it, as on the
command line, ``accent_blind`` compares letters without their accents or case.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from regional_centre.db.models import (
    Contact,
    Dialogue,
    JointActivity,
    Organisation,
    Partnership,
    TrainingSession,
)
from regional_centre.enums import (
    Choice,
)
from regional_centre.services.context import CLOCK_SHIFT, ServiceContext
from regional_centre.services.list_kinds import (
    LISTINGS,
    Column,
    Display,
    Expression,
    Kind,
    Listing,
    escape_like,
)
from regional_centre.services.snapshot import change_mark


@dataclass(frozen=True)
class ListQuery:
    """What the user asked to see: search text, filters and sort order.

    Filters left at None do not apply. ``sort`` names a column key;
    ``descending`` reverses it. ``date_from``/``date_to`` apply to the list's
    date (when a dialogue was held, a session began, a partner was added...).
    """

    search: str = ""
    country: str | None = None
    sector: str | None = None
    stakeholder_type: str | None = None
    engagement_stage: str | None = None
    waste_stream: str | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue_only: bool = False
    gender: str | None = None
    sort: str | None = None
    descending: bool = False


FILTERS = (
    "country",
    "sector",
    "stakeholder_type",
    "engagement_stage",
    "waste_stream",
    "status",
    "date_from",
    "date_to",
    "overdue_only",
    "gender",
)


@dataclass(frozen=True)
class ListRow:
    """One row of a list: the record's id and its values in column order."""

    id: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Option:
    """A record offered by a picker: its id and how it reads."""

    id: str
    label: str


# The order the user's language sorts the values of one column in, as they are shown: their
# positions, ascending, equal ones kept in the order given (a stable sort). The values come
# sorted by the database (by code point, then by id), which a collator finds nearly in order.
TextOrder = Callable[[Column, Sequence[Any]], Sequence[int]]

# The columns whose values are shown as text: names, titles, choices, countries, codes.
TEXT_DISPLAYS = frozenset({Display.TEXT, Display.CHOICE, Display.COUNTRY, Display.CODES})


def accent_blind(column: Column, values: Sequence[Any]) -> list[int]:
    """The ``TextOrder`` without a collator: letters compared without accents or case, then as written.

    "Égypte" sorts beside "Egypte", and "ё" beside "е". It knows no language's own
    rules; the screens' collator does.
    """

    def key(position: int) -> tuple[str, str]:
        text = "" if values[position] is None else str(values[position])
        letters = unicodedata.normalize("NFKD", text.casefold())
        return "".join(c for c in letters if not unicodedata.combining(c)), text

    return sorted(range(len(values)), key=key)


def day_stamp(day: dt.date) -> str:
    """The smallest change stamp of a change made on ``day`` (UTC): stamps compare as text."""
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return f"{int(midnight.timestamp() * 1000) << CLOCK_SHIFT:016x}"


class ListService:
    """Pages of each kind of list, and the records pickers offer."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._listings = {kind: make() for kind, make in LISTINGS.items()}
        self._text_order: TextOrder = accent_blind
        # The last list sorted by text: (kind, query, order, change mark) and its ids in order.
        self._sorted: tuple[tuple[Any, ...], list[str]] | None = None

    def sort_text_with(self, order: TextOrder) -> None:
        """Sort text columns with ``order`` from now on (the screens' collation)."""
        self._text_order = order

    def columns(self, kind: Kind) -> Sequence[Column]:
        """The columns of a list, in their default order."""
        return self._listings[kind].columns

    def filters(self, kind: Kind) -> frozenset[str]:
        """Which ``ListQuery`` filters apply to a list."""
        listing = self._listings[kind]
        names = set(listing.filters)
        if listing.date is not None or listing.period is not None or listing.model is Organisation:
            names |= {"date_from", "date_to"}
        return frozenset(names)

    def status_choices(self, kind: Kind) -> type[Choice] | None:
        """The vocabulary the status filter of a list offers."""
        return self._listings[kind].status_choices

    def count(self, kind: Kind, query: ListQuery) -> int:
        """How many records match ``query``."""
        listing = self._listings[kind]
        statement = (
            listing.base()
            .with_only_columns(func.count(listing.model.id))
            .where(*self._conditions(listing, query))
        )
        with self._context.read() as session:
            return session.scalar(statement) or 0

    def page(self, kind: Kind, query: ListQuery, offset: int, limit: int) -> list[ListRow]:
        """Rows ``offset`` to ``offset + limit`` of the list that ``query`` asks for."""
        listing = self._listings[kind]
        if self._text_sort(listing, query) is not None:
            return self.rows(kind, self.matching(kind, query)[offset : offset + limit])
        keys = [c.key for c in listing.columns]
        statement = (
            self._ordered(listing, query)
            .add_columns(*(listing.expressions[k] for k in keys))
            .offset(offset)
            .limit(limit)
        )
        with self._context.read() as session:
            return [ListRow(row[0], tuple(row[1:])) for row in session.execute(statement)]

    def matching(self, kind: Kind, query: ListQuery) -> list[str]:
        """The ids of every record ``query`` shows, in the list's order (for printing it)."""
        listing = self._listings[kind]
        text_sort = self._text_sort(listing, query)
        if text_sort is None:
            with self._context.read() as session:
                return list(session.scalars(self._ordered(listing, query)))
        column, order = text_sort
        _sort_key, descending = self._sort(listing, query)
        value = listing.expressions[column.key]
        statement = (
            listing.base()
            .add_columns(value)
            .where(*self._conditions(listing, query))
            .order_by(value, listing.model.id)  # see TextOrder
        )
        with self._context.read() as session:
            key = (kind, query, order, change_mark(session))
            kept = self._sorted
            if kept is not None and kept[0] == key:
                return list(kept[1])
            rows = session.execute(statement).all()
        ids = [rows[position][0] for position in order(column, [row[1] for row in rows])]
        if descending:
            ids.reverse()
        self._sorted = (key, ids)
        return list(ids)

    def _sort(self, listing: Listing, query: ListQuery) -> tuple[str, bool]:
        """The key of the column ``query`` sorts by, and whether downwards."""
        if query.sort in listing.expressions:
            return query.sort, query.descending
        return listing.default_sort

    def _text_sort(self, listing: Listing, query: ListQuery) -> tuple[Column, TextOrder] | None:
        """The column and the ``TextOrder`` to sort by, when the list is sorted by text."""
        sort_key, _descending = self._sort(listing, query)
        for column in listing.columns:
            if column.key == sort_key and column.display in TEXT_DISPLAYS:
                return column, self._text_order
        return None

    def _ordered(self, listing: Listing, query: ListQuery) -> Select[Any]:
        """The ids of the records ``query`` asks for, sorted by the database."""
        sort_key, descending = self._sort(listing, query)
        sort = listing.expressions[sort_key]
        order = [
            sort.desc() if descending else sort.asc(),
            listing.model.id.desc() if descending else listing.model.id.asc(),
        ]
        return listing.base().where(*self._conditions(listing, query)).order_by(*order)

    def rows(self, kind: Kind, ids: Sequence[str]) -> list[ListRow]:
        """The rows of the given records (for refreshing them or exporting a selection)."""
        listing = self._listings[kind]
        keys = [c.key for c in listing.columns]
        found: dict[str, ListRow] = {}
        with self._context.read() as session:
            for start in range(0, len(ids), 900):
                chunk = list(ids[start : start + 900])
                statement = (
                    listing.base()
                    .add_columns(*(listing.expressions[k] for k in keys))
                    .where(listing.model.id.in_(chunk), *listing.where)
                )
                for row in session.execute(statement):
                    found[row[0]] = ListRow(row[0], tuple(row[1:]))
        return [found[i] for i in ids if i in found]

    def options(
        self, kind: Kind, text: str, *, limit: int = 20, within: str | None = None
    ) -> list[Option]:
        """Records a picker offers for ``text`` (best matches first).

        ``within`` narrows people to one organisation's.
        """
        listing = self._listings[kind]
        label = self._label(kind)
        conditions = list(listing.where)
        if text.strip():
            conditions.append(self._search(listing, text))
        if within is not None and kind is Kind.CONTACTS:
            conditions.append(Contact.organisation_id == within)
        sort, descending = listing.default_sort
        order = listing.expressions[sort]
        statement = (
            listing.base()
            .add_columns(label)
            .where(*conditions)
            .order_by(order.desc() if descending else order.asc(), listing.model.id)
            .limit(limit)
        )
        with self._context.read() as session:
            return [Option(row[0], row[1] or "") for row in session.execute(statement)]

    def label(self, kind: Kind, record_id: str) -> str:
        """How one record reads in a picker; '' when it does not exist."""
        listing = self._listings[kind]
        statement = (
            listing.base().add_columns(self._label(kind)).where(listing.model.id == record_id)
        )
        with self._context.read() as session:
            row = session.execute(statement).first()
        return (row[1] or "") if row is not None else ""

    @staticmethod
    def _label(kind: Kind) -> Expression:
        if kind in (Kind.ORGANISATIONS, Kind.PARTNERS, Kind.SMES):
            return Organisation.name
        if kind is Kind.CONTACTS:
            return func.trim(Contact.given_name + literal(" ") + Contact.family_name)
        if kind is Kind.SESSIONS:
            return TrainingSession.title
        if kind is Kind.DIALOGUES:
            return Dialogue.title
        if kind is Kind.PARTNERSHIPS:
            return Partnership.title
        return JointActivity.title

    def _conditions(self, listing: Listing, query: ListQuery) -> list[Expression]:
        conditions = list(listing.where)
        if query.search.strip():
            conditions.append(self._search(listing, query.search))
        for name, make in listing.filters.items():
            value = getattr(query, name)
            if value not in (None, "", False):
                conditions.append(make(value))
        if query.date_from or query.date_to:
            conditions.extend(self._period(listing, query.date_from, query.date_to))
        return conditions

    @staticmethod
    def _period(listing: Listing, start: dt.date | None, end: dt.date | None) -> list[Expression]:
        if listing.period is not None:
            return listing.period(start, end)
        if listing.date is not None:
            return [
                *([listing.date >= start] if start else []),
                *([listing.date <= end] if end else []),
            ]
        # Organisations: when they were added, from the stamp of their creation.
        created = listing.model.created_stamp
        return [
            *([created >= day_stamp(start)] if start else []),
            *([created < day_stamp(end + dt.timedelta(days=1))] if end else []),
        ]

    def _search(self, listing: Listing, text: str) -> Expression:
        """Every word of ``text`` appears in one of the searched fields (or a person's name)."""
        clauses = []
        for word in text.split():

            def contains(expression: Any, word: str = word) -> Expression:
                return self._contains(expression, word)

            fields = [contains(e) for e in listing.search]
            fields += [related(contains) for related in listing.related]
            if listing.people_of is not None:
                # Not correlated: the matching people are found once, not once per row.
                person = aliased(Contact)
                fields.append(
                    listing.people_of.in_(
                        select(person.organisation_id).where(
                            person.deleted.is_(False),
                            or_(
                                contains(person.family_name),
                                contains(person.given_name),
                                contains(person.email),
                            ),
                        )
                    )
                )
            clauses.append(or_(*fields))
        return and_(*clauses)

    def _contains(self, expression: Any, word: str) -> Expression:
        pattern = f"%{escape_like(word)}%"
        if word.isascii():
            # LIKE ignores the case of ASCII letters in SQLite; ILIKE does so everywhere.
            return expression.ilike(pattern, escape="\\")
        if self._context.database.url.get_backend_name() == "sqlite":
            # SQLite folds only ASCII: the engine registers a Unicode case fold.
            folded = f"%{escape_like(word.casefold())}%"
            return func.rc_fold(expression).like(folded, escape="\\")
        return expression.ilike(pattern, escape="\\")


__all__ = [
    "FILTERS",
    "Column",
    "Display",
    "Kind",
    "ListQuery",
    "ListRow",
    "ListService",
    "Option",
    "TextOrder",
]
