"""This installation, the shipped code lists and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from regional_centre.db.base import ID_LENGTH, Base, JSONDict, Synced
from regional_centre.enums import AuditAction


class Node(Base):
    """An installation of the program: this one (``is_self``) or a peer it knows."""

    __tablename__ = "node"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    centre_code: Mapped[str | None] = mapped_column(String(16))
    is_secretariat: Mapped[bool] = mapped_column(default=False)
    is_self: Mapped[bool] = mapped_column(default=False)
    clock: Mapped[int] = mapped_column(BigInteger, default=0)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime]


class ReferenceList(Base):
    """A versioned code list (centres, countries, sectors, waste streams, ...)."""

    __tablename__ = "reference_list"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[dt.datetime]


class ReferenceCode(Base):
    """One entry of a code list, with its English title; other languages come from catalogues."""

    __tablename__ = "reference_code"

    list_name: Mapped[str] = mapped_column(
        String(40), ForeignKey("reference_list.name", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    parent: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONDict(), default=dict)
    retired: Mapped[bool] = mapped_column(default=False)


class AuditEntry(Synced, Base):
    """Who changed what, when: the before and after value of every field a change touched."""

    __tablename__ = "audit_entry"

    at: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    node_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    action: Mapped[AuditAction]
    changes: Mapped[dict[str, Any]] = mapped_column(JSONDict(), default=dict)
