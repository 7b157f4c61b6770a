"""Key figures of a period: what counts, what does not, and where the period's edges lie."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from regional_centre.db.models import Organisation
from regional_centre.enums import (
    ActionStatus,
    ActivityStatus,
    AgreementStatus,
    EngagementStage,
    Gender,
    RegistrationStatus,
    SessionStatus,
    StakeholderType,
)
from regional_centre.services import Services
from regional_centre.services.context import CLOCK_SHIFT, make_stamp
from regional_centre.services.engagement import OutcomeDraft
from regional_centre.services.errors import ValidationError
from regional_centre.services.statistics import OTHER, KeyFigures, Period, QuarterFigures
from tests.services.test_engagement import (
    action_draft,
    activity_draft,
    dialogue_draft,
    partnership_draft,
)
from tests.services.test_organisations import contact_draft, organisation_draft, sme_draft
from tests.services.test_training import session_draft

APRIL_1, JUNE_30 = dt.date(2027, 4, 1), dt.date(2027, 6, 30)
Q2 = Period(APRIL_1, JUNE_30)
ALL_TIME = Period(None, None)
DAY = dt.timedelta(days=1)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def new_partner(services: Services, **fields: Any) -> str:
    return services.organisations.create(organisation_draft(**fields)).id


def person(services: Services, name: str, gender: Gender = Gender.FEMALE) -> str:
    return services.contacts.create(contact_draft(family_name=name, gender=gender)).id


def training(services: Services, first_day: str, **fields: Any) -> str:
    """A new one-day session's id."""
    return services.sessions.create(session_draft(days=(first_day,), **fields)).id


def register(
    services: Services,
    session_id: str,
    name: str,
    gender: Gender = Gender.FEMALE,
    status: RegistrationStatus = RegistrationStatus.REGISTERED,
) -> str:
    return services.participations.register(
        session_id, person(services, name, gender), status=status
    ).id


def added_on(services: Services, organisation_id: str, moment: dt.datetime) -> None:
    """Pretend the organisation was created at ``moment`` (UTC) by rewriting its creation stamp."""
    clock = int(moment.replace(tzinfo=dt.UTC).timestamp() * 1000) << CLOCK_SHIFT
    stamp = make_stamp(clock, services.context.node.id)
    with services.database.sessions.begin() as session:
        session.execute(
            update(Organisation)
            .where(Organisation.id == organisation_id)
            .values(created_stamp=stamp)
        )


def test_an_empty_database_counts_zero_everywhere(services: Services) -> None:
    statistics = services.statistics
    assert statistics.key_figures(ALL_TIME) == KeyFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert statistics.partners_by_stage() == [(stage, 0) for stage in EngagementStage]
    assert statistics.participants_by_gender(Q2) == [(gender, 0) for gender in Gender]
    assert statistics.activities_by_status(Q2) == [(status, 0) for status in ActivityStatus]
    assert statistics.trainings_per_quarter(ALL_TIME) == []
    assert statistics.partners_by_sector() == []
    assert statistics.outcomes_by_indicator(ALL_TIME) == []


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError):
        Period(JUNE_30, APRIL_1)
    assert Period(APRIL_1, APRIL_1).end == APRIL_1


def test_partners_smes_and_new_partners(services: Services) -> None:
    moments = {
        "before": dt.datetime(2027, 3, 31, 23, 59, 59, 999000),
        "first": dt.datetime(2027, 4, 1, 0, 0),
        "last": dt.datetime(2027, 6, 30, 23, 59, 59, 999000),
        "after": dt.datetime(2027, 7, 1, 0, 0),
    }
    for name, moment in moments.items():
        added_on(services, new_partner(services, name=name), moment)
    sme = services.organisations.create(sme_draft()).id
    added_on(services, sme, moments["first"])  # an SME is not a partner
    gone = new_partner(services, name="gone")
    added_on(services, gone, moments["first"])
    services.organisations.delete(gone)

    figures = services.statistics.key_figures(Q2)
    assert (figures.partners, figures.new_partners, figures.smes) == (4, 2, 1)
    statistics = services.statistics
    assert statistics.key_figures(Period(APRIL_1, None)).new_partners == 3
    assert statistics.key_figures(Period(None, JUNE_30)).new_partners == 3
    assert statistics.key_figures(Period(APRIL_1, APRIL_1)).new_partners == 1
    assert statistics.key_figures(Period(APRIL_1, dt.date.max)) == statistics.key_figures(
        Period(APRIL_1, None)
    )
    assert statistics.key_figures(ALL_TIME).new_partners == 4
    # The stock of partners does not depend on the period.
    assert statistics.key_figures(Period(day("2030-01-01"), None)).partners == 4


