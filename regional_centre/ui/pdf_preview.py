"""A printed document, shown page by page before it is saved (Qt PDF)."""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Slot
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from regional_centre.files import write_atomically
from regional_centre.i18n import LANGUAGES, _, ngettext
from regional_centre.ui.messages import show_error


def language_names() -> list[tuple[str, str]]:
    """The six document languages as (code, name), each named in itself ("Français")."""
    names = []
    for code in LANGUAGES:
        name = Locale.parse(code).get_display_name(code) or code
        names.append((code, name[:1].upper() + name[1:]))
    return names


def language_combo(selected: str) -> QComboBox:
    """The six document languages, each named in itself; ``selected`` chosen."""
    combo = QComboBox()
    for code, name in language_names():
        combo.addItem(name, code)
    combo.setCurrentIndex(max(0, combo.findData(selected)))
    return combo


class PdfChooser:
    """Asks where to save a PDF (tests patch ``ask``)."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, suggested: str) -> Path | None:
        """The path the user chose (always ending in .pdf), or None."""
        name, _filter = QFileDialog.getSaveFileName(
            parent, title, suggested, _("PDF document (*.pdf)")
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


class PdfPreview(QDialog):
    """The document's pages, with Save and Close."""

    def __init__(self, parent: QWidget | None, title: str, data: bytes, suggested: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.data = data
        self.suggested = suggested
        self.saved_to: Path | None = None
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        pages = self.document.pageCount()
        self.pages = QLabel(ngettext("{count} page", "{count} pages", pages).format(count=pages))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save PDF…"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pages)
        layout.addWidget(buttons)
        self.resize(820, 900)

    @Slot()
    def save(self) -> None:
        """Ask where, write the PDF there, and close."""
        path = PdfChooser.ask(self, _("Save the PDF"), self.suggested)
        if path is None:
            return
        try:
            write_atomically(path, self.data)
        except OSError as error:
            show_error(
                self,
                _("Cannot save the PDF"),
                _("{path}: {reason}").format(path=path, reason=error.strerror or error),
            )
            return
        self.saved_to = path
        self.accept()

    @classmethod
    def show_document(
        cls, parent: QWidget | None, title: str, data: bytes, suggested: str
    ) -> Path | None:
        """Show the preview until the user saves or closes it; where it was saved, if it was."""
        dialog = cls(parent, title, data, suggested)
        dialog.exec()
        return dialog.saved_to
