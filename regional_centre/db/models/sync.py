"""What an installation keeps to exchange bundles: its keys, its peers, the bundles it applied, conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from regional_centre.db.base import ID_LENGTH, STAMP_LENGTH, Base, JSONDict, Synced

FINGERPRINT_LENGTH = 64  # SHA-256 in hex


class NodeKey(Base):
    """A key pair of this installation: Ed25519 to sign, X25519 to receive encrypted bundles.

    The newest key without ``retired_at`` is the current one; retired keys are
    kept so bundles encrypted to them before a rotation can still be opened.
    """

    __tablename__ = "node_key"

    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH), primary_key=True)
    signing_private: Mapped[bytes] = mapped_column(LargeBinary(32))
    encryption_private: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime]
    retired_at: Mapped[dt.datetime | None]


class Peer(Base):
    """Another installation this one exchanges bundles with, and where the exchange stands."""

    __tablename__ = "peer"

    node_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    centre_code: Mapped[str | None] = mapped_column(String(16))
    is_secretariat: Mapped[bool] = mapped_column(default=False)
    signing_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    encryption_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH), unique=True)
    enrolled_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    personal_data: Mapped[str] = mapped_column(String(16), default="full")
    # Bundles made for the peer, and the part of our change sequence it has.
    sent_bundles: Mapped[int] = mapped_column(BigInteger, default=0)
    acked_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    ack_bundle: Mapped[int] = mapped_column(BigInteger, default=0)
    last_export_at: Mapped[dt.datetime | None]
    # Bundles applied from the peer, and the part of its change sequence we have.
    received_bundles: Mapped[int] = mapped_column(BigInteger, default=0)
    received_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_import_at: Mapped[dt.datetime | None]


class RevokedKey(Base):
    """A peer's key that may no longer sign bundles (revoked, or replaced by a new one)."""

    __tablename__ = "revoked_key"

    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT_LENGTH), primary_key=True)
    node_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    revoked_at: Mapped[dt.datetime]


class ReceivedBundle(Base):
    """The ledger of bundles applied here: the same bundle again changes nothing."""

    __tablename__ = "received_bundle"

    bundle_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    number: Mapped[int] = mapped_column(BigInteger)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    from_seq: Mapped[int] = mapped_column(BigInteger)
    to_seq: Mapped[int] = mapped_column(BigInteger)
    applied_at: Mapped[dt.datetime]
    summary: Mapped[dict[str, Any]] = mapped_column(JSONDict(), default=dict)


class EchoSeq(Base):
    """A change number of ours whose rows came unchanged from a peer: not sent back to it."""

    __tablename__ = "echo_seq"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    peer_id: Mapped[str] = mapped_column(String(ID_LENGTH))


class Conflict(Synced, Base):
    """A value a merge did not keep, so the user can see it and bring it back.

    ``field`` is a column name, or ``deleted`` for an edit that met a deletion.
    The id derives from the record, field and stamp of the value lost, so two
    installations that find the same conflict make the same entry.
    """

    __tablename__ = "sync_conflict"

    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    field: Mapped[str] = mapped_column(String(40))
    lost_stamp: Mapped[str] = mapped_column(String(STAMP_LENGTH))
    kept_stamp: Mapped[str] = mapped_column(String(STAMP_LENGTH))
    values: Mapped[dict[str, Any]] = mapped_column(JSONDict())  # {"lost": ..., "kept": ...}
    found_at: Mapped[dt.datetime]
    resolution: Mapped[str] = mapped_column(String(16), default="")
