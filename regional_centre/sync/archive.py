"""The bundle file: an envelope (plain or encrypted) around a zip archive of JSON lines.

Layout (``docs/bundle-format.md`` describes it in full)::

    b"RCBUNDLE"  4-byte big-endian header length  header (JSON)  payload

The payload is the zip archive itself, or that archive sealed to the
recipient (``regional_centre.sync.crypto``). The archive holds
``manifest.json``, its signature ``manifest.sig`` and the members the
manifest lists with their SHA-256.

Writing streams every member to a temporary file beside the target and
renames it into place at the end, so there is never half a bundle under the
final name. Reading trusts nothing: sizes are capped before anything is
decrypted, the archive is checked entry by entry before a byte of it is
parsed, and every member is read through a counter that stops at its
declared size.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO, cast

from regional_centre.files import sync_folder
from regional_centre.i18n import _
from regional_centre.sync import strict_json
from regional_centre.sync.crypto import (
    ARCHIVE_DOMAIN,
    ENVELOPE_CIPHER,
    KEY_LENGTH,
    MANIFEST_DOMAIN,
    SIGNATURE_LENGTH,
    CryptoError,
    Envelope,
    KeyPair,
    PublicKeys,
    b64,
    new_envelope,
    open_envelope,
    open_stream,
    seal_stream,
    unb64,
)
from regional_centre.sync.zip_checks import (
    MANIFEST,
    MEMBER_NAME,
    SIGNATURE,
    ZIP_ERRORS,
    BundleRefused,
    Limits,
    Window,
    checked_entries,
    open_zip,
    read_small,
)

MAGIC = b"RCBUNDLE"
ENVELOPE_FORMAT = 1
_HEADER_LENGTH = struct.Struct(">I")
_COPY_BLOCK = 1024 * 1024


@dataclass
class MemberInfo:
    """A member as the manifest describes it."""

    name: str
    rows: int
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "rows": self.rows, "size": self.size, "sha256": self.sha256}


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value this program writes: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# Writing.


class _MemberWriter:
    def __init__(self, handle: IO[bytes], name: str) -> None:
        self._handle = handle
        self._hash = hashlib.sha256()
        self.info = MemberInfo(name, 0, 0, "")

    def write_line(self, line: bytes) -> None:
        data = line + b"\n"
        self._handle.write(data)
        self._hash.update(data)
        self.info.rows += 1
        self.info.size += len(data)

    def finish(self) -> MemberInfo:
        self._handle.close()
        self.info.sha256 = self._hash.hexdigest()
        return self.info


class BundleWriter:
    """Writes one bundle: members first, then the signed manifest, then the envelope."""

    def __init__(self, target: Path, *, compression_level: int = 6) -> None:
        self.target = target
        self.members: list[MemberInfo] = []
        handle, name = tempfile.mkstemp(prefix=".bundle-", suffix=".zip", dir=target.parent)
        os.close(handle)
        self._archive_path = Path(name)
        self._zip = zipfile.ZipFile(
            self._archive_path, "w", zipfile.ZIP_DEFLATED, compresslevel=compression_level
        )
        self._final_tmp: Path | None = None

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._zip.close()
        self._archive_path.unlink(missing_ok=True)
        if self._final_tmp is not None:
            self._final_tmp.unlink(missing_ok=True)

    @contextlib.contextmanager
    def member(self, name: str) -> Iterator[_MemberWriter]:
        """Write one member, a line at a time."""
        assert MEMBER_NAME.fullmatch(name), name
        writer = _MemberWriter(self._zip.open(name, "w", force_zip64=True), name)
        yield writer
        self.members.append(writer.finish())

    def finish(
        self, manifest: dict[str, Any], keys: KeyPair, recipient: PublicKeys | None
    ) -> bytes:
        """Sign ``manifest``, seal the archive (to ``recipient`` unless None) and put it in place.

        Return the manifest's bytes as signed.
        """
        manifest_bytes = canonical({**manifest, "members": [m.as_json() for m in self.members]})
        self._zip.writestr(MANIFEST, manifest_bytes)
        self._zip.writestr(SIGNATURE, keys.sign(MANIFEST_DOMAIN, manifest_bytes))
        self._zip.close()
        handle, name = tempfile.mkstemp(prefix=".bundle-", suffix=".part", dir=self.target.parent)
        self._final_tmp = Path(name)
        os.chmod(self._final_tmp, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as out, self._archive_path.open("rb") as archive:
            if recipient is None:
                digest = _file_sha256(archive)
                signed = {
                    "sha256": digest.hex(),
                    "signature": b64(keys.sign(ARCHIVE_DOMAIN, digest)),
                }
                _write_header(out, {"format": ENVELOPE_FORMAT, "envelope": None, "archive": signed})
                archive.seek(0)
                while block := archive.read(_COPY_BLOCK):
                    out.write(block)
            else:
                envelope, key = new_envelope(recipient)
                header = _write_header(
                    out,
                    {
                        "format": ENVELOPE_FORMAT,
                        "archive": None,
                        "envelope": {
                            "cipher": ENVELOPE_CIPHER,
                            "recipient": envelope.recipient,
                            "ephemeral": b64(envelope.ephemeral),
                            "salt": b64(envelope.salt),
                        },
                    },
                )
                seal_stream(key, header, archive, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(self._final_tmp, self.target)
        self._final_tmp = None
        sync_folder(self.target.parent)
        return manifest_bytes


def _file_sha256(handle: IO[bytes]) -> bytes:
    digest = hashlib.sha256()
    while block := handle.read(_COPY_BLOCK):
        digest.update(block)
    return digest.digest()


def _write_header(out: BinaryIO, header: dict[str, Any]) -> bytes:
    data = canonical(header)
    out.write(MAGIC + _HEADER_LENGTH.pack(len(data)) + data)
    return data


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Reading.


@dataclass
class Opened:
    """A bundle whose archive passed every check, ready to verify and read."""

    archive: zipfile.ZipFile
    manifest_bytes: bytes
    signature: bytes
    encrypted_for: str | None  # the recipient's fingerprint, or None for a plain bundle
    limits: Limits
    _infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    _header: Header | None = None

    @property
    def manifest_sha256(self) -> str:
        return hashlib.sha256(self.manifest_bytes).hexdigest()

    def signed_by(self, keys: PublicKeys) -> bool:
        """Whether the manifest (and a plain bundle's whole archive) carry signatures of ``keys``."""
        if not keys.verify(MANIFEST_DOMAIN, self.manifest_bytes, self.signature):
            return False
        header = self._header
        if header is None or header.envelope is not None:
            return True
        assert header.archive_sha256 is not None and header.archive_signature is not None
        return keys.verify(ARCHIVE_DOMAIN, header.archive_sha256, header.archive_signature)

    def check_members(self, expected: list[MemberInfo]) -> None:
        """Every member is listed in the manifest with its exact size and SHA-256, and only those."""
        listed = {m.name: m for m in expected}
        if len(listed) != len(expected):
            raise BundleRefused(_("The bundle's manifest lists a member twice."))
        present = set(self._infos) - {MANIFEST, SIGNATURE}
        if present != set(listed):
            raise BundleRefused(
                _("The bundle's contents do not match its manifest: it was changed.")
            )
        for member in expected:
            digest = hashlib.sha256()
            for block in self._blocks(member.name, member.size):
                digest.update(block)
            if digest.hexdigest() != member.sha256:
                raise BundleRefused(
                    _("The member {name} of the bundle was changed after it was signed.").format(
                        name=member.name
                    )
                )

    def lines(self, member: MemberInfo) -> Iterator[Any]:
        """The JSON values of a member, one per line."""
        pending = b""
        number = 0
        for block in self._blocks(member.name, member.size):
            pending += block
            *complete, pending = pending.split(b"\n")
            if len(pending) > self.limits.line_bytes:
                raise _line_refused(member.name, number + len(complete) + 1, _("it is too long"))
            for line in complete:
                number += 1
                yield _parse_line(member.name, number, line, self.limits)
        if pending:
            raise _line_refused(member.name, number + 1, _("the last line is not complete"))

    def _blocks(self, name: str, size: int) -> Iterator[bytes]:
        info = self._infos[name]
        if info.file_size != size:
            raise BundleRefused(
                _(
                    "The member {name} of the bundle does not have the size its manifest gives."
                ).format(name=name)
            )
        seen = 0
        try:
            with self.archive.open(info) as handle:
                while block := handle.read(_COPY_BLOCK):
                    seen += len(block)
                    if seen > size:
                        break
                    yield block
        except ZIP_ERRORS as error:
            raise BundleRefused(
                _("The member {name} of the bundle is damaged ({reason}).").format(
                    name=name, reason=error
                )
            ) from error
        if seen != size:
            raise BundleRefused(
                _(
                    "The member {name} of the bundle does not have the size its manifest gives."
                ).format(name=name)
            )


def _parse_line(name: str, number: int, line: bytes, limits: Limits) -> Any:
    if len(line) > limits.line_bytes:
        raise _line_refused(name, number, _("it is too long"))
    try:
        return strict_json.loads_canonical(line)
    except strict_json.JSONRefused as error:
        raise _line_refused(name, number, str(error)) from error


def _line_refused(name: str, number: int, reason: str) -> BundleRefused:
    return BundleRefused(
        _("Line {number} of {name} in the bundle is not valid: {reason}.").format(
            number=number, name=name, reason=reason
        )
    )


@dataclass(frozen=True)
class Header:
    """The envelope header: readable without any key."""

    encrypted_for: str | None
    envelope: Envelope | None
    raw: bytes
    payload_offset: int
    archive_sha256: bytes | None = None  # plain bundles: the archive's hash, signed
    archive_signature: bytes | None = None


def read_header(handle: BinaryIO, limits: Limits) -> Header:
    """The header at the start of a bundle file; BundleRefused if it is not one."""
    start = handle.read(len(MAGIC) + _HEADER_LENGTH.size)
    if len(start) < len(MAGIC) + _HEADER_LENGTH.size or not start.startswith(MAGIC):
        raise BundleRefused(_("This file is not a Regional Centre bundle."))
    (length,) = _HEADER_LENGTH.unpack(start[len(MAGIC) :])
    if length > limits.header_bytes:
        raise BundleRefused(_("The bundle's header is too large; the file is damaged."))
    raw = handle.read(length)
    if len(raw) != length:
        raise BundleRefused(_("The bundle file is truncated."))
    try:
        header = strict_json.loads(raw)
    except strict_json.JSONRefused as error:
        raise BundleRefused(
            _("The bundle's header is not valid ({reason}).").format(reason=error)
        ) from error
    if not isinstance(header, dict):
        raise BundleRefused(_("The bundle's header is not valid."))
    version = header.get("format")
    if isinstance(version, int) and not isinstance(version, bool) and version > ENVELOPE_FORMAT:
        raise BundleRefused(
            _(
                "This bundle was made by a newer version of the program (format {format}); "
                "update the program to read it."
            ).format(format=version)
        )
    if (
        version != ENVELOPE_FORMAT
        or set(header) != {"format", "envelope", "archive"}
        or canonical(header) != raw
    ):
        raise BundleRefused(_("The bundle's header is not valid; the file is damaged."))
    envelope = header["envelope"]
    offset = len(start) + length
    if envelope is None:
        signed = header["archive"]
        try:
            if not isinstance(signed, dict) or set(signed) != {"sha256", "signature"}:
                raise ValueError
            if not isinstance(signed["sha256"], str) or not re.fullmatch(
                r"[0-9a-f]{64}", signed["sha256"]
            ):
                raise ValueError
            signature = unb64(signed["signature"], SIGNATURE_LENGTH)
        except (ValueError, TypeError) as error:
            raise BundleRefused(
                _("The bundle's header is not valid; the file is damaged.")
            ) from error
        return Header(None, None, raw, offset, bytes.fromhex(signed["sha256"]), signature)
    if header["archive"] is not None:
        raise BundleRefused(_("The bundle's header is not valid; the file is damaged."))
    try:
        if not isinstance(envelope, dict) or envelope.get("cipher") != ENVELOPE_CIPHER:
            raise ValueError
        recipient = envelope["recipient"]
        if not isinstance(recipient, str) or not re.fullmatch(r"[0-9a-f]{64}", recipient):
            raise ValueError
        parsed = Envelope(
            recipient, unb64(envelope["ephemeral"], KEY_LENGTH), unb64(envelope["salt"], 32)
        )
    except (KeyError, ValueError, TypeError) as error:
        raise BundleRefused(_("The bundle's encryption header is not valid.")) from error
    return Header(recipient, parsed, raw, offset)


@contextlib.contextmanager
def open_bundle(
    path: Path, keys_for: Callable[[str], KeyPair | None], limits: Limits | None = None
) -> Iterator[Opened]:
    """Open and check a bundle file: size, envelope, archive entries, manifest and signature bytes.

    ``keys_for`` gives this installation's keys for a recipient fingerprint,
    or None when the bundle was sealed for someone else.
    """
    limits = limits or Limits()
    try:
        size = path.stat().st_size
    except OSError as error:
        raise BundleRefused(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from error
    if size > limits.file_bytes:
        raise BundleRefused(_("The bundle is larger than any bundle this program accepts."))
    with contextlib.ExitStack() as stack:
        handle = stack.enter_context(path.open("rb"))
        header = read_header(handle, limits)
        if header.envelope is None:
            archive_file: IO[bytes] = cast(IO[bytes], Window(handle, header.payload_offset, size))
            if _file_sha256(archive_file) != header.archive_sha256:
                raise BundleRefused(
                    _("The bundle was changed or is truncated; ask for it to be sent again.")
                )
            archive_file.seek(0)
        else:
            keys = keys_for(header.envelope.recipient)
            if keys is None:
                raise BundleRefused(
                    _(
                        "This bundle is encrypted for another installation; it cannot be opened here."
                    )
                )
            plain = stack.enter_context(tempfile.TemporaryFile(prefix="rc-bundle-"))
            try:
                key = open_envelope(header.envelope, keys)
                for block in open_stream(key, header.raw, handle):
                    plain.write(block)
            except CryptoError as error:
                raise BundleRefused(
                    _("The bundle was changed or is truncated; ask for it to be sent again.")
                ) from error
            plain.seek(0)
            archive_file = plain
        archive = stack.enter_context(open_zip(archive_file))
        infos = checked_entries(archive, limits)
        manifest_bytes = read_small(archive, infos, MANIFEST, limits.manifest_bytes)
        signature = read_small(archive, infos, SIGNATURE, SIGNATURE_LENGTH)
        if len(signature) != SIGNATURE_LENGTH:
            raise BundleRefused(_("The bundle's signature is damaged."))
        yield Opened(
            archive, manifest_bytes, signature, header.encrypted_for, limits, infos, header
        )