def test_dialogues_are_counted_by_the_day_they_were_held(services: Services) -> None:
    for held_on in ("2027-03-31", "2027-04-01", "2027-06-30", "2027-07-01"):
        services.dialogues.create(dialogue_draft(held_on=held_on))
    gone = services.dialogues.create(dialogue_draft(held_on="2027-05-01"))
    services.dialogues.delete(gone.id)

    def dialogues(period: Period) -> int:
        return services.statistics.key_figures(period).dialogues

    assert dialogues(Q2) == 2
    assert dialogues(Period(APRIL_1, None)) == 3
    assert dialogues(Period(None, JUNE_30)) == 3
    assert dialogues(ALL_TIME) == 4


def test_sessions_participants_and_certificates(services: Services) -> None:
    first = training(services, "2027-04-01", status=SessionStatus.OPEN)
    seated = register(services, first, "Diop")
    confirmed = register(services, first, "Fall", Gender.MALE, RegistrationStatus.CONFIRMED)
    register(services, first, "Sow", Gender.MALE, RegistrationStatus.WAITLISTED)
    dropped = register(services, first, "Ba", Gender.MALE)
    services.participations.change(dropped, registration_status=RegistrationStatus.CANCELLED)

    last = training(services, "2027-06-30")
    register(services, last, "Ndiaye", Gender.UNDISCLOSED)
    services.participations.delete(register(services, last, "Faye", Gender.MALE))

    cancelled = training(services, "2027-05-10", status=SessionStatus.CANCELLED)
    register(services, cancelled, "Gueye", Gender.MALE)
    after = training(services, "2027-07-01")
    late = register(services, after, "Cisse", Gender.MALE)
    deleted = training(services, "2027-05-02")
    register(services, deleted, "Kane", Gender.MALE)
    services.sessions.delete(deleted)

    for participation, session_day in ((seated, "2027-04-01"), (late, "2027-07-01")):
        services.participations.mark_attendance(participation, session_day, True)
    services.certificates.issue(seated, issued_on=day("2027-06-30"))
    services.certificates.issue(late, issued_on=day("2027-07-01"))
    services.participations.mark_attendance(confirmed, "2027-04-01", True)
    withdrawn = services.certificates.issue(confirmed, issued_on=day("2027-04-02"))
    services.certificates.delete(withdrawn.id)

    figures = services.statistics.key_figures(Q2)
    assert (figures.sessions, figures.participants, figures.certificates) == (2, 3, 1)
    everything = services.statistics.key_figures(ALL_TIME)
    assert (everything.sessions, everything.participants, everything.certificates) == (3, 4, 2)
    assert services.statistics.participants_by_gender(Q2) == [
        (Gender.FEMALE, 1),
        (Gender.MALE, 1),
        (Gender.OTHER, 0),
        (Gender.UNDISCLOSED, 1),
    ]


def test_trainings_per_quarter_fill_the_quarters_between(services: Services) -> None:
    february = training(services, "2027-02-15")
    register(services, february, "Diop")
    register(services, february, "Fall", status=RegistrationStatus.WAITLISTED)
    training(services, "2027-03-31")
    register(services, training(services, "2027-08-01", status=SessionStatus.CANCELLED), "Sow")
    services.sessions.delete(training(services, "2027-09-01"))
    november = training(services, "2027-11-30")
    for name in ("Ba", "Kane"):
        register(services, november, name)
    training(services, "2028-01-01")

    assert services.statistics.trainings_per_quarter(ALL_TIME) == [
        QuarterFigures(2027, 1, 2, 1),
        QuarterFigures(2027, 2, 0, 0),
        QuarterFigures(2027, 3, 0, 0),
        QuarterFigures(2027, 4, 1, 2),
        QuarterFigures(2028, 1, 1, 0),
    ]
    # From the first quarter with data in the period, not from the period's start.
    assert services.statistics.trainings_per_quarter(Period(APRIL_1, day("2027-12-31"))) == [
        QuarterFigures(2027, 4, 1, 2)
    ]
    assert services.statistics.trainings_per_quarter(Q2) == []


