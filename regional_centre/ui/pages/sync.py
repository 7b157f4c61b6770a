"""The Sync page: this installation as a node of the network, its peers and the exchange.

At the top, who this node is (with the fingerprint its peers compare) and the
exchange itself: export a bundle for a peer, import one (also by dropping the
file on the window: a dry run first, then a preview to confirm). Below, the
peers with where the exchange with each stands, the conflict log, and at the
Secretariat the centres side by side; last, what this node holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from regional_centre.i18n import N_, _, format_number, ngettext
from regional_centre.reports.spreadsheets import Table
from regional_centre.services import Services
from regional_centre.services.fields import entity_label
from regional_centre.services.installation import NodeStatus
from regional_centre.services.peers import OVERVIEW_TABLES, CentreOverview, PeerInfo
from regional_centre.services.reference import CodeListInfo
from regional_centre.services.sync import BUNDLE_SUFFIX, ConflictInfo
from regional_centre.sync.crypto import readable_fingerprint
from regional_centre.ui import messages
from regional_centre.ui.edits import Edits
from regional_centre.ui.operations import run_query
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.reports import FiguresTable, caption_label, note_label, title_label
from regional_centre.ui.pages.settings import back_up_now, local_time_text
from regional_centre.ui.pages.sync_dialogs import (
    ImportPreviewDialog,
    SyncFiles,
    exchange_texts,
    file_name,
    import_summary,
    list_label,
    monospace,
    result_label,
    run_operation,
    say,
    selectable,
    time_cell,
)
from regional_centre.ui.pages.sync_tables import ConflictLog, PeersBox, WideTable, record_names
from regional_centre.ui.settings import Settings

if TYPE_CHECKING:
    from regional_centre.services.sync import ExportResult, ImportReport

# The services whose records this node holds and will exchange, in the order shown.
COUNTED = (
    "organisations",
    "contacts",
    "dialogues",
    "dialogue_participants",
    "follow_up_actions",
    "partnerships",
    "partnership_members",
    "activities",
    "contributions",
    "outcomes",
    "reviews",
    "sessions",
    "participations",
    "certificates",
    "sme_follow_ups",
)
BUNDLE_FILES = N_("Sync bundles (*.rcbundle)")


@dataclass(frozen=True)
class NodeFacts:
    """What the page reads from the database (off the GUI thread)."""

    status: NodeStatus
    counts: list[tuple[str, int]]  # (entity, live records)
    lists: list[CodeListInfo]
    peers: list[PeerInfo]
    conflicts: list[ConflictInfo]
    record_names: dict[str, str]  # the records the conflicts are about, by id
    centres: list[CentreOverview] | None  # at the Secretariat only


def read_facts(services: Services) -> NodeFacts:
    """This node's change status, record counts, code lists, peers, conflicts (and centres)."""
    counts = []
    for name in COUNTED:
        service = getattr(services, name)
        counts.append((service.entity, service.count()))
    sync = services.sync
    secretariat = services.installation.this_node().is_secretariat
    conflicts = sync.conflicts()
    return NodeFacts(
        services.installation.status(),
        counts,
        services.reference.lists(),
        sync.peers(),
        conflicts,
        record_names(services, conflicts),
        sync.centres_overview() if secretariat else None,
    )


