"""The SQL that counts the dashboard's key figures and the progress report's figures.

What each figure means is written out in the docstrings of
``regional_centre.services.statistics`` and ``regional_centre.services.progress``.
The statements are written here as SQL rather than built from expressions, and
handed to SQLite as written (``rows``, ``row``, ``value``): a report is often the
first thing a process asks of the database, and building, compiling and reading
the results of some twenty statements through SQLAlchemy took as long as SQLite
took to answer them.

Every statement takes the same named parameters (``regional_centre.services.periods.bounds``
makes them), and ignores the ones it does not use:

- ``:first`` and ``:last``: the period's first and last days (ISO); an open end is
  ``OPEN_START`` or ``OPEN_END``, beyond any stored day. The dates compared with them
  are never null, save the activities' and partnerships', which say so;
- ``:open_end``: 1 when the period has no end (then an activity without a start
  date counts; one with an end, it does not);
- ``:added_from`` and ``:added_before``: the change stamps that bound the period's
  days, for a record's creation stamp; ``''`` and ``"~"`` when open;
- ``:whole_first`` and ``:whole_last``: the first and last whole calendar years of
  the period, the first after the last when it has none; ``:head_last`` and
  ``:tail_first``: the last day before them and the first day after them, so that
  ``:first`` to ``:head_last`` and ``:tail_first`` to ``:last`` are the period's other
  days (an empty range when there are none);
- ``:centre``: the owner counted, or null for every owner;
- ``:today``: the day a follow-up action falls overdue after.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from regional_centre.db.tallies import TALLIES
from regional_centre.enums import (
    ActionStatus,
    AgreementStatus,
    RegistrationStatus,
    SessionStatus,
    StakeholderType,
)


def rows(session: Session, statement: str, window: Mapping[str, Any]) -> list[Any]:
    """The rows of ``statement`` with the parameters ``window``, in ``session``'s transaction.

    Handed to SQLite as written: there is nothing to compile.
    """
    return list(session.connection().exec_driver_sql(statement, window))


def row(session: Session, statement: str, window: Mapping[str, Any]) -> Any:
    """The one row of ``statement`` (an aggregate with no grouping), as ``rows`` runs it."""
    return session.connection().exec_driver_sql(statement, window).one()


def value(session: Session, statement: str, window: Mapping[str, Any]) -> Any:
    """The one value of ``statement`` (a count, say), as ``rows`` runs it."""
    return session.connection().exec_driver_sql(statement, window).scalar_one()


def counts(session: Session, statement: str, window: Mapping[str, Any]) -> dict[Any, int]:
    """The rows of ``statement`` (a value and how many have it) as a mapping, as ``rows`` runs it."""
    return {value: count for value, count in rows(session, statement, window)}


def from_units(whole: int | None, places: int) -> decimal.Decimal:
    """A sum the statements made in whole units of 10**-places, as a decimal with those places (0 for None)."""
    return decimal.Decimal(int(whole or 0)).scaleb(-places)


OPEN_START = "0000-01-01"
OPEN_END = "9999-12-31"
# Amounts and outcome values are kept to four decimal places, hours and test scores
# to one: they are added up as whole numbers of that unit, so that sums are exact.
AMOUNT_PLACES = 4
TENTHS = 1

_SME = StakeholderType.SME.value
_IN_FORCE = f"'{AgreementStatus.SIGNED.value}', '{AgreementStatus.ACTIVE.value}'"
_SEATED = f"'{RegistrationStatus.REGISTERED.value}', '{RegistrationStatus.CONFIRMED.value}'"
_OPEN, _DONE = ActionStatus.OPEN.value, ActionStatus.DONE.value


def _owned(table: str, column: str = "owner") -> str:
    return f"(:centre IS NULL OR {table}.{column} = :centre)"


def _units(column: str, places: int = AMOUNT_PLACES) -> str:
    return f"CAST(round({column} * {10**places}) AS INTEGER)"


# The conditions the statements share, on the table aliases they are written with.
_PARTNERS = f"o.deleted = 0 AND o.stakeholder_type != '{_SME}' AND {_owned('o')}"
_ADDED = "o.created_stamp >= :added_from AND o.created_stamp < :added_before"
_HELD_DIALOGUES = f"d.deleted = 0 AND d.held_on BETWEEN :first AND :last AND {_owned('d')}"
_HELD_SESSIONS = (
    f"s.deleted = 0 AND s.status != '{SessionStatus.CANCELLED.value}' "
    f"AND s.first_day BETWEEN :first AND :last AND {_owned('s')}"
)
_OVERLAPPING_ACTIVITIES = (
    "a.deleted = 0 AND (:open_end OR a.start_on <= :last) "
    f"AND (a.end_on IS NULL OR a.end_on >= :first) AND {_owned('a')}"
)
_LIVE_PARTNERSHIPS = f"p.deleted = 0 AND {_owned('p')}"
# The seated participations of the period's sessions, as a FROM and WHERE clause.
_SEATED_PARTICIPATIONS = (
    "participation AS r JOIN training_session AS s ON s.id = r.session_id "
    f"WHERE r.deleted = 0 AND r.registration_status IN ({_SEATED}) AND {_HELD_SESSIONS}"
)
_TALLIED = f"t.first_day BETWEEN :first AND :last AND {_owned('t', 'centre')}"

KEY_COUNTS = {
    "partners": f"SELECT count(*) FROM organisation AS o WHERE {_PARTNERS}",
    "new_partners": f"SELECT count(*) FROM organisation AS o WHERE {_PARTNERS} AND {_ADDED}",
    "smes": (
        "SELECT count(*) FROM organisation AS o "
        f"WHERE o.deleted = 0 AND o.stakeholder_type = '{_SME}' AND {_owned('o')}"
    ),
    "dialogues": f"SELECT count(*) FROM dialogue AS d WHERE {_HELD_DIALOGUES}",
    "partnerships": (
        "SELECT count(*) FROM partnership AS p "
        f"WHERE {_LIVE_PARTNERSHIPS} AND p.agreement_status IN ({_IN_FORCE})"
    ),
    "activities": f"SELECT count(*) FROM joint_activity AS a WHERE {_OVERLAPPING_ACTIVITIES}",
    "sessions": f"SELECT count(*) FROM training_session AS s WHERE {_HELD_SESSIONS}",
    "participants": f"SELECT count(*) FROM {_SEATED_PARTICIPATIONS}",
    "certificates": (
        "SELECT count(*) FROM certificate AS c "
        f"WHERE c.deleted = 0 AND c.issued_on BETWEEN :first AND :last AND {_owned('c')}"
    ),
    # Per overdue action (found by due date), then whether its dialogue is the centre's.
    "overdue_actions": (
        "SELECT count(*) FROM follow_up_action AS f "
        f"WHERE f.deleted = 0 AND f.status = '{_OPEN}' AND f.due_on < :today AND (:centre IS NULL "
        "OR EXISTS (SELECT 1 FROM dialogue AS d WHERE d.id = f.dialogue_id AND d.owner = :centre))"
    ),
}


def key_counts(names: tuple[str, ...]) -> str:
    """One row of the key figures ``names`` (of ``KEY_COUNTS``), each in a column of that name."""
    return "SELECT " + ", ".join(f"({KEY_COUNTS[name]}) AS {name}" for name in names)


# (a) Stakeholders: type, ISIC code, country, how many, how many added in the period.
STAKEHOLDERS = f"""SELECT o.stakeholder_type, o.sector, o.country, count(*),
       count(CASE WHEN {_ADDED} THEN 1 END)
