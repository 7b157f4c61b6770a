"""The message catalogues: complete, current, and safe to format.

Every entry of every language is translated and not fuzzy, has as many plural forms as its
language needs, and uses exactly the placeholders of the English text, so ``.format`` can
neither fail nor drop a value. The catalogues also hold every string the code marks and the shipped code lists' titles.
"""

from __future__ import annotations

import re
from functools import cache
from gettext import c2py
from pathlib import Path
from string import Formatter

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("fr", "es", "ar", "ru", "zh")


@cache
def catalogue(language: str) -> Catalog:
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def entries(language: str) -> list[Message]:
    return [message for message in catalogue(language) if message.id]


def forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


PERCENT_FIELD = re.compile(r"%(?:\(([a-z_]+)\))?[sdr]")  # argparse's texts


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of ``text``, and its ``%(name)s`` and ``%s`` ones (numbered)."""
    fields = {field for _, field, _, _ in Formatter().parse(text) if field is not None}
    percent = [match.group(0) for match in PERCENT_FIELD.finditer(text.replace("%%", ""))]
    return fields | {f"{field}#{percent[:i].count(field)}" for i, field in enumerate(percent)}


def english(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def label(message: Message) -> str:
    return english(message)[:60]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    missing = [label(m) for m in entries(language) if not all(forms(m))]
    fuzzy = [label(m) for m in entries(language) if m.fuzzy]
    assert not missing, f"{len(missing)} untranslated in {language}, first: {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}, first: {fuzzy[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_follow_the_language_and_every_entry_has_them(language: str) -> None:
    """The catalogue picks, for every count a report can show, the form CLDR says the language uses.

    CLDR's categories for whole numbers below a million, in CLDR's order, are the catalogue's
    forms in order: Russian "one, few, many", Arabic "zero, one, two, few, many, other".
    """
    locale = Locale.parse(language)
    chosen = c2py(catalogue(language).plural_expr)
    counts = range(0, 1000)
    order = ("zero", "one", "two", "few", "many", "other")
    used = [
        category for category in order if any(locale.plural_form(n) == category for n in counts)
    ]
    assert catalogue(language).num_plurals == len(used)
    wrong = [n for n in counts if chosen(n) != used.index(locale.plural_form(n))]
    assert not wrong, f"{language} picks the wrong form for {wrong[:10]}"
    plural = [m for m in entries(language) if m.pluralizable]
    assert plural, "the program has plural messages; the catalogue should hold them"
    short = [label(m) for m in plural if len(forms(m)) != len(used)]
    assert not short, f"entries without {len(used)} forms in {language}: {short[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_those_of_the_english_text(language: str) -> None:
    wrong = []
    for message in entries(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set().union(*(placeholders(text) for text in ids))
        for text in forms(message):
            try:
                found = placeholders(text)
            except ValueError as error:  # an unbalanced brace
                wrong.append(f"{label(message)}: {error}")
                continue
            if found != expected and text:
                wrong.append(f"{label(message)}: {sorted(found)} instead of {sorted(expected)}")
    assert not wrong, f"{len(wrong)} entries in {language}, first: {wrong[:5]}"


def test_the_catalogues_hold_every_string_the_code_marks_and_every_code_list_title() -> None:
    with (ROOT / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    marked: set[str] = set()
    titles: set[str] = set()
    for filename, _, message, _, _ in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        text = message if isinstance(message, str) else message[0]
        (titles if filename.endswith(".csv") else marked).add(text)
    assert len(marked) > 500
    assert {"Waste pharmaceuticals, drugs and medicines", "Manufacturing"} <= titles
    for language in TRANSLATED:
        known = {english(m) for m in entries(language)}
        stale = sorted((marked | titles) - known)
        assert not stale, (
            f"run `make translations`: {len(stale)} new in {language}, e.g. {stale[:3]}"
        )
