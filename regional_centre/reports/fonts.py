"""The TrueType fonts documents embed, and which one draws each character.

No single font covers the six languages, so text is cut into runs, each drawn in the
first font of the document's language that has its glyphs: a French partner directory
can list a Chinese company's name, and an Arabic report the code "Y18". The fonts are
registered with ReportLab on first use (the Chinese one is 4 MB, and most documents
never need it); ReportLab embeds only the glyphs a document uses.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from regional_centre.paths import resources_dir


@dataclass(frozen=True)
class Face:
    """One typeface in two weights, by the names ReportLab knows them under."""

    regular: str
    bold: str
    files: tuple[str, str]

    def name(self, bold: bool) -> str:
        """The registered font name for the weight."""
        return self.bold if bold else self.regular


LATIN = Face("DejaVuSans", "DejaVuSans-Bold", ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
ARABIC = Face(
    "NotoSansArabic",
    "NotoSansArabic-Bold",
    ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
)
# Droid Sans Fallback comes in one weight only.
CHINESE = Face(
    "DroidSansFallback",
    "DroidSansFallback",
    ("DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf"),
)

# The faces each language tries, first to last, for every character.
_ORDER: dict[str, tuple[Face, ...]] = {
    "ar": (ARABIC, LATIN, CHINESE),
    "zh": (CHINESE, LATIN, ARABIC),
}
_DEFAULT_ORDER = (LATIN, ARABIC, CHINESE)

# Arabic letters go to the Arabic face first, even in documents whose main face has some
# of them (DejaVu Sans does), so a name reads the same in every document.
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)

_ARABIC_LETTERS = re.compile(
    "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ARABIC_BLOCKS) + "]"
)

_lock = threading.Lock()


def is_arabic(code: int) -> bool:
    """Whether the code point is in one of the Arabic blocks."""
    return any(low <= code <= high for low, high in _ARABIC_BLOCKS)


def has_arabic(text: str) -> bool:
    """Whether ``text`` has a character of the Arabic blocks."""
    return _ARABIC_LETTERS.search(text) is not None


@cache
def _registered(name: str, file_name: str) -> frozenset[int]:
    """Register a font file under ``name``; return the code points it has glyphs for."""
    with _lock:
        font = TTFont(name, str(resources_dir() / "fonts" / file_name))
        pdfmetrics.registerFont(font)
    return frozenset(font.face.charToGlyph)


def _characters(face: Face, bold: bool) -> frozenset[int]:
    index = 1 if bold else 0
    return _registered(face.name(bold), face.files[index])


@cache
def _drawn_alone(face: Face, bold: bool) -> frozenset[str]:
    """The characters a text may consist of to be drawn in ``face`` alone, as one run.

    Arabic letters are left out unless ``face`` is the Arabic one (they go to it first);
    a line break stays in whatever run it is in.
    """
    codes = _characters(face, bold)
    if face != ARABIC:
        codes = frozenset(code for code in codes if not is_arabic(code))
    return frozenset(map(chr, codes)) | {"\n"}


class FontStack:
    """The faces of one document language, and the runs of text each draws."""

    def __init__(self, language: str) -> None:
        self.faces: Sequence[Face] = _ORDER.get(language, _DEFAULT_ORDER)
        self._choices: dict[tuple[str, bool], str] = {}

    def base(self, bold: bool = False) -> str:
        """The font most of the document's text is drawn in."""
        face = self.faces[0]
        _characters(face, bold)
        return face.name(bold)

    def font_for(self, character: str, bold: bool = False) -> str:
        """The first face that draws ``character``; the base font when none does."""
        key = (character, bold)
        chosen = self._choices.get(key)
        if chosen is None:
            code = ord(character)
            faces = (ARABIC, *self.faces) if is_arabic(code) else self.faces
            chosen = next(
                (face.name(bold) for face in faces if code in _characters(face, bold)),
                self.base(bold),
            )
            self._choices[key] = chosen
        return chosen

    def runs(self, text: str, bold: bool = False) -> list[tuple[str, str]]:
        """``text`` cut into (font, text) runs, in the order given."""
        if _drawn_alone(self.faces[0], bold).issuperset(text):  # most text: one run, found in C
            return [(self.base(bold), text)] if text else []
        runs: list[tuple[str, str]] = []
        start = 0
        current = ""
        for index, character in enumerate(text):
            # Spaces and joiners stay in the run they are in, so words are not split.
            font = current if character.isspace() and current else self.font_for(character, bold)
            if font != current:
                if index > start:
                    runs.append((current, text[start:index]))
                current, start = font, index
        if start < len(text):
            runs.append((current, text[start:]))
        return runs

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """How wide ``text`` is, in points, drawn at ``size``."""
        return sum(pdfmetrics.stringWidth(run, font, size) for font, run in self.runs(text, bold))