FROM organisation AS o WHERE {_PARTNERS}
GROUP BY o.stakeholder_type, o.sector, o.country"""

# (b) Scoping dialogues.
DIALOGUE_FORMATS = (
    f"SELECT d.format, count(*) FROM dialogue AS d WHERE {_HELD_DIALOGUES} GROUP BY d.format"
)
DIALOGUE_ORGANISATIONS = f"""SELECT count(DISTINCT e.organisation_id)
FROM dialogue_participant AS e JOIN dialogue AS d ON d.id = e.dialogue_id
WHERE e.deleted = 0 AND {_HELD_DIALOGUES}"""
# Open, done, and open past their due date.
DIALOGUE_ACTIONS = f"""SELECT count(CASE WHEN f.status = '{_OPEN}' THEN 1 END),
       count(CASE WHEN f.status = '{_DONE}' THEN 1 END),
       count(CASE WHEN f.status = '{_OPEN}' AND f.due_on < :today THEN 1 END)
FROM follow_up_action AS f JOIN dialogue AS d ON d.id = f.dialogue_id
WHERE f.deleted = 0 AND {_HELD_DIALOGUES}"""


def _covered(table: str, alias: str, codes: str, conditions: str) -> str:
    """Per code in the JSON array column ``codes``, how many rows meeting ``conditions`` list it."""
    return (
        f"SELECT entry.value, count(*) FROM {table} AS {alias}, json_each({alias}.{codes}) AS entry "
        f"WHERE {conditions} GROUP BY entry.value"
    )


DIALOGUE_STAGES = _covered("dialogue", "d", "lifecycle_stages", _HELD_DIALOGUES)
DIALOGUE_STREAMS = _covered("dialogue", "d", "waste_streams", _HELD_DIALOGUES)

# (c) Partnerships.
PARTNERSHIP_STATUSES = (
    "SELECT p.agreement_status, count(*) FROM partnership AS p "
    f"WHERE {_LIVE_PARTNERSHIPS} GROUP BY p.agreement_status"
)
PARTNERSHIPS_SIGNED = (
    "SELECT count(*) FROM partnership AS p "
    f"WHERE {_LIVE_PARTNERSHIPS} AND p.signed_on BETWEEN :first AND :last"
)
PARTNERSHIP_FIELDS = _covered(
    "partnership",
    "p",
    "priority_fields",
    f"{_LIVE_PARTNERSHIPS} AND p.agreement_status IN ({_IN_FORCE})",
)

# (d) Joint activities.
ACTIVITY_KINDS = (
    "SELECT a.status, a.activity_type, count(*) FROM joint_activity AS a "
    f"WHERE {_OVERLAPPING_ACTIVITIES} GROUP BY a.status, a.activity_type"
)
ACTIVITY_CONTRIBUTORS = f"""SELECT count(DISTINCT c.organisation_id)
FROM contribution AS c JOIN joint_activity AS a ON a.id = c.activity_id
WHERE c.deleted = 0 AND {_OVERLAPPING_ACTIVITIES}"""


def _contributions(join: str, conditions: str) -> str:
    """Contributions by currency ("" for none, in order) and kind: how many, and their amounts in units."""
    return f"""SELECT c.kind, coalesce(c.currency, '') AS currency, count(*), sum({_units("c.amount")})
