"""The dialogues page: scoping dialogues with stakeholders, their participants and follow-ups."""

from __future__ import annotations

from PySide6.QtCore import Slot

from regional_centre.i18n import _
from regional_centre.services import Services
from regional_centre.services.listing import Kind
from regional_centre.ui.editors.dialogues import DialogueEditor
from regional_centre.ui.edits import Edits
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.settings import Settings

# Records whose changes alter the figures of the dialogue rows (participants, open actions, flag).
COUNTED = frozenset({"dialogue_participant", "follow_up_action"})


class DialoguesPage(RecordsPage):
    """The list of dialogues beside the form of the one chosen."""

    def __init__(self, dialogues: ListPage, edits: Edits) -> None:
        super().__init__([(_("Dialogues"), dialogues)])
        self.dialogues = dialogues
        edits.changed.connect(self._on_edits_changed)

    @Slot(str, list)
    def _on_edits_changed(self, entity: str, _ids: list[str]) -> None:
        # The ids are those of participants or actions, not of the rows showing their counts:
        # read the rows loaded again (one query; their positions do not change).
        if entity in COUNTED:
            model = self.dialogues.model
            model.refresh_records([model.record_id(row) for row in range(model.rowCount())])


def dialogues_page(services: Services, edits: Edits, settings: Settings) -> Page:
    """Scoping dialogues with stakeholders (framework element b)."""
    dialogues = ListPage(
        services,
        edits,
        settings,
        Kind.DIALOGUES,
        DialogueEditor(services, edits),
        services.dialogues,
    )
    return DialoguesPage(dialogues, edits)
