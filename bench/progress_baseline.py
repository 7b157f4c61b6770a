"""The progress report's baseline: the same final document laid out by ReportLab alone.

Written the textbook way, with no code of the program. In its own fresh process,
``progress_report.py`` runs the program's ``prepare`` first (not measured) and
``extract`` takes from its result plain text only (cover lines, headings,
definitions, every table's headings and cells as ``progress.cell_text`` formats
them, the charts' bars); then, measured, ``lay_out`` registers the same TrueType
fonts and lays them out with a ``BaseDocTemplate`` (cover and body page
templates, the running header drawn by ``onPage``), a standard
``TableOfContents`` filled from ``afterFlowable`` and ``multiBuild``, ``Table``
of ``Paragraph`` cells with the same widths and style commands, the same
``KeepTogether`` and ``CondPageBreak`` structure, charts of ``Rect`` and
``String`` shapes, and the classic "NumberedCanvas" for "Page N of M".
Right-to-left text (``--lang ar``) is laid out as plain Paragraphs of the same
text, neither shaped nor reordered: the program's own right-to-left flowable
does more work, which counts against it.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

# The program's page furniture and styles (reports/document.py, typesetting.py, charts.py),
# restated here so that the baseline runs no code of the program.
MARGIN = 18 * mm
HEADER_SIZE = 7.5
BASE_SIZE = 9.5
GRID = colors.HexColor("#B8C4CE")
HEADER_BACKGROUND = colors.HexColor("#E4ECF2")
ACCENT = colors.HexColor("#1F4E79")
MUTED = colors.HexColor("#555555")
BAR_HEIGHT, BAR_GAP, LABEL_SIZE = 9.0, 4.0, 7.5
FONT_FILES = {"zh": ("DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf")}
LATIN_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


# The content: plain data taken from the program's prepared document, before the measure.


def extract(document: Any, services: Any) -> dict[str, Any]:
    """The report's final content as plain data: text as the program prints it, widths, bars."""
    from babel import Locale

    from regional_centre import __version__
    from regional_centre.i18n import _, document_language, format_day, is_right_to_left
    from regional_centre.paths import resources_dir

    info = document.info
    wide = len(document.columns) > 1
    width = (297 if wide else 210) * mm - 2 * MARGIN
    fonts = resources_dir() / "fonts"
    with document_language(info.language):
        centres = {c.code: c.title for c in services.reference.centres()}
        who = [centres[c.name] for c in document.columns if c.name in centres]
        subtitles = who if len(who) == 1 else []
        if wide:
            subtitles.append(_("All Regional Centres, side by side and in total"))
        language = Locale.parse(info.language).get_display_name(info.language) or info.language
        cover_rows = [
            [_("Period"), info.subject],
            [_("Prepared on"), format_day(info.created.date(), "long")],
            [_("Prepared by"), info.author],
            [_("Language"), language],
            [_("Document number"), info.number],
        ]
        cover_text = _(
            "Report on progress in cooperation with industry under the elements of a "
            "framework for cooperation with industry of the Basel Convention, (a) to (e), "
            "as the Conference of the Parties requested of the secretariat."
        )
        return {
            "language": info.language,
            "right_to_left": is_right_to_left(info.language),
            "wide": wide,
            "fonts": [str(fonts / name) for name in FONT_FILES.get(info.language, LATIN_FILES)],
            "title": info.title,
            "subject": info.subject,
            "number": info.number,
            "author": info.author,
            "creator": f"Regional Centre {__version__}",
            "page_label": _("Page {page} of {pages}"),
            "contents": _("Contents"),
            "cover": {
                "subtitles": subtitles,
                "headings": [_("Document"), ""],
                "rows": cover_rows,
                "text": cover_text,
            },
            "sections": [
                {
                    "heading": heading,
                    "definition": definition,
                    "tables": [table_content(table, width) for table in tables],
                }
                for heading, definition, tables in document.sections
            ],
        }


