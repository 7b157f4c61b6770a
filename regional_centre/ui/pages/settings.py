"""The Settings page: the user's name and language, the database file, its backups, the log.

A backup cannot take the place of the database while the program holds it
open, so "Restore at next start" only records the choice; ``ui.app.run_gui``
puts the backup in place before it opens the database the next time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from babel.dates import format_datetime
from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from regional_centre.i18n import (
    LANGUAGES,
    _,
    current_language,
    format_number,
    pgettext,
    system_language,
)
from regional_centre.logs import LOG_FILE_NAME
from regional_centre.paths import logs_dir
from regional_centre.services import Services, current_user
from regional_centre.services.maintenance import MANUAL_BACKUP, BackupFile
from regional_centre.ui.app import set_aside_path
from regional_centre.ui.editors.form import error_label
from regional_centre.ui.edits import Edits
from regional_centre.ui.first_run import language_in_sentence, language_name
from regional_centre.ui.messages import confirm, show_error
from regional_centre.ui.operations import Operation, Progress
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.reports import note_label, title_label
from regional_centre.ui.settings import LANGUAGE, RESTORE_ON_START, USER_NAME, Settings

MAX_NAME = 120
PATH_ROLE = Qt.ItemDataRole.UserRole


def open_location(path: Path) -> bool:
    """Open a file or folder with the desktop's program for it; whether that worked."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def size_text(size: int) -> str:
    """A number of bytes as people read it ("2.3 MB")."""
    if size < 1024:
        return _("{size} bytes").format(size=format_number(size))
    if size < 1024**2:
        return _("{size} KB").format(size=format_number(round(size / 1024, 1)))
    if size < 1024**3:
        return _("{size} MB").format(size=format_number(round(size / 1024**2, 1)))
    return _("{size} GB").format(size=format_number(round(size / 1024**3, 1)))


def local_time_text(value: dt.datetime) -> str:
    """A time kept in UTC (without a zone, as the database keeps it) on the user's clock."""
    local = value.replace(tzinfo=dt.UTC).astimezone()
    return format_datetime(local, format="medium", locale=current_language())


