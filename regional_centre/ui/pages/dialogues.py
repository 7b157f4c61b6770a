"""The dialogues page (being built)."""

from __future__ import annotations

from regional_centre.services import Services
from regional_centre.ui.edits import Edits
from regional_centre.ui.pages.base import Page
from regional_centre.ui.settings import Settings


def dialogues_page(services: Services, edits: Edits, settings: Settings) -> Page:
    """The dialogues page."""
    return Page()
