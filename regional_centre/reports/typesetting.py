"""Text in any of the six languages as ReportLab flowables: paragraphs, headings and tables.

Left-to-right languages use ReportLab's own ``Paragraph``, with each run of text in the
font that has its glyphs (Chinese wraps between any two characters). Arabic needs what
ReportLab cannot do without extra native libraries: its letters are shaped (each takes
its initial, medial, final or isolated form, and lam-alef becomes one glyph), lines are
broken in reading order, and only then is each line reordered for display by the Unicode
bidirectional algorithm, so a wrapped paragraph's first line stays on top and numbers
and Latin names inside it still read left to right. Tables are mirrored: the first
column is on the right.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Literal
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display  # the full algorithm: it mirrors brackets (rule L4)
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from regional_centre.i18n import is_right_to_left
from regional_centre.reports.fonts import FontStack, has_arabic

GRID = colors.HexColor("#B8C4CE")
HEADER_BACKGROUND = colors.HexColor("#E4ECF2")
ACCENT = colors.HexColor("#1F4E79")
MUTED = colors.HexColor("#555555")

Alignment = Literal[0, 1, 2, 4]  # ReportLab's TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY

# Flowables a heading makes carry these, for the table of contents.
TOC_LEVEL = "toc_level"
TOC_TEXT = "toc_text"


class RightToLeftParagraph(Flowable):
    """A paragraph of Arabic (or other right-to-left) text: shaped, wrapped, then reordered."""

    def __init__(self, text: str, style: ParagraphStyle, fonts: FontStack, bold: bool) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.fonts = fonts
        self.bold = bold
        self.keepWithNext = getattr(style, "keepWithNext", False)
        self._shaped = arabic_reshaper.reshape(text)
        self._lines: list[str] = []
        self._wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_at != availWidth:
            self._lines = self._break(availWidth)
            self._wrapped_at = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        fitting = int(availHeight // self.style.leading)
        if fitting < 1 or fitting >= len(self._lines):
            return []
        return [self._part(self._lines[:fitting]), self._part(self._lines[fitting:])]

    def _part(self, lines: list[str]) -> RightToLeftParagraph:
        part = RightToLeftParagraph("", self.style, self.fonts, self.bold)
        part._lines, part._wrapped_at = lines, self._wrapped_at
        return part

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def _break(self, width: float) -> list[str]:
        """Lines in display order: broken in reading order, then each reordered."""
        size, bold = self.style.fontSize, self.bold
        measure = self.fonts.width
        space = measure(" ", size, bold)
        lines: list[str] = []
        for paragraph in self._shaped.split("\n"):
            words: list[str] = []
            used = 0.0
            for word in paragraph.split():
                word_width = measure(word, size, bold)
                if words and used + space + word_width > width:
                    lines.append(" ".join(words))
                    words, used = [], 0.0
                while word_width > width and len(word) > 1:  # a word wider than the line
                    cut = _fitting_prefix(word, width, lambda t: measure(t, size, bold))
                    lines.append(word[:cut])
                    word = word[cut:]
                    word_width = measure(word, size, bold)
                used += (space if words else 0.0) + word_width
                words.append(word)
            lines.append(" ".join(words))
        direction = base_direction(self.text)
        return [get_display(line, base_dir=direction) for line in lines]

    def draw(self) -> None:
        canvas, style = self.canv, self.style
        canvas.setFillColor(style.textColor)
        baseline = self.height - style.fontSize
        for line in self._lines:
            line_width = self.fonts.width(line, style.fontSize, self.bold)
            if style.alignment == TA_CENTER:
                x = (self.width - line_width) / 2
            elif style.alignment == TA_LEFT:
                x = 0.0
            else:
                x = self.width - line_width
            text = canvas.beginText(x, baseline)
            for font, run in self.fonts.runs(line, self.bold):
                text.setFont(font, style.fontSize)
                text.textOut(run)
            canvas.drawText(text)
            baseline -= style.leading


def base_direction(text: str) -> str:
    """The paragraph's direction by its first letter (rule P2 of the bidirectional algorithm):
    "L" for a Latin name in an Arabic table, "R" for Arabic and for text without letters."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return "R"


def _fitting_prefix(word: str, width: float, measure: Callable[[str], float]) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


