"""A small world for the progress report's tests: two centres and the secretariat.

Dakar and Ibadan each keep records around the second quarter of 2027, with
every edge case once: on the period's first and last day, just outside it,
deleted, cancelled, waitlisted. They send them to the secretariat, which
reviews some of their joint activities and sends Dakar its reviews back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from regional_centre.enums import (
    ActionStatus,
    AgreementStatus,
    ContributionKind,
    Gender,
    Recommendation,
    RegistrationStatus,
    SessionStatus,
    SizeClass,
    StakeholderType,
)
from regional_centre.services import Services
from regional_centre.services.engagement import (
    AdvisoryReviewDraft,
    ContributionDraft,
    DialogueParticipantDraft,
    OutcomeDraft,
)
from tests.services.test_engagement import (
    action_draft,
    activity_draft,
    dialogue_draft,
    partnership_draft,
)
from tests.services.test_organisations import contact_draft, organisation_draft
from tests.services.test_statistics import added_on
from tests.services.test_training import session_draft
from tests.sync.conftest import enrol, new_installation, send

DAKAR, IBADAN = "BCRC-SN", "BCRC-NG"
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


@dataclass
class World:
    """The three installations' database files, and the ids the tests talk about."""

    secretariat: Path
    dakar: Path
    ids: dict[str, str]


