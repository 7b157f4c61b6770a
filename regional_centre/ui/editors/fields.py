"""The input widgets of record forms: one per kind of value, each with ``value``/``set_value``.

Values go to the services as entered (numbers and dates as text where the
user typed them): the services check and convert them, so every rule and
every message lives in one place.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import Choice
from regional_centre.i18n import _
from regional_centre.services import Services
from regional_centre.services.listing import Kind

NO_DATE = QDate(1900, 1, 1)


class FieldEditor(QWidget):
    """A form field: shows a value and gives back what the user entered."""

    #: The user changed the value.
    edited = Signal()

    def value(self) -> Any:
        """What the user entered, as the services take it."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value``."""
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The widget that takes the keyboard focus for this field."""
        return self


class _Single(FieldEditor):
    """A field made of one inner widget."""

    def __init__(self, inner: QWidget) -> None:
        super().__init__()
        self.inner = inner
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(inner)
        self.setFocusProxy(inner)

    def focus_widget(self) -> QWidget:
        return self.inner


class LineField(_Single):
    """One line of text; ``optional_number`` gives None for an empty entry."""

    def __init__(self, *, empty_is_none: bool = False, placeholder: str = "") -> None:
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder)
        super().__init__(self.line)
        self._empty_is_none = empty_is_none
        self.line.textEdited.connect(self.edited)

    def value(self) -> Any:
        text = self.line.text()
        return None if self._empty_is_none and not text.strip() else text

    def set_value(self, value: Any) -> None:
        if isinstance(value, decimal.Decimal):  # 279000, not 279000.0000
            value = format(value.normalize(), "f")
        self.line.setText("" if value is None else str(value))
        self.line.setCursorPosition(0)  # a long text shows its beginning


class TextField(_Single):
    """Several lines of free text."""

    def __init__(self) -> None:
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(110)
        super().__init__(self.text)
        self.text.textChanged.connect(self.edited)

    def value(self) -> Any:
        return self.text.toPlainText()

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.text):
            self.text.setPlainText("" if value is None else str(value))


class LinesField(TextField):
    """A list of short texts, one per line (topics, trainers)."""

    def value(self) -> Any:
        return tuple(line.strip() for line in self.text.toPlainText().splitlines() if line.strip())

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.text):
            self.text.setPlainText("\n".join(value or ()))


def entry_text(code: str, title: str) -> str:
    """How a code list entry reads: short codes with their title ("Y8 Waste mineral oils"),
    word-like codes (``used_oils``) by their title alone."""
    if not title or title == code:
        return code
    return f"{code} {title}" if len(code) <= 5 else title


def line_of(combo: QComboBox) -> QLineEdit:
    """The line edit of an editable combo box."""
    line = combo.lineEdit()
    assert line is not None
    return line


def completer_of(combo: QComboBox) -> QCompleter:
    """The completer of an editable combo box."""
    completer = combo.completer()
    assert completer is not None
    return completer


def compact(combo: QComboBox) -> QComboBox:
    """A combo box that does not grow to its longest entry (long code titles, country names)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class ChoiceField(_Single):
    """One member of a closed vocabulary; optional fields offer 'not set'."""

    def __init__(self, choices: type[Choice], *, optional: bool = False) -> None:
        self.combo = compact(QComboBox())
        if optional:
            self.combo.addItem(_("(not set)"), None)
        for member in choices:
            self.combo.addItem(member.label(), member.value)
        super().__init__(self.combo)
        self._choices = choices
        self.combo.activated.connect(self.edited)

    def value(self) -> Any:
        data = self.combo.currentData()
        return None if data is None else self._choices(data)

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(None if value is None else str(value))
        self.combo.setCurrentIndex(max(index, 0))