def table_content(table: Any, width: float) -> dict[str, Any]:
    """One FigureTable as the program prints it: chunks of columns, formatted cells, chart bars."""
    from regional_centre.i18n import _, format_number
    from regional_centre.reports.progress import CENTRES_PER_TABLE, CHARTED, cell_text

    if not table.rows:
        empty = _("None in this period.")
        return {"title": table.title, "empty": empty, "chunks": [], "chart": None}
    count = len(table.columns)
    chunks = [list(range(count))]
    # The secretariat's report: centres in groups, each with the total.
    if count > CENTRES_PER_TABLE + 1:
        total = count - 1
        chunks = [
            [*range(first, min(first + CENTRES_PER_TABLE, total)), total]
            for first in range(0, total, CENTRES_PER_TABLE)
        ]
    label_width = min(75 * mm, width * 0.45)
    parts = []
    for chunk in chunks:
        value_width = min(30 * mm, (width - label_width) / len(chunk))
        parts.append(
            {
                "headings": [table.label_heading, *(table.columns[i] for i in chunk)],
                "rows": [
                    [label, *(cell_text(values[i], table.money) for i in chunk)]
                    for label, values in table.rows
                ],
                "widths": [label_width] + [value_width] * len(chunk),
            }
        )
    chart = None
    bars = [(label, float(values[-1] or 0)) for label, values in table.rows[:12]]
    if table.key in CHARTED and any(value for _label, value in bars):
        shown = [(label, value, format_number(int(value))) for label, value in bars]
        chart = {"width": min(width, 150 * mm), "bars": shown}
    return {"title": table.title, "empty": None, "chunks": parts, "chart": chart}


# The layout: ReportLab only, from here to the end.


class BaselineDocument(BaseDocTemplate):
    """Lists every first-level heading in the table of contents."""

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "heading1":
            self.notify("TOCEntry", (0, escape(flowable.getPlainText()), self.page))