def test_partnerships_signed_or_active_and_overdue_actions(services: Services) -> None:
    signed = {"signed_on": APRIL_1}
    for status in ("signed", "active", "proposed", "concluded"):
        services.partnerships.create(
            partnership_draft(agreement_status=AgreementStatus(status), **signed)
        )
    gone = services.partnerships.create(
        partnership_draft(agreement_status=AgreementStatus.ACTIVE, **signed)
    )
    services.partnerships.delete(gone.id)

    today = dt.date.today()
    dialogue = services.dialogues.create(dialogue_draft()).id
    for status, due_on, completed_on in (
        (ActionStatus.OPEN, today - DAY, None),
        (ActionStatus.OPEN, today, None),
        (ActionStatus.OPEN, None, None),
        (ActionStatus.DONE, today - 10 * DAY, today),
        (ActionStatus.CANCELLED, today - 10 * DAY, None),
    ):
        draft = action_draft(dialogue, status=status, due_on=due_on, completed_on=completed_on)
        services.follow_up_actions.create(draft)
    gone_action = services.follow_up_actions.create(action_draft(dialogue, due_on=today - DAY))
    services.follow_up_actions.delete(gone_action.id)

    figures = services.statistics.key_figures(Period(day("2000-01-01"), day("2000-12-31")))
    assert (figures.partnerships, figures.overdue_actions) == (2, 1)


def add_activities(services: Services) -> dict[str, str]:
    """Joint activities around the second quarter of 2027, by name."""
    plans: dict[str, dict[str, Any]] = {
        "ended_before": {"start_on": "2027-01-01", "end_on": "2027-03-31"},
        "ends_on_first_day": {
            "start_on": "2027-01-01",
            "end_on": "2027-04-01",
            "status": "completed",
        },
        "starts_on_last_day": {"start_on": "2027-06-30"},
        "starts_after": {"start_on": "2027-07-01"},
        "running_since_2026": {"start_on": "2026-01-01", "status": "ongoing"},
        "within": {"start_on": "2027-04-15", "end_on": "2027-05-15", "status": "ongoing"},
        "called_off": {"start_on": "2027-05-01", "end_on": "2027-05-31", "status": "cancelled"},
        "undated": {},
    }
    ids = {
        name: services.activities.create(activity_draft(title=name, **fields)).id
        for name, fields in plans.items()
    }
    gone = services.activities.create(activity_draft(start_on="2027-05-01", status="ongoing"))
    services.activities.delete(gone.id)
    return ids


def test_activities_overlapping_the_period(services: Services) -> None:
    add_activities(services)
    statistics = services.statistics

    assert statistics.key_figures(Q2).activities == 5
    assert statistics.activities_by_status(Q2) == [
        (ActivityStatus.PLANNED, 1),
        (ActivityStatus.ONGOING, 2),
        (ActivityStatus.COMPLETED, 1),
        (ActivityStatus.CANCELLED, 1),
    ]
    assert statistics.key_figures(ALL_TIME).activities == 8
    # Without an end to the period, an undated activity that never ended still overlaps it.
    assert statistics.key_figures(Period(APRIL_1, None)).activities == 7
    assert statistics.key_figures(Period(None, day("2026-12-31"))).activities == 1


