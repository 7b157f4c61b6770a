"""The page of strategic partnerships and the joint activities carried out with industry."""

from __future__ import annotations

from PySide6.QtCore import Slot

from regional_centre.i18n import _
from regional_centre.services import Services
from regional_centre.services.listing import Kind
from regional_centre.ui.editors.partnerships import ActivityEditor, PartnershipEditor
from regional_centre.ui.edits import Edits
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.settings import Settings


class PartnershipsPage(RecordsPage):
    """Partnerships and joint activities in two tabs; a partnership can start one of its activities."""

    def __init__(self, partnerships: ListPage, activities: ListPage) -> None:
        super().__init__([(_("Partnerships"), partnerships), (_("Joint activities"), activities)])
        self.partnerships = partnerships
        self.activities = activities
        editor = partnerships.editor
        assert isinstance(editor, PartnershipEditor)
        editor.new_activity_requested.connect(self._on_partnership_new_activity_requested)

    @Slot(str)
    def _on_partnership_new_activity_requested(self, partnership_id: str) -> None:
        self.tabs.setCurrentWidget(self.activities)
        editor = self.activities.editor
        assert editor is not None
        self.activities.new_record()
        if editor.record_id is None and not editor.dirty:  # the user did not keep unsaved changes
            editor.new(partnership_id=partnership_id)


def partnerships_page(services: Services, edits: Edits, settings: Settings) -> Page:
    """Partnerships with industry (framework element c) and their joint activities (element d)."""
    partnerships = ListPage(
        services,
        edits,
        settings,
        Kind.PARTNERSHIPS,
        PartnershipEditor(services, edits),
        services.partnerships,
    )
    activities = ListPage(
        services,
        edits,
        settings,
        Kind.ACTIVITIES,
        ActivityEditor(services, edits),
        services.activities,
    )
    return PartnershipsPage(partnerships, activities)
