"""Faults of the database file itself, each with a message a user can act on."""

from __future__ import annotations


class DatabaseError(Exception):
    """The database cannot be used; the message says why and what to do."""


class DatabaseNotFound(DatabaseError):
    """No database at the given path."""


class NotADatabase(DatabaseError):
    """The file is not a Regional Centre database (or is damaged)."""


class NewerDatabase(DatabaseError):
    """The database was written by a newer version of the program."""


class DatabaseLocked(DatabaseError):
    """Another program holds the database."""
