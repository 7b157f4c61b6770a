"""What every write leaves for sync: stamps, change sequence numbers, tombstones, derived ids."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from regional_centre.db.models import AuditEntry, Node, Organisation
from regional_centre.enums import StakeholderType
from regional_centre.services import Services
from regional_centre.services.context import stamp_time
from regional_centre.services.errors import ValidationError
from regional_centre.services.organisations import OrganisationDraft
from regional_centre.services.records import LINK_NAMESPACE, link_id


def company(name: str = "Ndiaye Recyclage SARL") -> OrganisationDraft:
    return OrganisationDraft(
        name=name, stakeholder_type=StakeholderType.NATIONAL_COMPANY, country="SN"
    )


def row(services: Services, record_id: str) -> Organisation:
    with services.database.sessions() as session:
        found = session.get(Organisation, record_id)
        assert found is not None
        return found


def test_each_write_gets_a_later_stamp_and_the_next_sequence_number(services: Services) -> None:
    first = row(services, services.organisations.create(company("A")).id)
    second = row(services, services.organisations.create(company("B")).id)
    node = services.installation.this_node()
    assert first.created_stamp == first.stamp and first.stamp.endswith(node.id)
    assert second.stamp > first.stamp
    assert second.seq == first.seq + 1
    assert first.owner == "BCRC-SN" and first.field_stamps == {} and not first.deleted
    assert abs((stamp_time(second.stamp) - stamp_time(first.stamp)).total_seconds()) < 60


def test_an_edit_stamps_only_the_fields_it_changed(services: Services) -> None:
    record = services.organisations.create(company())
    before = row(services, record.id)
    services.organisations.change(record.id, city="Thiès")
    after = row(services, record.id)
    assert set(after.field_stamps) == {"city"}
    assert after.field_stamps["city"] == after.stamp > before.stamp
    assert after.created_stamp == before.created_stamp
    assert after.seq > before.seq


def test_the_clock_never_runs_backwards(services: Services) -> None:
    with services.database.sessions.begin() as session:  # a clock far ahead, as after a sync
        session.execute(select(Node)).scalar_one().clock = (2**60) + 5
    record = services.organisations.create(company())
    assert int(row(services, record.id).stamp[:16], 16) == (2**60) + 6


def test_a_delete_is_a_tombstone_with_its_stamp(services: Services) -> None:
    record = services.organisations.create(company())
    services.organisations.delete(record.id)
    tombstone = row(services, record.id)
    assert tombstone.deleted and tombstone.field_stamps["deleted"] == tombstone.stamp
    assert services.organisations.count() == 0
    with services.database.sessions() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.record_id == record.id)
            .order_by(AuditEntry.stamp)
        ).all()
    assert [a.value for a in actions] == ["create", "delete"]


def test_a_refused_write_leaves_no_trace(services: Services) -> None:
    with services.database.sessions() as session:
        seq_before = session.execute(select(Node.seq)).scalar_one()
    with pytest.raises(ValidationError):
        services.organisations.create(company(" "))
    with services.database.sessions() as session:
        assert session.execute(select(Node.seq)).scalar_one() == seq_before
        assert session.scalars(select(AuditEntry)).all() == []


@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=3))
def test_link_ids_are_uuid5_of_the_linked_records(parts: list[str]) -> None:
    assert link_id("kind", *parts) == str(uuid.uuid5(LINK_NAMESPACE, ":".join(["kind", *parts])))


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=320))
def test_any_name_is_saved_stripped_or_refused_with_a_message(name: str) -> None:
    import tempfile
    from pathlib import Path

    from tests.conftest import new_database

    with tempfile.TemporaryDirectory() as folder:
        services = new_database(Path(folder) / "p.sqlite")
        try:
            try:
                record = services.organisations.create(company(name))
            except ValidationError as error:
                assert set(error.messages()) == {"name"}
                assert services.organisations.count() == 0
            else:
                assert record.name == name.strip() and 0 < len(record.name) <= 300
                assert services.organisations.get(record.id).name == record.name
        finally:
            services.close()


def test_dump_is_stable_and_leaves_out_local_sequence_numbers(demo_services: Services) -> None:
    first, second = io.StringIO(), io.StringIO()
    count = demo_services.maintenance.dump(first)
    demo_services.maintenance.dump(second)
    assert first.getvalue() == second.getvalue()
    tables = json.loads(first.getvalue())["tables"]
    assert count == sum(len(rows) for rows in tables.values())
    assert len(tables["participation"]) == demo_services.participations.count() == 1500
    assert '"seq"' not in first.getvalue()
