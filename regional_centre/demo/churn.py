"""Random, realistic edits and deletes through the services (for sync tests and benchmarks)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from regional_centre.demo.vocabulary import CENTRE_REGIONS, Vocabulary
from regional_centre.enums import ActionStatus, EngagementStage, StakeholderType
from regional_centre.services import Services
from regional_centre.services.errors import NotFound, ValidationError
from regional_centre.services.organisations import OrganisationDraft
from regional_centre.services.records import RecordService

_NEXT_STAGE = {
    EngagementStage.IDENTIFIED: EngagementStage.DIALOGUE,
    EngagementStage.DIALOGUE: EngagementStage.PARTNERSHIP,
    EngagementStage.PARTNERSHIP: EngagementStage.JOINT_ACTIVITY,
}


class _Churner:
    def __init__(self, services: Services, seed: int) -> None:
        self.services = services
        self.rng = random.Random(seed)
        region = CENTRE_REGIONS.get(services.installation.this_node().centre_code or "")
        self.words = Vocabulary(self.rng, [region] if region else None)
        self._ids: dict[str, list[str]] = {}
        self.counts = {"edits": 0, "creates": 0, "deletes": 0, "refused": 0}

    def pick(self, service: RecordService[Any, Any]) -> str | None:
        ids = self._ids.get(service.entity)
        if ids is None:
            ids = self._ids[service.entity] = service.ids()
        return self.rng.choice(ids) if ids else None

    def forget(self, service: RecordService[Any, Any], record_id: str) -> None:
        self._ids[service.entity].remove(record_id)

    # Operations: each is one service call, as a user's action would be. Each returns
    # what it did ("edits", "creates", "deletes", "refused"), or None with nothing to act on.

    def advance_stage(self) -> str | None:
        s = self.services.organisations
        if (record_id := self.pick(s)) is None:
            return None
        record = s.get(record_id)
        stage = _NEXT_STAGE.get(record.engagement_stage)
        if stage is None or record.stakeholder_type == StakeholderType.SME:
            s.change(record_id, notes=f"Called on {self._day()}.")
        else:
            s.change(record_id, engagement_stage=stage)
        return "edits"

    def edit_contact(self) -> str | None:
        s = self.services.contacts
        if (record_id := self.pick(s)) is None:
            return None
        s.change(
            record_id, phone=f"+{self.rng.randint(20, 998)} {self.rng.randrange(10**7, 10**8)}"
        )
        return "edits"

    def mark_attendance(self) -> str | None:
        s = self.services.participations
        if (record_id := self.pick(s)) is None:
            return None
        record = s.get(record_id)
        training = self.services.sessions.get(record.session_id)
        day = self.rng.choice(training.days)
        s.mark_attendance(record_id, day, day not in record.days_attended)
        return "edits"

    def complete_action(self) -> str | None:
        s = self.services.follow_up_actions
        if (record_id := self.pick(s)) is None:
            return None
        record = s.get(record_id)
        if record.status == ActionStatus.OPEN:
            s.change(record_id, status=ActionStatus.DONE, completed_on=dt.date.today())
        else:
            s.change(
                record_id, responsible=self.rng.choice(["Programme officer", "Centre director"])
            )
        return "edits"

    def add_outcome_value(self) -> str | None:
        s = self.services.outcomes
        if (record_id := self.pick(s)) is None:
            return None
        record = s.get(record_id)
        s.change(record_id, value=record.value + Decimal(self.rng.randint(1, 50)))
        return "edits"

    def add_organisation(self) -> str:
        region, country, city = self.words.place()
        record = self.services.organisations.create(
            OrganisationDraft(
                name=self.words.company(region, country, city, "C"),
                stakeholder_type=StakeholderType.NATIONAL_COMPANY,
                country=country,
                city=city,
            )
        )
        self._ids.setdefault(self.services.organisations.entity, []).append(record.id)
        return "creates"

    def delete_something(self) -> str | None:
        s = self.services
        service: RecordService[Any, Any] = self.rng.choice(
            [
                s.follow_up_actions,
                s.dialogue_participants,
                s.outcomes,
                s.contributions,
                s.participations,
                s.contacts,
            ]
        )
        if (record_id := self.pick(service)) is None:
            return None
        try:
            service.delete(record_id)
        except ValidationError:  # still used by other records: a user would see the same refusal
            return "refused"
        self.forget(service, record_id)
        return "deletes"

    def _day(self) -> str:
        return (dt.date(2024, 1, 1) + dt.timedelta(days=self.rng.randrange(900))).isoformat()

    def run(self, count: int) -> dict[str, int]:
        operations: list[tuple[Callable[[], str | None], int]] = [
            (self.advance_stage, 20),
            (self.edit_contact, 15),
            (self.mark_attendance, 25),
            (self.complete_action, 10),
            (self.add_outcome_value, 5),
            (self.add_organisation, 10),
            (self.delete_something, 15),
        ]
        functions, weights = zip(*operations, strict=True)
        for _ in range(count):
            operation = self.rng.choices(functions, weights)[0]
            try:
                # Nothing of that kind yet: a user would add an organisation first.
                outcome = operation() or self.add_organisation()
            except NotFound:  # deleted along with its owner earlier in this run
                outcome = "refused"
            self.counts[outcome] += 1
        return self.counts


def churn(services: Services, count: int, *, seed: int = 1) -> dict[str, int]:
    """Make ``count`` random edits, creations and deletes; return how many of each."""
    return _Churner(services, seed).run(count)


__all__ = ["churn"]