def numbered_canvas(label: str, font: str, first: int) -> type[Canvas]:
    """The classic canvas that keeps every page and writes "Page N of M" once M is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_page_states)
            for number, state in enumerate(self._saved_page_states, start=1):
                self.__dict__.update(state)
                if number >= first:
                    self.saveState()
                    self.setFillColor(MUTED)
                    self.setFont(font, HEADER_SIZE)
                    text = label.format(page=number, pages=total)
                    self.drawCentredString(self._pagesize[0] / 2, MARGIN / 2, text)
                    self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def baseline_styles(regular: str, bold: str, start: int, cjk: bool) -> dict[str, ParagraphStyle]:
    """The program's paragraph styles, in the baseline's fonts."""
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=BASE_SIZE, leading=BASE_SIZE * 1.35,
        alignment=start, wordWrap="CJK" if cjk else None, spaceAfter=4,
    )  # fmt: skip
    end = TA_LEFT if start == TA_RIGHT else TA_RIGHT
    cell = ParagraphStyle("cell", body, fontSize=BASE_SIZE - 1, leading=(BASE_SIZE - 1) * 1.25, spaceAfter=0)  # fmt: skip
    heading1 = ParagraphStyle("heading1", body, fontName=bold, fontSize=15, leading=20, textColor=ACCENT, spaceBefore=6, spaceAfter=8, keepWithNext=True)  # fmt: skip
    return {
        "body": body,
        "small": ParagraphStyle("small", body, fontSize=BASE_SIZE - 1.5, leading=(BASE_SIZE - 1.5) * 1.3, textColor=MUTED),
        "cell": cell,
        "cell-bold": ParagraphStyle("cell-bold", cell, fontName=bold),
        "number": ParagraphStyle("number", cell, alignment=end),
        "number-bold": ParagraphStyle("number-bold", cell, alignment=end, fontName=bold),
        "title": ParagraphStyle("title", body, fontName=bold, fontSize=24, leading=31, textColor=ACCENT, spaceAfter=10),
        "subtitle": ParagraphStyle("subtitle", body, fontName=bold, fontSize=14, leading=19, spaceAfter=6),
        "heading1": heading1,
        "contents": ParagraphStyle("contents", heading1),  # not listed in the contents
        "heading2": ParagraphStyle("heading2", body, fontName=bold, fontSize=11.5, leading=15, textColor=ACCENT, spaceBefore=8, spaceAfter=4, keepWithNext=True),
        "toc": ParagraphStyle("toc", body, fontName=bold, spaceAfter=0),
    }  # fmt: skip


def lay_out(content: dict[str, Any], target: BytesIO) -> int:
    """Lay out ``content`` with ReportLab alone; return the number of pages."""
    regular, bold = "BaselineSans", "BaselineSans-Bold"
    for name, path in zip((regular, bold), content["fonts"], strict=True):
        pdfmetrics.registerFont(TTFont(name, path))
    rtl = content["right_to_left"]
    styles = baseline_styles(
        regular, bold, TA_RIGHT if rtl else TA_LEFT, content["language"] == "zh"
    )

    def paragraph(text: str, style: str) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), styles[style])

    def table(
        headings: list[str], rows: list[list[str]], widths: list[float], numbers: bool
    ) -> Table:
        data = [
            [paragraph(text, ("number" if numbers and i else "cell") + "-bold") for i, text in enumerate(headings)],
            *([paragraph(text, "number" if numbers and i else "cell") for i, text in enumerate(row)] for row in rows),
        ]  # fmt: skip
        if rtl:
            data, widths = [row[::-1] for row in data], widths[::-1]
        commands = [
            ("FONT", (0, 0), (-1, -1), regular),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        style = TableStyle(commands)
        return Table(data, colWidths=widths, repeatRows=1, style=style, hAlign="RIGHT" if rtl else "LEFT")  # fmt: skip

    def shortened(text: str, width: float) -> str:
        if pdfmetrics.stringWidth(text, regular, LABEL_SIZE) <= width:
            return text
        while text and pdfmetrics.stringWidth(text + "…", regular, LABEL_SIZE) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def chart(spec: dict[str, Any]) -> Drawing:
        bars, width, label_width = spec["bars"], spec["width"], 55 * mm
        height = len(bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
        drawing = Drawing(width, height, initialFontName=regular)
        drawing.hAlign = "RIGHT" if rtl else "LEFT"
        largest = max(value for _label, value, _shown in bars) or 1
        room = width - label_width - 18 * mm
        axis, side = (width - label_width, -1) if rtl else (label_width, 1)
        drawing.add(Line(axis, 0, axis, height, strokeColor=GRID, strokeWidth=0.5))
        near, far = ("start", "end") if rtl else ("end", "start")
        for index, (label, value, shown) in enumerate(bars):
            y = height - (index + 1) * (BAR_HEIGHT + BAR_GAP)
            length = room * value / largest
            left = axis - length if rtl else axis
            drawing.add(Rect(left, y, length, BAR_HEIGHT, fillColor=ACCENT, strokeColor=None))
            text = shortened(label, label_width - 3 * mm)
            font = {"fontName": regular, "fontSize": LABEL_SIZE}
            drawing.add(String(axis - side * 2 * mm, y + 2.3, text, textAnchor=near, **font))
            at = axis + side * (length + 1.5 * mm)
            drawing.add(String(at, y + 2.3, shown, textAnchor=far, **font))
        return drawing

    cover = content["cover"]
    contents = TableOfContents()
    contents.levelStyles = [styles["toc"]]
    story: list[Flowable] = [Spacer(1, 35 * mm), paragraph(content["title"], "title")]
    story += [paragraph(text, "subtitle") for text in cover["subtitles"]]
    story += [
        Spacer(1, 10 * mm),
        table(cover["headings"], cover["rows"], [45 * mm, 115 * mm], numbers=False),
        Spacer(1, 12 * mm),
        paragraph(cover["text"], "body"),
        NextPageTemplate("body"),
        PageBreak(),
        paragraph(content["contents"], "contents"),
        contents,
        PageBreak(),
    ]
    for section in content["sections"]:
        opening = [paragraph(section["heading"], "heading1")]
        opening.append(paragraph(section["definition"], "small"))
        for number, item in enumerate(section["tables"]):
            parts: list[Flowable] = [paragraph(item["title"], "heading2")]
            if item["empty"] is not None:
                parts.append(paragraph(item["empty"], "small"))
            for chunk in item["chunks"]:
                parts.append(table(chunk["headings"], chunk["rows"], chunk["widths"], numbers=True))
                parts.append(Spacer(1, 3 * mm))
            if item["chart"] is not None:
                parts.append(chart(item["chart"]))
            grouped = (
                [KeepTogether(parts[:3]), *parts[3:]] if len(parts) > 3 else [KeepTogether(parts)]
            )
            if number == 0:  # the section's heading stays with the start of its first table
                grouped[0] = KeepTogether([*opening, grouped[0]])
                story.append(CondPageBreak(60 * mm))
            story += grouped

    def header(canvas: Canvas, document: BaseDocTemplate) -> None:
        width, height = document.pagesize
        y = height - MARGIN
        first, second = (content["number"], content["title"]) if rtl else (content["title"], content["number"])  # fmt: skip
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(regular, HEADER_SIZE)
        canvas.drawString(MARGIN, y, first)
        canvas.drawRightString(width - MARGIN, y, second)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y - 2.5 * mm, width - MARGIN, y - 2.5 * mm)
        canvas.restoreState()

    document = BaselineDocument(
        target, pagesize=landscape(A4) if content["wide"] else A4,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 6 * mm, bottomMargin=MARGIN,
        title=content["title"], subject=content["subject"], author=content["author"],
        creator=content["creator"], lang=content["language"], initialFontName=regular,
    )  # fmt: skip
    frame = Frame(document.leftMargin, document.bottomMargin, document.width, document.height)
    document.addPageTemplates(
        [PageTemplate("cover", [frame]), PageTemplate("body", [frame], onPage=header)]
    )
    document.multiBuild(story, canvasmaker=numbered_canvas(content["page_label"], regular, 2))
    return int(document.page)
