"""The progress report on cooperation with industry, for the secretariat.

One section per element of the framework for cooperation with industry, (a) to (e),
then the Advisory Committee's reviews. A centre's report has one column of figures;
the secretariat's puts every centre side by side, with the total, on landscape pages.
Every figure comes from ``ProgressService``, as does ``regional-centre stats``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from babel import Locale
from babel.numbers import format_decimal
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from regional_centre.files import write_atomically
from regional_centre.i18n import _, current_language, document_language, format_day, format_number
from regional_centre.reports import figure_tables as tables
from regional_centre.reports.charts import bar_chart
from regional_centre.reports.document import DocumentInfo, build_document
from regional_centre.reports.figure_tables import Column, FigureTable, Labels
from regional_centre.reports.typesetting import Typesetter
from regional_centre.services.errors import ValidationError
from regional_centre.services.periods import Period
from regional_centre.services.progress_figures import Conversion

if TYPE_CHECKING:
    from regional_centre.services import Services

# Centres per table in the secretariat's side-by-side report (the total is added to each).
CENTRES_PER_TABLE = 6


@dataclass(frozen=True)
class ProgressDocument:
    """A progress report counted and ready to lay out."""

    info: DocumentInfo
    columns: Sequence[Column]
    sections: Sequence[tuple[str, str, Sequence[FigureTable]]]  # heading, definition, tables
    typesetter: Typesetter

    @property
    def tables(self) -> list[FigureTable]:
        """Every table of the report, in order (for the workbook and the tests)."""
        return [table for _heading, _text, section in self.sections for table in section]


def figure_columns(
    services: Services, period: Period, centre: str | None, conversion: Conversion | None
) -> list[Column]:
    """The columns of figures: the centre's own, or each centre's and the total at the secretariat."""
    node = services.context.node
    progress = services.progress
    if centre is None and node.is_secretariat:
        consolidated = progress.consolidated(period, conversion)  # one snapshot for all columns
        columns = [Column(f.centre or "", f) for f in consolidated.centres]
        return [*columns, Column(_("Total"), consolidated.total)]
    code = centre or node.centre_code
    return [Column(code or _("All records"), progress.figures(period, code, conversion))]


def prepare(
    services: Services,
    period: Period,
    language: str,
    *,
    centre: str | None = None,
    conversion: Conversion | None = None,
) -> ProgressDocument:
    """Count the report's figures and label them in ``language`` (no layout yet)."""
    if period.start is None or period.end is None:
        raise ValidationError.single("period", _("A progress report needs a first and a last day."))
    with document_language(language):
        columns = figure_columns(services, period, centre, conversion)
        labels = Labels(services.reference, language)
        sections = [
            (_("Summary"), _summary_text(columns), [tables.summary_table(columns)]),
            (_("(a) Key stakeholders identified"), _("Organisations other than SMEs, as they stand today; new ones were added in the period."), tables.stakeholder_tables(columns, labels)),
            (_("(b) Scoping dialogues"), _("Dialogues held in the period, with the life-cycle stages and waste streams they covered."), tables.dialogue_tables(columns, labels)),
            (_("(c) Strategic partnerships"), _("Partnerships by agreement status and by the priority fields of the Basel Declaration."), tables.partnership_tables(columns, labels)),
            (_("(d) Joint activities"), _("Joint activities whose dates overlap the period, the industry's contributions to them, and their measured outcomes. Amounts in different currencies are not added up unless an exchange rate was given."), tables.activity_tables(columns)),
            (_("(e) Training of SMEs"), _("Training sessions that began in the period and were not cancelled, with their registered participants."), tables.training_tables(columns, labels)),
            (_("Advisory Committee reviews"), _("Reviews of this centre's joint activities by the Advisory Committee on Partnership with Industry, received in the period."), tables.review_tables(columns)),
        ]  # fmt: skip
        node = services.context.node
        owner = centre or ("ALL" if node.is_secretariat else node.owner)
        number = f"{owner}/PR/{period.start:%Y%m%d}-{period.end:%Y%m%d}/{language.upper()}"
        info = DocumentInfo(
            title=_("Progress report on cooperation with industry"),
            subject=_("{start} to {end}").format(start=format_day(period.start, "long"), end=format_day(period.end, "long")),
            number=number,
            author=node.name,
            language=language,
            created=dt.datetime.now(),
        )  # fmt: skip
    return ProgressDocument(info, columns, sections, Typesetter(language))


def _summary_text(columns: Sequence[Column]) -> str:
    if len(columns) == 1:
        return _("The key figures of the period; each section below gives the detail.")
    return _("The key figures of the period for each centre, and in total.")


def write(document: ProgressDocument, target: Path | IO[bytes], services: Services) -> int:
    """Lay out the report as a PDF (a file is replaced only once complete); return its pages."""
    if isinstance(target, Path):
        buffer = io.BytesIO()
        pages = write(document, buffer, services)
        write_atomically(target, buffer.getvalue())
        return pages
    with document_language(document.info.language):
        t = document.typesetter
        wide = len(document.columns) > 1
        body: list[Flowable] = []
        for heading, text, section in document.sections:
            first, *rest = [_table_flowables(t, table, wide) for table in section]
            # The section's heading stays with the start of its first table.
            opening = [t.heading(heading), t.paragraph(text, "small"), first[0]]
            body += [CondPageBreak(60 * mm), KeepTogether(opening), *first[1:]]
            for flowables in rest:
                body += flowables
        return build_document(target, document.info, t, _cover(document, services), body, wide=wide)


