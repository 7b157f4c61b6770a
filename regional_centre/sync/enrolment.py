"""Enrolment files: how two installations learn each other's public keys.

Each side exports one, the other imports it once a person has compared the
fingerprint read out over the phone. The file is signed with the key it
carries (proof the sender holds it); a file that replaces an earlier key is
also signed with that earlier key, so a peer that knew the old key can trust
the new one without another phone call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from regional_centre.i18n import _
from regional_centre.services.errors import ServiceError
from regional_centre.sync import strict_json
from regional_centre.sync.archive import canonical
from regional_centre.sync.crypto import (
    ENROLMENT_DOMAIN,
    KEY_LENGTH,
    ROTATION_DOMAIN,
    SIGNATURE_LENGTH,
    KeyPair,
    PublicKeys,
    b64,
    unb64,
)
from regional_centre.sync.manifest import Party, parse_party

KIND = "regional-centre-enrolment"
FORMAT = 1
MAX_BYTES = 16 * 1024


class EnrolmentRefused(ServiceError):
    """The file is not a valid enrolment file; the message says why."""


@dataclass(frozen=True)
class Enrolment:
    """Another installation as it introduces itself."""

    node_id: str
    name: str
    centre: str | None
    secretariat: bool
    keys: PublicKeys
    created_at: dt.datetime
    replaces: str | None  # the fingerprint of the key this one replaces, endorsed by it

    @property
    def fingerprint(self) -> str:
        return self.keys.fingerprint

    def party(self) -> Party:
        return Party(self.node_id, self.name, self.centre, self.secretariat, self.fingerprint)


def write_enrolment(party: Party, keys: KeyPair, *, previous: KeyPair | None = None) -> bytes:
    """The enrolment file of this installation (endorsed by ``previous`` after a key change)."""
    public = keys.public
    body: dict[str, Any] = {
        "kind": KIND,
        "format": FORMAT,
        "node_id": party.node_id,
        "name": party.name,
        "centre": party.centre,
        "secretariat": party.secretariat,
        "signing_key": b64(public.signing),
        "encryption_key": b64(public.encryption),
        "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat(),
        "replaces": None,
    }
    if previous is not None:
        body["replaces"] = {
            "fingerprint": previous.public.fingerprint,
            "signature": b64(previous.sign(ROTATION_DOMAIN, public.fingerprint.encode())),
        }
    body["signature"] = b64(keys.sign(ENROLMENT_DOMAIN, canonical(body)))
    return canonical(body) + b"\n"


def read_enrolment(data: bytes, *, known: dict[str, PublicKeys] | None = None) -> Enrolment:
    """Check an enrolment file; ``known`` maps fingerprints to keys that may have endorsed it."""
    if len(data) > MAX_BYTES:
        raise EnrolmentRefused(_("This file is too large to be an enrolment file."))
    try:
        raw = strict_json.loads(data)
        if not isinstance(raw, dict) or raw.get("kind") != KIND:
            raise EnrolmentRefused(_("This file is not a Regional Centre enrolment file."))
        if raw.get("format") != FORMAT:
            raise EnrolmentRefused(
                _("This enrolment file was made by a newer version of the program; update it.")
            )
        expected = {
            "kind",
            "format",
            "node_id",
            "name",
            "centre",
            "secretariat",
            "signing_key",
            "encryption_key",
            "created_at",
            "replaces",
            "signature",
        }
        if set(raw) != expected:
            raise ValueError("fields")
        signature = unb64(raw.pop("signature"), SIGNATURE_LENGTH)
        keys = PublicKeys(
            unb64(raw["signing_key"], KEY_LENGTH), unb64(raw["encryption_key"], KEY_LENGTH)
        )
        party = parse_party(
            {
                "node_id": raw["node_id"],
                "name": raw["name"],
                "centre": raw["centre"],
                "secretariat": raw["secretariat"],
                "fingerprint": keys.fingerprint,
            }
        )
        created_at = dt.datetime.fromisoformat(str(raw["created_at"]))
    except EnrolmentRefused:
        raise
    except (strict_json.JSONRefused, ValueError, TypeError, KeyError) as error:
        raise EnrolmentRefused(
            _("This enrolment file is damaged ({reason}).").format(reason=error)
        ) from error
    if not party.name.strip():
        raise EnrolmentRefused(_("This enrolment file is damaged (no name)."))
    if not keys.verify(ENROLMENT_DOMAIN, canonical(raw), signature):
        raise EnrolmentRefused(
            _("The enrolment file's signature does not match its keys: it was changed.")
        )
    replaces = None
    if raw["replaces"] is not None:
        replaces = _endorsement(raw["replaces"], keys, known or {})
    return Enrolment(
        party.node_id,
        party.name,
        party.centre,
        party.secretariat,
        keys,
        created_at,
        replaces,
    )


def _endorsement(value: Any, keys: PublicKeys, known: dict[str, PublicKeys]) -> str | None:
    """The old key's fingerprint if it is known here and endorsed ``keys``; else None."""
    if not isinstance(value, dict) or set(value) != {"fingerprint", "signature"}:
        raise EnrolmentRefused(_("This enrolment file is damaged (replaces)."))
    old = known.get(str(value["fingerprint"]))
    if old is None:
        return None
    try:
        signature = unb64(value["signature"], SIGNATURE_LENGTH)
    except ValueError as error:
        raise EnrolmentRefused(_("This enrolment file is damaged (replaces).")) from error
    if not old.verify(ROTATION_DOMAIN, keys.fingerprint.encode(), signature):
        raise EnrolmentRefused(
            _("The enrolment file claims to replace a key that did not endorse it.")
        )
    return str(value["fingerprint"])
