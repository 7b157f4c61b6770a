"""The dashboard: the centre's key figures for a chosen period, and charts of them.

The figures are counted by the database (``services.statistics``, which says
what "in the period" means for each) on a background thread; the page reads
them again when the period changes, on F5, and shortly after any edit while it
is shown (once it is shown again, when the edit happened elsewhere). A tile or
chart bar with a list behind it asks the window to open that list filtered to
the records it counts (``filter_requested``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import ActivityStatus, EngagementStage, Gender
from regional_centre.i18n import N_, _, format_day, format_number
from regional_centre.services import Services
from regional_centre.services.errors import ServiceError, ValidationError
from regional_centre.services.listing import Kind
from regional_centre.services.reference import ISIC
from regional_centre.services.statistics import (
    OTHER,
    KeyFigures,
    Period,
    QuarterFigures,
    StatisticsService,
)
from regional_centre.ui.charts import (
    MINIMUM_HEIGHT,
    BarChart,
    FigureTile,
    PieChart,
    Series,
    TitledPanel,
)
from regional_centre.ui.editors.fields import DateField
from regional_centre.ui.edits import Edits
from regional_centre.ui.operations import run_query
from regional_centre.ui.pages.base import Page
from regional_centre.ui.settings import DASHBOARD_PERIOD, Option, Settings

log = logging.getLogger(__name__)

#: The first and last day of the custom period (JSON: {"start": "2027-01-01", "end": null}).
CUSTOM_PERIOD: Option[str] = Option("dashboard/custom", str, "")
REFRESH_DELAY_MS = 300
# How wide (in pixels) a sector's name may be on the chart's axis; the tooltip has it all.
SECTOR_LABEL_WIDTH = 190

PERIODS = (
    ("year", N_("This year")),
    ("last_year", N_("Last year")),
    ("last_12_months", N_("Last 12 months")),
    ("all", N_("All time")),
    ("custom", N_("Custom period")),
)


def period_of(
    choice: str, today: dt.date, start: dt.date | None = None, end: dt.date | None = None
) -> Period:
    """The days a choice of ``PERIODS`` covers on ``today`` (custom: ``start`` to ``end``)."""
    if choice == "last_year":
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    if choice == "last_12_months":
        try:
            year_before = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_before = today.replace(year=today.year - 1, day=28)
        return Period(year_before + dt.timedelta(days=1), today)
    if choice == "all":
        return Period()
    if choice == "custom":
        return Period(start, end)
    return Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))


def quarter_days(year: int, quarter: int, period: Period) -> tuple[dt.date, dt.date]:
    """The days of a quarter that lie in ``period``."""
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    last = after - dt.timedelta(days=1)
    if period.start is not None:
        first = max(first, period.start)
    if period.end is not None:
        last = min(last, period.end)
    return first, last


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard shows for one period."""

    period: Period
    key: KeyFigures
    stages: list[tuple[EngagementStage, int]]
    sectors: list[tuple[str | None, int]]
    quarters: list[QuarterFigures]
    genders: list[tuple[Gender, int]]
    activities: list[tuple[ActivityStatus, int]]
    outcomes: list[tuple[str, str, decimal.Decimal, int]]


def read_figures(statistics: StatisticsService, period: Period) -> Figures:
    """Count everything the dashboard shows (runs off the GUI thread)."""
    return Figures(
        period=period,
        key=statistics.key_figures(period),
        stages=statistics.partners_by_stage(),
        sectors=statistics.partners_by_sector(),
        quarters=statistics.trainings_per_quarter(period),
        genders=statistics.participants_by_gender(period),
        activities=statistics.activities_by_status(period),
        outcomes=statistics.outcomes_by_indicator(period),
    )


@dataclass(frozen=True)
class TileSpec:
    """A key figure: its field of ``KeyFigures``, caption, what it counts, and its list."""

    key: str
    caption: str
    description: str
    kind: Kind | None = None
    dated: bool = False  # the list is narrowed to the period's dates
    overdue_only: bool = False


