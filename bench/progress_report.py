"""Benchmark: the progress report for a full year, against ReportLab alone laying out the same document.

On a copy of the ``large`` demo database, for one calendar year (by default the
year with the most training sessions) and one language:

- report: in a fresh process, ``progress.prepare`` (the figures' queries, then
  their labels) and ``progress.write`` into memory (the layout). The queries are
  the calls of ``ProgressService.figures``, timed by wrapping it; their share of
  the report's total (prepare + write) has a target of under 25%;
- baseline: in another fresh process, the same final document laid out by plain
  ReportLab, written the textbook way with no code of the program: the child
  runs ``prepare`` first (not measured) and takes from its result plain text
  only (cover lines, headings, definitions, every table's headings and cells as
  ``progress.cell_text`` formats them, the charts' bars); then, measured, it
  registers the same TrueType fonts and lays them out with a ``BaseDocTemplate``
  (cover and body page templates, the running header drawn by ``onPage``), a
  standard ``TableOfContents`` filled from ``afterFlowable`` and ``multiBuild``,
  ``Table`` of ``Paragraph`` cells with the same widths and style commands,
  the same ``KeepTogether`` and ``CondPageBreak`` structure, charts of ``Rect``
  and ``String`` shapes, and the classic "NumberedCanvas" for "Page N of M".
  Target: the report's total under 2x the baseline. Its page count is checked
  against the program's (within one page), or it is not the same document.
  Right-to-left text (``--lang ar``) is laid out as plain Paragraphs of the
  same text, neither shaped nor reordered: the program's own right-to-left
  flowable does more work, which counts against it.

Each process reports its peak memory (Linux ``VmHWM``, start-up included) and
the peak during the layout alone (the high-water mark is reset just before it).
``--profile`` adds one more report process (not counted) with ``prepare`` and
``write`` under cProfile, and prints where their time goes.

    .venv/bin/python bench/progress_report.py [--db PATH] [--year YYYY] [--lang en] [--repeat 3]
        [--json FILE] [--profile]

Without ``--db`` the ``large`` demo database is built once, as
``bench/demo_build.py`` builds it, and kept in ``~/.cache/regional-centre-bench``.
The database given is never opened itself: the runs use a copy.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import importlib.util
import json
import os
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from io import BytesIO
from pathlib import Path
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

BENCH = Path(__file__).resolve().parent
SHARE_TARGET = 0.25  # queries / (prepare + write)
RATIO_TARGET = 2.0  # (prepare + write) / baseline
PROFILE_TOP = 15
EXIT_ERROR, EXIT_USAGE = 1, 2

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

# The parts of ProgressService.figures, each a function of regional_centre.services.progress.
QUERY_PARTS = (
    "read_key_counts",
    "_stakeholders",
    "_dialogues",
    "_partnerships",
    "_activities",
    "training_figures",
    "_reviews",
)


# Memory of this process.


def memory_mb(field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of this process, in MB (10^6 bytes); 0 off Linux."""
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def reset_peak() -> None:
    """Start the peak (``VmHWM``) again from the present resident set (Linux 4.0 and later)."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


class Timer:
    """Wall time spent in chosen functions, by label."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.results: dict[str, list[Any]] = defaultdict(list)

    def wrap(self, owner: Any, attribute: str, label: str) -> None:
        """Time every call of ``owner.attribute`` as ``label``, and keep what it returns."""
        original = getattr(owner, attribute)
        seconds, results = self.seconds, self.results

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                value = original(*args, **kwargs)
            finally:
                seconds[label] += time.perf_counter() - start
            results[label].append(value)
            return value

        setattr(owner, attribute, timed)


# The measured steps, each in its own process.


def open_services(args: argparse.Namespace) -> tuple[Any, Any]:
    """The program's services over ``args.db`` and the year's period, the session warmed."""
    import datetime as dt

    from regional_centre.services import Services
    from regional_centre.services.periods import Period

    services = Services.open(args.db, actor="Bench")
    _node = services.context.node  # warm the session and the mappers outside the measure
    return services, Period(dt.date(args.year, 1, 1), dt.date(args.year, 12, 31))


