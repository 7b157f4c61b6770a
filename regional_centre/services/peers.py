"""This installation's keys and the installations it exchanges bundles with.

Enrolling, revoking and rotating keys, where each exchange stands, and (for
the secretariat) every centre side by side. ``SyncService`` builds on this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from regional_centre.db.models import SYNCED_MODELS, Node, NodeKey, Peer, RevokedKey
from regional_centre.i18n import _
from regional_centre.services.bundles import Scope, now, owner_filter, pending_condition
from regional_centre.services.context import SECRETARIAT, ServiceContext
from regional_centre.services.errors import NotFound, ServiceError
from regional_centre.services.reference import ReferenceService
from regional_centre.sync.crypto import KeyPair, PublicKeys, readable_fingerprint
from regional_centre.sync.enrolment import Enrolment, read_enrolment, write_enrolment
from regional_centre.sync.manifest import PERSONAL_DATA, Party

ENROLMENT_SUFFIX = ".rcenrol"


@dataclass(frozen=True)
class PeerInfo:
    """A peer and where the exchange with it stands."""

    node_id: str
    name: str
    centre: str | None
    is_secretariat: bool
    fingerprint: str
    enrolled_at: dt.datetime
    revoked: bool
    personal_data: str
    sent_bundles: int
    received_bundles: int
    last_export_at: dt.datetime | None
    last_import_at: dt.datetime | None
    pending: int  # records the peer should get and has not acknowledged

    @property
    def readable_fingerprint(self) -> str:
        return readable_fingerprint(self.fingerprint)


@dataclass(frozen=True)
class CentreOverview:
    """One centre as the secretariat sees it: its nodes, its last bundle, its records."""

    centre: str
    nodes: tuple[str, ...]  # names of its enrolled installations
    last_import_at: dt.datetime | None  # when a bundle of the centre was last applied here
    bundles: int  # bundles applied from its installations
    counts: dict[str, int]  # live records by table


OVERVIEW_TABLES = (
    "organisation",
    "contact",
    "dialogue",
    "partnership",
    "joint_activity",
    "outcome",
    "training_session",
    "participation",
    "certificate",
)


class PeerRegistry:
    """This installation's keys and its enrolled peers."""

    def __init__(self, context: ServiceContext, reference: ReferenceService) -> None:
        self._context = context
        self._reference = reference

    # Keys and enrolment.

    def keys(self) -> KeyPair:
        """This installation's current keys, made on first use."""
        with self._context.database.sessions.begin() as session:
            row = session.scalars(
                select(NodeKey)
                .where(NodeKey.retired_at.is_(None))
                .order_by(NodeKey.created_at.desc())
            ).first()
            if row is not None:
                return KeyPair(row.signing_private, row.encryption_private)
            keys = KeyPair.generate()
            _store_keys(session, keys)
            return keys

    def fingerprint(self) -> str:
        """This installation's fingerprint, to read out to a peer."""
        return self.keys().public.fingerprint

    def enrolment(self) -> bytes:
        """This installation's enrolment file."""
        keys = self.keys()
        return write_enrolment(self._party(keys.public), keys, previous=self._previous_keys())

    def rotate_keys(self) -> bytes:
        """Replace this installation's keys; return the enrolment file that announces the new ones.

        The new file is endorsed by the old key, so peers that knew it accept
        the new one without comparing fingerprints again.
        """
        self.keys()  # make sure there is a key to retire and endorse the new one
        with self._context.database.sessions.begin() as session:
            session.execute(
                update(NodeKey).where(NodeKey.retired_at.is_(None)).values(retired_at=now())
            )
            _store_keys(session, KeyPair.generate())
        return self.enrolment()

    def read_enrolment(self, data: bytes) -> Enrolment:
        """Check an enrolment file before asking the user to compare its fingerprint."""
        with self._context.read() as session:
            known = {
                p.fingerprint: PublicKeys(p.signing_key, p.encryption_key)
                for p in session.scalars(select(Peer))
            }
        enrolment = read_enrolment(data, known=known)
        if enrolment.node_id == self._context.node.id:
            raise ServiceError(_("This is this installation's own enrolment file."))
        return enrolment

    def enrol(self, enrolment: Enrolment) -> PeerInfo:
        """Trust ``enrolment``'s keys for its installation (its fingerprint was confirmed).

        Enrolling an installation again with new keys replaces the old ones,
        which can no longer sign bundles for this installation.
        """
        when = now()
        with self._context.database.sessions.begin() as session:
            if session.get(RevokedKey, enrolment.fingerprint) is not None:
                raise ServiceError(
                    _("This key was revoked; {name} must make a new one.").format(
                        name=enrolment.name
                    )
                )
            clash = session.scalars(
                select(Peer).where(
                    Peer.fingerprint == enrolment.fingerprint, Peer.node_id != enrolment.node_id
                )
            ).first()
            if clash is not None:
                raise ServiceError(_("Another installation already uses this key."))
            peer = session.get(Peer, enrolment.node_id)
            if peer is None:
                peer = Peer(
                    node_id=enrolment.node_id,
                    enrolled_at=when,
                    personal_data="full",
                    sent_bundles=0,
                    acked_seq=0,
                    ack_bundle=0,
                    received_bundles=0,
                    received_seq=0,
                )
                session.add(peer)
            elif peer.fingerprint != enrolment.fingerprint:
                session.merge(
                    RevokedKey(fingerprint=peer.fingerprint, node_id=peer.node_id, revoked_at=when)
                )
            peer.name = enrolment.name
            peer.centre_code = enrolment.centre
            peer.is_secretariat = enrolment.secretariat
            peer.signing_key = enrolment.keys.signing
            peer.encryption_key = enrolment.keys.encryption
            peer.fingerprint = enrolment.fingerprint
            peer.revoked_at = None
        return self.peer(enrolment.node_id)

    def revoke(self, name_or_id: str) -> PeerInfo:
        """Stop trusting a peer's key: its bundles are refused until it enrols a new one."""
        node_id = self.peer(name_or_id).node_id
        when = now()
        with self._context.database.sessions.begin() as session:
            peer = session.get(Peer, node_id)
            assert peer is not None
            peer.revoked_at = when
            session.merge(
                RevokedKey(fingerprint=peer.fingerprint, node_id=node_id, revoked_at=when)
            )
        return self.peer(node_id)

    def set_personal_data(self, name_or_id: str, mode: str) -> PeerInfo:
        """Send the peer ``full`` personal data or ``pseudonymised`` participants."""
        if mode not in PERSONAL_DATA:
            raise ServiceError(
                _("Personal data is either 'full' or 'pseudonymised', not '{mode}'.").format(
                    mode=mode
                )
            )
        node_id = self.peer(name_or_id).node_id
        with self._context.database.sessions.begin() as session:
            session.execute(update(Peer).where(Peer.node_id == node_id).values(personal_data=mode))
        return self.peer(node_id)

    # Peers.

    def peers(self) -> list[PeerInfo]:
        """Every enrolled peer, by name."""
        with self._context.read() as session:
            seq = self._seq(session)
            return [
                self._info(session, p, seq)
                for p in session.scalars(select(Peer).order_by(Peer.name, Peer.node_id))
            ]

    def peer(self, name_or_id: str) -> PeerInfo:
        """The peer with this name (as given at its ``init``) or node id."""
        with self._context.read() as session:
            matches = session.scalars(
                select(Peer).where((Peer.name == name_or_id) | (Peer.node_id == name_or_id))
            ).all()
            if not matches:
                raise NotFound(
                    _("No enrolled installation is called '{name}'; 'peers' lists them.").format(
                        name=name_or_id
                    )
                )
            if len(matches) > 1:
                raise ServiceError(
                    _("Several installations are called '{name}'; give the node id.").format(
                        name=name_or_id
                    )
                )
            return self._info(session, matches[0], self._seq(session))

    def _info(self, session: Session, peer: Peer, seq: int) -> PeerInfo:
        scope = self._scope(peer, seq, pseudonymise=False)
        pending = sum(
            session.scalar(
                select(func.count()).select_from(model).where(pending_condition(model, scope))
            )
            or 0
            for model in SYNCED_MODELS
        )
        return PeerInfo(
            node_id=peer.node_id,
            name=peer.name,
            centre=peer.centre_code,
            is_secretariat=peer.is_secretariat,
            fingerprint=peer.fingerprint,
            enrolled_at=peer.enrolled_at,
            revoked=peer.revoked_at is not None,
            personal_data=peer.personal_data,
            sent_bundles=peer.sent_bundles,
            received_bundles=peer.received_bundles,
            last_export_at=peer.last_export_at,
            last_import_at=peer.last_import_at,
            pending=pending,
        )

    def centres_overview(self) -> list[CentreOverview]:
        """Every centre with records or installations here, side by side (secretariat mode)."""
        models = {m.__tablename__: m for m in SYNCED_MODELS}
        counts: dict[str, dict[str, int]] = {}
        with self._context.read() as session:
            for table in OVERVIEW_TABLES:
                model = models[table]
                rows = session.execute(
                    select(model.owner, func.count())
                    .where(model.deleted.is_(False))
                    .group_by(model.owner)
                )
                for owner, count in rows:
                    counts.setdefault(owner, {})[table] = count
            peers = session.scalars(select(Peer).where(Peer.centre_code.is_not(None))).all()
        by_centre: dict[str, list[Peer]] = {}
        for peer in peers:
            by_centre.setdefault(str(peer.centre_code), []).append(peer)
        overview = []
        for centre in sorted(set(counts) | set(by_centre)):
            if centre == SECRETARIAT:
                continue
            nodes = sorted(by_centre.get(centre, []), key=lambda p: p.name)
            imports = [p.last_import_at for p in nodes if p.last_import_at is not None]
            overview.append(
                CentreOverview(
                    centre=centre,
                    nodes=tuple(p.name for p in nodes),
                    last_import_at=max(imports) if imports else None,
                    bundles=sum(p.received_bundles for p in nodes),
                    counts={t: counts.get(centre, {}).get(t, 0) for t in OVERVIEW_TABLES},
                )
            )
        return overview

    # Internals.

    def _keys_for(self, fingerprint: str) -> KeyPair | None:
        with self._context.read() as session:
            for row in session.scalars(select(NodeKey)):
                keys = KeyPair(row.signing_private, row.encryption_private)
                if keys.public.fingerprint == fingerprint:
                    return keys
        return None

    def _previous_keys(self) -> KeyPair | None:
        with self._context.read() as session:
            row = session.scalars(
                select(NodeKey)
                .where(NodeKey.retired_at.is_not(None))
                .order_by(NodeKey.retired_at.desc())
            ).first()
            return None if row is None else KeyPair(row.signing_private, row.encryption_private)

    def _party(self, keys: PublicKeys) -> Party:
        node = self._context.node
        return Party(node.id, node.name, node.centre_code, node.is_secretariat, keys.fingerprint)

    def _seq(self, session: Session) -> int:
        seq: int = session.scalar(select(Node.seq).where(Node.id == self._context.node.id)) or 0
        return seq

    def _scope(self, peer: Peer, seq: int, *, pseudonymise: bool) -> Scope:
        node = self._context.node
        return Scope(
            from_seq=peer.acked_seq,
            to_seq=seq,
            peer_id=peer.node_id,
            owner_filter=owner_filter(
                node.is_secretariat, node.centre_code, peer.is_secretariat, peer.centre_code
            ),
            pseudonymise=pseudonymise,
        )


def _store_keys(session: Session, keys: KeyPair) -> None:
    session.add(
        NodeKey(
            fingerprint=keys.public.fingerprint,
            signing_private=keys.signing_private,
            encryption_private=keys.encryption_private,
            created_at=now(),
            retired_at=None,
        )
    )