class SyncPage(Page):
    """This installation as a sync node: identity, peers, exchange, conflicts and holdings."""

    #: Everything the page shows was read and is on the page.
    loaded = Signal()
    #: A backup was made: the new file.
    backed_up = Signal(Path)
    #: A bundle was imported: the other pages should read their records again.
    data_imported = Signal()

    def __init__(self, services: Services, edits: Edits, settings: Settings) -> None:
        super().__init__()
        self.services = services
        self._generation = 0
        self.follow_edits(edits)
        self.node = node = services.installation.this_node()

        identity = QGroupBox(_("This installation"))
        identity_layout = QVBoxLayout(identity)
        identity_layout.addLayout(self._identity_form())
        identity_layout.addWidget(
            note_label(
                _(
                    "Each change made here gets the next number; a bundle carries the changes "
                    "a peer has not acknowledged yet. Peers compare the fingerprint before "
                    "they trust this installation's bundles."
                )
            )
        )
        identity_layout.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(identity, 1)
        top.addWidget(self._exchange_box(), 1)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(title_label(_("Sync")))
        inner.addLayout(top)
        inner.addSpacing(8)
        self.peers_box = PeersBox(services, node, self.fingerprint.text())
        self.conflict_log = ConflictLog(services, edits)
        for section in (self.peers_box, self.conflict_log):
            section.said.connect(self.status_message)
            section.changed.connect(self.refresh)
            inner.addWidget(section)
            inner.addSpacing(8)
        self.peers_box.selection_changed.connect(self._on_peers_box_selection_changed)
        self.centres_caption = caption_label(_("Centres side by side"))
        self.centres_table = WideTable(stretch_column=1)
        self.centres_note = note_label(
            _(
                "Live records of each centre held here, from the bundles its installations "
                "sent; the last bundle is the last one applied here."
            )
        )
        for widget in (self.centres_caption, self.centres_table, self.centres_note):
            widget.setVisible(node.is_secretariat)
            inner.addWidget(widget)
        inner.addSpacing(8)
        inner.addLayout(self._holdings_section())
        inner.addStretch(1)
        self.set_scrolling_content(content)
        self._on_peers_box_selection_changed()
        self.refresh()

    # Building.

    def _identity_form(self) -> QFormLayout:
        node = self.node
        self.centre = selectable(QLabel(self._centre_text(node.centre_code)))
        self.centre.setWordWrap(True)
        self.node_name = selectable(QLabel(node.name))
        self.node_id = selectable(QLabel(node.id))
        fingerprint = readable_fingerprint(self.services.sync.fingerprint())
        self.fingerprint = selectable(monospace(QLabel(fingerprint), 1.15))
        self.fingerprint.setAccessibleName(_("Fingerprint"))
        self.seq = selectable(QLabel("…"))
        self.last_change = selectable(QLabel("…"))
        self.created = QLabel("…")
        form = QFormLayout()
        form.addRow(_("Works for:"), self.centre)
        form.addRow(_("Node name:"), self.node_name)
        form.addRow(_("Node id:"), self.node_id)
        form.addRow(_("Fingerprint:"), self.fingerprint)
        form.addRow(_("Set up on:"), self.created)
        form.addRow(_("Changes made here:"), self.seq)
        form.addRow(_("Last change:"), self.last_change)
        return form

    def _exchange_box(self) -> QGroupBox:
        self.export_button = QPushButton(_("Export bundle for…"))
        self.export_button.clicked.connect(self.export_bundle)
        self.import_button = QPushButton(_("Import bundle…"))
        self.import_button.setToolTip(_("Check a bundle, see what it changes, then import it"))
        self.import_button.clicked.connect(self.choose_bundle)
        self.exchange_result = result_label()
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.clicked.connect(self.back_up)
        self.backup_button.setEnabled(self.services.maintenance.database_file() is not None)
        self.backup_result = result_label()
        self.last_export = selectable(QLabel("…"))
        self.last_import = selectable(QLabel("…"))
        self.pending = selectable(QLabel("…"))
        for label in (self.last_export, self.last_import, self.pending):
            label.setWordWrap(True)
        box = QGroupBox(_("Exchanging changes"))
        layout = QVBoxLayout(box)
        form = QFormLayout()
        form.addRow(_("Last export:"), self.last_export)
        form.addRow(_("Last import:"), self.last_import)
        form.addRow(_("Pending records:"), self.pending)
        layout.addLayout(form)
        layout.addWidget(
            note_label(
                _(
                    "Export a bundle for the peer selected below and carry it over (USB stick, "
                    "e-mail): it is signed, and only that peer can open it. Import the bundles "
                    "peers send you, or drop a .rcbundle file onto this window: you see what it "
                    "changes before anything is changed."
                )
            )
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.exchange_result)
        layout.addStretch(1)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_button)
        backup_row.addStretch(1)
        layout.addLayout(backup_row)
        layout.addWidget(self.backup_result)
        return box

    def _holdings_section(self) -> QHBoxLayout:
        self.state = QLabel(_("Counting…"))
        self.counts_table = FiguresTable()
        self.lists_table = FiguresTable(stretch_column=3)
        records = QVBoxLayout()
        records.setSpacing(4)
        records.addWidget(caption_label(_("Records held here")))
        records.addWidget(self.state)
        records.addWidget(self.counts_table)
        records.addStretch(1)
        lists = QVBoxLayout()
        lists.setSpacing(4)
        lists.addWidget(caption_label(_("Code lists")))
        lists.addWidget(self.lists_table)
        lists.addWidget(
            note_label(
                _(
                    "Nodes that exchange changes should use the same versions of the code "
                    "lists; the Secretariat's bundles bring newer ones."
                )
            )
        )
        lists.addStretch(1)
        tables = QHBoxLayout()
        tables.setSpacing(24)
        tables.addLayout(records, 2)
        tables.addLayout(lists, 3)
        return tables

    def _centre_text(self, code: str | None) -> str:
        if code is None:
            return _("The Secretariat of the Basel Convention")
        centre = next((c for c in self.services.reference.centres() if c.code == code), None)
        if centre is None:
            return code
        city = centre.attributes.get("city")
        if city:
            return _("{code}: {title}, {city}").format(code=code, title=centre.title, city=city)
        return _("{code}: {title}").format(code=code, title=centre.title)

    # Reading.

    def refresh(self) -> None:
        """F5: read the status, peers, conflicts, counts and code lists again."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        services = self.services
        self.state.setText(_("Counting…"))
        self.state.show()

        def done(facts: NodeFacts) -> None:
            if generation == self._generation and isValid(self):  # the page may be gone
                self._show(facts)

        def failed(error: BaseException) -> None:
            if generation == self._generation and isValid(self):
                self.state.setText(_("The records could not be counted."))
                messages.show_error(self, _("Cannot read this installation's figures"), str(error))

        run_query(lambda: read_facts(services), done, failed)

    def _show(self, facts: NodeFacts) -> None:
        status = facts.status
        self.seq.setText(format_number(status.seq))
        self.last_change.setText(
            local_time_text(status.last_change) if status.last_change else _("None yet")
        )
        self.created.setText(local_time_text(status.created_at))
        self.peers_box.show_peers(facts.peers)
        self._show_exchanges(facts.peers)
        names = {p.node_id: p.name for p in facts.peers} | {self.node.id: self.node.name}
        self.conflict_log.show_conflicts(facts.conflicts, names, facts.record_names)
        if facts.centres is not None:
            self._show_centres(facts.centres)
        total = sum(count for _entity, count in facts.counts)
        self.counts_table.show_table(
            Table(
                _("Records held here"),
                [_("Kind of record"), _("Records")],
                [
                    *([entity_label(entity), count] for entity, count in facts.counts),
                    [_("All records"), total],
                ],
            )
        )
        self.lists_table.show_table(
            Table(
                _("Code lists"),
                [_("Code list"), _("Version"), _("Entries"), _("Source")],
                [
                    [list_label(info.name), info.version, info.size, info.source]
                    for info in facts.lists
                ],
            )
        )
        self.state.hide()
        self.loaded.emit()

    def _show_centres(self, centres: list[CentreOverview]) -> None:
        self.centres_table.show_table(
            Table(
                _("Centres side by side"),
                [
                    _("Centre"),
                    _("Installations"),
                    _("Bundles\napplied"),
                    _("Last bundle"),
                    *(entity_label(table).replace(" ", "\n", 1) for table in OVERVIEW_TABLES),
                ],
                [
                    [
                        c.centre,
                        ", ".join(c.nodes) or _("None enrolled"),
                        c.bundles,
                        time_cell(c.last_import_at),
                        *(c.counts.get(table, 0) for table in OVERVIEW_TABLES),
                    ]
                    for c in centres
                ],
            )
        )

    # Exchanging.

    def _said(self, label: QLabel, text: str) -> None:
        say(label, text)
        self.status_message.emit(text)

    def _show_exchanges(self, peers: list[PeerInfo]) -> None:
        texts = exchange_texts(peers)
        for label, text in zip(
            (self.last_export, self.last_import, self.pending), texts, strict=True
        ):
            label.setText(text)

    @Slot()
    def _on_peers_box_selection_changed(self) -> None:
        peer = self.peers_box.selected_peer()
        trusted = peer is not None and not peer.revoked
        self.export_button.setEnabled(trusted)
        if peer is None:
            self.export_button.setText(_("Export bundle for…"))
            self.export_button.setToolTip(_("Enrol an installation first"))
        else:
            self.export_button.setText(_("Export bundle for {name}…").format(name=peer.name))
            self.export_button.setToolTip(
                _("Write the changes {name} has not acknowledged yet").format(name=peer.name)
                if trusted
                else _("The key of {name} was revoked; enrol its new key first").format(
                    name=peer.name
                )
            )

    @Slot()
    def export_bundle(self) -> None:
        """Write a bundle of what the selected peer has not acknowledged, where the user chooses."""
        peer = self.peers_box.selected_peer()
        if peer is None or peer.revoked:
            return
        today = dt.date.today().isoformat()
        path = SyncFiles.save(
            self,
            _("Export bundle for {name}").format(name=peer.name),
            file_name(f"{self.node.name}-to-{peer.name}-{today}") + BUNDLE_SUFFIX,
            _(BUNDLE_FILES),
            BUNDLE_SUFFIX,
        )
        if path is None:
            return
        sync = self.services.sync

        def done(result: ExportResult) -> None:
            records = sum(n for table, n in result.counts.items() if table != "reference")
            self._said(
                self.exchange_result,
                ngettext(
                    "Bundle {number} for {name} written to {path}: {count} record.",
                    "Bundle {number} for {name} written to {path}: {count} records.",
                    records,
                ).format(
                    number=result.manifest.number,
                    name=peer.name,
                    path=result.path,
                    count=format_number(records),
                ),
            )
            self.refresh()

        run_operation(
            self,
            lambda progress: sync.export_bundle(peer.node_id, path, progress=progress),
            done,
            _("Cannot export the bundle"),
            _("Writing the bundle for {name}…").format(name=peer.name),
        )

    @Slot()
    def choose_bundle(self) -> None:
        """Ask for a bundle file and import it (after its preview)."""
        path = SyncFiles.open(self, _("Import bundle"), _(BUNDLE_FILES))
        if path is not None:
            self.import_bundle_file(path)

    def import_bundle_file(self, path: Path) -> None:
        """Check ``path`` with a dry run, show what it would change, import it if confirmed."""
        sync = self.services.sync
        title = _("Cannot import {name}").format(name=path.name)
        say(self.exchange_result, "")

        def previewed(report: ImportReport) -> None:
            if report.already_imported:
                messages.show_information(
                    self,
                    _("Already imported"),
                    _("Bundle {number} from {name} was imported before; nothing changed.").format(
                        number=report.manifest.number, name=report.sender
                    ),
                )
                return
            if not ImportPreviewDialog.ask(self, report):
                self._said(self.exchange_result, _("Not imported: nothing was changed."))
                return
            run_operation(
                self,
                lambda progress: sync.import_bundle(path, progress=progress),
                imported,
                title,
                _("Importing bundle {number} from {name}…").format(
                    number=report.manifest.number, name=report.sender
                ),
            )

        def imported(report: ImportReport) -> None:
            self._said(self.exchange_result, import_summary(report))
            self.refresh()
            self.data_imported.emit()

        run_operation(
            self,
            lambda progress: sync.import_bundle(path, dry_run=True, progress=progress),
            previewed,
            title,
            _("Checking the bundle…"),
        )

    # Backup.

    @Slot()
    def back_up(self) -> None:
        """Copy the database into its backups folder now, and say where."""
        say(self.backup_result, "")

        def done(path: Path) -> None:
            say(self.backup_result, _("Backup written to {path}").format(path=path))
            self.status_message.emit(_("Backup written to {path}.").format(path=path))
            self.backed_up.emit(path)

        back_up_now(self, self.services, done)
