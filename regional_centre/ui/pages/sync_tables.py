"""The Sync page's peers and conflict log: the tables, and what is done with their rows.

Each section tells the page what it did (``said``) and when what it shows has
changed in the database (``changed``), so the page reads everything again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from regional_centre.files import write_atomically
from regional_centre.i18n import N_, _, format_number, in_sentence, ngettext
from regional_centre.reports.spreadsheets import Table
from regional_centre.services import Services
from regional_centre.services.errors import NotFound, ServiceError
from regional_centre.services.fields import entity_label, field_label
from regional_centre.services.history import shorten
from regional_centre.services.peers import ENROLMENT_SUFFIX, PeerInfo
from regional_centre.services.sync import ConflictInfo
from regional_centre.ui import messages
from regional_centre.ui.edits import Edits
from regional_centre.ui.operations import Progress
from regional_centre.ui.pages.reports import FiguresTable, caption_label, note_label
from regional_centre.ui.pages.settings import local_time_text
from regional_centre.ui.pages.sync_dialogs import (
    PERSONAL_DATA_LABELS,
    EnrolDialog,
    SyncFiles,
    file_name,
    monospace,
    personal_data_label,
    result_label,
    run_operation,
    say,
    time_cell,
    value_text,
    where_text,
)

if TYPE_CHECKING:
    from regional_centre.services.context import NodeIdentity
    from regional_centre.sync.enrolment import Enrolment

ENROLMENT_READ_LIMIT = 64 * 1024  # an enrolment file is under 16 KiB; more is not one
ENROLMENT_FILES = N_("Enrolment files (*.rcenrol)")


def two_lines(fingerprint: str) -> str:
    """A readable fingerprint on two lines of four groups."""
    groups = fingerprint.split()
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])


class WideTable(FiguresTable):
    """A ``FiguresTable`` whose columns keep their widths: narrower than them, it scrolls sideways.

    Its stretching column fills the width left when the columns fit.
    """

    def __init__(self, stretch_column: int = 0) -> None:
        super().__init__(stretch_column)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def show_table(self, table: Table) -> None:
        """Show ``table`` with each column as wide as its widest text."""
        super().show_table(table)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Stretch or scroll to the new width."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        header = self.horizontalHeader()
        columns = range(self.columnCount())
        wanted = sum(max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in columns)
        fits = wanted <= self.viewport().width()
        if self._stretch_column < self.columnCount():
            mode = (
                QHeaderView.ResizeMode.Stretch if fits else QHeaderView.ResizeMode.ResizeToContents
            )
            if header.sectionResizeMode(self._stretch_column) != mode:
                header.setSectionResizeMode(self._stretch_column, mode)
        height = header.sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(row) for row in range(self.rowCount()))
        if not fits:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height)


def peers_table(peers: list[PeerInfo]) -> Table:
    """The peers and where the exchange with each stands."""
    return Table(
        _("Peers"),
        [
            _("Installation"),
            _("Centre"),
            _("Fingerprint"),
            _("Key"),
            _("Sent"),
            _("Received"),
            _("Last export"),
            _("Last import"),
            _("Pending"),
            _("Personal data"),
        ],
        [
            [
                p.name,
                where_text(p.centre, p.is_secretariat),
                two_lines(p.readable_fingerprint),
                _("Revoked") if p.revoked else _("Trusted"),
                p.sent_bundles,
                p.received_bundles,
                time_cell(p.last_export_at),
                time_cell(p.last_import_at),
                p.pending,
                personal_data_label(p.personal_data, short=True),
            ]
            for p in peers
        ],
    )


class PeersBox(QGroupBox):
    """The enrolled installations; enrolling one, revoking a key, the personal data each gets."""

    #: What was done, for the status bar.
    said = Signal(str)
    #: Peers were enrolled, revoked or changed: read them again.
    changed = Signal()
    #: Another peer was selected (or none).
    selection_changed = Signal()

    def __init__(self, services: Services, node: NodeIdentity, fingerprint: str) -> None:
        super().__init__(_("Peers"))
        self.services = services
        self.node = node
        self.fingerprint = fingerprint  # this installation's, as people read it
        self.peers: list[PeerInfo] = []
        self._wanted: str | None = None  # the peer to select once the peers are read again
        self.table = WideTable(stretch_column=0)
        self.table.setSelectionMode(FiguresTable.SelectionMode.SingleSelection)
        self.table.setAccessibleName(_("Peers"))
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.no_peers = note_label(
            _(
                "No installation is enrolled yet. Save your enrolment file and send it to the "
                "other side; enrol theirs once you both compared the fingerprints by phone."
            )
        )
        self.save_enrolment_button = QPushButton(_("Save my enrolment file…"))
        self.save_enrolment_button.clicked.connect(self.save_enrolment)
        self.enrol_button = QPushButton(_("Enrol an installation…"))
        self.enrol_button.clicked.connect(self.enrol_installation)
        self.personal_data = QComboBox()
        self.personal_data.setAccessibleName(_("Personal data sent"))
        for mode, label in PERSONAL_DATA_LABELS.items():
            self.personal_data.addItem(_(label), mode)
        self.personal_data.setToolTip(
            _(
                "What the selected peer gets: pseudonymised bundles leave out the names and "
                "contact details of people"
            )
        )
        self.personal_data.activated.connect(self._on_personal_data_activated)
        self.revoke_button = QPushButton(_("Revoke key…"))
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.result = result_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_enrolment_button)
        buttons.addWidget(self.enrol_button)
        buttons.addStretch(1)
        personal = QLabel(_("Personal data sent:"))
        personal.setBuddy(self.personal_data)
        buttons.addWidget(personal)
        buttons.addWidget(self.personal_data)
        buttons.addWidget(self.revoke_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.no_peers)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self.show_peers([])

    def show_peers(self, peers: list[PeerInfo]) -> None:
        """Show ``peers``, keeping the selected one selected (the first one otherwise)."""
        chosen = self.selected_peer()
        wanted = self._wanted or (chosen.node_id if chosen is not None else None)
        self._wanted = None
        self.peers = peers
        self.table.show_table(peers_table(peers))
        fixed = monospace(QLabel()).font()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 2)
            if item is not None:
                item.setFont(fixed)
        self.table.setVisible(bool(peers))
        self.no_peers.setVisible(not peers)
        ids = [p.node_id for p in peers]
        if peers:
            self.table.selectRow(ids.index(wanted) if wanted in ids else 0)
        self._on_table_item_selection_changed()

    def selected_peer(self) -> PeerInfo | None:
        """The peer selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        found = rows[0].row() if rows else len(self.peers)
        return self.peers[found] if found < len(self.peers) else None

    def select_peer(self, name: str) -> None:
        """Select the peer called ``name``."""
        for row, peer in enumerate(self.peers):
            if peer.name == name:
                self.table.selectRow(row)

    @Slot()
    def _on_table_item_selection_changed(self) -> None:
        peer = self.selected_peer()
        trusted = peer is not None and not peer.revoked
        self.revoke_button.setEnabled(trusted)
        self.personal_data.setEnabled(trusted)
        if peer is not None:
            self.personal_data.setCurrentIndex(self.personal_data.findData(peer.personal_data))
        self.selection_changed.emit()

    def _said(self, text: str) -> None:
        say(self.result, text)
        self.said.emit(text)

    @Slot()
    def save_enrolment(self) -> None:
        """Write this installation's enrolment file where the user chooses."""
        path = SyncFiles.save(
            self,
            _("Save my enrolment file"),
            file_name(self.node.name) + ENROLMENT_SUFFIX,
            _(ENROLMENT_FILES),
            ENROLMENT_SUFFIX,
        )
        if path is None:
            return
        sync = self.services.sync

        def work(_progress: Progress) -> Path:
            try:
                write_atomically(path, sync.enrolment())
            except OSError as error:
                raise ServiceError(
                    _("Cannot write {path}: {reason}.").format(path=path, reason=error.strerror)
                ) from error
            return path

        def done(written: Path) -> None:
            self._said(
                _(
                    "Enrolment file written to {path}. Send it to the other installation and "
                    "read them your fingerprint: {fingerprint}."
                ).format(path=written, fingerprint=self.fingerprint)
            )

        run_operation(self, work, done, _("Cannot save the enrolment file"))

    @Slot()
    def enrol_installation(self) -> None:
        """Read another installation's enrolment file; trust it once its fingerprint matches."""
        path = SyncFiles.open(self, _("Enrol an installation"), _(ENROLMENT_FILES))
        if path is None:
            return
        title = _("Cannot enrol from {name}").format(name=path.name)
        try:
            with path.open("rb") as handle:
                data = handle.read(ENROLMENT_READ_LIMIT)
            enrolment = self.services.sync.read_enrolment(data)
        except OSError as error:
            messages.show_error(
                self,
                title,
                _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror),
            )
            return
        except ServiceError as error:
            messages.show_error(self, title, str(error))
            return
        known = next((p for p in self.peers if p.node_id == enrolment.node_id), None)
        if not EnrolDialog.ask(self, enrolment, known):
            self._said(_("Not enrolled: the fingerprint was not confirmed."))
            return
        self._enrol(enrolment, title)

    def _enrol(self, enrolment: Enrolment, title: str) -> None:
        sync = self.services.sync

        def done(peer: PeerInfo) -> None:
            self._said(
                _("Enrolled {name} ({where}), fingerprint {fingerprint}.").format(
                    name=peer.name,
                    where=where_text(peer.centre, peer.is_secretariat),
                    fingerprint=peer.readable_fingerprint,
                )
            )
            self._wanted = peer.node_id
            self.changed.emit()

        run_operation(self, lambda _progress: sync.enrol(enrolment), done, title)

    @Slot()
    def revoke_selected(self) -> None:
        """After confirmation, stop trusting the selected peer's key."""
        peer = self.selected_peer()
        if peer is None or peer.revoked:
            return
        if not messages.confirm(
            self,
            _("Revoke key"),
            _(
                "Stop trusting the key of {name} ({fingerprint})?\n\nIts bundles will be "
                "refused, and nothing will be exported for it, until it enrols a new key."
            ).format(name=peer.name, fingerprint=peer.readable_fingerprint),
        ):
            return
        sync = self.services.sync

        def done(revoked: PeerInfo) -> None:
            self._said(_("Revoked the key of {name}.").format(name=revoked.name))
            self.changed.emit()

        run_operation(
            self, lambda _progress: sync.revoke(peer.node_id), done, _("Cannot revoke the key")
        )

    @Slot(int)
    def _on_personal_data_activated(self, index: int) -> None:
        self.set_personal_data(self.personal_data.itemData(index))

    def set_personal_data(self, mode: str) -> None:
        """Send the selected peer ``full`` personal data or ``pseudonymised`` participants."""
        peer = self.selected_peer()
        if peer is None or peer.personal_data == mode:
            return
        sync = self.services.sync

        def done(changed: PeerInfo) -> None:
            self._said(
                _("{name} now gets this personal data: {mode}.").format(
                    name=changed.name, mode=in_sentence(personal_data_label(changed.personal_data))
                )
            )
            self.changed.emit()

        run_operation(
            self,
            lambda _progress: sync.set_personal_data(peer.node_id, mode),
            done,
            _("Cannot change what {name} gets").format(name=peer.name),
        )


