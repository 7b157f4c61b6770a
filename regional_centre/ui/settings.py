"""The user's settings, declared once with their types and defaults, kept in QSettings.

Each setting is an ``Option`` with a key, a type and a default; reading a
value of the wrong type (an edited file, an older version) gives the default.
``upgrade`` runs versioned steps once when the settings come from an older
version of the program.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from regional_centre import APP_NAME

log = logging.getLogger(__name__)

T = TypeVar("T")

VERSION = 1


@dataclass(frozen=True)
class Option(Generic[T]):
    """One setting: where it is stored, its type and its default."""

    key: str
    kind: type[T]
    default: T


LANGUAGE: Option[str] = Option("ui/language", str, "")
USER_NAME: Option[str] = Option("user/name", str, "")
DATABASE: Option[str] = Option("database/path", str, "")
GEOMETRY: Option[QByteArray] = Option("window/geometry", QByteArray, QByteArray())
WINDOW_STATE: Option[QByteArray] = Option("window/state", QByteArray, QByteArray())
PAGE: Option[str] = Option("window/page", str, "dashboard")
DASHBOARD_PERIOD: Option[str] = Option("dashboard/period", str, "year")
#: A backup the user chose on the Settings page to put in place of the database at the next start.
RESTORE_ON_START: Option[str] = Option("database/restore_on_start", str, "")


def list_columns(list_name: str) -> Option[str]:
    """The columns the user chose to hide in one list (JSON array of column keys)."""
    return Option(f"lists/{list_name}/hidden", str, "")


def list_header(list_name: str) -> Option[QByteArray]:
    """The order and widths of one list's columns."""
    return Option(f"lists/{list_name}/header", QByteArray, QByteArray())


def list_query(list_name: str) -> Option[str]:
    """The filters last applied to one list (JSON object)."""
    return Option(f"lists/{list_name}/query", str, "")


class Settings:
    """Typed access to the program's QSettings."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(APP_NAME, APP_NAME)
        upgrade(self._store)

    @classmethod
    def in_file(cls, path: Path) -> Settings:
        """Settings kept in one INI file (self-test, portable use), not the user's own."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def get(self, option: Option[T]) -> T:
        """The stored value, or the default when there is none or it has the wrong type."""
        value = self._store.value(option.key, option.default)
        if option.kind is QByteArray and isinstance(value, (bytes, bytearray)):
            value = QByteArray(bytes(value))
        if not isinstance(value, option.kind):
            return option.default
        return value

    def set(self, option: Option[T], value: T) -> None:
        """Store a value."""
        self._store.setValue(option.key, value)

    def get_json(self, option: Option[str], default: Any) -> Any:
        """A setting stored as JSON text; ``default`` when it is missing or unreadable."""
        text = self.get(option)
        if not text:
            return default
        try:
            return json.loads(text)
        except ValueError:
            log.warning("ignoring unreadable setting %s", option.key)
            return default

    def set_json(self, option: Option[str], value: Any) -> None:
        """Store a value as JSON text."""
        self.set(option, json.dumps(value, sort_keys=True, default=str))

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()


# Steps from one settings version to the next: UPGRADES[n] brings version n to n + 1.
UPGRADES: dict[int, Callable[[QSettings], None]] = {}


def upgrade(store: QSettings) -> None:
    """Bring settings written by an older version of the program up to date."""
    try:
        version = int(str(store.value("settings/version", 0)))
    except ValueError:
        version = 0
    if version == 0 and not store.allKeys():
        store.setValue("settings/version", VERSION)
        return
    while version < VERSION:
        step = UPGRADES.get(version)
        if step is not None:
            step(store)
        version += 1
    store.setValue("settings/version", VERSION)
