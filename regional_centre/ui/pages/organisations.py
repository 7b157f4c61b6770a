"""The Partners page (organisations, people, pipeline) and the SMEs page."""

from __future__ import annotations

from regional_centre.i18n import _
from regional_centre.services import Services
from regional_centre.services.listing import Kind
from regional_centre.ui.editors.organisations import ContactEditor, OrganisationEditor
from regional_centre.ui.edits import Edits
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.pipeline import PipelineBoard
from regional_centre.ui.pages.records import Later, RecordsPage
from regional_centre.ui.settings import Settings


def partners_page(services: Services, edits: Edits, settings: Settings) -> RecordsPage:
    """Partners: the organisations the centre engages with, and their people."""
    organisations = ListPage(
        services,
        edits,
        settings,
        Kind.PARTNERS,
        lambda: OrganisationEditor(services, edits),
        services.organisations,
    )

    def people() -> ListPage:
        editor = lambda: ContactEditor(services, edits)  # noqa: E731
        return ListPage(services, edits, settings, Kind.CONTACTS, editor, services.contacts)

    return RecordsPage(
        [(_("Organisations"), organisations), (_("People"), Later(people, Kind.CONTACTS))],
        extra=[(_("Pipeline"), Later(lambda: PipelineBoard(services, edits)))],
    )


def smes_page(services: Services, edits: Edits, settings: Settings) -> RecordsPage:
    """SMEs: the small and medium-sized enterprises the centre trains."""
    smes = ListPage(
        services,
        edits,
        settings,
        Kind.SMES,
        lambda: OrganisationEditor(services, edits, sme=True),
        services.organisations,
    )
    return RecordsPage([(_("SMEs"), smes)])
