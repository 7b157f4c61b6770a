"""The participation facts follow the records, whoever writes them; a difference is reported."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import select

from regional_centre.db import facts, tallies
from regional_centre.db.database import alembic_config
from regional_centre.db.engine import database_url, make_engine
from regional_centre.db.models import Certificate, Participation, TrainingSession
from regional_centre.enums import (
    Gender,
    RegistrationStatus,
    SessionStatus,
    SizeClass,
    StakeholderType,
)
from regional_centre.services import Services
from regional_centre.services.organisations import OrganisationDraft
from tests.services.test_training import session_draft
from tests.sync.conftest import enrol, new_installation, send


def drift(services: Services) -> int:
    """Facts that differ from their records, and tally rows that differ from the facts."""
    with services.database.engine.connect() as connection:
        return facts.drift(connection) + tallies.drift(connection)


def fact(services: Services, participation_id: str) -> dict[str, Any]:
    path = services.database.url.database
    assert path
    with sqlite3.connect(path) as raw:
        raw.row_factory = sqlite3.Row
        row = raw.execute(
            "SELECT * FROM participation_fact WHERE participation_id = ?", (participation_id,)
        ).fetchone()
    return dict(row) if row is not None else {}


def a_participation(services: Services) -> tuple[str, str, str, str | None]:
    """A seated participation of the demo with an organisation: (id, session, person, organisation)."""
    with services.context.read() as session:
        row = session.execute(
            select(
                Participation.id,
                Participation.session_id,
                Participation.contact_id,
                Participation.organisation_id,
            )
            .join(TrainingSession, TrainingSession.id == Participation.session_id)
            .where(
                Participation.registration_status == RegistrationStatus.CONFIRMED,
                Participation.organisation_id.is_not(None),
                TrainingSession.status != SessionStatus.CANCELLED,
                ~select(Certificate.id)
                .where(Certificate.participation_id == Participation.id)
                .exists(),  # so that it may be deleted
            )
            .limit(1)
        ).one()
    return row[0], row[1], row[2], row[3]


def keeping(path: Path) -> dict[str, str]:
    """The views and triggers in the database at ``path`` (those that keep the facts and the
    tallies), the tallies' and the organisation numbers' tables and indexes, the facts'
    indexes and the overdue actions' index, by name."""
    with sqlite3.connect(path) as raw:
        rows = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
            "type IN ('view', 'trigger') OR tbl_name IN ('tally_people', 'tally_firms', "
            "'tally_scores', 'tally_reach', 'first_training', 'organisation_key') "
            "OR (type = 'index' AND tbl_name = 'participation_fact') "
            "OR name = 'ix_follow_up_action_open')"
        ).fetchall()
    return {name: " ".join(sql.split()) for name, sql in rows}


def numbers(services: Services) -> dict[str, set[int]]:
    """The numbers the facts give each organisation, by organisation."""
    path = services.database.url.database
    assert path
    given: dict[str, set[int]] = {}
    with sqlite3.connect(path) as raw:
        for organisation, number in raw.execute(
            "SELECT organisation_id, organisation_no FROM participation_fact "
            "WHERE organisation_id IS NOT NULL"
        ):
            given.setdefault(organisation, set()).add(number)
    return given


def test_the_demo_data_has_a_fact_for_every_participation(demo_services: Services) -> None:
    assert demo_services.participations.count() > 100
    assert drift(demo_services) == 0
    assert demo_services.maintenance.check() == []


def test_edits_of_people_organisations_sessions_and_participations_reach_the_facts(
    demo_services: Services,
) -> None:
    participation, session, person, organisation = a_participation(demo_services)
    assert fact(demo_services, participation)["counted"] == 1
    current = demo_services.contacts.get(person)
    gender = Gender.FEMALE if current.gender != Gender.FEMALE else Gender.MALE
    demo_services.contacts.change(person, gender=gender, country="GH")
    assert (fact(demo_services, participation)["gender"], fact(demo_services, participation)["country"]) == (gender.value, "GH")  # fmt: skip
    assert organisation is not None
    demo_services.organisations.change(
        organisation, stakeholder_type=StakeholderType.NATIONAL_COMPANY, size_class=None
    )
    assert fact(demo_services, participation)["sme"] == 0
    assert fact(demo_services, participation)["size_class"] is None
    days = demo_services.sessions.get(session).days
    earlier = dt.date.fromisoformat(str(days[0])) - dt.timedelta(days=1)
    demo_services.sessions.change(
        session, days=(str(earlier), *map(str, days))
    )  # a day added first
    assert fact(demo_services, participation)["first_day"] == earlier.isoformat()
    demo_services.participations.change(
        participation, registration_status=RegistrationStatus.WAITLISTED
    )
    assert fact(demo_services, participation)["counted"] == 0
    demo_services.participations.change(
        participation, registration_status=RegistrationStatus.CONFIRMED
    )
    demo_services.sessions.change(session, status=SessionStatus.CANCELLED)
    assert fact(demo_services, participation)["counted"] == 0
    assert drift(demo_services) == 0


