"""The training page (being built)."""

from __future__ import annotations

from regional_centre.services import Services
from regional_centre.ui.edits import Edits
from regional_centre.ui.pages.base import Page
from regional_centre.ui.settings import Settings


def training_page(services: Services, edits: Edits, settings: Settings) -> Page:
    """The training page."""
    return Page()
