"""Participation facts: each participation with what the training figures count it by.

The progress report counts a period's participations by the person's gender and
country and by their organisation's sector, size and type. Read from the
records, that is a look-up of a session, a person and an organisation for every
participation, by random text keys. ``participation_fact`` keeps those values on
one row per participation instead, indexed by the session's first day, so that a
period's figures are one walk of one index.

The table is derived and local: it is never sent in a bundle, and SQLite's
triggers keep it, whoever writes (the services, sync's merge, the demo, a bulk
import): a participation written, or the session, person or organisation it
refers to. ``participation_fact_source`` is the view the triggers copy from;
``drift`` compares the two. Each fact also carries its organisation's local number
(``organisation_key``), which the triggers give an organisation the first time a
participation names it: the SMEs a period reached are then counted by comparing
integers, not 36-character keys.

Migration 0004 created the same objects in the databases made before it; 0005 made each
refresh an upsert, so that the tallies built on the facts (``regional_centre.db.tallies``)
see every change; 0006 added the organisations' numbers.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from regional_centre.db import tallies
from regional_centre.enums import RegistrationStatus, SessionStatus, StakeholderType

FACT_COLUMNS = (
    "participation_id, organisation_id, first_day, centre, counted, gender, country, "
    "sector, size_class, sme, pre_test_score, post_test_score, evaluation_rating, organisation_no"
)

_SEATED = ", ".join(f"'{status.value}'" for status in (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED))  # fmt: skip

# counted: a seated participation (registered or confirmed, not deleted) of a session that is
# not deleted or cancelled; sme: its organisation is a live SME. Both are 0 or 1, never NULL.
SOURCE_VIEW = f"""
CREATE VIEW participation_fact_source AS
SELECT p.id AS participation_id, p.organisation_id, s.first_day, s.owner AS centre,
       coalesce(p.deleted = 0 AND p.registration_status IN ({_SEATED})
                AND s.deleted = 0 AND s.status != '{SessionStatus.CANCELLED.value}', 0) AS counted,
       c.gender, c.country, o.sector, o.size_class,
       coalesce(o.deleted = 0 AND o.stakeholder_type = '{StakeholderType.SME.value}', 0) AS sme,
       p.pre_test_score, p.post_test_score, p.evaluation_rating, k.no AS organisation_no,
       p.session_id, p.contact_id
FROM participation AS p
LEFT JOIN training_session AS s ON s.id = p.session_id
LEFT JOIN contact AS c ON c.id = p.contact_id
LEFT JOIN organisation AS o ON o.id = p.organisation_id
LEFT JOIN organisation_key AS k ON k.organisation_id = p.organisation_id
"""

# A participation's organisation gets its number (``organisation_key``) before its fact is made.
# NOT EXISTS rather than INSERT OR IGNORE: a trigger's conflict clause gives way to the writing
# statement's, and an INSERT OR REPLACE of a participation would renumber the organisation.
_NUMBERED = (
    "INSERT INTO organisation_key (organisation_id) SELECT NEW.organisation_id "
    "WHERE NEW.organisation_id IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM organisation_key WHERE organisation_id = NEW.organisation_id);"
)


_UPDATED = ", ".join(
    f"{name.strip()} = excluded.{name.strip()}" for name in FACT_COLUMNS.split(",")[1:]
)


def _refresh(condition: str) -> str:
    # An upsert, not INSERT OR REPLACE: an existing fact is updated, so that the triggers of
    # the tallies (``regional_centre.db.tallies``) see the old values leave and the new arrive.
    return (
        f"INSERT INTO participation_fact ({FACT_COLUMNS}) "
        f"SELECT {FACT_COLUMNS} FROM participation_fact_source WHERE {condition} "
        f"ON CONFLICT (participation_id) DO UPDATE SET {_UPDATED};"
    )


# (name, table, event, statement): each fact follows its participation and what it refers to.
_TRIGGERS = [
    ("added", "participation", "INSERT", _NUMBERED + " " + _refresh("participation_id = NEW.id")),
    (
        "changed",
        "participation",
        "UPDATE OF session_id, contact_id, organisation_id, registration_status, deleted, "
        "pre_test_score, post_test_score, evaluation_rating",
        _NUMBERED + " " + _refresh("participation_id = NEW.id"),
    ),
    (
        "removed",
        "participation",
        "DELETE",
        "DELETE FROM participation_fact WHERE participation_id = OLD.id;",
    ),
    ("session_added", "training_session", "INSERT", _refresh("session_id = NEW.id")),
    (
        "session_changed",
        "training_session",
        "UPDATE OF first_day, owner, status, deleted",
        _refresh("session_id = NEW.id"),
    ),
    ("session_removed", "training_session", "DELETE", _refresh("session_id = OLD.id")),
    ("person_added", "contact", "INSERT", _refresh("contact_id = NEW.id")),
    ("person_changed", "contact", "UPDATE OF gender, country", _refresh("contact_id = NEW.id")),
    ("person_removed", "contact", "DELETE", _refresh("contact_id = OLD.id")),
    ("firm_added", "organisation", "INSERT", _refresh("organisation_id = NEW.id")),
    (
        "firm_changed",
        "organisation",
        "UPDATE OF sector, size_class, stakeholder_type, deleted",
        _refresh("organisation_id = NEW.id"),
    ),
    ("firm_removed", "organisation", "DELETE", _refresh("organisation_id = OLD.id")),
]

TRIGGERS = [
    f"CREATE TRIGGER participation_fact_{name} AFTER {event} ON {table} "
    f"FOR EACH ROW BEGIN {statement} END"
    for name, table, event, statement in _TRIGGERS
]


def install(connection: Connection) -> None:
    """Create the view and triggers that keep ``participation_fact`` and its tallies in a new database."""
    connection.execute(text(SOURCE_VIEW))
    for trigger in TRIGGERS:
        connection.execute(text(trigger))
    tallies.install(connection)


def drift(connection: Connection) -> int:
    """How many participations' facts differ from their records (missing, extra or changed)."""
    names = [name.strip() for name in FACT_COLUMNS.split(",")]
    changed = " OR ".join(f"f.{name} IS NOT s.{name}" for name in names[1:])
    query = (
        "SELECT (SELECT count(*) FROM participation_fact_source AS s "
        "LEFT JOIN participation_fact AS f ON f.participation_id = s.participation_id "
        f"WHERE f.participation_id IS NULL OR {changed}) "
        "+ (SELECT count(*) FROM participation_fact AS f WHERE NOT EXISTS "
        "(SELECT 1 FROM participation AS p WHERE p.id = f.participation_id))"
    )
    return int(connection.execute(text(query)).scalar_one())
