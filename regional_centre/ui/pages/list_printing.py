"""A list of organisations printed as a directory, in the language the user picks."""

from __future__ import annotations

import io
from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from regional_centre.i18n import _, current_language
from regional_centre.reports.directory import directory_pdf, directory_title
from regional_centre.services import Services
from regional_centre.services.directory import ORGANISATION_LISTS
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.ui.operations import Operation
from regional_centre.ui.pdf_preview import PdfPreview, language_names


def directory_button(parent: QWidget, print_in: Callable[[str], None]) -> QToolButton:
    """A button printing the directory in the program's language, the other languages in its menu."""
    button = QToolButton(parent)
    button.setText(_("Print directory…"))
    button.setToolTip(_("The organisations this list shows, with their people, as a PDF"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    button.clicked.connect(lambda: print_in(current_language()))
    menu = QMenu(button)
    for code, name in language_names():
        action = QAction(name, menu)
        action.triggered.connect(lambda _checked=False, code=code: print_in(code))
        menu.addAction(action)
    button.setMenu(menu)
    return button


def print_directory(
    parent: QWidget, services: Services, kind: Kind, query: ListQuery, language: str
) -> None:
    """Lay out the directory of what the list shows, then preview it to be saved."""
    if kind not in ORGANISATION_LISTS:
        return

    def work(_progress: Callable[[int, int], None]) -> bytes:
        buffer = io.BytesIO()
        directory_pdf(services, kind, query, language, buffer)
        return buffer.getvalue()

    def done(data: bytes) -> None:
        PdfPreview.show_document(
            parent, directory_title(kind), data, f"{kind.value}-directory-{language}.pdf"
        )

    Operation(parent, work).success(done).with_progress(
        _("Preparing the directory…")
    ).run_in_background()
