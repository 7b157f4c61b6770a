"""Training tallies: the participation facts added up per day and centre, kept by triggers.

A year of a busy centre is tens of thousands of participations, but a few hundred
session days. The training figures group the period's participations by the
person's country and gender, by the organisation's sector and size, and add up
the test scores and ratings; so each of these groupings is kept here already
counted for each day's sessions of each centre (``tally_people``,
``tally_firms``, ``tally_scores``), and a period's figures add up a few thousand
rows instead of grouping every participation.

``first_training`` keeps, for each organisation and centre, the first day of a
session of that centre where it had a counted participation: the SMEs reached
for the first time in a period are those whose first day falls in it.

``tally_reach`` counts, for each year, centre and SME (by its number), the SME's
counted participations in that year's sessions of that centre. The SMEs a year
reached are then its few rows per SME, not the year's every participation; the
days of a period outside its whole years are read from the facts.

Like the facts (``regional_centre.db.facts``), the tallies are derived and
local, and SQLite's triggers on ``participation_fact`` keep them; ``drift``
compares them with the facts. Migration 0005 created them in older databases.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

# A participation counted in both tests, and its scores as whole tenths (so that sums are exact).
_TESTED = "{row}.pre_test_score IS NOT NULL AND {row}.post_test_score IS NOT NULL"


def _tenths(column: str) -> str:
    return f"CASE WHEN {_TESTED} THEN CAST(round({{row}}.{column} * 10) AS INTEGER) ELSE 0 END"


@dataclass(frozen=True)
class Tally:
    """A tally table: its keys besides the day and centre, and each column's share of one fact.

    The first column counts the facts; a row whose count falls to 0 is removed.
    """

    table: str
    keys: tuple[str, ...]
    columns: dict[str, str]

    @property
    def grouped_by(self) -> tuple[str, ...]:
        return ("first_day", "centre", *self.keys)

    @property
    def counter(self) -> str:
        return next(iter(self.columns))

    def share(self, column: str, row: str) -> str:
        return self.columns[column].format(row=row)

    def matches(self, row: str) -> str:
        return " AND ".join(f"{key} IS {row}.{key}" for key in self.grouped_by)

    def add(self, row: str) -> str:
        keys = ", ".join(self.grouped_by)
        names = ", ".join(self.columns)
        values = ", ".join(f"{row}.{key}" for key in self.grouped_by)
        zeros = ", ".join("0" for _ in self.columns)
        changes = ", ".join(f"{name} = {name} + ({self.share(name, row)})" for name in self.columns)
        return (
            f"INSERT INTO {self.table} ({keys}, {names}) SELECT {values}, {zeros} "
            f"WHERE {row}.counted AND NOT EXISTS "
            f"(SELECT 1 FROM {self.table} WHERE {self.matches(row)}); "
            f"UPDATE {self.table} SET {changes} WHERE {row}.counted AND {self.matches(row)};"
        )

    def remove(self, row: str) -> str:
        changes = ", ".join(f"{name} = {name} - ({self.share(name, row)})" for name in self.columns)
        return (
            f"UPDATE {self.table} SET {changes} WHERE {row}.counted AND {self.matches(row)}; "
            f"DELETE FROM {self.table} WHERE {row}.counted AND {self.matches(row)} "
            f"AND {self.counter} = 0;"
        )

    def read_from_facts(self) -> str:
        """The tally as the facts give it: what ``drift`` compares and a migration fills from."""
        keys = ", ".join(self.grouped_by)
        sums = ", ".join(f"sum({self.share(name, 'f')})" for name in self.columns)
        return f"SELECT {keys}, {sums} FROM participation_fact AS f WHERE f.counted GROUP BY {keys}"

    def stored(self) -> str:
        """The tally as kept, summed by its keys (so that a duplicated row differs too)."""
        keys = ", ".join(self.grouped_by)
        sums = ", ".join(f"sum({name})" for name in self.columns)
        return f"SELECT {keys}, {sums} FROM {self.table} GROUP BY {keys}"

    def relevant(self) -> tuple[str, ...]:
        """The fact's columns whose change moves a participation in this tally."""
        used = {name for name in FACT_VALUES if any(f".{name}" in s for s in self.columns.values())}
        return ("counted", *self.grouped_by, *sorted(used))


