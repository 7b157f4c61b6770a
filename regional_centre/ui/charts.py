"""Pictures of numbers for the dashboard: figure tiles, and charts (QtCharts) of bars, bars
with a line, and pies.

Every chart sits in a ``ChartPanel``: a title above it and a note in its place
when there is nothing to show. Charts draw on a transparent background with
text in the colours of the application's palette, so they read in light and
dark mode alike; they never animate, and they mirror for right-to-left
languages (bars grow from the right, time runs from right to left).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QAbstractSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QKeyEvent, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QStackedLayout, QToolTip, QVBoxLayout

from regional_centre.i18n import _, format_number

T = TypeVar("T")

#: The height below which a chart's labels start to crowd each other.
MINIMUM_HEIGHT = 260
#: Colours of the series, one after the other: readable on light and dark backgrounds alike.
COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
# More categories than this and the labels of a vertical bar chart's axis are turned upright.
UPRIGHT_LABELS_FROM = 8


@dataclass(frozen=True)
class Series:
    """A named run of values, one per category."""

    name: str
    values: Sequence[float]


class TitledPanel(QFrame):
    """A framed box with a bold title over its content."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.box = QVBoxLayout(self)
        self.box.addWidget(self.title)


class ChartPanel(TitledPanel):
    """A titled chart, or a note saying there is nothing to show."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.chart = self._new_chart()
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(MINIMUM_HEIGHT)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setStyleSheet("background: transparent")
        self.view.setAccessibleName(title)
        self.empty = QLabel(_("Nothing to show for this period."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMinimumHeight(MINIMUM_HEIGHT)
        self.empty.setEnabled(False)
        self._stack = QStackedLayout()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty)
        self.box.addLayout(self._stack, 1)

    def _new_chart(self) -> QChart:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        chart.setLocalizeNumbers(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        return chart

    def reset(self) -> QChart:
        """A new, empty chart in place of the one shown (the old one is deleted)."""
        old = self.chart
        self.chart = self._new_chart()
        self.view.setChart(self.chart)
        old.deleteLater()
        return self.chart

    def show_chart(self, description: str) -> None:
        """Show the chart built on ``chart``; ``description`` reads it out to screen readers."""
        self.restyle()
        self.view.setAccessibleDescription(description)
        self._stack.setCurrentWidget(self.view)

    def show_empty(self) -> None:
        """Show the note that there is nothing to show instead of the chart."""
        self.reset()
        self.view.setAccessibleDescription(self.empty.text())
        self._stack.setCurrentWidget(self.empty)

    @property
    def is_empty(self) -> bool:
        """Whether the panel shows its note rather than a chart."""
        return self._stack.currentWidget() is self.empty

    def right_to_left(self) -> bool:
        """Whether the chart is mirrored for a right-to-left language."""
        return self.layoutDirection() == Qt.LayoutDirection.RightToLeft

    def restyle(self) -> None:
        """Give the chart's text and lines the colours of the current palette."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(40)
        line = QColor(text)
        line.setAlpha(120)
        chart = self.chart
        chart.setTitleBrush(text)
        chart.legend().setLabelColor(text)
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setTitleBrush(text)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(line)
        for series in chart.series():
            if isinstance(series, QAbstractBarSeries):
                for bar_set in series.barSets():
                    bar_set.setLabelColor(text)
            elif isinstance(series, QPieSeries):
                for piece in series.slices():
                    piece.setLabelColor(text)
                    piece.setBorderColor(palette.color(QPalette.ColorRole.Window))

    def changeEvent(self, event: QEvent) -> None:
        """Follow a change between light and dark mode."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()


class BarChart(ChartPanel):
    """Bars per category, side by side when there are several series, optionally with a line.

    Horizontal charts list their categories from the top down; vertical ones
    from left to right (right to left in a right-to-left language).
    """

    #: The user clicked a bar: index of its series, index of its category.
    bar_clicked = Signal(int, int)

    def __init__(self, title: str, *, horizontal: bool = False, clickable: bool = False) -> None:
        super().__init__(title)
        self.horizontal = horizontal
        self.clickable = clickable
        self.categories: list[str] = []
        self.sets: list[QBarSet] = []
        self.line: QLineSeries | None = None
        self._hints: list[str] = []
        self._flipped = False

    def show_bars(
        self,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        line: Series | None = None,
        hints: Sequence[str] = (),
    ) -> None:
        """Draw ``series`` as bars over ``categories`` (and ``line`` on its own scale).

        ``hints`` are the full names of the categories for tooltips, when the
        labels are shortened.
        """
        self.categories = list(categories)
        self._hints = list(hints) or self.categories
        self.sets = []
        self.line = None
        if not categories:
            self.show_empty()
            return
        chart = self.reset()
        mirrored = self.right_to_left()
        # Bar series ignore a reversed category axis: the data is laid out in the order shown,
        # the first category on top (horizontal) or where reading starts (vertical).
        self._flipped = self.horizontal or mirrored
        shown = self._shown
        bars: QAbstractBarSeries = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        for number, values in enumerate(series):
            bar_set = QBarSet(values.name)
            bar_set.append([float(v) for v in shown(values.values)])
            bar_set.setColor(QColor(COLOURS[number % len(COLOURS)]))
            bar_set.setBorderColor(QColor(COLOURS[number % len(COLOURS)]))
            bar_set.clicked.connect(lambda index, n=number: self._on_bar_set_clicked(n, index))
            bar_set.hovered.connect(
                lambda state, index, n=number: self._on_bar_set_hovered(n, state, index)
            )
            bars.append(bar_set)
            self.sets.append(bar_set)
        bars.setLabelsVisible(True)
        bars.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        bars.setBarWidth(0.7 if len(series) == 1 else 0.8)
        chart.addSeries(bars)
        chart.legend().setVisible(len(series) > 1 or line is not None)
        axis = QBarCategoryAxis()
        axis.append(shown(self.categories))
        axis.setGridLineVisible(False)
        top = max((max(s.values, default=0) for s in series), default=0)
        scale = self._value_axis(top)
        start, end = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        if self.horizontal:
            axis.setLineVisible(False)
            scale.setReverse(mirrored)
            scale.setVisible(False)  # the bars carry their numbers
            self._attach(bars, axis, end if mirrored else start)
            self._attach(bars, scale, Qt.AlignmentFlag.AlignBottom)
        else:
            if len(self.categories) > UPRIGHT_LABELS_FROM:
                axis.setLabelsAngle(-90)
            self._attach(bars, axis, Qt.AlignmentFlag.AlignBottom)
            self._attach(bars, scale, end if mirrored else start)
            if line is not None:
                scale.setTitleText(series[0].name)
                self.line = QLineSeries()
                self.line.setName(line.name)
                self.line.setColor(QColor(COLOURS[len(series) % len(COLOURS)]))
                self.line.setPointsVisible(True)
                for index, value in enumerate(shown(line.values)):
                    self.line.append(float(index), float(value))
                chart.addSeries(self.line)
                right = self._value_axis(max(line.values, default=0))
                right.setTitleText(line.name)
                self._attach(self.line, axis, Qt.AlignmentFlag.AlignBottom)
                self._attach(self.line, right, start if mirrored else end)
        summary = [
            f"{category}: "
            + ", ".join(f"{s.name} {s.values[i]:g}" for s in series)
            + (f", {line.name} {line.values[i]:g}" if line is not None else "")
            for i, category in enumerate(self._hints)
        ]
        self.show_chart("; ".join(summary))

    def _shown(self, values: Sequence[T]) -> list[T]:
        """``values`` in the order the chart lays them out."""
        return list(reversed(values)) if self._flipped else list(values)

    def index_of(self, position: int) -> int:
        """The index among the categories given of the bar at ``position`` in the chart."""
        return len(self.categories) - 1 - position if self._flipped else position

    def _attach(
        self, series: QAbstractSeries, axis: QBarCategoryAxis | QValueAxis, where: Qt.AlignmentFlag
    ) -> None:
        if axis not in self.chart.axes():
            self.chart.addAxis(axis, where)
        series.attachAxis(axis)

    @staticmethod
    def _value_axis(top: float) -> QValueAxis:
        axis = QValueAxis()
        # Room above the highest bar for its number; whole numbers on the ticks.
        axis.setRange(0, max(top * 1.15, 1))
        axis.applyNiceNumbers()
        axis.setLabelFormat("%.0f")
        axis.setMinorTickCount(0)
        return axis

    def _on_bar_set_clicked(self, series: int, position: int) -> None:
        if self.clickable:
            self.bar_clicked.emit(series, self.index_of(position))

    def _on_bar_set_hovered(self, series: int, state: bool, position: int) -> None:
        if not state:
            QToolTip.hideText()
            self.view.unsetCursor()
            return
        bar_set = self.sets[series]
        text = (
            f"{self._hints[self.index_of(position)]}\n{bar_set.label()}: {bar_set.at(position):g}"
        )
        if self.clickable:
            text += "\n" + _("Click to see the list.")
            self.view.setCursor(Qt.CursorShape.PointingHandCursor)
        QToolTip.showText(QCursor.pos(), text, self.view)


class PieChart(ChartPanel):
    """Shares of a whole, each slice labelled with its name and number."""

    #: The user clicked the slice at this index of the entries shown.
    slice_clicked = Signal(int)

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.slices: list[QPieSlice] = []

    def show_slices(self, entries: Sequence[tuple[str, float]]) -> None:
        """Draw one slice per (label, value); zero values get no slice."""
        self.slices = []
        if not any(value > 0 for _label, value in entries):
            self.show_empty()
            return
        chart = self.reset()
        series = QPieSeries()
        series.setPieSize(0.62)
        for number, (label, value) in enumerate(entries):
            if value <= 0:
                continue
            piece = series.append(label, float(value))
            piece.setColor(QColor(COLOURS[number % len(COLOURS)]))
            piece.setLabelVisible(True)
            piece.setLabelArmLengthFactor(0.12)
            piece.clicked.connect(lambda n=number: self.slice_clicked.emit(n))
            self.slices.append(piece)
        chart.addSeries(series)
        chart.legend().setVisible(False)
        self.show_chart("; ".join(label for label, value in entries if value > 0))


class FigureTile(QFrame):
    """One figure: a big number over its caption; a clickable tile opens what the figure counts."""

    #: The user clicked the tile (or pressed Space or Enter on it).
    activated = Signal()

    def __init__(self, caption: str, description: str, *, clickable: bool = False) -> None:
        super().__init__()
        self.clickable = clickable
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel("–")
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        if clickable:
            description += "\n" + _("Click to see the list.")
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(description)
        self.setAccessibleDescription(description)
        self.setAccessibleName(caption)

    def set_value(self, value: int) -> None:
        """Show ``value``."""
        self.number.setText(format_number(value))
        self.setAccessibleName(
            _("{caption}: {value}").format(caption=self.caption.text(), value=format_number(value))
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click on a clickable tile activates it."""
        if (
            self.clickable
            and event.button() == Qt.MouseButton.LeftButton
            and self.rect().contains(event.position().toPoint())
        ):
            self.activated.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space or Enter on a clickable tile activates it."""
        keys = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if self.clickable and event.key() in keys:
            self.activated.emit()
            return
        super().keyPressEvent(event)


__all__ = [
    "COLOURS",
    "MINIMUM_HEIGHT",
    "BarChart",
    "ChartPanel",
    "FigureTile",
    "PieChart",
    "Series",
    "TitledPanel",
]
