"""Realistic demo data, written through the service layer like any user's data.

``large`` is the benchmark size named in the data core issue. Everything is
drawn from one seeded random generator, so a seed gives the same content
(ids and change stamps differ from run to run, as they would between users).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from regional_centre.demo.engagement import write_activities, write_dialogues, write_partnerships
from regional_centre.demo.training import write_training
from regional_centre.demo.vocabulary import CENTRE_REGIONS, Vocabulary
from regional_centre.enums import (
    EngagementStage,
    StakeholderType,
)
from regional_centre.services import Services
from regional_centre.services.organisations import SIZE_BANDS, ContactDraft, OrganisationDraft
from regional_centre.services.records import RecordService
from regional_centre.services.reference import LIFECYCLE_STAGE, PRIORITY_FIELD, WASTE_STREAM

Progress = Callable[[int, int], None]


class DemoOrganisation(NamedTuple):
    """What later steps need to know of a demo organisation."""

    id: str
    region: str
    kind: StakeholderType
    stage: EngagementStage
    country: str


@dataclass(frozen=True)
class Size:
    """How many records of each kind a demo database gets."""

    smes: int
    other_organisations: int
    people: int
    dialogues: int
    partnerships: int
    activities: int
    sessions: int
    participations: int

    @property
    def total(self) -> int:
        """Roughly how many records the demo writes (for progress)."""
        return (
            self.smes
            + self.other_organisations
            + self.people
            + self.dialogues * 4
            + self.partnerships * 4
            + self.activities * 5
            + self.sessions * 2
            + self.participations * 2
        )


SIZES = {
    "small": Size(150, 60, 400, 30, 8, 20, 40, 1_500),
    "large": Size(15_000, 5_000, 40_000, 3_000, 500, 1_500, 4_000, 200_000),
}

OTHER_TYPES = [
    (StakeholderType.NATIONAL_COMPANY, 40),
    (StakeholderType.MULTINATIONAL_COMPANY, 12),
    (StakeholderType.INDUSTRY_ASSOCIATION, 16),
    (StakeholderType.CORPORATE_FOUNDATION, 6),
    (StakeholderType.PUBLIC_BODY, 14),
    (StakeholderType.NGO_ACADEMIA, 10),
    (StakeholderType.OTHER, 2),
]
STAGES = [
    (EngagementStage.IDENTIFIED, 45),
    (EngagementStage.DIALOGUE, 25),
    (EngagementStage.PARTNERSHIP, 18),
    (EngagementStage.JOINT_ACTIVITY, 12),
]
SME_DIVISIONS = [
    "10",
    "13",
    "15",
    "17",
    "20",
    "22",
    "23",
    "24",
    "25",
    "26",
    "27",
    "29",
    "33",
    "38",
    "45",
]
JOB_TITLES = [
    "Managing Director",
    "Environmental Officer",
    "Health and Safety Manager",
    "Plant Manager",
    "Production Supervisor",
    "Quality Manager",
    "Workshop Owner",
    "Operations Manager",
    "Technical Director",
    "Sustainability Coordinator",
    "Maintenance Technician",
    "Chemist",
]
FIRST_DAY = dt.date(2023, 1, 9)
SPAN_DAYS = 4 * 365


class DemoBuilder:
    """Draws a whole demo database and writes it through the services."""

    def __init__(
        self, services: Services, size: Size, seed: int, progress: Progress | None
    ) -> None:
        self.services = services
        self.size = size
        self.rng = random.Random(seed)
        node = services.installation.this_node()
        region = CENTRE_REGIONS.get(node.centre_code or "")
        self.words = Vocabulary(self.rng, [region] if region else None)
        self.today = dt.date.today()
        self.progress = progress
        self.done = 0
        reference = services.reference
        self.waste_streams = sorted(reference.waste_stream_codes())
        self.priority_streams = sorted(reference.codes(WASTE_STREAM))
        self.stages = sorted(reference.codes(LIFECYCLE_STAGE))
        self.priority_fields = sorted(reference.codes(PRIORITY_FIELD))
        self.counts: dict[str, int] = {}

    # Helpers.

    def random_date(self) -> dt.date:
        return FIRST_DAY + dt.timedelta(days=self.rng.randrange(SPAN_DAYS))

    def streams(self, most: int = 3) -> tuple[str, ...]:
        rng = self.rng
        picks = rng.sample(self.priority_streams, rng.randint(0, min(2, most)))
        picks += rng.sample(self.waste_streams, rng.randint(0 if picks else 1, 1))
        return tuple(picks)

    def write(
        self, name: str, service: RecordService[Any, Any], drafts: Iterator[Any], count: int
    ) -> list[str]:
        """Create ``drafts`` (about ``count``) through ``service``; return their ids."""
        start = self.done

        def report(done: int, _total: int) -> None:
            if self.progress is not None:
                self.progress(start + done, self.size.total)

        ids = service.bulk_create(drafts, progress=report, total=count)
        self.done = start + len(ids)
        self.counts[name] = self.counts.get(name, 0) + len(ids)
        return ids

    def spread(self, total: int, parts: int, most: int) -> list[int]:
        """``parts`` random counts around the mean, each 1..``most``, adding up to ``total``."""
        base, extra = divmod(total, parts)
        counts = [base + (index < extra) for index in range(parts)]
        for index in range(0, parts - 1, 2):
            shift = self.rng.randint(-8, 8)
            if 1 <= counts[index] + shift <= most and 1 <= counts[index + 1] - shift <= most:
                counts[index] += shift
                counts[index + 1] -= shift
        return [min(c, most) for c in counts]

    # The steps.

    def build(self) -> dict[str, int]:
        organisations = self._organisations()
        contacts = self._contacts(organisations)
        write_dialogues(self, organisations, contacts)
        partnerships = write_partnerships(self, organisations)
        write_activities(self, organisations, partnerships)
        write_training(self, organisations, contacts)
        return self.counts

    def _organisations(self) -> list[DemoOrganisation]:
        """Create organisations; return (id, region, type, stage, country) for each."""
        rng, words = self.rng, self.words
        plan: list[tuple[str, StakeholderType, EngagementStage, str]] = []
        types, weights = zip(*OTHER_TYPES, strict=True)
        stages, stage_weights = zip(*STAGES, strict=True)

        def drafts() -> Iterator[OrganisationDraft]:
            for index in range(self.size.smes + self.size.other_organisations):
                region, country, city = words.place()
                sme = index < self.size.smes
                kind = StakeholderType.SME if sme else rng.choices(types, weights)[0]
                stage = (
                    EngagementStage.IDENTIFIED
                    if sme and rng.random() < 0.9
                    else rng.choices(stages, stage_weights)[0]
                )
                division = rng.choice(SME_DIVISIONS)
                section = "C" if division < "34" else ("E" if division == "38" else "G")
                if kind == StakeholderType.INDUSTRY_ASSOCIATION:
                    name = words.pattern(
                        words.association_patterns,
                        country,
                        city,
                        rng.choice(words.sector_words[section]),
                    )
                elif kind == StakeholderType.CORPORATE_FOUNDATION:
                    name = words.pattern(words.foundation_patterns, country, city, "")
                else:
                    name = words.company(region, country, city, section)
                size_class = employees = None
                if sme:
                    size_class = rng.choices(list(SIZE_BANDS), [50, 35, 15])[0]
                    low, high = SIZE_BANDS[size_class]
                    employees = rng.randint(low, high)
                plan.append((region, kind, stage, country))
                acronym = (
                    "".join(w[0] for w in name.split() if w[:1].isupper())[:6] if not sme else ""
                )
                yield OrganisationDraft(
                    name=name,
                    acronym=acronym,
                    stakeholder_type=kind,
                    country=country,
                    city=city,
                    sector=division if kind != StakeholderType.PUBLIC_BODY else None,
                    waste_streams=self.streams(),
                    lifecycle_stages=tuple(rng.sample(self.stages, rng.randint(0, 2))),
                    engagement_stage=stage,
                    size_class=size_class,
                    employees=employees,
                    registration_number=f"RC-{country}-{rng.randrange(10**6, 10**7)}"
                    if sme
                    else "",
                    phone=f"+{rng.randint(20, 998)} {rng.randrange(10**7, 10**8)}",
                )

        total = self.size.smes + self.size.other_organisations
        ids = self.write("organisations", self.services.organisations, drafts(), total)
        return [DemoOrganisation(i, *p) for i, p in zip(ids, plan, strict=True)]

    def _contacts(self, organisations: list[DemoOrganisation]) -> list[tuple[str, str]]:
        """Create people spread over the organisations; return (contact id, organisation id)."""
        rng, words = self.rng, self.words
        owners: list[tuple[str, str, str]] = []

        def drafts() -> Iterator[ContactDraft]:
            for index in range(self.size.people):
                org_id, region, _kind, _stage, country = (
                    organisations[index]
                    if index < len(organisations)
                    else rng.choice(organisations)
                )
                person = words.person(region)
                owners.append((org_id, region, country))
                domain = f"{person.family_name.lower()}.example"
                yield ContactDraft(
                    given_name=person.given_name,
                    family_name=person.family_name,
                    gender=person.gender,
                    country=country,
                    organisation_id=org_id,
                    job_title=rng.choice(JOB_TITLES),
                    email=f"{person.given_name.lower()}@{domain}".replace(" ", ""),
                )

        ids = self.write("contacts", self.services.contacts, drafts(), self.size.people)
        return [(i, o[0]) for i, o in zip(ids, owners, strict=True)]


def generate(
    services: Services, size: str, *, seed: int = 1, progress: Progress | None = None
) -> dict[str, int]:
    """Add a demo data set of ``size`` (``small`` or ``large``); return how many of each were made."""
    return DemoBuilder(services, SIZES[size], seed, progress).build()
