"""The Training sessions page: SME training from the plan to certificates and follow-ups."""

from __future__ import annotations

from regional_centre.i18n import _
from regional_centre.services import Services
from regional_centre.services.listing import Kind
from regional_centre.ui.editors.training import SessionEditor
from regional_centre.ui.edits import Edits
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.settings import Settings


def training_page(services: Services, edits: Edits, settings: Settings) -> Page:
    """Training sessions (framework element e), each with its participants and results."""
    sessions = ListPage(
        services,
        edits,
        settings,
        Kind.SESSIONS,
        SessionEditor(services, edits),
        services.sessions,
    )
    # The session's form holds the attendance grid and other tables: give it the wider half,
    # with the filters folded away until asked for.
    sessions.filter_bar.toggle.setChecked(False)
    sessions.splitter.setStretchFactor(0, 2)
    sessions.splitter.setStretchFactor(1, 3)
    sessions.splitter.setSizes([460, 760])
    return RecordsPage([(_("Training sessions"), sessions)])
