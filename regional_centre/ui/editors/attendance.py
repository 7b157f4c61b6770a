"""What happened at a training session, participant by participant, and what it adds up to.

The attendance grid (a check box per person and day) and the test results
are small table models over the people seated in the session (registered or
confirmed), one row each, with their names in the row headers. A change in
a cell is saved at once through a function the editor passes in (so it goes
through ``Edits`` and Ctrl+Z undoes it); a refused change leaves the cell as
it was and the services' message is shown below the grid. When the editor
reads the session again, rows and columns that did not move keep their place,
so the current cell stays where the user left it. Below them: the certificates
of those who met the attendance rule, and the session's figures by group.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from babel.dates import format_skeleton
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from regional_centre.i18n import _, current_language, format_number, ngettext
from regional_centre.services.errors import ServiceError, ValidationError
from regional_centre.services.training import Registrant, SessionFigures, TrainingSessionRecord
from regional_centre.ui.editors.form import error_label
from regional_centre.ui.edits import Edits

Index = QModelIndex | QPersistentModelIndex
#: Saves one day of attendance: participation id, ISO day, present; whether it was saved.
MarkAttendance = Callable[[str, str, bool], bool]
#: Saves one field of a participation: id, field name, value as entered; whether it was saved.
SaveField = Callable[[str, str, Any], bool]


@contextmanager
def one_step(edits: Edits, text: str) -> Iterator[None]:
    """Edits made inside are undone and redone together; a group left empty leaves no step."""
    stack = edits.stack
    stack.beginMacro(text)
    try:
        yield
    finally:
        stack.endMacro()
        command = stack.command(stack.index() - 1)
        if command is not None and command.childCount() == 0:
            command.setObsolete(True)
            stack.undo()  # an obsolete step is dropped, not undone


def problem_text(error: ServiceError) -> str:
    """The messages of a refusal, one per line."""
    if isinstance(error, ValidationError):
        return "\n".join(dict.fromkeys(error.messages().values()))
    return str(error)


def short_day(iso: str) -> str:
    """A session day as a column heading ("Mon, Mar 1" in English)."""
    return format_skeleton("MMMEd", dt.date.fromisoformat(iso), locale=current_language())


class _ParticipantsModel(QAbstractTableModel):
    """Rows of seated participants, kept in place when the same people are shown again."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Registrant] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per seated participant."""
        return 0 if parent.isValid() else len(self.rows)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Names down the side; subclasses name the columns."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return self.rows[section].name if 0 <= section < len(self.rows) else None
        return self.column_title(section)

    def column_title(self, column: int) -> str | None:
        """The heading of ``column``."""
        raise NotImplementedError

    def participation_id(self, row: int) -> str:
        """The participation shown in ``row``."""
        return self.rows[row].participation.id

    def replace_rows(self, rows: list[Registrant]) -> None:
        """Show ``rows``; keep the model (and the current cell) if the same people are shown."""
        if [r.participation.id for r in rows] != [r.participation.id for r in self.rows]:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
            return
        self.rows = rows
        if rows:
            last = self.index(len(rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(rows) - 1)

    def _replace_participation(self, row: int, **fields: Any) -> None:
        registrant = self.rows[row]
        participation = dataclasses.replace(registrant.participation, **fields)
        self.rows[row] = dataclasses.replace(registrant, participation=participation)


class AttendanceModel(_ParticipantsModel):
    """Seated participants by the session's days: a check box per day, then how many they attended."""

    def __init__(self, mark: MarkAttendance, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mark = mark
        self.session: TrainingSessionRecord | None = None
        self.days: tuple[str, ...] = ()

    def show(
        self, session: TrainingSessionRecord | None, registrants: Sequence[Registrant]
    ) -> None:
        """Show the seated participants of ``session``."""
        rows = [r for r in registrants if r.seated] if session is not None else []
        days = session.days if session is not None else ()
        self.session = session
        if days == self.days:
            self.replace_rows(rows)
            return
        self.beginResetModel()
        self.days = days
        self.rows = rows
        self.endResetModel()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One column per day and one for the total."""
        return 0 if parent.isValid() else len(self.days) + 1

    def column_title(self, column: int) -> str | None:
        if 0 <= column < len(self.days):
            return short_day(self.days[column])
        return _("Attended") if column == len(self.days) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Days are check boxes; the total is read only."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() < len(self.days):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Whether the person came on a day; the total and whether it earns a certificate."""
        if not index.isValid() or self.session is None:
            return None
        registrant = self.rows[index.row()]
        attended = registrant.participation.days_attended
        if index.column() < len(self.days):
            day = self.days[index.column()]
            present = day in attended
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                text = _("{name} attended on {day}") if present else _("{name} absent on {day}")
                return text.format(name=registrant.name, day=short_day(day))
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.summary(attended)
        return None

    def summary(self, attended: tuple[str, ...]) -> str:
        """ "2 of 3 days" and whether that meets the attendance rule."""
        assert self.session is not None
        count = self.session.days_attended_of(attended)
        days = ngettext("{attended} of {days} day", "{attended} of {days} days", len(self.days))
        days = days.format(attended=count, days=len(self.days))
        if self.session.meets_attendance_rule(attended):
            return _("{days} — meets the attendance rule").format(days=days)
        return _("{days} — {needed} needed").format(days=days, needed=self.session.days_needed())

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Mark or clear a day (saved at once)."""
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() >= len(self.days)
        ):
            return False
        present = Qt.CheckState(value) == Qt.CheckState.Checked
        row, day = index.row(), self.days[index.column()]
        if not self._mark(self.participation_id(row), day, present):
            return False
        if row < len(self.rows):  # the editor may have shown the saved record already
            days = set(self.rows[row].participation.days_attended)
            days = days | {day} if present else days - {day}
            self._replace_participation(row, days_attended=tuple(sorted(days)))
        self.dataChanged.emit(index, self.index(index.row(), len(self.days)))
        return True

    def meeting_rule(self) -> int:
        """How many of the rows meet the attendance rule."""
        if self.session is None:
            return 0
        session = self.session
        return sum(session.meets_attendance_rule(r.participation.days_attended) for r in self.rows)


def grid_view(model: QAbstractTableModel, name: str) -> QTableView:
    """A table over a participants' grid: one cell at a time, names in the row headers."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class AttendancePanel(QWidget):
    """The attendance grid with what it adds up to."""

    def __init__(self, mark: MarkAttendance) -> None:
        super().__init__()
        self.model = AttendanceModel(mark, self)
        self.view = grid_view(self.model, "attendance_grid")
        self.view.setAccessibleName(_("Attendance"))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        hint = QLabel(
            _("Space marks or clears the current day; the arrow keys move between cells.")
        )
        hint.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.problem = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.summary)
        self.model.modelReset.connect(self._show_summary)
        self.model.dataChanged.connect(self._show_summary)

    def show_session(
        self, session: TrainingSessionRecord | None, registrants: Sequence[Registrant]
    ) -> None:
        """Show the seated participants of ``session``; start on the first cell."""
        self.model.show(session, registrants)
        if not self.view.currentIndex().isValid() and self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def show_problem(self, message: str) -> None:
        """Say why a change was refused ('' hides the message)."""
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    def _show_summary(self, *_args: Any) -> None:
        session = self.model.session
        if session is None or not self.model.rowCount():
            self.summary.setText(_("No one is registered or confirmed yet."))
            return
        rows = self.model.rowCount()
        text = ngettext(
            "{meeting} of {count} participant meets the attendance rule ({needed} of {days} days).",
            "{meeting} of {count} participants meet the attendance rule ({needed} of {days} days).",
            rows,
        )
        self.summary.setText(
            text.format(
                meeting=self.model.meeting_rule(),
                count=rows,
                needed=session.days_needed(),
                days=len(session.days),
            )
        )


SCORE_FIELDS = (
    "pre_test_score",
    "post_test_score",
    None,
    "evaluation_rating",
    "evaluation_comments",
)


class ScoresModel(_ParticipantsModel):
    """Seated participants' pre- and post-test scores, their gain, rating and comments."""

    def __init__(self, save: SaveField, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._save = save

    def show(self, registrants: Sequence[Registrant]) -> None:
        """Show the seated participants."""
        self.replace_rows([r for r in registrants if r.seated])

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Pre-test, post-test, gain, rating, comments."""
        return 0 if parent.isValid() else len(SCORE_FIELDS)

    def column_title(self, column: int) -> str | None:
        titles = (_("Pre-test"), _("Post-test"), _("Gain"), _("Rating (1–5)"), _("Comments"))
        return titles[column] if 0 <= column < len(titles) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Everything but the gain can be edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if SCORE_FIELDS[index.column()] is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _value(self, row: int, column: int) -> Any:
        participation = self.rows[row].participation
        field = SCORE_FIELDS[column]
        if field is not None:
            return getattr(participation, field)
        pre, post = participation.pre_test_score, participation.post_test_score
        return post - pre if pre is not None and post is not None else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Scores as the language writes numbers; the plain value to edit."""
        if not index.isValid():
            return None
        value = self._value(index.row(), index.column())
        if role == Qt.ItemDataRole.EditRole:
            return "" if value is None else str(value)
        if role != Qt.ItemDataRole.DisplayRole or value is None or value == "":
            return None
        if isinstance(value, str):
            return value.strip().split("\n", 1)[0]
        if SCORE_FIELDS[index.column()] is None:
            return ("+" if value > 0 else "") + format_number(value)
        return format_number(value)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Save what was typed in a cell (at once)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        field = SCORE_FIELDS[index.column()]
        if field is None:
            return False
        text = str(value or "").strip()
        entered: Any = text if field == "evaluation_comments" else (text or None)
        return self._save(self.participation_id(index.row()), field, entered)


class ScoresPanel(QWidget):
    """Test scores and evaluations of each participant, with the session's averages below."""

    def __init__(self, save: SaveField) -> None:
        super().__init__()
        self.model = ScoresModel(save, self)
        self.view = grid_view(self.model, "scores_grid")
        self.view.setAccessibleName(_("Tests and evaluation"))
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        hint = QLabel(_("Type a score (0 to 100) or a rating (1 to 5) in a cell; Enter saves it."))
        hint.setWordWrap(True)
        self.problem = error_label()
        self.averages = QLabel()
        self.averages.setObjectName("averages")
        self.averages.setWordWrap(True)
        self.averages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.averages)

    def show_scores(
        self, registrants: Sequence[Registrant], figures: SessionFigures | None
    ) -> None:
        """Show each seated participant's results and the averages."""
        self.model.show(registrants)
        self.averages.setText(averages_text(figures))

    def show_problem(self, message: str) -> None:
        """Say why a value was refused ('' hides the message)."""
        self.problem.setText(message)
        self.problem.setVisible(bool(message))


def averages_text(figures: SessionFigures | None) -> str:
    """The average scores, the gain between them and the average rating."""
    if figures is None:
        return ""
    pre, post = figures.pre_test_average, figures.post_test_average
    lines = [
        _("Average pre-test score: {score}").format(score=_number_or_dash(pre)),
        _("Average post-test score: {score}").format(score=_number_or_dash(post)),
    ]
    if pre is not None and post is not None:
        gain = post - pre
        sign = "+" if gain > 0 else ""
        lines.append(_("Gain: {sign}{gain} points").format(sign=sign, gain=format_number(gain)))
    lines.append(
        _("Average rating: {rating}").format(rating=_number_or_dash(figures.rating_average))
    )
    return "\n".join(lines)


def _number_or_dash(value: decimal.Decimal | None) -> str:
    return format_number(value) if value is not None else "—"
