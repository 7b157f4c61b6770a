"""Demo dialogues, partnerships and joint activities (framework elements b to d)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from regional_centre.enums import (
    ActionStatus,
    ActivityStatus,
    ActivityType,
    AgreementStatus,
    ContributionKind,
    DialogueFormat,
    EngagementStage,
    Recommendation,
    StakeholderType,
)
from regional_centre.services.engagement import (
    AdvisoryReviewDraft,
    ContributionDraft,
    DialogueDraft,
    DialogueParticipantDraft,
    FollowUpActionDraft,
    JointActivityDraft,
    OutcomeDraft,
    PartnershipDraft,
    PartnershipMemberDraft,
)

RESPONSIBLE = [
    "Programme officer",
    "Centre director",
    "Industry liaison officer",
    "Technical adviser",
]

if TYPE_CHECKING:
    from regional_centre.demo.generator import DemoBuilder, DemoOrganisation


def write_dialogues(
    builder: DemoBuilder,
    organisations: list[DemoOrganisation],
    contacts: list[tuple[str, str]],
) -> None:
    rng, words = builder.rng, builder.words
    engaged = [
        o
        for o in organisations
        if o[3] != EngagementStage.IDENTIFIED and o[2] != StakeholderType.SME
    ] or organisations
    people_of: dict[str, str] = {}
    for contact_id, org_id in contacts:
        people_of.setdefault(org_id, contact_id)
    dates: list[dt.date] = []

    def dialogues() -> Iterator[DialogueDraft]:
        for _ in range(builder.size.dialogues):
            _region, country, city = words.place()
            held_on = builder.random_date()
            dates.append(held_on)
            yield DialogueDraft(
                title=rng.choice(words.dialogue_topics),
                held_on=held_on,
                format=rng.choice(list(DialogueFormat)),
                country=country,
                city=city,
                venue=rng.choice(words.venues),
                lifecycle_stages=tuple(rng.sample(builder.stages, rng.randint(1, 4))),
                waste_streams=builder.streams(),
                summary="Scoping dialogue on the life-cycle of the materials concerned.",
            )

    ids = builder.write(
        "dialogues", builder.services.dialogues, dialogues(), builder.size.dialogues
    )

    def participants() -> Iterator[DialogueParticipantDraft]:
        for dialogue_id in ids:
            for org in rng.sample(engaged, min(len(engaged), rng.randint(2, 5))):
                with_person = rng.random() < 0.6
                yield DialogueParticipantDraft(
                    dialogue_id=dialogue_id,
                    organisation_id=org[0],
                    contact_id=people_of.get(org[0]) if with_person else None,
                )

    builder.write(
        "dialogue participants",
        builder.services.dialogue_participants,
        participants(),
        len(ids) * 3,
    )

    def actions() -> Iterator[FollowUpActionDraft]:
        for dialogue_id, held_on in zip(ids, dates, strict=True):
            for _ in range(rng.randint(0, 3)):
                due = held_on + dt.timedelta(days=rng.randint(14, 120))
                done = due < builder.today and rng.random() < 0.75
                yield FollowUpActionDraft(
                    dialogue_id=dialogue_id,
                    description=rng.choice(words.follow_up_actions),
                    responsible=rng.choice(RESPONSIBLE),
                    due_on=due,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    completed_on=due - dt.timedelta(days=rng.randint(0, 10)) if done else None,
                )

    builder.write(
        "follow-up actions",
        builder.services.follow_up_actions,
        actions(),
        len(ids) * 2,
    )


def write_partnerships(
    builder: DemoBuilder, organisations: list[DemoOrganisation]
) -> list[tuple[str, list[str]]]:
    rng, words = builder.rng, builder.words
    partners = [
        o[0]
        for o in organisations
        if o[3] in (EngagementStage.PARTNERSHIP, EngagementStage.JOINT_ACTIVITY)
    ]
    partners = partners or [o[0] for o in organisations]
    members: list[list[str]] = []

    def drafts() -> Iterator[PartnershipDraft]:
        for _ in range(builder.size.partnerships):
            start = builder.random_date()
            status = rng.choices(list(AgreementStatus), [10, 10, 15, 45, 15, 5])[0]
            signed = status in (
                AgreementStatus.SIGNED,
                AgreementStatus.ACTIVE,
                AgreementStatus.CONCLUDED,
            )
            members.append(rng.sample(partners, min(len(partners), rng.randint(2, 4))))
            yield PartnershipDraft(
                title=rng.choice(words.partnership_titles),
                priority_fields=tuple(rng.sample(builder.priority_fields, rng.randint(1, 3))),
                agreement_status=status,
                signed_on=start - dt.timedelta(days=rng.randint(0, 60)) if signed else None,
                start_on=start,
                end_on=start + dt.timedelta(days=rng.randint(365, 3 * 365)),
                regional_specificities="Informal sector collection; limited licensed treatment capacity.",
            )

    ids = builder.write(
        "partnerships",
        builder.services.partnerships,
        drafts(),
        builder.size.partnerships,
    )

    def member_drafts() -> Iterator[PartnershipMemberDraft]:
        for partnership_id, orgs in zip(ids, members, strict=True):
            for org_id in orgs:
                yield PartnershipMemberDraft(
                    partnership_id=partnership_id,
                    organisation_id=org_id,
                    role=rng.choice(
                        ["Lead partner", "Partner", "Technical partner", "Funding partner"]
                    ),
                )

    builder.write(
        "partnership members",
        builder.services.partnership_members,
        member_drafts(),
        len(ids) * 3,
    )
    return list(zip(ids, members, strict=True))


def write_activities(
    builder: DemoBuilder,
    organisations: list[DemoOrganisation],
    partnerships: list[tuple[str, list[str]]],
) -> None:
    rng, words = builder.rng, builder.words
    companies = [
        o[0]
        for o in organisations
        if o[2]
        in (
            StakeholderType.NATIONAL_COMPANY,
            StakeholderType.MULTINATIONAL_COMPANY,
            StakeholderType.CORPORATE_FOUNDATION,
            StakeholderType.INDUSTRY_ASSOCIATION,
        )
    ] or [o[0] for o in organisations]
    plans: list[tuple[ActivityStatus, dt.date, list[str], str]] = []

    def drafts() -> Iterator[JointActivityDraft]:
        for _ in range(builder.size.activities):
            partnership = rng.choice(partnerships) if partnerships and rng.random() < 0.6 else None
            start = builder.random_date()
            end = start + dt.timedelta(days=rng.randint(30, 540))
            status = (
                ActivityStatus.COMPLETED
                if end < builder.today and rng.random() < 0.9
                else ActivityStatus.CANCELLED
                if rng.random() < 0.04
                else ActivityStatus.ONGOING
                if start <= builder.today
                else ActivityStatus.PLANNED
            )
            _region, country, _city = words.place()
            currency = rng.choice(["USD", "USD", "EUR", "CHF"])
            plans.append(
                (
                    status,
                    start,
                    partnership[1]
                    if partnership
                    else rng.sample(companies, min(3, len(companies))),
                    currency,
                )
            )
            yield JointActivityDraft(
                title=rng.choice(words.activity_titles),
                activity_type=rng.choice(list(ActivityType)),
                status=status,
                partnership_id=partnership[0] if partnership else None,
                objectives="Improve the environmental performance of participating companies.",
                start_on=start,
                end_on=end,
                country=country,
                waste_streams=builder.streams(),
                budget_amount=Decimal(rng.randrange(5, 400) * 1000),
                budget_currency=currency,
            )

    ids = builder.write(
        "joint activities",
        builder.services.activities,
        drafts(),
        builder.size.activities,
    )

    def contributions() -> Iterator[ContributionDraft]:
        for activity_id, (_status, _start, orgs, currency) in zip(ids, plans, strict=True):
            for org_id in rng.sample(orgs, rng.randint(1, len(orgs))):
                cash = rng.random() < 0.6
                yield ContributionDraft(
                    organisation_id=org_id,
                    activity_id=activity_id,
                    kind=ContributionKind.CASH if cash else ContributionKind.IN_KIND,
                    amount=Decimal(rng.randrange(1, 80) * 500),
                    currency=currency,
                    description=""
                    if cash
                    else rng.choice(
                        [
                            "Venue and catering",
                            "Technical experts",
                            "Laboratory analyses",
                            "Collection logistics",
                        ]
                    ),
                )

    builder.write("contributions", builder.services.contributions, contributions(), len(ids) * 2)

    def outcomes() -> Iterator[OutcomeDraft]:
        for activity_id, (status, start, _orgs, _c) in zip(ids, plans, strict=True):
            if status not in (ActivityStatus.COMPLETED, ActivityStatus.ONGOING):
                continue
            for indicator in rng.sample(words.outcome_indicators, rng.randint(1, 3)):
                unit = indicator["unit"]
                value = (
                    Decimal(rng.randint(1, 100))
                    if unit == "%"
                    else Decimal(rng.randint(1, 5000)) / (1 if "number" in unit else 10)
                )
                yield OutcomeDraft(
                    activity_id=activity_id,
                    indicator=indicator["indicator"],
                    value=value,
                    unit=unit,
                    measured_on=min(builder.today, start + dt.timedelta(days=rng.randint(30, 400))),
                )

    builder.write("outcomes", builder.services.outcomes, outcomes(), len(ids) * 2)

    def reviews() -> Iterator[AdvisoryReviewDraft]:
        for activity_id, (status, start, _orgs, _c) in zip(ids, plans, strict=True):
            if status == ActivityStatus.COMPLETED and rng.random() < 0.35:
                yield AdvisoryReviewDraft(
                    activity_id=activity_id,
                    reviewed_on=min(builder.today, start + dt.timedelta(days=rng.randint(60, 500))),
                    recommendation=rng.choice(list(Recommendation)),
                    reviewer="Advisory Committee on Partnership with Industry",
                    comments="Outcomes documented; consider replication with the national industry association.",
                )

    builder.write("advisory reviews", builder.services.reviews, reviews(), len(ids) // 3)