def fill_centre(services: Services, country: str, ids: dict[str, str], prefix: str) -> None:
    """A centre's records around the second quarter of 2027, with every edge case once."""

    def org(name: str, **fields: Any) -> str:
        ids[prefix + name] = services.organisations.create(
            organisation_draft(name=name, country=country, **fields)
        ).id
        return ids[prefix + name]

    def sme(name: str, size: SizeClass, employees: int, sector: str | None) -> str:
        return org(
            name,
            stakeholder_type=StakeholderType.SME,
            size_class=size,
            employees=employees,
            sector=sector,
        )

    company = org("company", sector="20")
    org("trader", stakeholder_type=StakeholderType.MULTINATIONAL_COMPANY, sector="46")
    association = org("association", stakeholder_type=StakeholderType.INDUSTRY_ASSOCIATION)
    added_on(services, association, dt.datetime(2027, 6, 30, 23, 59))  # new in the period
    added_on(services, company, dt.datetime(2027, 3, 31, 23, 59))  # just before it
    services.organisations.delete(org("gone"))
    micro = sme("micro", SizeClass.MICRO, 5, "10")
    small = sme("small", SizeClass.SMALL, 20, "25")
    medium = sme("medium", SizeClass.MEDIUM, 60, None)
    late = sme("late", SizeClass.MICRO, 3, "01")

    def person(name: str, organisation: str | None, gender: Gender, land: str = country) -> str:
        return services.contacts.create(
            contact_draft(
                family_name=name, organisation_id=organisation, gender=gender, country=land
            )
        ).id

    # (b) dialogues on the period's first and last day, one before, one deleted.
    first = ids[prefix + "first"] = services.dialogues.create(
        dialogue_draft(held_on="2027-04-01", country=country, lifecycle_stages=("design", "production"), waste_streams=("e_waste", "Y8"))
    ).id  # fmt: skip
    last = services.dialogues.create(
        dialogue_draft(held_on="2027-06-30", format="meeting", country=country, lifecycle_stages=("production",))
    ).id  # fmt: skip
    before = services.dialogues.create(
        dialogue_draft(held_on="2027-03-31", country=country, lifecycle_stages=("design",))
    ).id
    services.dialogues.delete(services.dialogues.create(dialogue_draft(held_on="2027-05-05")).id)
    for dialogue, organisation in (
        (first, company),
        (first, micro),
        (last, company),
        (before, small),
    ):
        services.dialogue_participants.create(
            DialogueParticipantDraft(dialogue_id=dialogue, organisation_id=organisation)
        )
    dropped = services.dialogue_participants.create(
        DialogueParticipantDraft(dialogue_id=last, organisation_id=medium)
    )
    services.dialogue_participants.delete(dropped.id)
    for dialogue, status, due, done in (
        (first, ActionStatus.OPEN, TODAY - DAY, None),
        (first, ActionStatus.OPEN, TODAY + DAY, None),
        (first, ActionStatus.OPEN, TODAY, None),  # due today: not overdue yet
        (first, ActionStatus.DONE, TODAY - 9 * DAY, TODAY),
        (last, ActionStatus.CANCELLED, TODAY - 9 * DAY, None),
        (last, ActionStatus.OPEN, None, None),
        (before, ActionStatus.OPEN, TODAY - DAY, None),
    ):
        services.follow_up_actions.create(
            action_draft(dialogue, status=status, due_on=due, completed_on=done)
        )
    services.follow_up_actions.delete(
        services.follow_up_actions.create(action_draft(first, due_on=TODAY - DAY)).id
    )

    # (c) partnerships in every state, signed in and out of the period.
    for agreement, signed, fields in (
        (AgreementStatus.SIGNED, "2027-04-01", ("cleaner_production", "prevention_minimization")),
        (AgreementStatus.ACTIVE, "2026-01-01", ("cleaner_production",)),
        (AgreementStatus.PROPOSED, None, ("illegal_traffic",)),
        (AgreementStatus.CONCLUDED, "2027-06-30", ("capacity_building",)),
        (AgreementStatus.SUSPENDED, "2027-07-01", ("cleaner_production",)),
    ):
        services.partnerships.create(
            partnership_draft(agreement_status=agreement, signed_on=signed, priority_fields=fields)
        )
    gone = services.partnerships.create(
        partnership_draft(agreement_status="active", signed_on="2027-05-01")
    )
    services.partnerships.delete(gone.id)

    # (d) joint activities overlapping the period or not, with contributions and outcomes.
    plans: dict[str, dict[str, Any]] = {
        "ended_before": {"start_on": "2027-01-01", "end_on": "2027-03-31"},
        "ends_on_first_day": {"start_on": "2027-01-01", "end_on": "2027-04-01", "status": "completed", "activity_type": "waste_minimization"},
        "starts_on_last_day": {"start_on": "2027-06-30"},
        "starts_after": {"start_on": "2027-07-01"},
        "open_ended": {"start_on": "2026-01-01", "status": "ongoing", "activity_type": "capacity_building"},
        "within": {"start_on": "2027-04-15", "end_on": "2027-05-15", "status": "ongoing"},
        "undated": {},
    }  # fmt: skip
    for name, plan in plans.items():
        ids[prefix + name] = services.activities.create(activity_draft(title=name, **plan)).id
    services.activities.delete(services.activities.create(activity_draft(start_on="2027-05-01")).id)

    def give(
        who: str, kind: ContributionKind, amount: str | None, currency: str | None, **to: str
    ) -> str:
        draft = ContributionDraft(
            organisation_id=who,
            kind=kind,
            amount=None if amount is None else Decimal(amount),
            currency=currency,
            description="Lorry and driver",
            **to,
        )
        return services.contributions.create(draft).id

    cash, in_kind = ContributionKind.CASH, ContributionKind.IN_KIND
    within, open_ended = ids[prefix + "within"], ids[prefix + "open_ended"]
    give(company, cash, "1250.50", "EUR", activity_id=within)
    give(micro, cash, "100.25", "EUR", activity_id=open_ended)
    give(company, cash, "1000", "USD", activity_id=within)
    give(company, cash, "0.1", "CHF", activity_id=within)
    give(
        company, cash, "0.2", "CHF", activity_id=open_ended
    )  # 0.1 + 0.2 is 0.30, not 0.30000000000000004
    give(small, in_kind, "300", "USD", activity_id=within)  # in kind: counted, not summed
    give(company, cash, "999", "EUR", activity_id=ids[prefix + "ended_before"])
    services.contributions.delete(give(company, cash, "5", "EUR", activity_id=within))
    for activity, indicator, value, unit in (
        ("ends_on_first_day", "Batteries collected", "12", "t"),
        ("within", "Batteries collected", "3.5", "t"),
        ("within", "Batteries collected", "1", "t"),
        ("within", "People trained", "40", "persons"),
        ("ended_before", "Batteries collected", "100", "t"),
    ):
        services.outcomes.create(
            OutcomeDraft(
                activity_id=ids[prefix + activity],
                indicator=indicator,
                value=Decimal(value),
                unit=unit,
            )
        )

    # (e) training: SMEs new and returning, cancelled sessions, waitlisted and deleted people.
    def session(day: str, *more: str, **fields: Any) -> str:
        return services.sessions.create(
            session_draft(days=(day, *more), country=country, **fields)
        ).id

    earlier = session("2027-03-01")
    called_off = session("2027-02-01", status=SessionStatus.CANCELLED)
    opening = session(
        "2027-04-01", "2027-04-02", status=SessionStatus.OPEN, attendance_threshold=50
    )
    closing = session("2027-06-30", hours_per_day=Decimal("3.5"))
    cancelled = session("2027-05-10", status=SessionStatus.CANCELLED)
    after = session("2027-07-01")
    services.sessions.delete(session("2027-05-02"))

    def seat(
        session_id: str,
        contact: str,
        status: RegistrationStatus = RegistrationStatus.REGISTERED,
        **results: Any,
    ) -> str:
        seated = services.participations.register(session_id, contact, status=status).id
        if results:
            services.participations.change(seated, **results)
        return seated  # fmt: skip

    awa = person("Diop", micro, Gender.FEMALE)
    seat(earlier, awa)  # the micro SME was reached before the period: returning
    first_seat = seat(
        opening,
        awa,
        pre_test_score=Decimal("40"),
        post_test_score=Decimal("70.5"),
        evaluation_rating=5,
    )
    seat(
        opening,
        person("Fall", small, Gender.MALE, "ML"),
        RegistrationStatus.CONFIRMED,
        pre_test_score=Decimal("55.5"),
        post_test_score=Decimal("60"),
        evaluation_rating=4,
    )
    seat(
        opening,
        person("Sow", company, Gender.UNDISCLOSED),
        pre_test_score=Decimal("30"),
        evaluation_rating=4,
    )
    seat(opening, person("Ba", medium, Gender.MALE), RegistrationStatus.WAITLISTED)
    fatou = person("Ndiaye", medium, Gender.FEMALE, "GN")
    seat(
        earlier, fatou, RegistrationStatus.WAITLISTED
    )  # waitlisted before: still new in the period
    seat(closing, fatou, pre_test_score=Decimal("10.1"), post_test_score=Decimal("10"))
    moussa = person("Kane", late, Gender.MALE)
    seat(called_off, moussa)  # a cancelled session reaches no one: new in the period
    seat(closing, moussa)
    seat(closing, person("Gueye", None, Gender.OTHER))
    services.participations.delete(seat(closing, person("Faye", small, Gender.MALE)))
    gone_seat = seat(opening, person("Cisse", small, Gender.FEMALE))
    services.participations.change(gone_seat, registration_status=RegistrationStatus.CANCELLED)
    seat(cancelled, person("Sy", small, Gender.MALE))
    late_seat = seat(after, person("Dia", small, Gender.FEMALE))
    services.participations.mark_attendance(first_seat, "2027-04-01", True)
    services.participations.mark_attendance(late_seat, "2027-07-01", True)
    services.certificates.issue(first_seat, issued_on=dt.date(2027, 6, 30))
    services.certificates.issue(late_seat, issued_on=dt.date(2027, 7, 1))
    give(company, cash, "200", "USD", session_id=opening)
    give(company, in_kind, None, None, session_id=closing)
    give(company, cash, "75", "USD", session_id=after)
    services.contributions.delete(give(company, cash, "40", "USD", session_id=opening))


