"""Code lists: the shipped reference data, its versions, and look-ups for validation."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel import Locale
from sqlalchemy import delete, insert, select, update

from regional_centre.db.models import ReferenceCode, ReferenceList
from regional_centre.i18n import _, current_language
from regional_centre.paths import resources_dir
from regional_centre.services.context import ServiceContext
from regional_centre.services.errors import ServiceError

CENTRE = "centre"
COUNTRY = "country"
ISIC = "isic"
BASEL_CODE = "basel_code"
PRIORITY_FIELD = "priority_field"
WASTE_STREAM = "waste_stream"
LIFECYCLE_STAGE = "lifecycle_stage"

# Columns of each shipped file that are not code, title or parent: kept as attributes.
_CORE_COLUMNS = {"code", "title", "name", "parent"}


@dataclass(frozen=True)
class Code:
    """One entry of a code list."""

    code: str
    title: str
    parent: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    retired: bool = False


@dataclass(frozen=True)
class CodeListInfo:
    """A code list's name, version and source."""

    name: str
    version: str
    source: str
    size: int


@dataclass(frozen=True)
class ShippedList:
    """A code list as shipped in ``resources/reference``."""

    name: str
    version: str
    source: str
    codes: tuple[Code, ...]


def read_shipped_lists(folder: Path | None = None) -> list[ShippedList]:
    """Read every code list named in ``lists.json``; ServiceError if a file is unusable."""
    folder = folder or resources_dir() / "reference"
    try:
        manifest: dict[str, dict[str, str]] = json.loads(
            (folder / "lists.json").read_text(encoding="utf-8")
        )
        return [
            ShippedList(
                name=name,
                version=entry["version"],
                source=entry.get("source", ""),
                codes=tuple(_read_codes(folder / entry["file"])),
            )
            for name, entry in manifest.items()
        ]
    except (OSError, ValueError, KeyError) as error:
        raise ServiceError(
            _("The program's reference data in {folder} is missing or damaged: {reason}").format(
                folder=folder, reason=error
            )
        ) from error


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """A code list version as comparable parts: "2026.10" is newer than "2026.9"."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in version.split("."))


def shipped_centres() -> list[Code]:
    """The Regional Centres as shipped (closed ones marked retired), before any database exists."""
    return list(next(c for c in read_shipped_lists() if c.name == CENTRE).codes)


def _read_codes(path: Path) -> list[Code]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = []
    for row in rows:
        title = row.get("title") or row.get("name") or ""
        if not row.get("code") or not title:
            raise ValueError(f"{path.name}: a row without code or title: {row}")
        attributes = {k: v for k, v in row.items() if k not in _CORE_COLUMNS and v}
        codes.append(
            Code(
                code=row["code"],
                title=title,
                parent=row.get("parent") or None,
                attributes=attributes,
                retired=attributes.get("status") == "closed",
            )
        )
    if len({c.code for c in codes}) != len(codes):
        raise ValueError(f"{path.name}: duplicate codes")
    return codes


class ReferenceService:
    """The code lists in the database, cached for validation."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._cache: dict[str, dict[str, Code]] | None = None
        self._waste_streams: frozenset[str] | None = None
        self._country_names: dict[str, dict[str, str]] = {}
        self._translated: dict[tuple[str, str], dict[str, Code]] = {}

    def install_shipped(self, folder: Path | None = None) -> list[str]:
        """Load every shipped list newer than the database's copy; return the names updated.

        Codes that left a list are kept as retired, since records may still use them.
        """
        shipped = read_shipped_lists(folder)
        with self._context.database.sessions.begin() as session:
            versions = {
                name: version
                for name, version in session.execute(
                    select(ReferenceList.name, ReferenceList.version)
                )
            }
            updated = []
            for code_list in shipped:
                if versions.get(code_list.name) == code_list.version:
                    continue
                self._replace(session, code_list, exists=code_list.name in versions)
                updated.append(code_list.name)
        self.forget()
        return updated

    @staticmethod
    def _replace(session: Any, code_list: ShippedList, *, exists: bool) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if exists:
            session.execute(
                update(ReferenceList)
                .where(ReferenceList.name == code_list.name)
                .values(version=code_list.version, source=code_list.source, updated_at=now)
            )
        else:
            session.execute(
                insert(ReferenceList).values(
                    name=code_list.name,
                    version=code_list.version,
                    source=code_list.source,
                    updated_at=now,
                )
            )
        new_codes = {c.code for c in code_list.codes}
        session.execute(
            update(ReferenceCode)
            .where(ReferenceCode.list_name == code_list.name, ReferenceCode.code.not_in(new_codes))
            .values(retired=True)
        )
        session.execute(
            delete(ReferenceCode).where(
                ReferenceCode.list_name == code_list.name, ReferenceCode.code.in_(new_codes)
            )
        )
        session.execute(
            insert(ReferenceCode),
            [
                {
                    "list_name": code_list.name,
                    "code": c.code,
                    "parent": c.parent,
                    "title": c.title,
                    "position": position,
                    "attributes": c.attributes,
                    "retired": c.retired,
                }
                for position, c in enumerate(code_list.codes)
            ],
        )

    def all_lists(self) -> list[ShippedList]:
        """Every code list in the database with all its codes (what the secretariat sends)."""
        with self._context.read() as session:
            lists = session.scalars(select(ReferenceList).order_by(ReferenceList.name)).all()
            codes = session.scalars(
                select(ReferenceCode).order_by(ReferenceCode.list_name, ReferenceCode.position)
            ).all()
        by_list: dict[str, list[Code]] = {}
        for row in codes:
            by_list.setdefault(row.list_name, []).append(
                Code(row.code, row.title, row.parent, dict(row.attributes), row.retired)
            )
        return [
            ShippedList(r.name, r.version, r.source, tuple(by_list.get(r.name, ()))) for r in lists
        ]

    def apply_newer(self, session: Any, incoming: list[ShippedList]) -> list[str]:
        """Replace the lists in ``incoming`` whose version is newer than ours, in ``session``.

        Return the names updated. The caller owns the transaction (a bundle import).
        """
        versions = dict(session.execute(select(ReferenceList.name, ReferenceList.version)).all())
        updated = []
        for code_list in incoming:
            current = versions.get(code_list.name)
            if current is not None and version_key(code_list.version) <= version_key(current):
                continue
            self._replace(session, code_list, exists=current is not None)
            updated.append(code_list.name)
        if updated:
            self.forget()
        return updated

    def forget(self) -> None:
        """Drop the cached lists; the next use reads them again."""
        self._cache = None
        self._country_names = {}
        self._translated = {}
        self._waste_streams = None

    def lists(self) -> list[CodeListInfo]:
        """Every code list in the database with its version."""
        with self._context.read() as session:
            rows = session.execute(select(ReferenceList).order_by(ReferenceList.name)).scalars()
            return [
                CodeListInfo(r.name, r.version, r.source, len(self.codes(r.name))) for r in rows
            ]

    def codes(self, list_name: str) -> dict[str, Code]:
        """The entries of one list by code, in the list's order (retired ones included).

        Titles are in the current language (a document's, inside ``document_language``)
        where the catalogue translates them, and as kept otherwise (a newer list's new title).
        """
        if self._cache is None:
            self._cache = self._load()
        kept = self._cache.get(list_name, {})
        language = current_language()
        if language == "en":
            return kept
        translated = self._translated.get((language, list_name))
        if translated is None:
            translated = {
                code: replace(entry, title=_(entry.title)) for code, entry in kept.items()
            }
            self._translated[(language, list_name)] = translated
        return translated

    def _load(self) -> dict[str, dict[str, Code]]:
        cache: dict[str, dict[str, Code]] = {}
        code = ReferenceCode
        statement = select(
            code.list_name, code.code, code.title, code.parent, code.attributes, code.retired
        ).order_by(code.list_name, code.position)
        with self._context.read() as session:
            for list_name, value, title, parent, attributes, retired in session.execute(statement):
                cache.setdefault(list_name, {})[value] = Code(
                    value, title, parent, dict(attributes), retired
                )
        return cache

    def is_valid(self, list_name: str, code: str) -> bool:
        """Whether ``code`` is a current (not retired) entry of ``list_name``."""
        entry = self.codes(list_name).get(code)
        return entry is not None and not entry.retired

    def waste_stream_codes(self) -> frozenset[str]:
        """Codes a waste-stream field accepts: Basel Annex I and II categories and priority streams."""
        if self._waste_streams is None:
            basel = {
                c.code
                for c in self.codes(BASEL_CODE).values()
                if c.attributes.get("annex") in {"I", "II"} and not c.retired
            }
            streams = {c.code for c in self.codes(WASTE_STREAM).values() if not c.retired}
            self._waste_streams = frozenset(basel | streams)
        return self._waste_streams

    def centres(self) -> list[Code]:
        """The Regional Centres, open ones first, in the shipped order."""
        entries = list(self.codes(CENTRE).values())
        return sorted(entries, key=lambda c: c.retired)

    def country_name(self, code: str, language: str | None = None) -> str:
        """A country's name in ``language`` (default: the current one; CLDR through Babel); the code if unknown."""
        return self.country_names(language).get(code, code)

    def country_names(self, language: str | None = None) -> dict[str, str]:
        """Every country of the code list by code, named in ``language`` (default: the current one)."""
        language = language or current_language()
        names = self._country_names.get(language)
        if names is None:
            territories = Locale.parse(language).territories
            names = {c: str(territories.get(c, c)) for c in self.codes(COUNTRY)}
            self._country_names[language] = names
        return names


def isic_section(codes: Mapping[str, Code], code: str | None) -> str | None:
    """The ISIC section (a letter) a code of the ISIC list ``codes`` belongs to; None when unknown."""
    entry = codes.get(code) if code else None
    while entry is not None and entry.parent:
        entry = codes.get(entry.parent)
    return entry.code if entry is not None else None
