"""The figures are read on two connections at once, and still from one state of the database."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regional_centre.db.models import Organisation
from regional_centre.services import Services, snapshot
from regional_centre.services.errors import ValidationError
from regional_centre.services.periods import Period
from tests.services.test_organisations import organisation_draft

EVERYTHING = Period()  # the demo data, whenever the test runs


def database_path(services: Services) -> str:
    path = services.database.url.database
    assert path
    return path


def organisations(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Organisation)) or 0)


def test_every_task_runs_once_on_sessions_that_see_the_same_records(
    demo_services: Services,
) -> None:
    threads: dict[str, str] = {}
    together = threading.Barrier(2, timeout=10)  # the first two tasks must run at the same time

    def counted(name: str) -> snapshot.Task:
        def task(session: Session) -> int:
            threads[name] = threading.current_thread().name
            if name in ("task 0", "task 1"):
                together.wait()
            return organisations(session)

        return task

    with snapshot.snapshot(demo_services.context) as reader:
        assert len(reader.sessions) == 2
        results = reader.run({f"task {n}": counted(f"task {n}") for n in range(8)})
    with sqlite3.connect(database_path(demo_services)) as raw:
        (expected,) = raw.execute("SELECT count(*) FROM organisation").fetchone()
    assert list(results) == [f"task {n}" for n in range(8)]
    assert set(results.values()) == {expected}
    assert len(set(threads.values())) == 2  # both connections did some of the work


def test_a_write_between_the_two_connections_leaves_the_figures_on_one_state(
    demo_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partner added while the report starts counting is either in every figure or in none."""
    before = demo_services.progress.figures(EVERYTHING)
    other = Services.open(Path(database_path(demo_services)), actor="Someone Else")
    original = snapshot.change_mark
    calls: list[int] = []

    def mark_then_write(session: Session) -> tuple[int, int]:
        seen = original(session)
        if not calls:  # after the first connection has its snapshot, before the second
            other.organisations.create(organisation_draft(name="Added meanwhile Ltd"))
        calls.append(1)
        return seen

    monkeypatch.setattr(snapshot, "change_mark", mark_then_write)
    used: list[int] = []
    real_run = snapshot.Snapshot.run

    def run(self: snapshot.Snapshot, tasks: dict[str, snapshot.Task]) -> dict[str, object]:
        used.append(len(self.sessions))
        return real_run(self, tasks)

    monkeypatch.setattr(snapshot.Snapshot, "run", run)
    during = demo_services.progress.figures(EVERYTHING)
    other.close()
    after = demo_services.progress.figures(EVERYTHING)
    assert used[0] == 1  # the second connection saw the new partner: not used
    assert during.stakeholders == before.stakeholders
    assert during.key.partners == before.key.partners
    assert after.stakeholders.total == before.stakeholders.total + 1


def test_an_error_in_a_task_on_the_other_connection_reaches_the_caller(
    demo_services: Services,
) -> None:
    ran: list[str] = []

    def fails(session: Session) -> int:
        raise ValidationError.single("period", "The period ends before it starts.")

    def slow(session: Session) -> int:
        ran.append("slow")
        return organisations(session)

    tasks: dict[str, snapshot.Task] = {"fails": fails}
    tasks.update({f"after {n}": slow for n in range(50)})
    with snapshot.snapshot(demo_services.context) as reader, pytest.raises(ValidationError):
        reader.run(tasks)
    assert len(ran) < 50  # the first error stopped the others taking more work


def test_one_connection_or_two_the_figures_are_the_same(
    demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    both = demo_services.progress.figures(EVERYTHING)
    consolidated = demo_services.progress.consolidated(EVERYTHING)
    monkeypatch.setattr(snapshot, "READERS", 1)
    with snapshot.snapshot(demo_services.context) as reader:
        assert len(reader.sessions) == 1
    assert demo_services.progress.figures(EVERYTHING).as_json() == both.as_json()
    alone = demo_services.progress.consolidated(EVERYTHING)
    assert alone.as_json() == consolidated.as_json()
