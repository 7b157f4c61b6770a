"""One snapshot of the database read on several connections at once.

The progress report's figures are some twenty independent aggregate queries,
a few of which walk every participation of the period. SQLite answers each
query on one core; on two connections it answers two at a time, while the
report still needs every figure to come from the same state of the database.

Each connection's read transaction sees the database as it was when it first
read. The connections are opened one after the other, so a write may land in
between: every unit of work that changes records advances this node's change
sequence and clock in the same transaction (``ServiceContext.write``), so
connections that read the same sequence and clock see the same records. When
they do not, the work runs on the first connection alone: slower, never mixed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from regional_centre.db.models import Node

if TYPE_CHECKING:
    from regional_centre.services.context import ServiceContext

Task = Callable[[Session], Any]
READERS = 2  # the cores of the smallest machine a centre runs the program on


class Snapshot:
    """Read sessions that see the same state of the database."""

    def __init__(self, sessions: list[Session]) -> None:
        self.sessions = sessions

    def run(self, tasks: Mapping[str, Task]) -> dict[str, Any]:
        """Run every task on one of the sessions and return the results by name.

        Tasks are taken in the order given (put the longest first) by whichever
        session is free; the first error stops the others taking more and is raised.
        """
        if len(self.sessions) == 1:
            return {name: task(self.sessions[0]) for name, task in tasks.items()}
        queue = iter(list(tasks.items()))
        lock = threading.Lock()
        results: dict[str, Any] = {}
        errors: list[BaseException] = []

        def work(session: Session) -> None:
            while True:
                with lock:
                    item = None if errors else next(queue, None)
                if item is None:
                    return
                name, task = item
                try:
                    value = task(session)
                except BaseException as error:  # raised again on the calling thread
                    with lock:
                        errors.append(error)
                    return
                results[name] = value

        first, *others = self.sessions
        with ThreadPoolExecutor(len(others), thread_name_prefix="snapshot") as pool:
            started = [pool.submit(work, session) for session in others]
            work(first)
            for future in started:
                future.result()
        if errors:
            raise errors[0]
        return {name: results[name] for name in tasks}


def change_mark(session: Session) -> tuple[int, int]:
    """This node's change sequence and clock as ``session`` sees them (its first read).

    Every unit of work that changes records advances them (``ServiceContext.write``):
    two reads with the same mark saw the same records.
    """
    row = session.execute(select(Node.seq, Node.clock).where(Node.is_self)).one_or_none()
    return (-1, -1) if row is None else (int(row.seq), int(row.clock))


@contextmanager
def snapshot(context: ServiceContext, readers: int | None = None) -> Iterator[Snapshot]:
    """Up to ``readers`` (default ``READERS``) read sessions on one state of the database.

    One session only if a write landed between the first session's first read and another's.
    """
    readers = READERS if readers is None else readers
    with ExitStack() as stack:
        first = stack.enter_context(context.read())
        sessions = [first]
        mark = change_mark(first)
        for _ in range(readers - 1):
            session = stack.enter_context(context.read())
            if change_mark(session) != mark:
                break
            sessions.append(session)
        yield Snapshot(sessions)
