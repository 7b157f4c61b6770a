"""Demo training sessions, participations, certificates and SME follow-ups (element e)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from regional_centre.demo.vocabulary import REGION_LANGUAGES
from regional_centre.enums import (
    ContributionKind,
    RegistrationStatus,
    SessionStatus,
    StakeholderType,
    TrainingFormat,
)
from regional_centre.services.certificates import CertificateDraft, new_verification_code
from regional_centre.services.engagement import (
    ContributionDraft,
)
from regional_centre.services.training import (
    ParticipationDraft,
    SmeFollowUpDraft,
    TrainingSessionDraft,
    days_needed,
)

if TYPE_CHECKING:
    from regional_centre.demo.generator import DemoBuilder, DemoOrganisation


def write_training(
    builder: DemoBuilder,
    organisations: list[DemoOrganisation],
    contacts: list[tuple[str, str]],
) -> None:
    rng, words = builder.rng, builder.words
    sme_ids = {o[0] for o in organisations if o[2] == StakeholderType.SME}
    trainees = [c for c in contacts if c[1] in sme_ids] or contacts
    sponsors = [
        o[0]
        for o in organisations
        if o[2]
        in (
            StakeholderType.MULTINATIONAL_COMPANY,
            StakeholderType.NATIONAL_COMPANY,
            StakeholderType.INDUSTRY_ASSOCIATION,
        )
    ]
    counts = builder.spread(builder.size.participations, builder.size.sessions, len(trainees))
    plans: list[tuple[int, tuple[str, ...], SessionStatus, int]] = []

    def sessions() -> Iterator[TrainingSessionDraft]:
        for count in counts:
            region, country, city = words.place()
            first = builder.random_date()
            first -= dt.timedelta(days=first.weekday() if first.weekday() > 2 else 0)
            days = tuple(
                (first + dt.timedelta(days=d)).isoformat()
                for d in range(rng.choice([1, 2, 2, 3, 3, 5]))
            )
            last = dt.date.fromisoformat(days[-1])
            status = (
                SessionStatus.COMPLETED
                if last < builder.today
                else SessionStatus.OPEN
                if first < builder.today + dt.timedelta(days=90)
                else SessionStatus.PLANNED
            )
            if rng.random() < 0.02:
                status = SessionStatus.CANCELLED
            capacity = count + rng.randint(0, 15)
            threshold = rng.choice([100, 80, 75])
            plans.append((capacity, days, status, threshold))
            yield TrainingSessionDraft(
                title=rng.choice(words.training_topics),
                topics=tuple(rng.sample(words.training_topics, 2)),
                format=rng.choices(list(TrainingFormat), [80, 12, 8])[0],
                days=days,
                hours_per_day=Decimal(rng.choice([6, 7, 8])),
                venue=f"{city} {rng.choice(words.venues)}",
                city=city,
                country=country,
                language=rng.choice(REGION_LANGUAGES[region]),
                capacity=capacity,
                trainers=tuple(
                    f"{p.given_name} {p.family_name}"
                    for p in (words.person(region) for _ in range(rng.randint(1, 3)))
                ),
                status=status,
                attendance_threshold=threshold,
            )

    ids = builder.write(
        "training sessions",
        builder.services.sessions,
        sessions(),
        builder.size.sessions,
    )

    def support() -> Iterator[ContributionDraft]:
        for session_id in ids:
            for org_id in rng.sample(sponsors, min(len(sponsors), rng.choice([0, 1, 1, 2]))):
                yield ContributionDraft(
                    organisation_id=org_id,
                    session_id=session_id,
                    kind=ContributionKind.IN_KIND,
                    amount=Decimal(rng.randrange(2, 40) * 250),
                    currency="USD",
                    description=rng.choice(
                        [
                            "Venue",
                            "Trainers' time",
                            "Catering",
                            "Site visit to a recycling plant",
                        ]
                    ),
                )

    builder.write("contributions", builder.services.contributions, support(), len(ids))

    eligible: list[tuple[int, str]] = []  # (index, last day) of those who earned a certificate
    followed: list[tuple[str, str, dt.date]] = []

    position = 0

    def participations() -> Iterator[ParticipationDraft]:
        nonlocal position
        for session_id, count, (_capacity, days, status, threshold) in zip(
            ids, counts, plans, strict=True
        ):
            needed = days_needed(len(days), threshold)
            for contact_id, org_id in rng.sample(trainees, count):
                attended: tuple[str, ...] = ()
                pre = post = None
                rating = None
                registration = RegistrationStatus.CONFIRMED
                if status == SessionStatus.COMPLETED:
                    attended = tuple(d for d in days if rng.random() < 0.92)
                    pre = Decimal(rng.randint(20, 70))
                    post = min(Decimal(100), pre + rng.randint(-5, 35))
                    rating = rng.choices([1, 2, 3, 4, 5], [2, 5, 18, 45, 30])[0]
                elif status == SessionStatus.CANCELLED:
                    registration = RegistrationStatus.CANCELLED
                elif status == SessionStatus.OPEN and rng.random() < 0.3:
                    registration = RegistrationStatus.REGISTERED
                draft = ParticipationDraft(
                    session_id=session_id,
                    contact_id=contact_id,
                    organisation_id=org_id,
                    registration_status=registration,
                    days_attended=attended,
                    pre_test_score=pre,
                    post_test_score=post,
                    evaluation_rating=rating,
                    evaluation_comments="Practical and useful."
                    if rating and rng.random() < 0.1
                    else "",
                )
                if len(attended) >= needed and status == SessionStatus.COMPLETED:
                    eligible.append((position, days[-1]))
                    if org_id in sme_ids and rng.random() < 0.03:
                        followed.append((org_id, session_id, dt.date.fromisoformat(days[-1])))
                position += 1
                yield draft

    participation_ids = builder.write(
        "participations",
        builder.services.participations,
        participations(),
        builder.size.participations,
    )

    owner = builder.services.installation.this_node().owner
    next_free: dict[int, int] = {}

    def certificates() -> Iterator[CertificateDraft]:
        for index, last_day in eligible:
            participation_id = participation_ids[index]
            issued_on = dt.date.fromisoformat(last_day)
            year = issued_on.year
            if year not in next_free:
                first = builder.services.certificates.next_number(year)
                next_free[year] = int(first.rsplit("-", 1)[1])
            number = f"{owner}-{year}-{next_free[year]:06d}"
            next_free[year] += 1
            yield CertificateDraft(
                participation_id=participation_id,
                number=number,
                issued_on=issued_on,
                verification_code=new_verification_code(),
            )

    builder.write("certificates", builder.services.certificates, certificates(), len(eligible))

    def follow_ups() -> Iterator[SmeFollowUpDraft]:
        for org_id, session_id, last in followed:
            yield SmeFollowUpDraft(
                organisation_id=org_id,
                session_id=session_id,
                followed_up_on=last + dt.timedelta(days=rng.randint(60, 240)),
                measures_implemented=rng.choice(
                    [
                        "Segregation of hazardous waste at source",
                        "Contract with a licensed used-oil collector",
                        "Solvent recovery unit installed",
                        "Battery storage area with acid-resistant floor",
                    ]
                ),
                outcome=rng.choice(["", "Less waste sent to landfill", "Inspection passed"]),
            )

    builder.write("SME follow-ups", builder.services.sme_follow_ups, follow_ups(), len(followed))
