"""The first-run dialog: which centre this installation belongs to, its name, demo data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel import Locale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from regional_centre.i18n import _, current_language
from regional_centre.services.reference import Code

SECRETARIAT_CHOICE = ""


def language_name(code: str) -> str:
    """A language's own name for itself ("Français", "العربية"), as a list of languages shows it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_in_sentence(code: str) -> str:
    """A language's name as the current language writes it in a sentence ("arabe" in French)."""
    return Locale.parse(code).get_display_name(current_language()) or code


@dataclass(frozen=True)
class FirstRunChoice:
    """What the user chose: a centre (None for the secretariat), a node name, demo data or not."""

    centre_code: str | None
    node_name: str
    load_demo: bool
    language: str = ""


class FirstRunDialog(QDialog):
    """Asks who this installation is, once, before the database is created."""

    def __init__(
        self,
        centres: list[Code],
        languages: Sequence[str] = ("en",),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Set up Regional Centre"))
        self.centre = QComboBox()
        self.centre.setAccessibleName(_("Centre"))
        for centre in centres:
            if not centre.retired:
                self.centre.addItem(f"{centre.code} — {centre.title}", centre.code)
        self.centre.addItem(_("Secretariat of the Basel Convention"), SECRETARIAT_CHOICE)
        self.node_name = QLineEdit()
        self.node_name.setAccessibleName(_("Name of this computer"))
        self.node_name.setPlaceholderText(_("e.g. Dakar office laptop"))
        self.name_error = QLabel()
        self.name_error.setObjectName("fieldError")
        self.name_error.setStyleSheet("color: palette(link);")
        self.name_error.hide()
        self.language = QComboBox()
        self.language.setAccessibleName(_("Working language"))
        for code in languages:
            self.language.addItem(language_name(code), code)
        current = self.language.findData(current_language())
        self.language.setCurrentIndex(max(current, 0))
        self.demo = QCheckBox(_("Fill the new database with demo data to try the program"))
        form = QFormLayout()
        form.addRow(_("Centre:"), self.centre)
        form.addRow(_("Name of this computer:"), self.node_name)
        form.addRow("", self.name_error)
        form.addRow(_("Working language:"), self.language)
        form.addRow("", self.demo)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("This computer is not set up yet. Who will use it?")))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        if not self.node_name.text().strip():
            self.name_error.setText(_("Give this computer a name, e.g. 'Dakar office laptop'."))
            self.name_error.show()
            self.node_name.setFocus()
            return
        self.accept()

    def choice(self) -> FirstRunChoice:
        """What the user entered."""
        code = self.centre.currentData()
        return FirstRunChoice(
            centre_code=code or None,
            node_name=self.node_name.text().strip(),
            load_demo=self.demo.isChecked(),
            language=self.language.currentData() or "",
        )

    @classmethod
    def ask(
        cls, centres: list[Code], languages: Sequence[str] = ("en",), parent: QWidget | None = None
    ) -> FirstRunChoice | None:
        """Show the dialog; the user's choice, or None if they cancelled."""
        dialog = cls(centres, languages, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()