FROM contribution AS c JOIN {join}
WHERE c.deleted = 0 AND {conditions}
GROUP BY currency, c.kind ORDER BY currency"""


ACTIVITY_CONTRIBUTIONS = _contributions(
    "joint_activity AS a ON a.id = c.activity_id", _OVERLAPPING_ACTIVITIES
)
# By indicator and unit: the total in units and how many activities measured it, most first.
ACTIVITY_OUTCOMES = f"""SELECT m.indicator, m.unit, sum({_units("m.value")}), count(DISTINCT m.activity_id) AS measured
FROM outcome AS m JOIN joint_activity AS a ON a.id = m.activity_id
WHERE m.deleted = 0 AND {_OVERLAPPING_ACTIVITIES}
GROUP BY m.indicator, m.unit ORDER BY measured DESC, m.indicator, m.unit"""
# The Advisory Committee's reviews, counted with the centre of the activity reviewed.
REVIEWS = f"""SELECT v.recommendation, count(*)
FROM advisory_review AS v JOIN joint_activity AS a ON a.id = v.activity_id
WHERE v.deleted = 0 AND a.deleted = 0 AND v.reviewed_on BETWEEN :first AND :last AND {_owned("a")}
GROUP BY v.recommendation"""

# (e) Training: sessions held and their hours (in tenths), and the support they had.
SESSIONS = f"""SELECT count(*), sum({_units("s.hours_per_day", TENTHS)} * json_array_length(s.days))
FROM training_session AS s WHERE {_HELD_SESSIONS}"""
SESSION_SUPPORT = _contributions("training_session AS s ON s.id = c.session_id", _HELD_SESSIONS)
# The seated participations, from the tallies (``regional_centre.db.tallies``).
PEOPLE = (
    "SELECT t.country, t.gender, sum(t.participants) FROM tally_people AS t "
    f"WHERE {_TALLIED} GROUP BY t.country, t.gender"
)
FIRMS = (
    "SELECT t.sector, t.size_class, sum(t.participants) FROM tally_firms AS t "
    f"WHERE {_TALLIED} GROUP BY t.sector, t.size_class"
)
# Seated, tested, the test scores' and the ratings' totals, how many gave each rating.
SCORE_COLUMNS = tuple(next(t for t in TALLIES if t.table == "tally_scores").columns)
SCORES = (
    "SELECT "
    + ", ".join(f"coalesce(sum(t.{column}), 0)" for column in SCORE_COLUMNS)
    + f" FROM tally_scores AS t WHERE {_TALLIED}"
)
# The SMEs reached: distinct organisations, by number (``regional_centre.db.facts``), read
# from the reach tally for the period's whole years and from the facts for its other days.
SMES_REACHED = f"""SELECT count(DISTINCT reached) FROM (
  SELECT r.organisation_no AS reached FROM tally_reach AS r
  WHERE r.year BETWEEN :whole_first AND :whole_last AND {_owned("r", "centre")}
  UNION ALL
  SELECT f.organisation_no FROM participation_fact AS f
  WHERE (f.first_day BETWEEN :first AND :head_last OR f.first_day BETWEEN :tail_first AND :last)
    AND f.counted = 1 AND f.sme = 1 AND {_owned("f", "centre")})"""
# The SMEs whose first counted day (at the centre's sessions, or anyone's) is in the period.
_NEW = f"t.first_day BETWEEN :first AND :last AND o.deleted = 0 AND o.stakeholder_type = '{_SME}'"
NEW_SMES_OF_CENTRE = f"""SELECT count(*) FROM first_training AS t JOIN organisation AS o ON o.id = t.organisation_id
WHERE t.centre = :centre AND {_NEW}"""
NEW_SMES = f"""SELECT count(*)
FROM (SELECT organisation_id, min(first_day) AS first_day FROM first_training
      GROUP BY organisation_id) AS t
