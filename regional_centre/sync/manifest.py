"""The manifest of a bundle: who sent it to whom, what it covers and what it holds."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from regional_centre.i18n import _
from regional_centre.sync import strict_json
from regional_centre.sync.archive import MEMBER_NAME, BundleRefused, MemberInfo

FORMAT = 1
PERSONAL_DATA = ("full", "pseudonymised")
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Party:
    """The sender or the recipient of a bundle."""

    node_id: str
    name: str
    centre: str | None
    secretariat: bool
    fingerprint: str

    def as_json(self) -> dict[str, Any]:
        return {
            "node_id": self.node_id,
            "name": self.name,
            "centre": self.centre,
            "secretariat": self.secretariat,
            "fingerprint": self.fingerprint,
        }


@dataclass(frozen=True)
class Manifest:
    """Everything a bundle says about itself; signed by its sender."""

    format: int
    schema: str
    bundle_id: str
    created_at: dt.datetime
    sender: Party
    recipient: Party
    number: int  # the sender's how-manieth bundle for this recipient
    from_seq: int  # the sender's changes after this one ...
    to_seq: int  # ... up to this one are in the bundle
    ack_seq: int  # the recipient's changes the sender has applied, up to this one
    ack_bundle: int  # the number of the recipient's last bundle the sender applied
    personal_data: str
    members: tuple[MemberInfo, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Records per member (a table, or ``reference``)."""
        return {_table_of(m.name): m.rows for m in self.members}

    def as_json(self) -> dict[str, Any]:
        """The manifest without its members (the writer adds those)."""
        return {
            "format": self.format,
            "schema": self.schema,
            "bundle_id": self.bundle_id,
            "created_at": self.created_at.isoformat(),
            "sender": self.sender.as_json(),
            "recipient": self.recipient.as_json(),
            "number": self.number,
            "sequence": {"from": self.from_seq, "to": self.to_seq},
            "acknowledges": {"seq": self.ack_seq, "bundle": self.ack_bundle},
            "personal_data": self.personal_data,
        }

    @classmethod
    def parse(cls, data: bytes) -> Manifest:
        """The manifest in ``data``; BundleRefused unless every field is present and well formed."""
        try:
            raw = strict_json.loads(data)
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            if raw.get("format") != FORMAT:
                fmt = raw.get("format")
                if isinstance(fmt, int) and fmt > FORMAT:
                    raise BundleRefused(
                        _(
                            "This bundle was made by a newer version of the program (format "
                            "{format}); update the program to read it."
                        ).format(format=fmt)
                    )
                raise ValueError("format")
            _exact(
                raw,
                {
                    "format",
                    "schema",
                    "bundle_id",
                    "created_at",
                    "sender",
                    "recipient",
                    "number",
                    "sequence",
                    "acknowledges",
                    "personal_data",
                    "members",
                },
            )
            sequence = _exact(raw["sequence"], {"from", "to"})
            acks = _exact(raw["acknowledges"], {"seq", "bundle"})
            members = raw["members"]
            if not isinstance(members, list) or len(members) > 64:
                raise ValueError("members")
            manifest = cls(
                format=FORMAT,
                schema=_text(raw["schema"], 16),
                bundle_id=_match(raw["bundle_id"], _ID),
                created_at=dt.datetime.fromisoformat(_text(raw["created_at"], 40)),
                sender=parse_party(raw["sender"]),
                recipient=parse_party(raw["recipient"]),
                number=_count(raw["number"], minimum=1),
                from_seq=_count(sequence["from"]),
                to_seq=_count(sequence["to"]),
                ack_seq=_count(acks["seq"]),
                ack_bundle=_count(acks["bundle"]),
                personal_data=_choice(raw["personal_data"], PERSONAL_DATA),
                members=tuple(_member(m) for m in members),
            )
        except BundleRefused:
            raise
        except (strict_json.JSONRefused, ValueError, TypeError, KeyError) as error:
            raise BundleRefused(
                _("The bundle's manifest is not valid ({reason}).").format(reason=error)
            ) from error
        if manifest.from_seq > manifest.to_seq:
            raise BundleRefused(_("The bundle's manifest is not valid (sequence)."))
        return manifest


def _table_of(member_name: str) -> str:
    stem = member_name.rsplit("/", 1)[-1].removesuffix(".jsonl")
    return stem.split("-", 1)[1] if "-" in stem else stem


def _exact(value: Any, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise ValueError(f"expected the fields {sorted(keys)}")
    return value


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("text")
    return value


def _match(value: Any, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"{value!r}")
    return value


def _count(value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value < 2**63:
        raise ValueError(f"{value!r} is not a count")
    return value


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{value!r}")
    return str(value)


def parse_party(value: Any) -> Party:
    raw = _exact(value, {"node_id", "name", "centre", "secretariat", "fingerprint"})
    centre = raw["centre"]
    if centre is not None:
        centre = _text(centre, 16)
    if not isinstance(raw["secretariat"], bool):
        raise ValueError("secretariat")
    return Party(
        node_id=_match(raw["node_id"], _ID),
        name=_text(raw["name"], 200),
        centre=centre,
        secretariat=raw["secretariat"],
        fingerprint=_match(raw["fingerprint"], _FINGERPRINT),
    )


def _member(value: Any) -> MemberInfo:
    raw = _exact(value, {"name", "rows", "size", "sha256"})
    name = _text(raw["name"], 80)
    if not MEMBER_NAME.fullmatch(name):
        raise ValueError(f"member {name!r}")
    return MemberInfo(name, _count(raw["rows"]), _count(raw["size"]), _match(raw["sha256"], _HEX64))
