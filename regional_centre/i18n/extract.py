"""Babel extraction of the shipped code lists' titles, so that the catalogues translate them.

``babel.cfg`` names this function for the reference files under ``resources/reference``;
the program shows each title through ``_`` (``ReferenceService.codes``). Country names
are not extracted: CLDR names them in every language (``ReferenceService.country_names``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

Extracted = tuple[int, str, str, list[str]]


def reference_titles(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Each row's title (``name`` for the centres), with its code as the translators' note."""
    text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="")
    for number, row in enumerate(csv.DictReader(text), start=2):
        title = (row.get("title") or row.get("name") or "").strip()
        if not title:
            continue
        note = f"code {row['code']}"
        if level := row.get("level"):
            note += f" ({level})"
        yield number, "_", title, [note]