def run_report(args: argparse.Namespace) -> dict[str, Any]:
    """The program: ``prepare`` (queries, then labels) and ``write`` (layout) into memory."""
    from regional_centre.reports import progress
    from regional_centre.services import progress as progress_service

    services, period = open_services(args)
    profiling = args.profile_to is not None
    timer = Timer()
    if not profiling:  # the profile shows it all, without the wrappers
        timer.wrap(progress_service.ProgressService, "figures", "queries")
        timer.wrap(BaseDocTemplate, "multiBuild", "passes")
        for part in QUERY_PARTS:
            if hasattr(progress_service, part):  # the module may change under the benchmark
                timer.wrap(progress_service, part, part)
    statements: list[tuple[float, str, str]] = []
    if profiling:
        time_statements(services.database.engine, statements)
    profile = cProfile.Profile()
    start = time.perf_counter()
    with profile if profiling else contextlib.nullcontext():
        document = progress.prepare(services, period, args.lang)
    prepared = time.perf_counter()
    if profiling:
        profile.dump_stats(args.profile_to / "prepare.pstats")
    peak_before_layout = memory_mb("VmHWM")
    before_layout = memory_mb("VmRSS")
    reset_peak()
    target = BytesIO()
    profile = cProfile.Profile()
    layout_start = time.perf_counter()
    with profile if profiling else contextlib.nullcontext():
        pages = progress.write(document, target, services)
    finished = time.perf_counter()
    if profiling:
        profile.dump_stats(args.profile_to / "write.pstats")
    layout_peak = memory_mb("VmHWM")
    services.close()
    return {
        "prepare": prepared - start,
        "queries": timer.seconds["queries"],
        "figures_calls": len(timer.results["queries"]),
        "parts": {part: timer.seconds[part] for part in QUERY_PARTS if part in timer.seconds},
        "layout": finished - layout_start,
        "passes": timer.results["passes"],
        "pages": pages,
        "bytes": len(target.getvalue()),
        "tables": len(document.tables),
        "peak_mb": max(peak_before_layout, layout_peak),
        "rss_before_layout_mb": before_layout,
        "layout_peak_mb": layout_peak,
        "statements": sorted(statements, reverse=True),
    }


def time_statements(engine: Any, statements: list[tuple[float, str, str]]) -> None:
    """Add (seconds in execute, the service function that ran it, SQL) of every statement."""
    from sqlalchemy import event

    def before(connection: Any, *_args: Any) -> None:
        connection.info["bench_started"] = time.perf_counter()

    def after(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seconds = time.perf_counter() - connection.info.pop("bench_started")
        frame = sys._getframe(1)
        while frame.f_back is not None and f"{os.sep}services{os.sep}" not in frame.f_code.co_filename:  # fmt: skip
            frame = frame.f_back
        caller = f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno}({frame.f_code.co_name})"
        statements.append((seconds, caller, " ".join(statement.split())))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)


def run_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """ReportLab alone: the program's final text, laid out the textbook way."""
    from regional_centre.reports import progress

    services, period = open_services(args)
    document = progress.prepare(services, period, args.lang)  # not measured
    content = extract(document, services)
    services.close()
    del document, services
    gc.collect()
    timer = Timer()
    timer.wrap(BaseDocTemplate, "multiBuild", "passes")
    peak_before_layout = memory_mb("VmHWM")
    before_layout = memory_mb("VmRSS")
    reset_peak()
    target = BytesIO()
    start = time.perf_counter()
    pages = lay_out(content, target)
    seconds = time.perf_counter() - start
    layout_peak = memory_mb("VmHWM")
    return {
        "seconds": seconds,
        "passes": timer.results["passes"],
        "pages": pages,
        "bytes": len(target.getvalue()),
        "charts": sum(1 for s in content["sections"] for t in s["tables"] if t["chart"]),
        "peak_mb": max(peak_before_layout, layout_peak),
        "rss_before_layout_mb": before_layout,
        "layout_peak_mb": layout_peak,
    }


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


# The baseline's layout: ReportLab only, from here to ``lay_out``.


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
        story += [CondPageBreak(60 * mm), paragraph(section["heading"], "heading1")]
        story.append(paragraph(section["definition"], "small"))
        for item in section["tables"]:
            parts: list[Flowable] = [paragraph(item["title"], "heading2")]
            if item["empty"] is not None:
                parts.append(paragraph(item["empty"], "small"))
            for chunk in item["chunks"]:
                parts.append(table(chunk["headings"], chunk["rows"], chunk["widths"], numbers=True))
                parts.append(Spacer(1, 3 * mm))
            if item["chart"] is not None:
                parts.append(chart(item["chart"]))
            story += (
                [KeepTogether(parts[:3]), *parts[3:]] if len(parts) > 3 else [KeepTogether(parts)]
            )

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