def build_world(folder: Path) -> World:
    """Dakar and Ibadan send their records to the secretariat, which reviews and answers Dakar."""
    ids: dict[str, str] = {}
    geneva = new_installation(folder, "Geneva", None)
    dakar = new_installation(folder, "Dakar office", DAKAR)
    ibadan = new_installation(folder, "Ibadan office", IBADAN)
    try:
        fill_centre(dakar.services, "SN", ids, "sn_")
        fill_centre(ibadan.services, "NG", ids, "ng_")
        ibadan.services.contributions.create(
            ContributionDraft(organisation_id=ids["ng_company"], kind=ContributionKind.CASH, amount=Decimal("10000"), currency="NGN", activity_id=ids["ng_within"])
        )  # fmt: skip
        for centre in (dakar, ibadan):
            enrol(centre, geneva)
            geneva.services.sync.import_bundle(send(centre, geneva, folder))
        reviews = geneva.services.reviews
        for activity, day, recommendation in (
            ("sn_within", "2027-05-01", Recommendation.CONTINUE),
            ("sn_ended_before", "2027-04-15", Recommendation.ADJUST),  # dated in the period: counts
            ("sn_open_ended", "2027-07-02", Recommendation.CLOSE),
            ("ng_within", "2027-06-01", Recommendation.SCALE_UP),
        ):
            reviews.create(AdvisoryReviewDraft(activity_id=ids[activity], reviewed_on=dt.date.fromisoformat(day), recommendation=recommendation))  # fmt: skip
        withdrawn = reviews.create(
            AdvisoryReviewDraft(activity_id=ids["sn_within"], reviewed_on=dt.date(2027, 5, 2), recommendation=Recommendation.CLOSE)
        )  # fmt: skip
        reviews.delete(withdrawn.id)
        dakar.services.sync.import_bundle(send(geneva, dakar, folder))
    finally:
        for installation in (geneva, dakar, ibadan):
            installation.services.close()
    return World(geneva.path, dakar.path, ids)
