"""Bar charts drawn with ReportLab graphics, labelled in any of the six languages.

ReportLab's chart classes draw every label in one font, which leaves boxes where an
Arabic label quotes a Latin code; these charts draw each label run by run in the font
that has its glyphs, and grow from the right in a right-to-left document.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from regional_centre.reports.typesetting import ACCENT, GRID, Typesetter

BAR_COLOURS = (
    ACCENT,
    colors.HexColor("#6A9BC3"),
    colors.HexColor("#A9C6DE"),
    colors.HexColor("#D98E04"),
)
LABEL_SIZE = 7.5
BAR_HEIGHT = 9.0
BAR_GAP = 4.0


def fit(t: Typesetter, text: str, width: float, size: float = LABEL_SIZE) -> str:
    """``text``, shortened with an ellipsis where it is wider than ``width``."""
    if t.fonts.width(t.visual(text), size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if t.fonts.width(t.visual(text[:middle].rstrip() + "…"), size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _label(
    t: Typesetter, text: str, x: float, y: float, anchor: str, width: float | None = None
) -> Group:
    """``text`` as a group of strings, one per font run; ``anchor`` is 'start', 'end' or 'middle' (page terms)."""
    line = t.visual(fit(t, text, width) if width is not None else text)
    width = t.fonts.width(line, LABEL_SIZE)
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    group = Group()
    for font, run in t.fonts.runs(line):
        group.add(String(left, y, run, fontName=font, fontSize=LABEL_SIZE, fillColor=colors.black))
        left += t.fonts.width(run, LABEL_SIZE)
    return group


def _bar(x: float, y: float, length: float, colour: colors.Color) -> Rect:
    bar = Rect(x, y, length, BAR_HEIGHT)
    bar.fillColor, bar.strokeColor = colour, None
    return bar


def bar_chart(
    t: Typesetter,
    bars: Sequence[tuple[str, float]],
    value_text: Sequence[str],
    width: float,
    *,
    label_width: float = 55 * mm,
) -> Drawing:
    """Horizontal bars, one per (label, value), each with its formatted value beside it."""
    height = len(bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    drawing = Drawing(width, height, initialFontName=t.fonts.base())  # else Helvetica, unembedded
    drawing.hAlign = "RIGHT" if t.right_to_left else "LEFT"
    largest = max((value for _label_text, value in bars), default=0) or 1
    room = width - label_width - 18 * mm  # the rest is left for the value's text
    rtl = t.right_to_left
    axis = width - label_width if rtl else label_width
    drawing.add(Line(axis, 0, axis, height, strokeColor=GRID, strokeWidth=0.5))
    for index, ((text, value), shown) in enumerate(zip(bars, value_text, strict=True)):
        y = height - (index + 1) * (BAR_HEIGHT + BAR_GAP)
        length = room * value / largest
        colour = BAR_COLOURS[0]
        if rtl:
            drawing.add(_bar(axis - length, y, length, colour))
            drawing.add(_label(t, text, axis + 2 * mm, y + 2.3, "start", label_width - 3 * mm))
            drawing.add(_label(t, shown, axis - length - 1.5 * mm, y + 2.3, "end"))
        else:
            drawing.add(_bar(axis, y, length, colour))
            drawing.add(_label(t, text, axis - 2 * mm, y + 2.3, "end", label_width - 3 * mm))
            drawing.add(_label(t, shown, axis + length + 1.5 * mm, y + 2.3, "start"))
    return drawing