class CodeField(_Single):
    """One code of a code list, picked by typing part of its name or code."""

    def __init__(self, entries: Iterable[tuple[str, str]], *, optional: bool = False) -> None:
        self.combo = compact(QComboBox())
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if optional:
            self.combo.addItem("", None)
        for code, title in entries:
            self.combo.addItem(entry_text(code, title), code)
        completer = completer_of(self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        super().__init__(self.combo)
        self.combo.currentIndexChanged.connect(self.edited)
        line_of(self.combo).textEdited.connect(self.edited)

    def value(self) -> Any:
        text = self.combo.currentText().strip()
        if not text:
            return None
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.combo.itemData(index)
        return text  # not in the list: the services say so next to the field

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value else -1
        if index < 0 and value:
            self.combo.setEditText(str(value))
            return
        self.combo.setCurrentIndex(index)
        if index < 0:
            self.combo.setEditText("")
        line_of(self.combo).setCursorPosition(0)


class CodesField(FieldEditor):
    """Several codes of a code list: a filter line over a list of check boxes."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Type to narrow the list"))
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMaximumHeight(120)
        for code, title in entries:
            item = QListWidgetItem(entry_text(code, title))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.setFocusProxy(self.filter)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.list.itemChanged.connect(self.edited)

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        needle = text.casefold().strip()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _items(self) -> Iterable[QListWidgetItem]:
        return (self.list.item(row) for row in range(self.list.count()))

    def value(self) -> Any:
        return tuple(
            item.data(Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        )

    def set_value(self, value: Any) -> None:
        chosen = set(value or ())
        with QSignalBlocker(self.list):
            for item in self._items():
                checked = item.data(Qt.ItemDataRole.UserRole) in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            # Checked codes first, so what is chosen shows without scrolling.
            for row in range(self.list.count()):
                if self.list.item(row).checkState() == Qt.CheckState.Checked:
                    self.list.insertItem(0, self.list.takeItem(row))

    def focus_widget(self) -> QWidget:
        return self.filter


class DateField(_Single):
    """A date with a calendar; optional fields can be left empty."""

    def __init__(self, *, optional: bool = False) -> None:
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self._optional = optional
        if optional:
            self.edit.setMinimumDate(NO_DATE)
            self.edit.setSpecialValueText(_("(no date)"))
        super().__init__(self.edit)
        self.edit.dateChanged.connect(self.edited)
        self.set_value(None)

    def value(self) -> Any:
        date = self.edit.date()
        if self._optional and date == NO_DATE:
            return None
        return dt.date(date.year(), date.month(), date.day())

    def set_value(self, value: Any) -> None:
        if isinstance(value, str) and value:
            value = dt.date.fromisoformat(value)
        if isinstance(value, dt.date):
            self.edit.setDate(QDate(value.year, value.month, value.day))
        elif self._optional:
            self.edit.setDate(NO_DATE)
        else:
            today = dt.date.today()
            self.edit.setDate(QDate(today.year, today.month, today.day))


class RecordField(_Single):
    """A link to another record, found by typing part of its name (searched in the database)."""

    def __init__(self, services: Services, kind: Kind, *, optional: bool = True) -> None:
        self.combo = compact(QComboBox())
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line_of(self.combo).setPlaceholderText(_("Type part of a name"))
        super().__init__(self.combo)
        self._services = services
        self._kind = kind
        self._optional = optional
        self.within: str | None = None
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.combo.setCompleter(completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._on_timer_timeout)
        line_of(self.combo).textEdited.connect(self._on_text_edited)
        self.combo.activated.connect(self.edited)
        self._reset_options("")

    @Slot(str)
    def _on_text_edited(self, _text: str) -> None:
        self._timer.start()
        self.edited.emit()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.search(self.combo.currentText())

    def search(self, text: str) -> None:
        """Offer the records matching ``text`` (keeps what the user typed)."""
        self._reset_options(text)
        self.combo.setEditText(text)
        completer_of(self.combo).setCompletionPrefix(text)
        if text.strip() and self.combo.hasFocus():
            completer_of(self.combo).complete()

    def _reset_options(self, text: str) -> None:
        options = self._services.lists.options(self._kind, text, within=self.within)
        with QSignalBlocker(self.combo):
            self.combo.clear()
            if self._optional:
                self.combo.addItem("", None)
            for option in options:
                self.combo.addItem(option.label, option.id)
        self._names.setStringList([o.label for o in options])

    def value(self) -> Any:
        text = self.combo.currentText().strip()
        if not text:
            return None
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:  # typed, not picked: look it up, keeping what the user sees
            self._reset_options(text)
            index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
            with QSignalBlocker(self.combo):
                if index >= 0:
                    self.combo.setCurrentIndex(index)
                else:
                    self.combo.setEditText(text)
        return self.combo.itemData(index) if index >= 0 else ""

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.combo):
            if not value:
                self._reset_options("")
                self.combo.setCurrentIndex(0 if self._optional else -1)
                self.combo.setEditText("")
                return
            index = self.combo.findData(value)
            if index < 0:
                label = self._services.lists.label(self._kind, value) or str(value)
                self.combo.addItem(label, value)
                index = self.combo.count() - 1
            self.combo.setCurrentIndex(index)
            line_of(self.combo).setCursorPosition(0)  # a long name shows its beginning

    def choose(self, record_id: str) -> None:
        """Pick a record (as if the user had chosen it)."""
        self.set_value(record_id)
        self.edited.emit()


def code_entries(codes: Sequence[Any]) -> list[tuple[str, str]]:
    """(code, title) pairs of the current (not retired) entries of a code list."""
    return [(c.code, c.title) for c in codes if not c.retired]