FACT_VALUES = ("pre_test_score", "post_test_score", "evaluation_rating")

RATINGS = range(1, 6)

TALLIES = (
    Tally("tally_people", ("country", "gender"), {"participants": "1"}),
    Tally("tally_firms", ("sector", "size_class"), {"participants": "1"}),
    Tally(
        "tally_scores",
        (),
        {
            "seated": "1",
            "tested": _TESTED,
            "pre_total": _tenths("pre_test_score"),
            "post_total": _tenths("post_test_score"),
            "rated": "{row}.evaluation_rating IS NOT NULL",
            "rating_total": "coalesce({row}.evaluation_rating, 0)",
            **{f"rated_{value}": f"{{row}}.evaluation_rating IS {value}" for value in RATINGS},
        },
    ),
)


def _first_day(row: str) -> str:
    """Recount ``first_training`` for the organisation and centre of fact ``row``."""
    return (
        f"DELETE FROM first_training WHERE organisation_id = {row}.organisation_id "
        f"AND centre IS {row}.centre; "
        "INSERT INTO first_training (organisation_id, centre, first_day) "
        "SELECT organisation_id, centre, min(first_day) FROM participation_fact "
        f"WHERE organisation_id = {row}.organisation_id AND counted = 1 AND centre IS {row}.centre "
        "GROUP BY organisation_id, centre;"
    )


# A new counted fact can only bring its organisation's first day forward.
_EARLIER = (
    "INSERT INTO first_training (organisation_id, centre, first_day) "
    "SELECT NEW.organisation_id, NEW.centre, NEW.first_day WHERE NOT EXISTS "
    "(SELECT 1 FROM first_training WHERE organisation_id = NEW.organisation_id "
    "AND centre IS NEW.centre); "
    "UPDATE first_training SET first_day = NEW.first_day "
    "WHERE organisation_id = NEW.organisation_id AND centre IS NEW.centre "
    "AND NEW.first_day IS NOT NULL AND (first_day IS NULL OR first_day > NEW.first_day);"
)

_MOVES_FIRST_DAY = " OR ".join(
    f"OLD.{name} IS NOT NEW.{name}"
    for name in ("counted", "organisation_id", "centre", "first_day")
)


def _trigger(name: str, event: str, when: str, body: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON participation_fact FOR EACH ROW "
        f"WHEN {when} BEGIN {body} END"
    )


def _tally_triggers(tally: Tally) -> list[str]:
    moved = " OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in tally.relevant())
    return [
        _trigger(f"{tally.table}_added", "INSERT", "NEW.counted", tally.add("NEW")),
        _trigger(f"{tally.table}_removed", "DELETE", "OLD.counted", tally.remove("OLD")),
        _trigger(
            f"{tally.table}_changed",
            "UPDATE",
            f"(OLD.counted OR NEW.counted) AND ({moved})",
            tally.remove("OLD") + " " + tally.add("NEW"),
        ),
    ]


# A fact of a counted participation for an SME, and the year of its session.
_REACHED = "{row}.counted AND {row}.sme AND {row}.organisation_no IS NOT NULL"
_YEAR = "CAST(substr({row}.first_day, 1, 4) AS INTEGER)"


def _reach_row(row: str) -> str:
    return (
        f"year = {_YEAR.format(row=row)} AND centre IS {row}.centre "
        f"AND organisation_no = {row}.organisation_no"
    )


def _reach_add(row: str) -> str:
    reached = _REACHED.format(row=row)
    return (
        "INSERT INTO tally_reach (year, centre, organisation_no, participations) "
        f"SELECT {_YEAR.format(row=row)}, {row}.centre, {row}.organisation_no, 0 "
        f"WHERE {reached} AND NOT EXISTS (SELECT 1 FROM tally_reach WHERE {_reach_row(row)}); "
        "UPDATE tally_reach SET participations = participations + 1 "
        f"WHERE {reached} AND {_reach_row(row)};"
    )


