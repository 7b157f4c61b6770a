"""Translation functions and locale choice.

``_`` translates now, ``N_`` only marks a string for extraction (translated
later, where it is shown), ``ngettext`` picks the plural form and ``pgettext``
tells apart two meanings of one English word.

The program's language is set once (``set_language``). A document can be written in
another language while the windows stay in theirs: ``with document_language("ar"):``
changes the language of the code running inside it only (a context variable, so a
report built on a worker thread leaves the GUI thread's language alone).
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from functools import cache

from babel.dates import format_date
from babel.numbers import format_decimal

from regional_centre.paths import translations_dir

DOMAIN = "messages"
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
RIGHT_TO_LEFT = frozenset({"ar"})

_Language = tuple[str, _gettext.NullTranslations]

_program: _Language = ("en", _gettext.NullTranslations())
_document: ContextVar[_Language | None] = ContextVar("document_language", default=None)


@cache
def _catalogue(language: str) -> _gettext.NullTranslations:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    return _gettext.translation(DOMAIN, translations_dir(), languages=[language], fallback=True)


def _current() -> _Language:
    return _document.get() or _program


def set_language(language: str) -> None:
    """Use ``language``'s catalogue from now on (English when it has none)."""
    global _program
    _program = (language, _catalogue(language))


@contextmanager
def document_language(language: str) -> Iterator[None]:
    """Translate and format in ``language`` inside the block, in this thread or task only."""
    token = _document.set((language, _catalogue(language)))
    try:
        yield
    finally:
        _document.reset(token)


def current_language() -> str:
    """The language in use here: the document's inside ``document_language``, else the program's."""
    return _current()[0]


def is_right_to_left(language: str | None = None) -> bool:
    """Whether ``language`` (default: the current one) is written right to left."""
    return (language or current_language()) in RIGHT_TO_LEFT


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _current()[1].gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet."""
    return message


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` as meant in ``context`` ("verb" for a button "Open", "person"
    for a person's "Name"), where one English word is two in another language."""
    return _current()[1].pgettext(context, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate the form of ``singular``/``plural`` that fits ``count``."""
    return _current()[1].ngettext(singular, plural, count)


def in_sentence(label: str) -> str:
    """A label as written inside a sentence: "organisation", but "SME follow-up" and "МСП".

    Only the first letter is lowered, and not at all before a name ("Advisory Committee
    review"); scripts without case are unchanged.
    """
    words = label.split()
    if label[:2].isupper() or (len(words) > 1 and words[1][:1].isupper()):
        return label  # an acronym ("SME follow-up") or a name ("Advisory Committee review")
    return label[:1].lower() + label[1:]


def format_number(value: int | float | Decimal) -> str:
    """A number as written in the current language (grouping, decimal sign)."""
    return format_decimal(value, locale=current_language())


def system_language() -> str:
    """The user's language from the environment, if the program speaks it; else English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        code = value.split(":")[0].split(".")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
        if value:
            break
    return "en"


def format_day(value: date, length: str = "medium") -> str:
    """A date as the current language writes it ("3 May 2027" in English, long form)."""
    return format_date(value, format=length, locale=current_language())
