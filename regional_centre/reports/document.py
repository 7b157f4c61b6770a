"""The frame every printed document shares: page size, running header, "Page 3 of 12", contents.

A document is built in its own language (``document_language``), whatever the
program's: the typesetter carries the fonts and direction, and every label comes
from ``_`` inside the block. Headings made with ``Typesetter.heading`` fill the
table of contents, which takes a second layout pass (ReportLab's ``multiBuild``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from regional_centre import __version__
from regional_centre.i18n import _
from regional_centre.reports.typesetting import GRID, MUTED, TOC_LEVEL, TOC_TEXT, Typesetter

MARGIN = 18 * mm
HEADER_SIZE = 7.5


@dataclass(frozen=True)
class DocumentInfo:
    """What the header, footer and the PDF's properties say about a document."""

    title: str
    subject: str
    number: str
    author: str
    language: str
    created: dt.datetime


class Contents(TableOfContents):
    """The table of contents, drawn with the document's typesetter (mirrored in Arabic)."""

    def __init__(self, typesetter: Typesetter) -> None:
        super().__init__()
        self.typesetter = typesetter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        t = self.typesetter
        number_width = 14 * mm
        rows = []
        entries = self._lastEntries  # type: ignore[attr-defined]  # ReportLab's; not in its stubs
        for level, text, page, _key in entries or [(0, "", 0, None)]:
            indent = "    " * level
            style = t.style("body", spaceAfter=0)
            page_style = t.style("body", alignment=t.end, spaceAfter=0)
            cells = [
                t.paragraph(indent + text, style, bold=level == 0),
                t.paragraph(str(page), page_style),
            ]
            rows.append(list(reversed(cells)) if t.right_to_left else cells)
        widths = [availWidth - number_width, number_width]
        self._table = Table(
            rows,
            colWidths=list(reversed(widths)) if t.right_to_left else widths,
            style=TableStyle([("FONT", (0, 0), (-1, -1), t.fonts.base()), ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]),
        )  # fmt: skip
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


class _Template(BaseDocTemplate):
    def __init__(
        self,
        target: Path | IO[bytes],
        info: DocumentInfo,
        typesetter: Typesetter,
        page_size: tuple[float, float],
        *,
        cover: bool,
        furniture: bool,
    ) -> None:
        super().__init__(
            target if not isinstance(target, Path) else str(target),
            pagesize=page_size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 6 * mm,
            bottomMargin=MARGIN,
            title=info.title,
            subject=info.subject,
            author=info.author,
            creator=f"Regional Centre {__version__}",
            lang=info.language,
            initialFontName=typesetter.fonts.base(),  # else an unused, unembedded Helvetica
        )  # fmt: skip
        self.info = info
        self.typesetter = typesetter
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        body = PageTemplate("body", [frame], onPage=self._header if furniture else _nothing)
        # The first template is the first page's.
        self.addPageTemplates([PageTemplate("cover", [frame]), body] if cover else [body])

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, TOC_LEVEL, None)
        if level is not None:
            self.notify("TOCEntry", (level, getattr(flowable, TOC_TEXT), self.page))

    def _header(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        t, info = self.typesetter, self.info
        width, height = document.pagesize
        y = height - MARGIN
        canvas.saveState()
        canvas.setFillColor(MUTED)
        t.draw_line(
            canvas, width - MARGIN if t.right_to_left else MARGIN, y, info.title, HEADER_SIZE
        )
        t.draw_line(
            canvas,
            MARGIN if t.right_to_left else width - MARGIN,
            y,
            info.number,
            HEADER_SIZE,
            align="end",
        )
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y - 2.5 * mm, width - MARGIN, y - 2.5 * mm)
        canvas.restoreState()  # fmt: skip


def _nothing(_canvas: Canvas, _document: BaseDocTemplate) -> None:
    """No header: the page draws everything itself."""


def _numbered_canvas(typesetter: Typesetter, first_numbered: int | None) -> type[Canvas]:
    """A canvas that writes "Page N of M" from page ``first_numbered`` on, once M is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # ReportLab's; not in its stubs

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                if first_numbered is not None and number >= first_numbered:
                    self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            width, _height = self._pagesize  # type: ignore[attr-defined]  # ReportLab's; not in its stubs
            self.saveState()
            self.setFillColor(MUTED)
            text = _("Page {page} of {pages}").format(page=number, pages=total)
            typesetter.draw_line(self, width / 2, MARGIN / 2, text, HEADER_SIZE, align="centre")
            self.restoreState()

    return NumberedCanvas


def build_document(
    target: Path | IO[bytes],
    info: DocumentInfo,
    typesetter: Typesetter,
    cover: Sequence[Flowable],
    body: Sequence[Flowable],
    *,
    contents: bool = True,
    wide: bool = False,
    furniture: bool = True,
) -> int:
    """Lay out ``cover`` (its own first page, if any), contents, then ``body``; return the page count.

    Without ``furniture`` pages have no running header and no page numbers (certificates).
    """
    page_size = landscape(A4) if wide else A4
    template = _Template(
        target, info, typesetter, page_size, cover=bool(cover), furniture=furniture
    )
    story: list[Flowable] = [*cover, NextPageTemplate("body"), PageBreak()] if cover else []
    if contents:
        story += [
            typesetter.heading(_("Contents"), 1, contents=False),
            Contents(typesetter),
            PageBreak(),
        ]
    story += body
    first_numbered = (2 if cover else 1) if furniture else None
    canvas_maker = _numbered_canvas(typesetter, first_numbered)
    if contents:
        template.multiBuild(story, canvasmaker=canvas_maker)
    else:
        template.build(story, canvasmaker=canvas_maker)
    return int(template.page)