def write_progress_report(
    services: Services,
    target: Path | IO[bytes],
    period: Period,
    language: str,
    *,
    centre: str | None = None,
    conversion: Conversion | None = None,
) -> int:
    """Count and lay out a progress report; return its number of pages."""
    document = prepare(services, period, language, centre=centre, conversion=conversion)
    return write(document, target, services)


def record_issued(services: Services, document: ProgressDocument) -> bool:
    """Keep the figures of a centre's own report just issued, for the secretariat; whether kept.

    The secretariat's reports, and reports of another centre's records, are not kept.
    """
    node = services.context.node
    if node.is_secretariat or len(document.columns) != 1:
        return False
    figures = document.columns[0].figures
    if figures.centre != node.owner:
        return False
    services.reported.record(figures, document.info.number)
    return True


def _cover(document: ProgressDocument, services: Services) -> list[Flowable]:
    t, info = document.typesetter, document.info
    centres = {c.code: c.title for c in services.reference.centres()}
    language_name = Locale.parse(info.language).get_display_name(info.language) or info.language
    lines = [
        (_("Period"), info.subject),
        (_("Prepared on"), format_day(info.created.date(), "long")),
        (_("Prepared by"), info.author),
        (_("Language"), language_name),
        (_("Document number"), info.number),
    ]
    cover: list[Flowable] = [Spacer(1, 35 * mm), t.paragraph(info.title, "title")]
    if len(document.columns) == 1 and document.columns[0].name in centres:
        cover.append(t.paragraph(centres[document.columns[0].name], "subtitle"))
    elif len(document.columns) > 1:
        cover.append(t.paragraph(_("All Regional Centres, side by side and in total"), "subtitle"))
    cover.append(Spacer(1, 10 * mm))
    width = 160 * mm
    cover.append(t.table([_("Document"), ""], lines, [45 * mm, width - 45 * mm]))
    cover += [
        Spacer(1, 12 * mm),
        t.paragraph(
            _(
                "Report on progress in cooperation with industry under the elements of a "
                "framework for cooperation with industry of the Basel Convention, (a) to (e), "
                "as the Conference of the Parties requested of the secretariat."
            )
        ),
    ]
    return cover


def cell_text(value: tables.Value, money: bool = False) -> str:
    """A figure as printed in the document language: "–" for none; a Decimal with its own
    decimal places (an average of 4.0 stays 4.0), money with two."""
    if value is None:
        return "–"
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, int):
        return format_number(value)
    places = 2 if money else min(4, max(0, -int(value.as_tuple().exponent)))
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=current_language())


def _table_flowables(t: Typesetter, table: FigureTable, wide: bool) -> list[Flowable]:
    """A table (in chunks of centres when there are many), and a chart where one helps."""
    width = (297 if wide else 210) * mm - 36 * mm
    if not table.rows:
        return [
            KeepTogether([t.heading(table.title, 2, contents=False), t.paragraph(_("None in this period."), "small")])
        ]  # fmt: skip
    columns = list(table.columns)
    chunks: list[list[int]] = [list(range(len(columns)))]
    if len(columns) > CENTRES_PER_TABLE + 1:
        total = len(columns) - 1
        chunks = [
            [*range(i, min(i + CENTRES_PER_TABLE, total)), total]
            for i in range(0, total, CENTRES_PER_TABLE)
        ]
    flowables: list[Flowable] = [t.heading(table.title, 2, contents=False)]
    label_width = min(75 * mm, width * 0.45)
    for chunk in chunks:
        value_width = min(30 * mm, (width - label_width) / len(chunk))
        rows = [
            [label, *(cell_text(values[i], table.money) for i in chunk)]
            for label, values in table.rows
        ]
        headings = [table.label_heading, *(columns[i] for i in chunk)]
        numeric = range(1, len(chunk) + 1)
        flowables.append(
            t.table(headings, rows, [label_width] + [value_width] * len(chunk), numeric=numeric)
        )
        flowables.append(Spacer(1, 3 * mm))
    chart = _chart(t, table, width)
    if chart is not None:
        flowables.append(chart)
    return (
        [KeepTogether(flowables[:3]), *flowables[3:]]
        if len(flowables) > 3
        else [KeepTogether(flowables)]
    )


# Breakdowns drawn as a chart as well as a table (of the last column: the total or the only one).
CHARTED = {"stakeholders_by_sector", "participants_by_gender", "partnerships_by_field", "participants_by_size", "ratings", "dialogues_by_stream"}  # fmt: skip


def _chart(t: Typesetter, table: FigureTable, width: float) -> Flowable | None:
    if table.key not in CHARTED:
        return None
    bars = [(label, float(values[-1] or 0)) for label, values in table.rows[:12]]
    if not any(value for _label, value in bars):
        return None
    shown: Callable[[float], str] = lambda value: format_number(int(value))  # noqa: E731
    return bar_chart(t, bars, [shown(value) for _label, value in bars], min(width, 150 * mm))
