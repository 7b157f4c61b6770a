"""Every edit a user makes, through the services, undoable (Ctrl+Z) and redoable.

An edit is done first (so a refused one raises to the form that asked for it
and leaves no command behind), then pushed on the undo stack as a command that
remembers what it needs to invert itself. Undo and redo call the same
services; if one is refused later (the record is now used elsewhere), the user
is told why and the command is dropped.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from regional_centre.i18n import _, in_sentence, ngettext
from regional_centre.services.errors import ServiceError

if TYPE_CHECKING:
    from regional_centre.services.records import RecordService

    Service: TypeAlias = RecordService[Any, Any]
else:  # the services load after the window shows; only type checkers need the real type
    Service = Any


def entity_label(entity: str) -> str:
    """The entity's name for users (the field labels load with the services, after start-up)."""
    from regional_centre.services.fields import entity_label as label

    return label(entity)


def draft_of(service: Service, record: Any) -> Any:
    """The draft that would save ``record`` as it is."""
    names = [f.name for f in dataclasses.fields(service.draft_type)]
    return service.draft_type(**{name: getattr(record, name) for name in names})


class _Edit(QUndoCommand):
    def __init__(self, edits: Edits, service: Service, ids: Sequence[str], text: str) -> None:
        super().__init__(text)
        # Weak: the stack owns its commands, and a command that held its Edits would make a
        # cycle. Python's collector would then free the commands before the stack deletes them.
        self._edits = weakref.ref(edits)
        self._service = service
        self._ids = list(ids)
        self._done = True  # the edit was made before the command was pushed

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_edit)

    def _run(self, step: Callable[[], None]) -> None:
        edits = self._edits()
        try:
            step()
        except ServiceError as error:
            self.setObsolete(True)
            if edits is not None:
                edits.refused.emit(str(error))
        if edits is not None:
            edits.changed.emit(self._service.entity, self._ids)

    def do(self) -> None:
        raise NotImplementedError

    def undo_edit(self) -> None:
        raise NotImplementedError


class _Created(_Edit):
    def do(self) -> None:
        self._service.restore(self._ids[0])

    def undo_edit(self) -> None:
        self._service.delete(self._ids[0])


class _Updated(_Edit):
    def __init__(self, edits: Edits, service: Service, record_id: str, before: Any, after: Any):
        text = _("Edit {entity}").format(entity=in_sentence(entity_label(service.entity)))
        super().__init__(edits, service, [record_id], text)
        self._before = before
        self._after = after

    def do(self) -> None:
        self._service.update(self._ids[0], self._after)

    def undo_edit(self) -> None:
        self._service.update(self._ids[0], self._before)


class _Deleted(_Edit):
    def do(self) -> None:
        self._service.delete_many(self._ids)

    def undo_edit(self) -> None:
        self._service.restore_many(self._ids)


class _ChangedMany(_Edit):
    def __init__(
        self,
        edits: Edits,
        service: Service,
        befores: dict[str, Any],
        fields: dict[str, Any],
        text: str,
    ) -> None:
        super().__init__(edits, service, list(befores), text)
        self._befores = befores
        self._fields = fields

    def do(self) -> None:
        self._service.change_many(self._ids, **self._fields)

    def undo_edit(self) -> None:
        self._service.update_many(self._befores)


class Edits(QObject):
    """The undo stack of one window, and the news of what changed."""

    #: Records of an entity were created, changed, deleted or restored (by an edit, undo or redo).
    changed = Signal(str, list)
    #: An undo or redo was refused by the services; carries the reason.
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)

    def create(self, service: Service, draft: Any) -> Any:
        """Create a record; undo deletes it again."""
        record = service.create(draft)
        text = _("Add {entity}").format(entity=in_sentence(entity_label(service.entity)))
        self.stack.push(_Created(self, service, [record.id], text))
        self.changed.emit(service.entity, [record.id])
        return record

    def update(self, service: Service, record_id: str, draft: Any) -> Any:
        """Save new values of a record; undo puts the old ones back."""
        before = draft_of(service, service.get(record_id))
        record = service.update(record_id, draft)
        if draft_of(service, record) != before:
            self.stack.push(_Updated(self, service, record_id, before, draft_of(service, record)))
        self.changed.emit(service.entity, [record_id])
        return record

    def change(self, service: Service, record_id: str, **fields: Any) -> Any:
        """Change some fields of one record (undoable)."""
        current = draft_of(service, service.get(record_id))
        return self.update(service, record_id, dataclasses.replace(current, **fields))

    def delete(self, service: Service, ids: Sequence[str]) -> None:
        """Delete records (and what they own); undo brings them back."""
        if not ids:
            return
        service.delete_many(list(ids))
        text = ngettext("Delete {count} record", "Delete {count} records", len(ids)).format(
            count=len(ids)
        )
        self.stack.push(_Deleted(self, service, list(ids), text))
        self.changed.emit(service.entity, list(ids))

    def change_many(self, service: Service, ids: Sequence[str], **fields: Any) -> None:
        """Give several records the same values; undo restores each one's own."""
        if not ids:
            return
        befores = {i: draft_of(service, service.get(i)) for i in ids}
        service.change_many(list(ids), **fields)
        text = ngettext("Change {count} record", "Change {count} records", len(ids)).format(
            count=len(ids)
        )
        self.stack.push(_ChangedMany(self, service, befores, fields, text))
        self.changed.emit(service.entity, list(ids))
