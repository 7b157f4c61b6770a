"""Record forms: fields laid out with their labels, and the services' messages next to them.

``RecordForm`` lays out ``FieldEditor`` widgets for the draft fields of one
entity. ``RecordEditor`` puts a form in a panel with Save, Revert, Delete and
History, creates or updates the record through ``Edits`` (so the edit can be
undone), and shows a refused save as messages beside the fields concerned.
Subclasses add tabs with the records linked to the one shown.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from regional_centre.i18n import _, in_sentence
from regional_centre.services import Services
from regional_centre.services.errors import NotFound, ServiceError, ValidationError
from regional_centre.services.fields import entity_label, field_label
from regional_centre.ui.editors.fields import FieldEditor
from regional_centre.ui.edits import Edits, Service
from regional_centre.ui.messages import confirm

ERROR_STYLE = "color: #c62828;"


def error_label() -> QLabel:
    """A label for a validation message, shown only when there is one."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class RecordForm(QWidget):
    """The fields of one entity, each with its label and a place for its message."""

    #: The user changed a field.
    edited = Signal()

    def __init__(self, entity: str, fields: dict[str, FieldEditor]) -> None:
        super().__init__()
        self.entity = entity
        self.fields = fields
        self.errors: dict[str, QLabel] = {}
        self.general_error = error_label()
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addRow(self.general_error)
        for name, editor in fields.items():
            label = field_label(entity, name)
            caption = QLabel(_("{field}:").format(field=label))
            caption.setBuddy(editor.focus_widget())
            editor.focus_widget().setAccessibleName(label)
            editor.setObjectName(name)
            message = self.errors[name] = error_label()
            message.setAccessibleName(_("Problem with {field}").format(field=label))
            column = QWidget()
            column_layout = QVBoxLayout(column)
            column_layout.setContentsMargins(0, 0, 0, 0)
            column_layout.setSpacing(2)
            column_layout.addWidget(editor)
            column_layout.addWidget(message)
            layout.addRow(caption, column)
            editor.edited.connect(self.edited)
        # Tab order follows the form from top to bottom.
        focusable = [e.focus_widget() for e in fields.values()]
        for first, second in itertools.pairwise(focusable):
            QWidget.setTabOrder(first, second)

    def values(self) -> dict[str, Any]:
        """What the user entered, by field name."""
        return {name: editor.value() for name, editor in self.fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Show ``values`` (fields not named keep theirs)."""
        for name, value in values.items():
            if name in self.fields:
                self.fields[name].set_value(value)

    def show_problems(self, error: ValidationError) -> None:
        """Show each message next to its field; others above the form. Focus the first."""
        self.clear_problems()
        general: list[str] = []
        first: FieldEditor | None = None
        for problem in error.problems:
            label = self.errors.get(problem.field)
            if label is None:
                general.append(problem.message)
                continue
            if not label.isVisibleTo(self):
                label.setText(problem.message)
                label.show()
                first = first or self.fields[problem.field]
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        if first is not None:
            first.focus_widget().setFocus()

    def clear_problems(self) -> None:
        """Hide every message."""
        for label in (*self.errors.values(), self.general_error):
            label.clear()
            label.hide()

    def problem(self, field: str) -> str:
        """The message shown next to ``field`` ('' if none)."""
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""


class RecordEditor(QWidget):
    """A panel that shows one record in a form, saves it, and lists what it is linked to.

    A new editor is empty until ``new()`` or ``open()`` is called (subclasses
    add their tabs first).
    """

    #: A record was created or saved; carries its id.
    saved = Signal(str)
    #: The record shown was deleted.
    deleted = Signal(str)

    def __init__(
        self,
        services: Services,
        edits: Edits,
        service: Service,
        fields: dict[str, FieldEditor],
        defaults: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.edits = edits
        self.service = service
        self.record_id: str | None = None
        self._defaults = defaults or dict
        self._dirty = False
        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.heading.setWordWrap(True)
        self.form = RecordForm(service.entity, fields)
        self.form.edited.connect(self._on_form_edited)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QWidget()  # keeps the fields at the top when the panel is taller than the form
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.form)
        holder_layout.addStretch(1)
        scroll.setWidget(holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, _("Details"))
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.revert_button = self.buttons.addButton(
            _("Revert"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.delete_button = QPushButton(_("Delete"))
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.delete_button.clicked.connect(self.delete)
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    # What is shown.

    def new(self, **values: Any) -> None:
        """Show an empty form for a new record (with ``values`` filled in)."""
        self.record_id = None
        empty = {f.name: f.default for f in dataclasses.fields(self.service.draft_type)}
        empty = {k: (None if v is dataclasses.MISSING else v) for k, v in empty.items()}
        self.form.set_values({**empty, **self._defaults(), **values})
        self.form.clear_problems()
        self.heading.setText(
            _("New {entity}").format(entity=in_sentence(entity_label(self.service.entity)))
        )
        self.delete_button.setEnabled(False)
        self._set_dirty(False)
        self.record_changed()
        first = next(iter(self.form.fields.values()), None)
        if first is not None:
            first.focus_widget().setFocus()

    def open(self, record_id: str) -> None:
        """Show a saved record."""
        record = self.service.get(record_id)
        self.record_id = record_id
        self.form.set_values(dataclasses.asdict(record))
        self.form.clear_problems()
        self.heading.setText(self.title(record))
        self.delete_button.setEnabled(True)
        self._set_dirty(False)
        self.record_changed()

    def title(self, record: Any) -> str:
        """The heading shown above a saved record."""
        for name in ("name", "title", "full_name"):
            if hasattr(record, name):
                return str(getattr(record, name))
        return entity_label(self.service.entity)

    def record_changed(self) -> None:
        """A record was opened or a new one started: subclasses refresh their linked lists."""

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes not saved yet."""
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty or self.record_id is None)
        self.revert_button.setEnabled(dirty)

    @Slot()
    def _on_form_edited(self) -> None:
        self._set_dirty(True)

    # Actions.

    def draft(self) -> Any:
        """The draft the form holds."""
        return self.service.draft_type(**self.form.values())

    @Slot()
    def save(self) -> bool:
        """Create or update the record; on refusal show why next to the fields."""
        try:
            draft = self.draft()
            if self.record_id is None:
                record = self.edits.create(self.service, draft)
            else:
                record = self.edits.update(self.service, self.record_id, draft)
        except ValidationError as error:
            self.form.show_problems(error)
            return False
        except ServiceError as error:  # e.g. deleted meanwhile, or the database is busy
            self.form.show_problems(ValidationError.single("", str(error)))
            return False
        except (TypeError, ValueError) as error:  # a value the draft cannot even hold
            self.form.show_problems(ValidationError.single("", str(error)))
            return False
        self.open(record.id)
        self.saved.emit(record.id)
        return True

    @Slot()
    def revert(self) -> None:
        """Throw away unsaved changes."""
        if self.record_id is None:
            self.new()
        else:
            self.open(self.record_id)

    @Slot()
    def delete(self) -> None:
        """Delete the record shown, after asking."""
        if self.record_id is None:
            return
        if not confirm(
            self,
            _("Delete"),
            _("Delete “{name}”? You can undo this with Ctrl+Z.").format(name=self.heading.text()),
        ):
            return
        record_id = self.record_id
        try:
            self.edits.delete(self.service, [record_id])
        except ValidationError as error:
            self.form.show_problems(error)
            return
        self.deleted.emit(record_id)
        self.new()

    def reload(self) -> None:
        """Show the record again as saved (after an undo, a redo or a change elsewhere)."""
        if self.record_id is None or self._dirty:
            return
        try:
            self.open(self.record_id)
        except NotFound:  # deleted (or its creation undone): nothing left to show
            self.new()