def child(args: argparse.Namespace) -> int:
    """One measured step in this fresh process; its results go to ``args.result`` as JSON."""
    from regional_centre.services.errors import DatabaseError, ServiceError

    try:
        results = run_report(args) if args.child == "report" else run_baseline(args)
    except (ServiceError, DatabaseError) as error:
        print(f"the {args.child} step: {error}", file=sys.stderr)
        return EXIT_ERROR
    args.result.write_text(json.dumps(results))
    return 0


# The parent: the copy of the database, the rounds, the table.


def cached_demo(size: str) -> Path:
    """The demo database of ``size``, built once by bench/demo_build.py and then reused."""
    spec = importlib.util.spec_from_file_location("demo_build", BENCH / "demo_build.py")
    assert spec is not None and spec.loader is not None
    demo_build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo_build)
    database: Path = demo_build.cached_demo(size)
    return database


def prepare_copy(database: Path, folder: Path) -> Path:
    """A copy of ``database`` (and its WAL), upgraded to this program's schema, checkpointed."""
    from regional_centre.services import Services

    copy = folder / "report.sqlite"
    shutil.copyfile(database, copy)
    if Path(f"{database}-wal").exists():
        shutil.copyfile(f"{database}-wal", f"{copy}-wal")
    services = Services.open(copy, actor="Bench")
    if services.database.backup is not None:
        print(f"note: the copy was upgraded to this program's schema ({services.database.backup})")
    services.close()
    with contextlib.closing(sqlite3.connect(copy)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with copy.open("rb") as handle:  # into the page cache, for every step alike
        while handle.read(1 << 24):
            pass
    return copy


def busiest_year(database: Path) -> int | None:
    """The year in which the most live training sessions began (the latest, on a tie)."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        row = connection.execute(
            "SELECT substr(first_day, 1, 4), count(*) FROM training_session WHERE NOT deleted "
            "GROUP BY 1 ORDER BY 2 DESC, 1 DESC LIMIT 1"
        ).fetchone()
    return int(row[0]) if row else None


def launch(
    kind: str, args: argparse.Namespace, folder: Path, profile_to: Path | None = None
) -> dict[str, Any]:
    """Run one step in a fresh process; its results."""
    run_folder = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=folder))
    result = run_folder / "result.json"
    environment = dict(os.environ)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        environment[variable] = str(run_folder / variable.lower())
    environment["REGIONAL_CENTRE_DATA_DIR"] = str(run_folder / "data")
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--db",
        str(args.copy),
    ]
    command += ["--year", str(args.year), "--lang", args.lang, "--result", str(result)]
    if profile_to is not None:
        command += ["--profile-to", str(profile_to)]
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    if finished.returncode != 0 or not result.exists():
        message = finished.stderr.strip()
        if finished.returncode == EXIT_ERROR and message.count("\n") == 0:
            raise Failure(message)  # a fault of the database, said in one line
        sys.stderr.write(finished.stdout + finished.stderr)
        raise SystemExit(f"the {kind} step failed (exit status {finished.returncode})")
    results: dict[str, Any] = json.loads(result.read_text())
    shutil.rmtree(run_folder)
    return results


class Failure(Exception):
    """A fault the user can act on, said in one line."""


def median(rounds: list[dict[str, Any]], value: Any) -> float:
    return float(statistics.median(value(r) for r in rounds))


def worst(rounds: list[dict[str, Any]], value: Any) -> float:
    return float(max(value(r) for r in rounds))


def report(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Print the table of figures; return them for the JSON file."""
    figures: dict[str, Any] = {}
    print(f"\n{'figure':54} {'median':>9} {'worst':>9}  {'target':>8}  result")

    def line(key: str, label: str, value: Any, target: float | None = None, unit: str = "") -> None:
        middle, highest = median(rounds, value), worst(rounds, value)
        scale = 100.0 if unit == "%" else 1.0
        verdict, shown_target = "", ""
        if target is not None:
            verdict = "pass" if middle < target else "FAIL"
            shown_target = f"< {target * scale:g}{unit or 'x'}"
        figures[key] = {"median": middle, "worst": highest, "target": target}
        print(
            f"{label:54} {middle * scale:9.2f} {highest * scale:9.2f}  {shown_target:>8}  {verdict}"
        )

    def total(r: dict[str, Any]) -> float:
        return float(r["report"]["prepare"] + r["report"]["layout"])

    rows: list[tuple[str, str, Any, float | None, str]] = [
        ("queries_s", "queries: the ProgressService.figures() calls (s)", lambda r: r["report"]["queries"], None, ""),
        ("queries_share", "  share of the report's total (%)", lambda r: r["report"]["queries"] / total(r), SHARE_TARGET, "%"),
        ("labelling_s", "labelling: the rest of prepare() (s)", lambda r: r["report"]["prepare"] - r["report"]["queries"], None, ""),
        ("layout_s", "layout: write() into memory (s)", lambda r: r["report"]["layout"], None, ""),
        ("total_s", "total: prepare() + write() (s)", total, None, ""),
        ("baseline_s", "baseline: ReportLab alone, the same document (s)", lambda r: r["baseline"]["seconds"], None, ""),
        ("total_over_baseline", "  total / baseline (x)", lambda r: total(r) / r["baseline"]["seconds"], RATIO_TARGET, ""),
        ("layout_over_baseline", "  layout / baseline (x, for information)", lambda r: r["report"]["layout"] / r["baseline"]["seconds"], None, ""),
        ("report_peak_mb", "peak memory of the report process (MB)", lambda r: r["report"]["peak_mb"], None, ""),
        ("report_layout_peak_mb", "  peak during write() (MB)", lambda r: r["report"]["layout_peak_mb"], None, ""),
        ("baseline_peak_mb", "peak memory of the baseline process (MB)", lambda r: r["baseline"]["peak_mb"], None, ""),
        ("baseline_layout_peak_mb", "  peak during its layout (MB)", lambda r: r["baseline"]["layout_peak_mb"], None, ""),
    ]  # fmt: skip
    for key, label, value, target, unit in rows:
        line(key, label, value, target, unit)

    first = rounds[0]
    program, baseline = first["report"], first["baseline"]
    same = abs(program["pages"] - baseline["pages"]) <= 1
    figures["pages"] = {
        "report": program["pages"],
        "baseline": baseline["pages"],
        "same_document": same,
    }
    print(
        f"\npages: report {program['pages']}, baseline {baseline['pages']} "
        f"({'the same document, within one page' if same else 'NOT the same document: check the baseline'})"
    )
    print(
        f"PDF: report {program['bytes'] / 1e3:.0f} kB, baseline {baseline['bytes'] / 1e3:.0f} kB; "
        f"{program['tables']} tables, {baseline['charts']} charts; layout passes (multiBuild): "
        f"report {program['passes']}, baseline {baseline['passes']}; "
        f"{program['figures_calls']} figures() call(s)"
    )
    print(
        f"resident before the layout (MB, first round): report {program['rss_before_layout_mb']:.1f}, "
        f"baseline {baseline['rss_before_layout_mb']:.1f} (its prepare() included, then freed)"
    )
    print("\nqueries by part (s, median), each a function of regional_centre/services/progress.py:")
    parts = {
        part: median(rounds, lambda r, p=part: r["report"]["parts"][p])
        for part in QUERY_PARTS
        if all(part in r["report"]["parts"] for r in rounds)
    }
    for part, seconds in parts.items():
        print(f"  {part:52} {seconds:8.3f}")
    rest = median(rounds, lambda r: r["report"]["queries"]) - sum(parts.values())
    print(f"  {'(the rest of figures())':52} {rest:8.3f}")
    figures["query_parts_s"] = parts
    return figures


def print_profile(title: str, path: Path) -> None:
    """The top functions of the program by cumulative time, then every function by own time."""
    entries = vars(pstats.Stats(str(path)))["stats"]
    spent = max((entry[3] for entry in entries.values()), default=0.0)
    ranked = sorted(entries.items(), key=lambda item: item[1][3], reverse=True)
    ours = [item for item in ranked if f"{os.sep}regional_centre{os.sep}" in item[0][0]]
    print(f"\ncProfile of {title} ({spent:.2f} s under the profiler)")
    print(f"top {PROFILE_TOP} functions of regional_centre/ by cumulative time:")
    print_entries(ours[:PROFILE_TOP])
    print(f"top {PROFILE_TOP} functions anywhere by cumulative time:")
    print_entries(ranked[:PROFILE_TOP])
    print(f"top {PROFILE_TOP} functions anywhere by own time:")
    print_entries(sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:PROFILE_TOP])