TILES = (
    TileSpec("partners", N_("Partners"), N_("Partners (not SMEs) as they stand today."), Kind.PARTNERS),
    TileSpec("new_partners", N_("New partners"), N_("Partners added in the period."), Kind.PARTNERS, dated=True),
    TileSpec("smes", N_("SMEs"), N_("SMEs as they stand today."), Kind.SMES),
    TileSpec("dialogues", N_("Scoping dialogues"), N_("Dialogues held in the period."), Kind.DIALOGUES, dated=True),
    TileSpec("partnerships", N_("Partnerships"), N_("Signed or active partnerships, today."), Kind.PARTNERSHIPS),
    TileSpec("activities", N_("Joint activities"), N_("Joint activities under way during the period."), Kind.ACTIVITIES, dated=True),
    TileSpec("sessions", N_("Training sessions"), N_("Sessions that began in the period, not cancelled."), Kind.SESSIONS, dated=True),
    TileSpec("participants", N_("Participants"), N_("Registered or confirmed participants of those sessions."), Kind.CONTACTS, dated=True),
    TileSpec("certificates", N_("Certificates"), N_("Certificates issued in the period.")),
    TileSpec("overdue_actions", N_("Overdue follow-ups"), N_("Open follow-up actions past their due date, today."), Kind.DIALOGUES, overdue_only=True),
)  # fmt: skip


class PeriodBar(QWidget):
    """Chooses the period the figures cover; the choice is kept in the settings."""

    #: The user chose another period (or changed the custom one's dates).
    changed = Signal()

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings
        self.choice = QComboBox()
        self.choice.setObjectName("period")
        self.choice.setAccessibleName(_("Period"))
        for key, title in PERIODS:
            self.choice.addItem(_(title), key)
        label = QLabel(_("&Period:"))
        label.setBuddy(self.choice)
        self.start = DateField(optional=True)
        self.end = DateField(optional=True)
        self.start.setAccessibleName(_("First day"))
        self.start.focus_widget().setAccessibleName(_("First day"))
        self.end.setAccessibleName(_("Last day"))
        self.end.focus_widget().setAccessibleName(_("Last day"))
        self.custom = QWidget()
        custom = QHBoxLayout(self.custom)
        custom.setContentsMargins(0, 0, 0, 0)
        for caption, field in ((_("From"), self.start), (_("To"), self.end)):
            buddy = QLabel(caption)
            buddy.setBuddy(field.focus_widget())
            custom.addWidget(buddy)
            custom.addWidget(field)
        self.summary = QLabel()
        self.summary.setObjectName("period_summary")
        self.problem = QLabel()
        self.problem.setObjectName("period_problem")
        self.problem.setStyleSheet("color: #c62828")
        self.problem.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.choice)
        layout.addWidget(self.custom)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        chosen = settings.get(DASHBOARD_PERIOD)
        self.choice.setCurrentIndex(max(self.choice.findData(chosen), 0))
        stored = settings.get_json(CUSTOM_PERIOD, {})
        stored = stored if isinstance(stored, dict) else {}
        for field, name in ((self.start, "start"), (self.end, "end")):
            try:
                field.set_value(stored.get(name))
            except ValueError:
                field.set_value(None)
        self._update()
        self.choice.currentIndexChanged.connect(self._on_choice_current_index_changed)
        self.start.edited.connect(self._on_dates_edited)
        self.end.edited.connect(self._on_dates_edited)

    def key(self) -> str:
        """The key of the chosen entry of ``PERIODS``."""
        return str(self.choice.currentData())

    def set_key(self, key: str) -> None:
        """Choose the entry of ``PERIODS`` with ``key``."""
        self.choice.setCurrentIndex(self.choice.findData(key))

    def period(self, today: dt.date | None = None) -> Period | None:
        """The period chosen; None while the custom dates make no period."""
        try:
            return period_of(
                self.key(), today or dt.date.today(), self.start.value(), self.end.value()
            )
        except ValidationError:
            return None

    def _update(self) -> None:
        self.custom.setVisible(self.key() == "custom")
        period = self.period()
        self.problem.setVisible(period is None)
        self.summary.setVisible(period is not None)
        if period is None:
            self.problem.setText(_("The period ends before it starts."))
            return
        if period.start and period.end:
            text = _("{start} – {end}").format(
                start=format_day(period.start), end=format_day(period.end)
            )
        elif period.start:
            text = _("from {start}").format(start=format_day(period.start))
        elif period.end:
            text = _("until {end}").format(end=format_day(period.end))
        else:
            text = _("all records")
        self.summary.setText(text if self.key() != "custom" else "")

    @Slot(int)
    def _on_choice_current_index_changed(self, _index: int) -> None:
        self._settings.set(DASHBOARD_PERIOD, self.key())
        self._update()
        self.changed.emit()

    @Slot()
    def _on_dates_edited(self) -> None:
        start, end = self.start.value(), self.end.value()
        self._settings.set_json(
            CUSTOM_PERIOD,
            {
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
            },
        )
        self._update()
        self.changed.emit()