def by_year(services: Services, sql: str, organisation: str) -> dict[tuple[str, str], int]:
    """The rows of ``sql`` (year, centre and count) for ``organisation``, by year and centre."""
    path = services.database.url.database
    assert path
    with sqlite3.connect(path) as raw:
        rows = raw.execute(sql, (organisation,)).fetchall()
    return {(str(year), centre): count for year, centre, count in rows}


def reach(services: Services, organisation: str) -> dict[tuple[str, str], int]:
    """The reach tally's rows for ``organisation``: its participations by year and centre."""
    return by_year(
        services,
        "SELECT r.year, r.centre, r.participations FROM tally_reach AS r "
        "JOIN organisation_key AS k ON k.no = r.organisation_no WHERE k.organisation_id = ?",
        organisation,
    )


def seated_by_year(services: Services, organisation: str) -> dict[tuple[str, str], int]:
    """From the records: the seated participations of ``organisation``, if a live SME, by year and centre."""
    return by_year(
        services,
        "SELECT substr(s.first_day, 1, 4), s.owner, count(*) FROM participation AS p "
        "JOIN training_session AS s ON s.id = p.session_id "
        "JOIN organisation AS o ON o.id = p.organisation_id "
        "WHERE p.organisation_id = ? AND p.deleted = 0 "
        "AND p.registration_status IN ('registered', 'confirmed') "
        "AND s.deleted = 0 AND s.status != 'cancelled' "
        "AND o.deleted = 0 AND o.stakeholder_type = 'sme' GROUP BY 1, 2",
        organisation,
    )


def test_the_reach_tally_counts_each_smes_participations_per_year(
    demo_services: Services,
) -> None:
    participation, session, person, organisation = a_participation(demo_services)
    assert organisation is not None
    demo_services.organisations.change(
        organisation, stakeholder_type=StakeholderType.SME, size_class=SizeClass.SMALL
    )
    before = reach(demo_services, organisation)
    assert before and before == seated_by_year(demo_services, organisation)

    # A seat in a session of the year before counts in that year.
    first_day = dt.date.fromisoformat(str(demo_services.sessions.get(session).days[0]))
    year_before = str(first_day - dt.timedelta(days=366))
    earlier = demo_services.sessions.create(session_draft(days=(year_before,))).id
    demo_services.participations.register(earlier, person)
    added = reach(demo_services, organisation)
    assert added != before and added == seated_by_year(demo_services, organisation)
    assert (year_before[:4], demo_services.context.node.centre_code) in added

    demo_services.participations.change(
        participation, registration_status=RegistrationStatus.WAITLISTED
    )
    assert reach(demo_services, organisation) == seated_by_year(demo_services, organisation)
    demo_services.organisations.change(
        organisation, stakeholder_type=StakeholderType.NATIONAL_COMPANY, size_class=None
    )
    assert reach(demo_services, organisation) == {}
    demo_services.organisations.change(
        organisation, stakeholder_type=StakeholderType.SME, size_class=SizeClass.SMALL
    )
    assert reach(demo_services, organisation) == seated_by_year(demo_services, organisation)
    assert drift(demo_services) == 0


def test_a_deleted_participation_is_no_longer_counted(demo_services: Services) -> None:
    participation, *_ = a_participation(demo_services)
    demo_services.participations.delete(participation)
    assert fact(demo_services, participation)["counted"] == 0
    demo_services.participations.restore(participation)
    assert fact(demo_services, participation)["counted"] == 1
    assert drift(demo_services) == 0


