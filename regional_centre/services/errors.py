"""Errors the services raise. Each carries a message ready to show a user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from regional_centre.db.errors import (
    DatabaseError,
    DatabaseLocked,
    DatabaseNotFound,
    NewerDatabase,
    NotADatabase,
)


class ServiceError(Exception):
    """A request the services refused; ``str()`` says why, for the user."""


@dataclass(frozen=True)
class Problem:
    """One invalid field and what is wrong with it."""

    field: str
    message: str


class ValidationError(ServiceError):
    """Input that breaks a rule; nothing was written. Lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        """An error about one field."""
        return cls([Problem(field, message)])

    @property
    def field(self) -> str:
        """The first invalid field."""
        return self.problems[0].field

    def messages(self) -> dict[str, str]:
        """The first message for each invalid field, for showing next to the fields."""
        result: dict[str, str] = {}
        for problem in self.problems:
            result.setdefault(problem.field, problem.message)
        return result


class NotFound(ServiceError):
    """No live record with that id."""


__all__ = [
    "DatabaseError",
    "DatabaseLocked",
    "DatabaseNotFound",
    "NewerDatabase",
    "NotADatabase",
    "NotFound",
    "Problem",
    "ServiceError",
    "ValidationError",
]