class Typesetter:
    """Flowables in one document language: its fonts, direction and styles."""

    def __init__(self, language: str, base_size: float = 9.5) -> None:
        self.language = language
        self.right_to_left = is_right_to_left(language)
        self.fonts = FontStack(language)
        start: Alignment = TA_RIGHT if self.right_to_left else TA_LEFT
        self.start: Alignment = start
        self.end: Alignment = TA_LEFT if self.right_to_left else TA_RIGHT
        wrap = "CJK" if language == "zh" else None
        base = ParagraphStyle(
            "body",
            fontName=self.fonts.base(),
            fontSize=base_size,
            leading=base_size * 1.35,
            alignment=start,
            wordWrap=wrap,
            spaceAfter=4,
        )
        self.styles = {
            "body": base,
            "small": ParagraphStyle("small", base, fontSize=base_size - 1.5, leading=(base_size - 1.5) * 1.3, textColor=MUTED),
            "cell": ParagraphStyle("cell", base, fontSize=base_size - 1, leading=(base_size - 1) * 1.25, spaceAfter=0),
            "title": ParagraphStyle("title", base, fontSize=24, leading=31, textColor=ACCENT, spaceAfter=10),
            "subtitle": ParagraphStyle("subtitle", base, fontSize=14, leading=19, spaceAfter=6),
            "heading1": ParagraphStyle("heading1", base, fontSize=15, leading=20, textColor=ACCENT, spaceBefore=6, spaceAfter=8, keepWithNext=True),
            "heading2": ParagraphStyle("heading2", base, fontSize=11.5, leading=15, textColor=ACCENT, spaceBefore=8, spaceAfter=4, keepWithNext=True),
        }  # fmt: skip
        self.bold_styles = {"title", "subtitle", "heading1", "heading2"}

    def style(self, name: str, **changes: Any) -> ParagraphStyle:
        """The named style, with ``changes`` (alignment, colour...) when given."""
        style = self.styles[name]
        return ParagraphStyle(f"{name}-changed", style, **changes) if changes else style

    def paragraph(
        self, text: str, style: str | ParagraphStyle = "body", bold: bool | None = None
    ) -> Flowable:
        """``text`` (plain, not markup) as a wrapping paragraph."""
        chosen = self.styles[style] if isinstance(style, str) else style
        if bold is None:
            bold = chosen.name in self.bold_styles
        if self.right_to_left:
            return RightToLeftParagraph(text, chosen, self.fonts, bold)
        return Paragraph(self.markup(text, bold), chosen)

    def markup(self, text: str, bold: bool = False) -> str:
        """``text`` as ReportLab paragraph markup, each run in its font; lines kept.

        Arabic quoted in a left-to-right document (a partner's name) is shaped and
        put in display order too.
        """
        if has_arabic(text):
            text = "\n".join(
                get_display(arabic_reshaper.reshape(line), base_dir="L")
                for line in text.split("\n")
            )
        base = self.fonts.base(bold)
        parts = []
        for font, run in self.fonts.runs(text, bold):
            run = escape(run).replace("\n", "<br/>")
            parts.append(run if font == base else f'<font face="{font}">{run}</font>')
        markup = "".join(parts)
        return f'<font face="{base}">{markup}</font>' if bold else markup

    def heading(self, text: str, level: int = 1, *, contents: bool = True) -> Flowable:
        """A heading; listed in the table of contents unless ``contents`` is False."""
        flowable = self.paragraph(text, f"heading{level}")
        if contents:
            setattr(flowable, TOC_LEVEL, level - 1)
            setattr(flowable, TOC_TEXT, text)
        return flowable

    def visual(self, text: str) -> str:
        """A one-line string in display order, for drawing straight on the canvas."""
        if not self.right_to_left:
            return text
        return get_display(arabic_reshaper.reshape(text), base_dir=base_direction(text))

    def draw_line(
        self,
        canvas: Any,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        align: str = "start",
        bold: bool = False,
    ) -> None:
        """Draw one line of ``text`` at baseline ``y``; ``x`` is where ``align`` puts its edge or centre."""
        line = self.visual(text)
        width = self.fonts.width(line, size, bold)
        side = {
            "start": "right" if self.right_to_left else "left",
            "end": "left" if self.right_to_left else "right",
        }.get(align, align)
        left = {"left": x, "right": x - width, "centre": x - width / 2}[side]
        drawn = canvas.beginText(left, y)
        for font, run in self.fonts.runs(line, bold):
            drawn.setFont(font, size)
            drawn.textOut(run)
        canvas.drawText(drawn)  # fmt: skip

    def table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        numeric: Sequence[int] = (),
        total_row: bool = False,
        repeat_header: bool = True,
        row_height: float | None = None,
    ) -> Table:
        """A ruled table with a header row; ``numeric`` columns align to the end side.

        Cells are text (wrapped) or already-formatted numbers; in a right-to-left
        language the columns are mirrored.
        """
        cell = self.styles["cell"]
        number_style = self.style("cell", alignment=self.end)
        header = [
            self.paragraph(text, number_style if i in numeric else cell, bold=True)
            for i, text in enumerate(headings)
        ]
        body = [
            [self.paragraph(str(value), number_style if i in numeric else cell) for i, value in enumerate(row)]
            for row in rows
        ]  # fmt: skip
        data = [header, *body]
        column_widths = list(widths)
        if self.right_to_left:
            data = [list(reversed(row)) for row in data]
            column_widths.reverse()
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), self.fonts.base()),  # else Table sets Helvetica, unembedded
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
            ("VALIGN", (0, 0), (-1, -1), "TOP" if row_height is None else "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if total_row and rows:
            commands.append(("BACKGROUND", (0, -1), (-1, -1), HEADER_BACKGROUND))
        return Table(
            data,
            colWidths=column_widths,
            rowHeights=None if row_height is None else [None] + [row_height] * len(body),
            repeatRows=1 if repeat_header else 0,
            style=TableStyle(commands),
            hAlign="RIGHT" if self.right_to_left else "LEFT",
        )