def test_outcomes_summed_per_indicator_and_unit(services: Services) -> None:
    ids = add_activities(services)

    def outcome(activity: str, indicator: str, value: str, unit: str) -> str:
        draft = OutcomeDraft(
            activity_id=ids[activity], indicator=indicator, value=Decimal(value), unit=unit
        )
        return services.outcomes.create(draft).id

    outcome("ends_on_first_day", "Batteries collected", "12", "t")
    outcome("within", "Batteries collected", "3.5", "t")
    outcome("within", "Batteries collected", "1", "t")  # measured twice: still one activity
    outcome("within", "Batteries collected", "2", "kg")
    outcome("within", "People trained", "40", "persons")
    outcome("ended_before", "Batteries collected", "100", "t")
    services.outcomes.delete(outcome("starts_on_last_day", "Batteries collected", "50", "t"))

    assert services.statistics.outcomes_by_indicator(Q2) == [
        ("Batteries collected", "t", Decimal("16.5"), 2),
        ("Batteries collected", "kg", Decimal("2"), 1),
        ("People trained", "persons", Decimal("40"), 1),
    ]
    assert services.statistics.outcomes_by_indicator(Q2, limit=1) == [
        ("Batteries collected", "t", Decimal("16.5"), 2)
    ]
    assert services.statistics.outcomes_by_indicator(ALL_TIME)[0] == (
        "Batteries collected",
        "t",
        Decimal("116.5"),
        3,
    )


def test_partners_by_stage_is_a_zero_filled_funnel(services: Services) -> None:
    for stage in ("identified", "identified", "dialogue", "joint_activity"):
        new_partner(services, engagement_stage=EngagementStage(stage))
    services.organisations.create(sme_draft())  # SMEs are not in the funnel
    services.organisations.delete(new_partner(services, engagement_stage="partnership"))

    assert services.statistics.partners_by_stage() == [
        (EngagementStage.IDENTIFIED, 2),
        (EngagementStage.DIALOGUE, 1),
        (EngagementStage.PARTNERSHIP, 0),
        (EngagementStage.JOINT_ACTIVITY, 1),
    ]


def test_partners_by_sector_groups_divisions_into_sections(services: Services) -> None:
    for sector in ("10", "20", "C", "01", "A", "46", None):
        new_partner(services, sector=sector)
    services.organisations.create(sme_draft())  # an SME without a sector: not counted
    services.organisations.delete(new_partner(services, sector="01"))

    statistics = services.statistics
    ranked = [("C", 3), ("A", 2), ("G", 1), (None, 1)]
    assert statistics.partners_by_sector() == ranked
    assert statistics.partners_by_sector(limit=4) == ranked
    assert statistics.partners_by_sector(limit=2) == [("C", 3), ("A", 2), (OTHER, 2)]


def test_demo_data_figures_agree_with_plain_queries(demo_services: Services) -> None:
    with demo_services.database.sessions() as session:
        rows = session.execute(
            select(Organisation.engagement_stage, Organisation.stakeholder_type).where(
                Organisation.deleted.is_(False)
            )
        ).all()
    expected = Counter(stage for stage, kind in rows if kind != StakeholderType.SME)
    funnel = demo_services.statistics.partners_by_stage()

    assert funnel == [(stage, expected[stage]) for stage in EngagementStage]
    assert sum(count for _stage, count in funnel) > 0
    assert len([count for _stage, count in funnel if count]) > 1

    figures = demo_services.statistics.key_figures(ALL_TIME)
    assert figures.partners == sum(count for _stage, count in funnel)
    sectors = demo_services.statistics.partners_by_sector(limit=3)
    assert sum(count for _section, count in sectors) == figures.partners


@pytest.mark.parametrize(
    "period",
    [ALL_TIME, Period(day("2025-01-01"), day("2025-12-31")), Period(day("2025-07-01"), None)],
    ids=["all time", "2025", "from July 2025"],
)
def test_the_charts_add_up_to_the_key_figures(demo_services: Services, period: Period) -> None:
    """The charts and the key figures are counted by separate statements: they agree."""
    statistics = demo_services.statistics
    figures = statistics.key_figures(period)

    assert figures.sessions > 0 and figures.activities > 0
    by_status = statistics.activities_by_status(period)
    assert sum(count for _status, count in by_status) == figures.activities
    by_gender = statistics.participants_by_gender(period)
    assert sum(count for _gender, count in by_gender) == figures.participants
    quarters = statistics.trainings_per_quarter(period)
    assert sum(q.sessions for q in quarters) == figures.sessions
    assert sum(q.participants for q in quarters) == figures.participants