def print_statements(statements: list[list[Any]]) -> None:
    """The slowest SQL statements of prepare(), with the function that ran each."""
    spent = sum(seconds for seconds, _caller, _sql in statements)
    print(f"slowest of its {len(statements)} SQL statements ({spent:.2f} s in execute in all):")
    print(f"{'s':>8}  service function: statement")
    for seconds, caller, sql in statements[:8]:
        print(f"{seconds:8.3f}  {caller}: {sql[:110]}{'…' if len(sql) > 110 else ''}")


def print_entries(entries: list[tuple[tuple[str, int, str], tuple[Any, ...]]]) -> None:
    print(f"{'cum s':>8} {'own s':>8} {'calls':>9}  file:line(function)")
    for (file, line, function), (_primitive, calls, own, cumulative, _callers) in entries:
        print(f"{cumulative:8.3f} {own:8.3f} {calls:9}  {short(file)}:{line}({function})")


def short(file: str) -> str:
    """A source file's path from its package (site-packages, the standard library or this repository)."""
    for root in ("site-packages/", f"{BENCH.parent}/", "lib/python3"):
        if root in file:
            return file.split(root, 1)[1].removeprefix(".")
    return file


def fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"{Path(__file__).name}: {message}", file=sys.stderr)
    return status


def main() -> int:
    from regional_centre.i18n import LANGUAGES
    from regional_centre.services.errors import DatabaseError, ServiceError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the database to copy (default: the large demo)")
    parser.add_argument("--size", default="large", choices=("small", "large"), help="demo size")
    parser.add_argument(
        "--year", type=int, help="the calendar year (default: most training sessions)"
    )
    parser.add_argument("--lang", default="en", choices=LANGUAGES, help="the report's language")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of both steps")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--profile", action="store_true", help="profile prepare() and write() once")
    parser.add_argument("--child", choices=("report", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    if args.repeat < 1:
        return fail("--repeat must be at least 1")
    if args.year is not None and not 1 <= args.year <= 9999:
        return fail(f"--year {args.year} is not a year from 1 to 9999")
    database = args.db or cached_demo(args.size)
    if not database.is_file():
        return fail(f"there is no database at {database}")
    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-progress-") as scratch:
        folder = Path(scratch)
        print(f"database: copy of {database} ({database.stat().st_size / 1e6:.0f} MB)")
        try:
            args.copy = prepare_copy(database, folder)
            args.year = args.year or busiest_year(args.copy)
            if args.year is None:
                return fail("the database has no training sessions: give --year", EXIT_ERROR)
            print(
                f"report: the year {args.year}, in '{args.lang}'; {args.repeat} round(s)",
                flush=True,
            )
            launch("report", args, folder)  # warm-up of each, not counted
            launch("baseline", args, folder)
            load_before = os.getloadavg()[0]
            for number in range(args.repeat):
                order = ("report", "baseline") if number % 2 == 0 else ("baseline", "report")
                rounds.append({kind: launch(kind, args, folder) for kind in order})
            load_after = os.getloadavg()[0]
            figures = report(rounds)
            print(
                f"\nload average (1 min) before {load_before:.2f}, after {load_after:.2f}, "
                f"on {os.cpu_count()} CPUs: other work on the machine slows every figure"
            )
            if args.profile:
                profiled = launch("report", args, folder, profile_to=folder)
                print_profile("prepare(): queries and labels", folder / "prepare.pstats")
                print_statements(profiled["statements"])
                print_profile("write(): the layout", folder / "write.pstats")
        except Failure as error:
            return fail(str(error), EXIT_ERROR)
        except (ServiceError, DatabaseError, sqlite3.DatabaseError) as error:
            return fail(f"{database}: {error}", EXIT_ERROR)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "database": str(database),
            "year": args.year,
            "language": args.lang,
            "repeat": args.repeat,
            "load_average": [load_before, load_after],
            "cpus": os.cpu_count(),
            "figures": figures,
            "rounds": rounds,
        }
        args.json.write_text(json.dumps(document, indent=2))
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