def stacked(*widgets: QWidget) -> QWidget:
    """Widgets one above the other with little space between: a field, its message, its hint."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def backup_reason(backup: BackupFile) -> str:
    """Why a backup was made, for people."""
    if backup.label == MANUAL_BACKUP:
        return _("Made on request")
    if backup.label.startswith("before-"):
        return _("Before the database was upgraded")
    return backup.label


def back_up_now(parent: QWidget, services: Services, done: Callable[[Path], None]) -> None:
    """Back up the database in the background with a progress dialog; ``done`` gets the file."""
    maintenance = services.maintenance

    def work(progress: Progress) -> Path:
        progress(0, 1)  # the last moment a Cancel stops it: the copy itself is one step
        return maintenance.backup(MANUAL_BACKUP)

    Operation(parent, work).success(done).with_progress(
        _("Backing up the database…")
    ).run_in_background()


class SettingsPage(Page):
    """The user's name and language; the database's file, backups and the log file."""

    #: A language other than the window's was saved (its code): the window may reopen in it.
    language_chosen = Signal(str)

    def __init__(self, services: Services, edits: Edits, settings: Settings) -> None:
        super().__init__()
        self.services = services
        self.settings = settings
        self.backups: list[BackupFile] = []

        # You.
        self.name = QLineEdit()
        self.name.setAccessibleName(_("Your name"))
        self.name.setPlaceholderText(current_user())
        self.name.textEdited.connect(self._on_name_text_edited)
        self.name_error = error_label()
        self.language = QComboBox()
        self.language.setAccessibleName(_("Working language"))
        self.language.addItem(
            _("As the computer is set ({language})").format(
                language=language_in_sentence(system_language())
            ),
            "",
        )
        for code in LANGUAGES:
            self.language.addItem(language_name(code), code)
        self.language.currentIndexChanged.connect(self._on_language_current_index_changed)
        self.language_note = note_label("")
        self.save_button = QPushButton(_("Save"))
        self.save_button.setToolTip(_("Save your name and language (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        you = QGroupBox(_("You"))
        form = QFormLayout(you)
        name_hint = note_label(
            _(
                "Written in the history of the records you change; left empty, your login "
                "name on this computer is used. It applies from the moment you save."
            )
        )
        form.addRow(_("Your name:"), stacked(self.name, self.name_error, name_hint))
        form.addRow(_("Working language:"), stacked(self.language, self.language_note))
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)

        # The database.
        self.database_path = QLabel()
        self.database_path.setWordWrap(True)
        self.database_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.database_size = QLabel()
        self.open_folder_button = QPushButton(_("Open the data folder"))
        self.open_folder_button.clicked.connect(self.open_data_folder)
        database = QGroupBox(_("Database"))
        database_form = QFormLayout(database)
        database_form.addRow(_("File:"), self.database_path)
        database_form.addRow(_("Size:"), self.database_size)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.open_folder_button)
        folder_row.addStretch(1)
        database_form.addRow("", folder_row)

        # The log file.
        self.log_path = QLabel()
        self.log_path.setWordWrap(True)
        self.log_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_log_button = QPushButton(pgettext("verb", "Open"))
        self.open_log_button.clicked.connect(self.open_log)
        log_box = QGroupBox(_("Log file"))
        log_layout = QVBoxLayout(log_box)
        log_layout.addWidget(
            note_label(_("Problems the program met are written here; send it with a bug report."))
        )
        log_row = QHBoxLayout()
        log_row.addWidget(self.log_path, 1)
        log_row.addWidget(self.open_log_button)
        log_layout.addLayout(log_row)

        # Backups.
        self.backup_table = QTableWidget(0, 3)
        self.backup_table.setHorizontalHeaderLabels([_("Made"), _("Why"), pgettext("file", "Size")])
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.verticalHeader().hide()
        self.backup_table.setAccessibleName(_("Backups"))
        header = self.backup_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.backup_table.itemSelectionChanged.connect(self._on_backup_table_selection_changed)
        self.no_backups = note_label(_("There are no backups of this database yet."))
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button = QPushButton(_("Restore at next start…"))
        self.restore_button.setToolTip(
            _("Put the chosen backup in place of the database when the program next starts")
        )
        self.restore_button.clicked.connect(self.restore_at_next_start)
        self.pending = QLabel()
        self.pending.setWordWrap(True)
        self.cancel_restore_button = QPushButton(_("Do not restore"))
        self.cancel_restore_button.clicked.connect(self.cancel_restore)
        backups = QGroupBox(_("Backups"))
        backups_layout = QVBoxLayout(backups)
        backups_layout.addWidget(
            note_label(
                _(
                    "A backup is a copy of the whole database, made before each upgrade and "
                    "whenever you ask. The database in use cannot be replaced while the program "
                    "runs: a backup you choose to restore takes its place at the next start."
                )
            )
        )
        backups_layout.addWidget(self.backup_table, 1)
        backups_layout.addWidget(self.no_backups)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        backups_layout.addLayout(buttons)
        pending_row = QHBoxLayout()
        pending_row.addWidget(self.pending, 1)
        pending_row.addWidget(self.cancel_restore_button)
        backups_layout.addLayout(pending_row)

        left = QVBoxLayout()
        for box in (you, database, log_box):
            left.addWidget(box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(backups, 1)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(title_label(_("Settings")))
        inner.addLayout(columns, 1)
        self.set_scrolling_content(content)

        self._saved = (settings.get(USER_NAME), settings.get(LANGUAGE))
        self.name.setText(self._saved[0])
        index = self.language.findData(self._saved[1])
        self.language.setCurrentIndex(max(index, 0))
        self._show_language_note()
        self.refresh()

    # Name and language.

    def has_unsaved_changes(self) -> bool:
        """Whether the name or language shown differ from those saved."""
        return (self.name.text().strip(), self.language.currentData() or "") != self._saved

    def save(self) -> bool:
        """Ctrl+S: keep the name and language; the name applies to the next change at once."""
        name = self.name.text().strip()
        if len(name) > MAX_NAME:
            self.name_error.setText(
                _("Use at most {count} characters; this name has {length}.").format(
                    count=MAX_NAME, length=len(name)
                )
            )
            self.name_error.show()
            self.name.setFocus()
            return False
        self.name_error.hide()
        language = self.language.currentData() or ""
        self.settings.set(USER_NAME, name)
        self.settings.set(LANGUAGE, language)
        self.settings.sync()
        self.services.context.actor = name or current_user()
        self._saved = (name, language)
        self.name.setText(name)
        self._show_language_note()
        self.status_message.emit(_("Settings saved."))
        if (language or system_language()) != current_language():
            self.language_chosen.emit(language or system_language())
        return True

    @Slot(str)
    def _on_name_text_edited(self, _text: str) -> None:
        self.name_error.hide()

    @Slot(int)
    def _on_language_current_index_changed(self, _index: int) -> None:
        self._show_language_note()

    def _show_language_note(self) -> None:
        chosen = self.language.currentData() or system_language()
        if chosen == current_language():
            text = _("A language chosen here is used once it is saved.")
        else:
            text = _("The program speaks {language} once this is saved.")
            if chosen == (self._saved[1] or system_language()):
                text = _("The program speaks {language} from its next start.")
            text = text.format(language=language_in_sentence(chosen))
        self.language_note.setText(text)

    # Database, backups and log.

    def refresh(self) -> None:
        """F5: read the database's size, its backups and the log file again."""
        maintenance = self.services.maintenance
        path = maintenance.database_file()
        size = maintenance.database_size()
        if path is None:
            self.database_path.setText(self.services.database.url.render_as_string())
            self.database_size.setText(_("(not kept in a file)"))
        else:
            self.database_path.setText(str(path))
            self.database_size.setText(size_text(size or 0))
        self.open_folder_button.setEnabled(path is not None)
        self.backup_button.setEnabled(path is not None)
        self._show_backups(maintenance.backups())
        log_file = logs_dir() / LOG_FILE_NAME
        self.log_path.setText(
            str(log_file)
            if log_file.exists()
            else _("{path} (nothing written yet)").format(path=log_file)
        )
        self.open_log_button.setEnabled(log_file.exists())
        self._show_pending()

    def _show_backups(self, backups: list[BackupFile], chosen: Path | None = None) -> None:
        chosen = chosen or self.chosen_backup()
        self.backups = backups
        table = self.backup_table
        table.setRowCount(len(backups))
        for row, backup in enumerate(backups):
            made = QTableWidgetItem(local_time_text(backup.made_at))
            made.setData(PATH_ROLE, str(backup.path))
            made.setToolTip(str(backup.path))
            size = QTableWidgetItem(size_text(backup.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate((made, QTableWidgetItem(backup_reason(backup)), size)):
                table.setItem(row, column, item)
            if backup.path == chosen:
                table.selectRow(row)
        table.resizeRowsToContents()
        table.setVisible(bool(backups))
        self.no_backups.setVisible(not backups)
        self.restore_button.setEnabled(self.chosen_backup() is not None)

    def chosen_backup(self) -> Path | None:
        """The backup selected in the list."""
        rows = self.backup_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.backup_table.item(rows[0].row(), 0)
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def choose_backup(self, path: Path) -> None:
        """Select the backup ``path`` in the list."""
        for row in range(self.backup_table.rowCount()):
            item = self.backup_table.item(row, 0)
            if item is not None and Path(item.data(PATH_ROLE)) == path:
                self.backup_table.selectRow(row)

    @Slot()
    def _on_backup_table_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen_backup() is not None)

    @Slot()
    def back_up(self) -> None:
        """Make a backup now; it is chosen in the list once made."""

        def done(path: Path) -> None:
            self.refresh()
            self.choose_backup(path)
            self.status_message.emit(_("Backup written to {path}.").format(path=path))

        back_up_now(self, self.services, done)

    def _made_text(self, path: Path) -> str:
        made = next((b.made_at for b in self.backups if b.path == path), None)
        return local_time_text(made) if made is not None else path.name

    @Slot()
    def restore_at_next_start(self) -> None:
        """After confirmation, have the chosen backup replace the database at the next start."""
        backup = self.chosen_backup()
        database = self.services.maintenance.database_file()
        if backup is None or database is None:
            return
        if not confirm(
            self,
            _("Restore at next start"),
            _(
                "When the program next starts, the database will be replaced by the backup "
                "made on {made}. Changes made since then will be lost; the database as it is "
                "now will be kept beside it as {aside}.\n\nRestore this backup at the next start?"
            ).format(made=self._made_text(backup), aside=set_aside_path(database).name),
        ):
            return
        self.settings.set(RESTORE_ON_START, str(backup))
        self.settings.sync()
        self._show_pending()
        self.status_message.emit(_("The backup will be restored at the next start."))

    @Slot()
    def cancel_restore(self) -> None:
        """Forget the backup chosen to restore at the next start."""
        self.settings.set(RESTORE_ON_START, "")
        self.settings.sync()
        self._show_pending()
        self.status_message.emit(_("No backup will be restored."))

    def _show_pending(self) -> None:
        pending = self.settings.get(RESTORE_ON_START)
        if pending:
            self.pending.setText(
                _(
                    "At the next start, the database will be replaced by the backup made on {made}."
                ).format(made=self._made_text(Path(pending)))
            )
        self.pending.setVisible(bool(pending))
        self.cancel_restore_button.setVisible(bool(pending))

    @Slot()
    def open_data_folder(self) -> None:
        """Show the folder holding the database in the desktop's file manager."""
        path = self.services.maintenance.database_file()
        if path is not None:
            self._open(path.parent)

    @Slot()
    def open_log(self) -> None:
        """Open the log file with the desktop's program for text."""
        self._open(logs_dir() / LOG_FILE_NAME)

    def _open(self, path: Path) -> None:
        if not open_location(path):
            show_error(
                self,
                _("Cannot open {path}").format(path=path.name),
                _(
                    "The desktop found no program to open {path}; open it from your file manager."
                ).format(path=path),
            )

    def showEvent(self, event: QShowEvent) -> None:
        """Read the sizes and backups again each time the page is shown."""
        super().showEvent(event)
        self.refresh()

    def smoke_test(self) -> None:
        """Read everything the page shows."""
        self.refresh()
