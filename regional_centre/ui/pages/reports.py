"""The Reports page: the key figures of a period as tables, and the printed progress report.

The tables shown are the ones exported, so the workbook says exactly what the
page says. The figures are counted off the GUI thread; a period changed while
they are counted makes the older answer be ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from regional_centre.enums import EngagementStage, Gender
from regional_centre.i18n import N_, _
from regional_centre.reports.spreadsheets import Table, write_tables
from regional_centre.services import Services
from regional_centre.services.errors import ValidationError
from regional_centre.services.statistics import KeyFigures, Period, QuarterFigures
from regional_centre.ui.editors.fields import DateField
from regional_centre.ui.editors.form import error_label
from regional_centre.ui.edits import Edits
from regional_centre.ui.figures_table import FiguresTable
from regional_centre.ui.messages import show_error, show_information
from regional_centre.ui.operations import Operation, run_query
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.report_printing import ProgressReportPanel, ReportedFiguresPanel
from regional_centre.ui.settings import Settings

RELOAD_DELAY_MS = 300

# What each key figure counts, in the order shown (see regional_centre.services.statistics).
FIGURE_LABELS: dict[str, str] = {
    "partners": N_("Partners (today)"),
    "new_partners": N_("New partners"),
    "smes": N_("SMEs (today)"),
    "dialogues": N_("Scoping dialogues held"),
    "partnerships": N_("Signed or active partnerships (today)"),
    "activities": N_("Joint activities under way"),
    "sessions": N_("Training sessions held"),
    "participants": N_("Training participants"),
    "certificates": N_("Certificates issued"),
    "overdue_actions": N_("Overdue follow-up actions (today)"),
}


def title_label(text: str) -> QLabel:
    """A page's title."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def caption_label(text: str) -> QLabel:
    """The caption of a table or a group of fields on a page."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return label


def note_label(text: str) -> QLabel:
    """A wrapped explanation in the page's quieter colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class WorkbookChooser:
    """Asks where to save a workbook (tests patch ``ask``)."""

    @classmethod
    def ask(cls, parent: QWidget, title: str, suggested: str) -> Path | None:
        """The path the user chose (always ending in .xlsx), or None."""
        name, _filter = QFileDialog.getSaveFileName(
            parent, title, suggested, _("Excel workbook (*.xlsx)")
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")


@dataclass(frozen=True)
class Figures:
    """What the page counted for one period."""

    key_figures: KeyFigures
    by_stage: list[tuple[EngagementStage, int]]
    per_quarter: list[QuarterFigures]
    by_gender: list[tuple[Gender, int]]


def count_figures(services: Services, period: Period) -> Figures:
    """Every figure the page shows for ``period`` (runs off the GUI thread)."""
    statistics = services.statistics
    return Figures(
        statistics.key_figures(period),
        statistics.partners_by_stage(),
        statistics.trainings_per_quarter(period),
        statistics.participants_by_gender(period),
    )


def figure_tables(figures: Figures, period: Period) -> list[Table]:
    """The page's tables (also the workbook's sheets), in the current language."""
    shown = _("{start} to {end}").format(start=period.start, end=period.end)
    key = figures.key_figures
    return [
        Table(
            _("Key figures"),
            [_("Figure"), shown],
            [[_(label), getattr(key, name)] for name, label in FIGURE_LABELS.items()],
        ),
        Table(
            _("Partners by stage (today)"),
            [_("Engagement stage"), _("Partners")],
            [[stage.label(), count] for stage, count in figures.by_stage],
        ),
        Table(
            _("Training per quarter"),
            [_("Quarter"), _("Sessions"), _("Participants")],
            [
                [
                    _("{year} Q{quarter}").format(year=q.year, quarter=q.quarter),
                    q.sessions,
                    q.participants,
                ]
                for q in figures.per_quarter
            ],
        ),
        Table(
            _("Participants by gender"),
            [_("Gender"), _("Participants")],
            [[gender.label(), count] for gender, count in figures.by_gender],
        ),
    ]


class ReportsPage(Page):
    """Key figures for a period, as tables to read or to export to a workbook."""

    #: The figures of the period shown were counted and are on the page.
    loaded = Signal()

    def __init__(self, services: Services, edits: Edits, settings: Settings) -> None:
        super().__init__()
        self.services = services
        self.tables: list[Table] = []
        self.period: Period | None = None
        self._generation = 0
        self.follow_edits(edits)

        self.start = DateField()
        self.end = DateField()
        for field, name in ((self.start, _("From")), (self.end, _("To"))):
            field.setAccessibleName(name)
            field.focus_widget().setAccessibleName(name)
            field.edited.connect(self._on_period_edited)
        self.this_year_button = QPushButton(_("This year"))
        self.this_year_button.clicked.connect(self.show_this_year)
        self.last_year_button = QPushButton(_("Last year"))
        self.last_year_button.clicked.connect(self.show_last_year)
        self.export_button = QPushButton(_("Export to spreadsheet…"))
        self.export_button.setToolTip(_("Write these tables to an Excel workbook, a sheet each"))
        self.export_button.clicked.connect(self.export)
        self.period_error = error_label()
        self.state = QLabel()

        period_row = QHBoxLayout()
        for caption, field in ((_("From"), self.start), (_("To"), self.end)):
            label = QLabel(caption)
            label.setBuddy(field.focus_widget())
            period_row.addWidget(label)
            period_row.addWidget(field)
        period_row.addSpacing(12)
        period_row.addWidget(self.this_year_button)
        period_row.addWidget(self.last_year_button)
        period_row.addSpacing(12)
        period_row.addWidget(self.state)
        period_row.addStretch(1)
        period_row.addWidget(self.export_button)

        self.figures_table = FiguresTable()
        self.stage_table = FiguresTable()
        self.quarter_table = FiguresTable()
        self.gender_table = FiguresTable()
        self.captions = {view: caption_label("") for view in self.views()}
        self.no_training = note_label(_("No training session began in this period."))
        self.no_training.hide()
        columns = QHBoxLayout()
        columns.setSpacing(24)
        for views in (
            (self.figures_table, self.stage_table),
            (self.gender_table, self.quarter_table),
        ):
            column = QVBoxLayout()
            column.setSpacing(4)
            for view in views:
                column.addWidget(self.captions[view])
                column.addWidget(view)
                column.addSpacing(12)
            column.addStretch(1)
            columns.addLayout(column, 1)
        column.insertWidget(column.count() - 1, self.no_training)

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(title_label(_("Key figures for a period")))
        inner.addWidget(
            note_label(
                _(
                    "New partners, dialogues, training and certificates are counted within the "
                    "period; figures marked (today) count the records as they stand now."
                )
            )
        )
        inner.addLayout(period_row)
        inner.addWidget(self.period_error)
        inner.addSpacing(8)
        inner.addLayout(columns)
        inner.addSpacing(12)
        self.printing = ProgressReportPanel(services, lambda: self.period, WorkbookChooser)
        self.printing.written.connect(self.status_message)
        inner.addWidget(self.printing)
        self.reported: ReportedFiguresPanel | None = None
        if services.context.node.is_secretariat:
            self.reported = ReportedFiguresPanel(services)
            inner.addWidget(self.reported)
            self.reported.refresh()
        inner.addStretch(1)
        self.set_scrolling_content(content)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RELOAD_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.show_this_year()

    # The period.

    def set_period(self, start: dt.date, end: dt.date) -> None:
        """Show the figures from ``start`` to ``end`` (both included)."""
        for field, value in ((self.start, start), (self.end, end)):
            field.blockSignals(True)
            field.set_value(value)
            field.blockSignals(False)
        self._timer.stop()
        self.refresh()

    @Slot()
    def show_this_year(self) -> None:
        """The period from 1 January to 31 December of this year."""
        year = dt.date.today().year
        self.set_period(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @Slot()
    def show_last_year(self) -> None:
        """The period from 1 January to 31 December of last year."""
        year = dt.date.today().year - 1
        self.set_period(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @Slot()
    def _on_period_edited(self) -> None:
        self._timer.start()

    # Counting.

    def refresh(self) -> None:
        """Count the figures of the period shown again."""
        self._stale = False
        if self.reported is not None:
            self.reported.refresh()  # a bundle may have brought new ones
        self._generation += 1
        generation = self._generation
        try:
            period = Period(self.start.value(), self.end.value())
        except ValidationError as error:
            self.period = None
            self.period_error.setText(str(error))
            self.period_error.show()
            self.export_button.setEnabled(False)
            self.printing.setEnabled(False)
            self.state.clear()
            return
        self.period_error.hide()
        self.state.setText(_("Counting…"))
        services = self.services

        def done(figures: Figures) -> None:
            if generation == self._generation and isValid(self):  # the page may be gone
                self._show(figures, period)

        def failed(error: BaseException) -> None:
            if generation == self._generation and isValid(self):
                self.state.clear()
                show_error(self, _("Cannot count the figures"), str(error))

        run_query(lambda: count_figures(services, period), done, failed)

    def _show(self, figures: Figures, period: Period) -> None:
        self.period = period
        self.tables = figure_tables(figures, period)
        for view, table in zip(self.views(), self.tables, strict=True):
            self.captions[view].setText(table.title)
            view.show_table(table)
        self.quarter_table.setVisible(bool(figures.per_quarter))
        self.no_training.setVisible(not figures.per_quarter)
        self.state.clear()
        self.export_button.setEnabled(True)
        self.printing.setEnabled(True)
        self.loaded.emit()

    # Export.

    @Slot()
    def export(self) -> None:
        """Write the tables shown to an Excel workbook, one sheet per table."""
        period, tables = self.period, list(self.tables)
        if period is None or not tables:
            return
        suggested = _("key-figures-{start}-{end}.xlsx").format(start=period.start, end=period.end)
        path = WorkbookChooser.ask(self, _("Export the key figures"), suggested)
        if path is None:
            return

        def work(progress: Callable[[int, int], None]) -> int:
            return write_tables(path, tables, progress)

        def done(_rows: int) -> None:
            self.status_message.emit(_("Key figures written to {path}.").format(path=path))
            show_information(
                self,
                _("Export finished"),
                _("The key figures are in {path}, one sheet per table.").format(path=path),
            )

        Operation(self, work).success(done).with_progress(_("Exporting…")).run_in_background()

    def smoke_test(self) -> None:
        """Count last year's figures too."""
        self.show_last_year()

    def views(self) -> Sequence[FiguresTable]:
        """The tables on the page, in the order of ``tables``."""
        return (self.figures_table, self.stage_table, self.quarter_table, self.gender_table)
