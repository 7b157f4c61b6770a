"""The reports page (being built)."""

from __future__ import annotations

from regional_centre.services import Services
from regional_centre.ui.edits import Edits
from regional_centre.ui.pages.base import Page
from regional_centre.ui.settings import Settings


class ReportsPage(Page):
    """The reports page."""

    def __init__(self, services: Services, edits: Edits, settings: Settings) -> None:
        super().__init__()