def record_names(services: Services, conflicts: list[ConflictInfo]) -> dict[str, str]:
    """The names of the live records ``conflicts`` are about, by id (read off the GUI thread)."""
    names: dict[str, str] = {}
    for conflict in conflicts:
        service = services.record_service(conflict.entity)
        if service is None or conflict.record_id in names:
            continue
        try:
            record = service.get(conflict.record_id)
        except NotFound:  # deleted: its id says which it is
            continue
        person = (getattr(record, "given_name", ""), getattr(record, "family_name", ""))
        name = getattr(record, "name", "") or getattr(record, "title", "") or " ".join(person)
        if str(name).strip():
            names[conflict.record_id] = str(name).strip()
    return names


def conflicts_table(
    conflicts: list[ConflictInfo], nodes: dict[str, str], records: dict[str, str]
) -> Table:
    """The open conflicts; ``nodes`` names installations, ``records`` records, by id."""

    def written(at: dt.datetime, node_id: str) -> str:
        node = nodes.get(node_id) or _("installation {id}").format(id=node_id[:8])
        return local_time_text(at) + "\n" + node

    return Table(
        _("Conflict log"),
        [
            _("Kind of record"),
            _("Record"),
            _("Field"),
            _("Lost value"),
            _("Lost value written"),
            _("Kept value"),
            _("Kept value written"),
        ],
        [
            [
                entity_label(c.entity),
                shorten(records.get(c.record_id) or c.record_id[:8], 40),
                _("Deleted or not") if c.field == "deleted" else field_label(c.entity, c.field),
                value_text(c.entity, c.field, c.lost),
                written(c.lost_at, c.lost_by),
                value_text(c.entity, c.field, c.kept),
                written(c.kept_at, c.kept_by),
            ]
            for c in conflicts
        ],
    )


