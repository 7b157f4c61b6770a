"""Printing a session's papers: choose the language and the folder, then write them all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from regional_centre.i18n import LANGUAGES, _
from regional_centre.reports.training_papers import write_training_papers
from regional_centre.services import Services
from regional_centre.services.training import TrainingSessionRecord
from regional_centre.ui.editors.form import error_label
from regional_centre.ui.messages import show_information
from regional_centre.ui.operations import Operation
from regional_centre.ui.pdf_preview import language_combo


class PapersDialog(QDialog):
    """The language of the papers and the folder they go to."""

    def __init__(
        self, parent: QWidget | None, session: TrainingSessionRecord, folder: Path
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print the session's papers"))
        self.language = language_combo(session.language if session.language in LANGUAGES else "en")
        self.folder = QLineEdit(str(folder))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        self.folder_error = error_label()
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Write the papers"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                _(
                    "Sign-in sheets for each day, the participant list, the evaluation summary and the certificates issued."
                )
            )
        )
        form.addRow(_("Language"), self.language)
        form.addRow(_("Folder"), where)
        form.addRow("", self.folder_error)
        form.addRow(buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _("Folder for the papers"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def _accept(self) -> None:
        text = self.folder.text().strip()
        folder = Path(text)
        if not text or (folder.exists() and not folder.is_dir()):
            self.folder_error.setText(_("Choose a folder to write the papers to."))
            self.folder_error.show()
            return
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, session: TrainingSessionRecord, folder: Path
    ) -> tuple[str, Path] | None:
        """The language and folder chosen, or None if the user cancelled."""
        dialog = cls(parent, session, folder)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.language.currentData(), Path(dialog.folder.text().strip())


def print_papers(parent: QWidget, services: Services, session: TrainingSessionRecord) -> None:
    """Ask for a language and folder, then write every paper of ``session`` there."""
    suggested = Path.home() / _("Training papers") / session.first_day.isoformat()
    chosen = PapersDialog.ask(parent, session, suggested)
    if chosen is None:
        return
    language, folder = chosen

    def work(_progress: Callable[[int, int], None]) -> list[Path]:
        return write_training_papers(services, session.id, folder, language)

    def written(paths: list[Path]) -> None:
        names = "\n".join(path.name for path in paths)
        show_information(
            parent,
            _("Papers written"),
            _("In {folder}:\n{names}").format(folder=folder, names=names),
        )

    Operation(parent, work).success(written).with_progress(
        _("Writing the papers…")
    ).run_in_background()