def _reach_remove(row: str) -> str:
    reached = _REACHED.format(row=row)
    return (
        "UPDATE tally_reach SET participations = participations - 1 "
        f"WHERE {reached} AND {_reach_row(row)}; "
        f"DELETE FROM tally_reach WHERE {reached} AND {_reach_row(row)} AND participations = 0;"
    )


_MOVES_REACH = " OR ".join(
    f"OLD.{name} IS NOT NEW.{name}"
    for name in ("counted", "sme", "organisation_no", "centre", "first_day")
)

REACH_TRIGGERS = [
    _trigger("tally_reach_added", "INSERT", _REACHED.format(row="NEW"), _reach_add("NEW")),
    _trigger("tally_reach_removed", "DELETE", _REACHED.format(row="OLD"), _reach_remove("OLD")),
    _trigger(
        "tally_reach_changed",
        "UPDATE",
        f"({_REACHED.format(row='OLD')} OR {_REACHED.format(row='NEW')}) AND ({_MOVES_REACH})",
        _reach_remove("OLD") + " " + _reach_add("NEW"),
    ),
]

TRIGGERS = [
    *(trigger for tally in TALLIES for trigger in _tally_triggers(tally)),
    _trigger(
        "first_training_added",
        "INSERT",
        "NEW.counted AND NEW.organisation_id IS NOT NULL",
        _EARLIER,
    ),
    _trigger(
        "first_training_removed",
        "DELETE",
        "OLD.counted AND OLD.organisation_id IS NOT NULL",
        _first_day("OLD"),
    ),
    _trigger(
        "first_training_changed",
        "UPDATE",
        f"(OLD.counted OR NEW.counted) AND ({_MOVES_FIRST_DAY})",
        # Each recount finds no rows for a missing organisation, and deletes none.
        _first_day("OLD") + " " + _first_day("NEW"),
    ),
    *REACH_TRIGGERS,
]


REACH_FROM_FACTS = (
    f"SELECT {_YEAR.format(row='f')} AS year, centre, organisation_no, count(*) "
    f"FROM participation_fact AS f WHERE {_REACHED.format(row='f')} "
    "GROUP BY year, centre, organisation_no"
)

FIRST_TRAINING_FROM_FACTS = (
    "SELECT organisation_id, centre, min(first_day) FROM participation_fact "
    "WHERE counted = 1 AND organisation_id IS NOT NULL GROUP BY organisation_id, centre"
)


def install(connection: Connection) -> None:
    """Create the triggers that keep the tallies of a new, empty database."""
    for trigger in TRIGGERS:
        connection.execute(text(trigger))


def drift(connection: Connection) -> int:
    """How many rows of the tallies differ from the facts they add up: missing, extra or changed."""
    pairs = [(tally.grouped_by, tally.read_from_facts(), tally.stored()) for tally in TALLIES]
    pairs.append(
        (
            ("organisation_id", "centre"),
            FIRST_TRAINING_FROM_FACTS,
            "SELECT organisation_id, centre, min(first_day) FROM first_training "
            "GROUP BY organisation_id, centre HAVING count(*) = 1",
        )
    )
    pairs.append(
        (
            ("year", "centre", "organisation_no"),
            REACH_FROM_FACTS,
            "SELECT year, centre, organisation_no, sum(participations) FROM tally_reach "
            "GROUP BY year, centre, organisation_no",
        )
    )
    counts = [
        f"(SELECT count(*) FROM (SELECT {', '.join(keys)} FROM ({expected} EXCEPT {kept}) "
        f"UNION SELECT {', '.join(keys)} FROM ({kept} EXCEPT {expected})))"
        for keys, expected, kept in pairs
    ]
    return int(connection.execute(text("SELECT " + " + ".join(counts))).scalar_one())
