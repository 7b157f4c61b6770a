"""The search box and filters of a list page, and where its exports go."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from regional_centre.enums import Choice, EngagementStage, Gender, StakeholderType
from regional_centre.i18n import _, pgettext
from regional_centre.services import Services
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.services.reference import COUNTRY, ISIC
from regional_centre.ui.collation import sorted_by_text
from regional_centre.ui.editors.fields import ChoiceField, CodeField, DateField, code_entries
from regional_centre.ui.editors.organisations import waste_stream_entries


class FileChooser:
    """Asks where to save a file (tests patch ``ask``)."""

    @classmethod
    def ask(cls, parent: QWidget, title: str, suggested: str) -> Path | None:
        """The path the user chose, or None."""
        name, _filter = QFileDialog.getSaveFileName(
            parent,
            title,
            suggested,
            _("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"),
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() in (".xlsx", ".csv") else path.with_suffix(".xlsx")


class FilterBar(QWidget):
    """Search box and the filters that apply to one list."""

    #: The user changed the search text or a filter.
    changed = Signal()

    def __init__(self, services: Services, kind: Kind) -> None:
        super().__init__()
        applicable = services.lists.filters(kind)
        reference = services.reference
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Search names, acronyms, people and codes"))
        self.search.setAccessibleName(_("Search"))
        self.widgets: dict[str, Any] = {}
        countries = sorted_by_text(
            ((c, reference.country_name(c)) for c in reference.codes(COUNTRY)),
            lambda pair: pair[1],
        )
        makers: dict[str, Callable[[], Any]] = {
            "country": lambda: CodeField(countries, optional=True),
            "sector": lambda: CodeField(
                code_entries(list(reference.codes(ISIC).values())), optional=True
            ),
            "stakeholder_type": lambda: ChoiceField(StakeholderType, optional=True),
            "engagement_stage": lambda: ChoiceField(EngagementStage, optional=True),
            "gender": lambda: ChoiceField(Gender, optional=True),
            "waste_stream": lambda: CodeField(waste_stream_entries(services), optional=True),
            "status": lambda: ChoiceField(self._status_choices(services, kind), optional=True),
            "date_from": lambda: DateField(optional=True),
            "date_to": lambda: DateField(optional=True),
        }
        labels = {
            "country": _("Country"),
            "sector": _("Sector"),
            "stakeholder_type": _("Type"),
            "engagement_stage": _("Stage"),
            "waste_stream": _("Waste stream"),
            "status": _("Status"),
            "gender": _("Gender"),
            # People are found by when they were trained; other lists by their own date.
            "date_from": _("Trained from") if kind is Kind.CONTACTS else _("From"),
            "date_to": pgettext("date range", "to") if kind is Kind.CONTACTS else _("To"),
        }
        self.filters_row = QWidget()
        grid = QGridLayout(self.filters_row)
        grid.setContentsMargins(0, 0, 0, 0)
        per_row = 4
        for name, make in makers.items():
            if name not in applicable:
                continue
            widget = make()
            widget.setAccessibleName(labels[name])
            widget.focus_widget().setAccessibleName(labels[name])
            widget.setObjectName(f"filter_{name}")
            widget.edited.connect(self.changed)
            self.widgets[name] = widget
            caption = QLabel(labels[name])
            caption.setBuddy(widget.focus_widget())
            position = len(self.widgets) - 1
            grid.addWidget(caption, position // per_row, 2 * (position % per_row))
            grid.addWidget(widget, position // per_row, 2 * (position % per_row) + 1)
        for column in range(per_row):
            grid.setColumnStretch(2 * column + 1, 1)
        last_row = QHBoxLayout()
        self.overdue: QCheckBox | None = None
        if "overdue_only" in applicable:
            self.overdue = QCheckBox(_("Overdue follow-ups only"))
            self.overdue.toggled.connect(self.changed)
            last_row.addWidget(self.overdue)
        last_row.addStretch(1)
        self.clear_button = QToolButton()
        self.clear_button.setText(_("Clear filters"))
        self.clear_button.clicked.connect(self.clear)
        last_row.addWidget(self.clear_button)
        grid.addLayout(last_row, grid.rowCount(), 0, 1, 2 * per_row)
        self.toggle = QToolButton()
        self.toggle.setText(_("Filters"))
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.toggled.connect(self.filters_row.setVisible)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.filters_row)
        self.search.textChanged.connect(self.changed)

    @staticmethod
    def _status_choices(services: Services, kind: Kind) -> type[Choice]:
        choices = services.lists.status_choices(kind)
        assert choices is not None
        return choices

    def query(self, base: ListQuery) -> ListQuery:
        """``base`` with the search and filters the bar shows."""
        values: dict[str, Any] = {"search": self.search.text()}
        for name, widget in self.widgets.items():
            value = widget.value()
            values[name] = value.value if isinstance(value, Choice) else (value or None)
        if self.overdue is not None:
            values["overdue_only"] = self.overdue.isChecked()
        return dataclasses.replace(base, **values)

    def show_query(self, query: ListQuery) -> None:
        """Show the search and filters of ``query`` (without announcing a change)."""
        self.blockSignals(True)
        try:
            self.search.setText(query.search)
            for name, widget in self.widgets.items():
                widget.set_value(getattr(query, name))
            if self.overdue is not None:
                self.overdue.setChecked(query.overdue_only)
        finally:
            self.blockSignals(False)

    @Slot()
    def clear(self) -> None:
        """Remove the search text and every filter."""
        self.show_query(ListQuery())
        self.changed.emit()
