"""The demo data: the promised amounts, consistent with every rule, reproducible from its seed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from regional_centre.db.models import Certificate, Participation, TrainingSession
from regional_centre.demo import SIZES, churn, generate
from regional_centre.enums import StakeholderType
from regional_centre.services import Services
from regional_centre.services.organisations import SIZE_BANDS
from tests.conftest import new_database


def test_small_demo_has_the_promised_amounts(demo_services: Services) -> None:
    size = SIZES["small"]
    assert demo_services.organisations.count() == size.smes + size.other_organisations
    assert demo_services.contacts.count() == size.people
    assert demo_services.dialogues.count() == size.dialogues
    assert demo_services.partnerships.count() == size.partnerships
    assert demo_services.activities.count() == size.activities
    assert demo_services.sessions.count() == size.sessions
    assert demo_services.participations.count() == size.participations
    assert demo_services.maintenance.check() == []


def test_large_demo_is_the_benchmark_size() -> None:
    large = SIZES["large"]
    assert large.smes + large.other_organisations >= 20_000 and large.smes >= 15_000
    assert large.people >= 40_000 and large.dialogues >= 3_000 and large.partnerships >= 500
    assert large.activities >= 1_500 and large.sessions >= 4_000
    assert large.participations >= 200_000


def test_demo_records_obey_the_rules_users_see(demo_services: Services) -> None:
    kinds = Counter()
    for record_id in demo_services.organisations.ids():
        organisation = demo_services.organisations.get(record_id)
        kinds[organisation.stakeholder_type] += 1
        if organisation.stakeholder_type == StakeholderType.SME:
            assert organisation.size_class is not None and organisation.employees is not None
            low, high = SIZE_BANDS[organisation.size_class]
            assert low <= organisation.employees <= high
    assert kinds[StakeholderType.SME] == SIZES["small"].smes
    assert len(kinds) >= 5
    with demo_services.database.sessions() as session:
        seated = dict(
            session.execute(
                select(Participation.session_id, func.count())
                .where(Participation.registration_status.in_(("registered", "confirmed")))
                .group_by(Participation.session_id)
            ).all()
        )
        for training in session.scalars(select(TrainingSession)):
            assert seated.get(training.id, 0) <= training.capacity
        for participation in session.scalars(select(Participation)):
            training = session.get(TrainingSession, participation.session_id)
            assert training is not None
            assert set(participation.days_attended) <= set(training.days)
        certificates = session.scalar(select(func.count()).select_from(Certificate))
    assert certificates and certificates > 100
    names = [demo_services.contacts.get(i).full_name for i in demo_services.contacts.ids()[:50]]
    assert all(" " in name and "lorem" not in name.lower() for name in names)


def test_the_same_seed_gives_the_same_content(tmp_path: Path) -> None:
    def names(seed: int, name: str) -> list[str]:
        services = new_database(tmp_path / name)
        try:
            generate(services, "small", seed=seed)
            return sorted(services.organisations.get(i).name for i in services.organisations.ids())
        finally:
            services.close()

    assert names(11, "a.sqlite") == names(11, "b.sqlite")
    assert names(11, "a2.sqlite") != names(12, "c.sqlite")


def test_churn_edits_and_deletes_through_the_rules(demo_services: Services) -> None:
    before = demo_services.organisations.count()
    counts = churn(demo_services, 150, seed=5)
    assert counts["edits"] > 50 and counts["deletes"] > 5
    assert sum(counts.values()) >= 150
    assert demo_services.organisations.count() == before + counts["creates"]
    assert demo_services.maintenance.check() == []


def test_churn_on_an_empty_database_adds_records(services: Services) -> None:
    counts = churn(services, 5, seed=1)
    assert counts["creates"] >= 1
    assert counts["creates"] + counts["edits"] + counts["deletes"] + counts["refused"] == 5
    assert services.organisations.count() == counts["creates"]