class ConflictLog(QWidget):
    """The values merges did not keep, to bring back or to let go."""

    #: What was done, for the status bar.
    said = Signal(str)
    #: A conflict was settled: read the log again.
    changed = Signal()

    def __init__(self, services: Services, edits: Edits) -> None:
        super().__init__()
        self.services = services
        self.edits = edits
        self.conflicts: list[ConflictInfo] = []
        self.caption = caption_label(_("Conflict log"))
        self.table = WideTable(stretch_column=3)
        self.table.setSelectionMode(FiguresTable.SelectionMode.SingleSelection)
        self.table.setAccessibleName(_("Conflict log"))
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.no_conflicts = note_label(_("No conflicts: every change merged without a loss."))
        self.restore_button = QPushButton(_("Bring back the lost value"))
        self.restore_button.clicked.connect(self.bring_back)
        self.dismiss_button = QPushButton(_("Keep the current value"))
        self.dismiss_button.clicked.connect(self.keep_current)
        self.result = result_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.caption)
        layout.addWidget(
            note_label(
                _(
                    "When two installations changed the same value without seeing each "
                    "other's change, the later one is kept and the other is logged here. "
                    "Either choice below closes the entry."
                )
            )
        )
        layout.addWidget(self.table)
        layout.addWidget(self.no_conflicts)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self.show_conflicts([], {}, {})

    def show_conflicts(
        self, conflicts: list[ConflictInfo], nodes: dict[str, str], records: dict[str, str]
    ) -> None:
        """Show the open ``conflicts``; ``nodes`` names installations, ``records`` records."""
        chosen = self.selected_conflict()
        self.conflicts = conflicts
        self.table.show_table(conflicts_table(conflicts, nodes, records))
        for row, conflict in enumerate(conflicts):
            for column, tip in ((1, conflict.record_id), (3, conflict.lost), (5, conflict.kept)):
                item = self.table.item(row, column)
                if item is not None:
                    item.setToolTip(str(tip))
        count = len(conflicts)
        self.caption.setText(
            ngettext("Conflict log ({count} open)", "Conflict log ({count} open)", count).format(
                count=format_number(count)
            )
            if count
            else _("Conflict log")
        )
        self.table.setVisible(bool(conflicts))
        self.no_conflicts.setVisible(not conflicts)
        ids = [c.id for c in conflicts]
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        self._on_table_item_selection_changed()

    def selected_conflict(self) -> ConflictInfo | None:
        """The conflict selected in the log."""
        rows = self.table.selectionModel().selectedRows()
        found = rows[0].row() if rows else len(self.conflicts)
        return self.conflicts[found] if found < len(self.conflicts) else None

    @Slot()
    def _on_table_item_selection_changed(self) -> None:
        chosen = self.selected_conflict() is not None
        self.restore_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)

    @Slot()
    def bring_back(self) -> None:
        """Put the selected conflict's lost value back in its record."""
        self._settle(restore=True)

    @Slot()
    def keep_current(self) -> None:
        """Close the selected conflict, keeping the current value."""
        self._settle(restore=False)

    def _settle(self, *, restore: bool) -> None:
        conflict = self.selected_conflict()
        if conflict is None:
            return
        sync = self.services.sync
        label = (
            _("whether it is deleted")
            if conflict.field == "deleted"
            else in_sentence(field_label(conflict.entity, conflict.field))
        )

        def done(_settled: ConflictInfo) -> None:
            text = (
                _("The lost value of {field} is back.")
                if restore
                else _("The current value of {field} is kept.")
            )
            say(self.result, text.format(field=label))
            self.said.emit(self.result.text())
            self.changed.emit()
            if restore:  # the record changed: the pages showing it read it again
                self.edits.changed.emit(conflict.entity, [conflict.record_id])

        run_operation(
            self,
            lambda _progress: sync.resolve_conflict(conflict.id, restore=restore),
            done,
            _("Cannot settle the conflict"),
        )