JOIN organisation AS o ON o.id = t.organisation_id
WHERE {_NEW}"""


# The dashboard's charts: partners (as they stand) by engagement stage and by ISIC code.
PARTNERS_BY_STAGE = (
    "SELECT o.engagement_stage, count(*) FROM organisation AS o "
    f"WHERE {_PARTNERS} GROUP BY o.engagement_stage"
)
PARTNERS_BY_SECTOR = (
    f"SELECT o.sector, count(*) FROM organisation AS o WHERE {_PARTNERS} GROUP BY o.sector"
)
# Sessions held and their seated participants by the month ("YYYY-MM") of the first day.
SESSIONS_BY_MONTH = (
    "SELECT substr(s.first_day, 1, 7) AS month, count(*) FROM training_session AS s "
    f"WHERE {_HELD_SESSIONS} GROUP BY month"
)
PARTICIPANTS_BY_MONTH = (
    f"SELECT substr(s.first_day, 1, 7) AS month, count(*) FROM {_SEATED_PARTICIPATIONS} "
    "GROUP BY month"
)
# The seated participants by the person's gender (read from the records, as the key figure is).
PARTICIPANTS_BY_GENDER = (
    "SELECT p.gender, count(*) "
    "FROM contact AS p JOIN "
    f"(SELECT r.contact_id FROM {_SEATED_PARTICIPATIONS}) AS seated ON seated.contact_id = p.id "
    "GROUP BY p.gender"
)