class DashboardPage(Page):
    """Key figures and charts of the chosen period; tiles and bars open the lists behind them."""

    #: Open a list with only these filters applied: the list's kind (a ``Kind`` value) and
    #: ``ListQuery`` field values (e.g. ``{"engagement_stage": "dialogue"}``).
    filter_requested = Signal(str, dict)
    #: The figures of the chosen period are shown.
    loaded = Signal()

    def __init__(self, services: Services, edits: Edits, settings: Settings) -> None:
        super().__init__()
        self.services = services
        self.figures: Figures | None = None
        self._generation = 0
        self._stale = False
        self.period_bar = PeriodBar(settings)
        self.message = QLabel()
        self.message.setObjectName("dashboard_message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.tiles: dict[str, FigureTile] = {}
        tiles = QGridLayout()
        for number, spec in enumerate(TILES):
            tile = FigureTile(_(spec.caption), _(spec.description), clickable=spec.kind is not None)
            tile.setObjectName(f"tile_{spec.key}")
            tile.activated.connect(lambda spec=spec: self._on_tile_activated(spec))
            tiles.addWidget(tile, number // 5, number % 5)
            self.tiles[spec.key] = tile
        self.stages = BarChart(_("Partners by engagement stage"), horizontal=True, clickable=True)
        self.sectors = BarChart(_("Partners by sector"), horizontal=True, clickable=True)
        self.quarters = BarChart(_("Training per quarter"), clickable=True)
        self.genders = PieChart(_("Participants by gender"))
        self.activities = BarChart(_("Joint activities by status"), horizontal=True, clickable=True)
        self.stages.bar_clicked.connect(self._on_stages_bar_clicked)
        self.sectors.bar_clicked.connect(self._on_sectors_bar_clicked)
        self.quarters.bar_clicked.connect(self._on_quarters_bar_clicked)
        self.activities.bar_clicked.connect(self._on_activities_bar_clicked)
        self.genders.slice_clicked.connect(self._on_genders_slice_clicked)
        self.outcomes = QTableWidget(0, 3)
        self.outcomes.setObjectName("outcomes_table")
        self.outcomes.setAccessibleName(_("Outcomes of joint activities"))
        self.outcomes.setHorizontalHeaderLabels([_("Indicator"), _("Total"), _("Activities")])
        self.outcomes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.outcomes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.outcomes.verticalHeader().hide()
        self.outcomes.setWordWrap(False)
        header = self.outcomes.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.outcomes.setMinimumHeight(MINIMUM_HEIGHT)
        outcomes = TitledPanel(_("Outcomes of joint activities"))
        outcomes.box.addWidget(self.outcomes, 1)
        charts = QGridLayout()
        panels: list[QWidget] = [
            self.stages,
            self.sectors,
            self.quarters,
            self.genders,
            self.activities,
            outcomes,
        ]
        names = ("stages", "sectors", "quarters", "genders", "activities", "outcomes")
        for number, (name, panel) in enumerate(zip(names, panels, strict=True)):
            panel.setObjectName(f"{name}_panel")
            charts.addWidget(panel, number // 2, number % 2)
        charts.setColumnStretch(0, 1)
        charts.setColumnStretch(1, 1)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addLayout(tiles)
        column.addLayout(charts)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.period_bar)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll_area, 1)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self.period_bar.changed.connect(self._refresh_timer.start)
        self.follow_edits(edits)
        self.refresh()

    # Reading.

    def refresh(self) -> None:
        """Count the figures of the chosen period again (in the background)."""
        self._refresh_timer.stop()
        self._stale = False
        period = self.period_bar.period()
        if period is None:
            return
        self._generation += 1
        generation = self._generation
        statistics = self.services.statistics
        run_query(
            lambda: read_figures(statistics, period),
            lambda figures: self._on_figures_read(generation, figures),
            lambda error: self._on_figures_failed(generation, error),
        )

    def _on_figures_read(self, generation: int, figures: Figures) -> None:
        if generation == self._generation:
            self.show_figures(figures)

    def _on_figures_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(error, ServiceError):
            log.error("the dashboard's figures could not be read", exc_info=error)
        self.message.setText(
            _("The figures could not be read: {error}. Press F5 to try again.").format(error=error)
        )
        self.message.show()

    def smoke_test(self) -> None:
        """Count and draw the figures at once, without the background thread."""
        period = self.period_bar.period() or Period()
        self._generation += 1
        self.show_figures(read_figures(self.services.statistics, period))

    def refresh_soon(self) -> None:
        """Refresh once edits have paused (several arrive together after an undo)."""
        self._refresh_timer.start()

    # Showing.

    def show_figures(self, figures: Figures) -> None:
        """Show ``figures`` in the tiles, charts and table."""
        self.figures = figures
        self.message.hide()
        for key, tile in self.tiles.items():
            tile.set_value(getattr(figures.key, key))
        self.stages.show_bars(
            [stage.label() for stage, _count in figures.stages],
            [Series(_("Partners"), [count for _stage, count in figures.stages])],
        )
        self._show_sectors(figures.sectors)
        self.quarters.show_bars(
            [
                _("{year} Q{quarter}").format(year=q.year, quarter=q.quarter)
                for q in figures.quarters
            ],
            [Series(_("Sessions"), [q.sessions for q in figures.quarters])],
            line=Series(_("Participants"), [q.participants for q in figures.quarters]),
        )
        self.genders.show_slices(
            [
                (_("{gender}: {count}").format(gender=g.label(), count=format_number(n)), n)
                for g, n in figures.genders
            ]
        )
        self.activities.show_bars(
            [status.label() for status, _count in figures.activities],
            [Series(_("Joint activities"), [count for _status, count in figures.activities])],
        )
        self._show_outcomes(figures.outcomes)
        self.loaded.emit()

    def _sector_title(self, code: str | None) -> str:
        if code is None:
            return _("No sector")
        if code == OTHER:
            return _("Other sectors")
        entry = self.services.reference.codes(ISIC).get(code)
        return f"{code} {entry.title}" if entry is not None else code

    def _show_sectors(self, sectors: list[tuple[str | None, int]]) -> None:
        metrics = QFontMetrics(self.font())
        titles = [self._sector_title(code) for code, _count in sectors]
        self.sectors.show_bars(
            [
                metrics.elidedText(t, Qt.TextElideMode.ElideRight, SECTOR_LABEL_WIDTH)
                for t in titles
            ],
            [Series(_("Partners"), [count for _code, count in sectors])],
            hints=titles,
        )

    def _show_outcomes(self, outcomes: list[tuple[str, str, decimal.Decimal, int]]) -> None:
        self.outcomes.setRowCount(len(outcomes))
        for row, (indicator, unit, total, activities) in enumerate(outcomes):
            amount = _("{value} {unit}").format(value=format_number(total), unit=unit).strip()
            cells = (indicator, amount, format_number(activities))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter
                    )
                self.outcomes.setItem(row, column, item)
        if not outcomes:
            self.outcomes.setRowCount(1)
            item = QTableWidgetItem(_("No outcomes recorded for this period."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.outcomes.setItem(0, 0, item)

    # Opening lists.

    def _request(self, kind: Kind, **filters: Any) -> None:
        self.filter_requested.emit(
            kind.value, {name: value for name, value in filters.items() if value is not None}
        )

    def _period(self) -> Period:
        return self.figures.period if self.figures is not None else Period()

    def _on_tile_activated(self, spec: TileSpec) -> None:
        if spec.kind is None:
            return
        period = self._period()
        filters: dict[str, Any] = {}
        if spec.dated:
            filters |= {"date_from": period.start, "date_to": period.end}
        if spec.overdue_only:
            filters["overdue_only"] = True
        self._request(spec.kind, **filters)

    @Slot(int, int)
    def _on_stages_bar_clicked(self, _series: int, index: int) -> None:
        if self.figures is not None:
            stage, _count = self.figures.stages[index]
            self._request(Kind.PARTNERS, engagement_stage=stage.value)

    @Slot(int, int)
    def _on_sectors_bar_clicked(self, _series: int, index: int) -> None:
        if self.figures is None:
            return
        code, _count = self.figures.sectors[index]
        if code is not None and code != OTHER:  # no filter finds "no sector" or "the rest"
            self._request(Kind.PARTNERS, sector=code)

    @Slot(int, int)
    def _on_quarters_bar_clicked(self, _series: int, index: int) -> None:
        if self.figures is not None:
            quarter = self.figures.quarters[index]
            first, last = quarter_days(quarter.year, quarter.quarter, self.figures.period)
            self._request(Kind.SESSIONS, date_from=first, date_to=last)

    @Slot(int)
    def _on_genders_slice_clicked(self, index: int) -> None:
        if self.figures is not None:
            gender, _count = self.figures.genders[index]
            period = self.figures.period
            self._request(
                Kind.CONTACTS, gender=gender.value, date_from=period.start, date_to=period.end
            )

    @Slot(int, int)
    def _on_activities_bar_clicked(self, _series: int, index: int) -> None:
        if self.figures is not None:
            status, _count = self.figures.activities[index]
            period = self.figures.period
            self._request(
                Kind.ACTIVITIES, status=status.value, date_from=period.start, date_to=period.end
            )