def test_records_that_arrive_in_a_bundle_have_their_facts(
    demo_services: Services, tmp_path: Path
) -> None:
    """Sync writes rows in bulk, without the services' objects: the triggers still keep up."""
    from tests.sync.conftest import Installation

    demo_path = demo_services.database.url.database
    assert demo_path
    sender = Installation(Path(demo_path), demo_services)
    recipient = new_installation(tmp_path, "Field laptop", centre=demo_services.context.node.centre_code)  # fmt: skip
    try:
        enrol(sender, recipient)
        outbox = tmp_path / "bundles"
        outbox.mkdir()
        recipient.services.sync.import_bundle(send(sender, recipient, outbox))
        assert recipient.services.participations.count() == demo_services.participations.count()
        assert drift(recipient.services) == 0
    finally:
        recipient.services.close()


def test_each_organisation_has_one_number_which_a_rewritten_participation_keeps(
    demo_services: Services,
) -> None:
    given = numbers(demo_services)
    assert len(given) > 10
    assert all(len(each) == 1 and None not in each for each in given.values())
    assert len({number for (number,) in given.values()}) == len(given)  # one each, none shared
    participation, _session, _person, organisation = a_participation(demo_services)
    assert organisation is not None
    path = demo_services.database.url.database
    assert path
    with sqlite3.connect(path) as raw:  # a tool rewriting the row: the number must not change
        raw.execute(
            "INSERT OR REPLACE INTO participation SELECT * FROM participation WHERE id = ?",
            (participation,),
        )
    assert fact(demo_services, participation)["organisation_no"] == min(given[organisation])
    other = next(key for key in given if key != organisation)
    demo_services.participations.change(participation, organisation_id=other)
    assert fact(demo_services, participation)["organisation_no"] == min(given[other])
    newcomer = demo_services.organisations.create(
        OrganisationDraft(
            name="Atelier Nouveau",
            stakeholder_type=StakeholderType.SME,
            country="SN",
            size_class=SizeClass.SMALL,
        )
    ).id
    demo_services.participations.change(participation, organisation_id=newcomer)
    numbered = numbers(demo_services)
    assert numbered[newcomer] == {max(number for (number,) in given.values()) + 1}
    assert drift(demo_services) == 0


def test_a_difference_is_reported_by_the_database_check(demo_services: Services) -> None:
    participation, *_ = a_participation(demo_services)
    path = demo_services.database.url.database
    assert path
    with sqlite3.connect(path) as raw:  # as if a tool wrote the table behind the program's back
        raw.execute(
            "UPDATE participation_fact SET country = 'ZZ' WHERE participation_id = ?",
            (participation,),
        )
        raw.execute(  # and another one given a wrong organisation number
            "UPDATE participation_fact SET organisation_no = organisation_no + 1 "
            "WHERE participation_id = (SELECT min(participation_id) FROM participation_fact "
            "WHERE organisation_no IS NOT NULL AND participation_id != ?)",
            (participation,),
        )
    problems = demo_services.maintenance.check()
    assert problems == ["2 participation facts differ from the records they come from."]


def test_a_tally_that_differs_from_the_facts_is_reported(demo_services: Services) -> None:
    path = demo_services.database.url.database
    assert path
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE tally_people SET participants = participants + 1 WHERE id = 1")
        raw.execute("DELETE FROM first_training WHERE id = (SELECT min(id) FROM first_training)")
        raw.execute(
            "UPDATE tally_reach SET participations = 7 WHERE id = (SELECT max(id) FROM tally_reach)"
        )
    problems = demo_services.maintenance.check()
    assert problems == ["3 rows of the training tallies differ from the participations."]


def test_the_migration_fills_the_facts_of_an_older_database(
    small_demo_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "older.sqlite"
    copy.write_bytes(small_demo_file.read_bytes())
    engine = make_engine(database_url(copy))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    with sqlite3.connect(copy) as raw:
        tables = {name for (name,) in raw.execute("SELECT name FROM sqlite_master")}
    assert "participation_fact" not in tables and "participation_fact_source" not in tables
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()
    upgraded = Services.open(copy, actor="Test User")
    try:
        with sqlite3.connect(copy) as raw:
            (kept,) = raw.execute("SELECT count(*) FROM participation_fact").fetchone()
        assert kept == upgraded.participations.count() > 100
        assert drift(upgraded) == 0
        assert upgraded.maintenance.check() == []
        # the view, the triggers, 6 tables, 6 indexes of the tallies, 2 of the facts and
        # the overdue actions' index
        objects = 1 + len(facts.TRIGGERS) + len(tallies.TRIGGERS) + 6 + 6 + 2 + 1
        assert len(keeping(small_demo_file)) == objects
        assert keeping(copy) == keeping(small_demo_file)  # as in a database made new
    finally:
        upgraded.close()
