"""The archive inside a bundle, checked as an attacker might have made it.

Nothing here extracts to disk. ``checked_entries`` refuses, before any
member is read: names off the allow-list, duplicates, paths outside the
archive, links and special files, encrypted or unknown entries, sizes and
ratios past ``Limits``, and entries that overlap (the trick of zip bombs).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from regional_centre.i18n import _
from regional_centre.services.errors import ServiceError

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MEMBER_NAME = re.compile(r"(changes/[0-9]{2}-[a-z_]{1,40}|reference)\.jsonl")
_ALLOWED_FLAGS = 0x08 | 0x800  # sizes after the data (streamed members), UTF-8 names
_MAX_ZIP_VERSION = 45  # ZIP64
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError)


class BundleRefused(ServiceError):
    """The file is not a bundle this installation will apply; the message says why."""


@dataclass(frozen=True)
class Limits:
    """What a bundle may not exceed; a larger one is refused before it is unpacked."""

    file_bytes: int = 4 << 30
    header_bytes: int = 4096
    members: int = 40
    member_bytes: int = 8 << 30
    total_bytes: int = 16 << 30
    ratio: int = 200  # uncompressed size over compressed size, per member
    manifest_bytes: int = 1 << 20
    line_bytes: int = 1 << 20


class Window(io.RawIOBase):
    """A read-only view of part of a file (the plain archive after the header)."""

    def __init__(self, handle: BinaryIO, start: int, end: int) -> None:
        super().__init__()
        self._handle = handle
        self._start = start
        self._length = end - start
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._length}[whence]
        self._position = max(0, min(self._length, base + offset))
        return self._position

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self._length - self._position)
        if wanted <= 0:
            return 0
        self._handle.seek(self._start + self._position)
        data = self._handle.read(wanted)
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)


def open_zip(source: IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise BundleRefused(
            _("The bundle's contents are not a valid archive: the file is damaged or truncated.")
        ) from error


def checked_entries(archive: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    entries = archive.infolist()
    if len(entries) > limits.members:
        raise BundleRefused(_("The bundle has more parts than any bundle this program makes."))
    infos: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in entries:
        name = info.filename
        if (
            name.startswith(("/", "\\"))
            or ".." in name.replace("\\", "/").split("/")
            or re.match(r"[A-Za-z]:", name)
        ):
            raise BundleRefused(
                _("The bundle holds a path outside itself ({name}); it is refused.").format(
                    name=name
                )
            )
        if name in infos:
            raise BundleRefused(
                _("The bundle holds {name} twice; it is refused.").format(name=name)
            )
        if name not in (MANIFEST, SIGNATURE) and not MEMBER_NAME.fullmatch(name):
            raise BundleRefused(
                _("The bundle holds an unexpected part ({name}); it is refused.").format(name=name)
            )
        mode = info.external_attr >> 16
        if info.is_dir() or (mode & 0o170000) in (0o120000, 0o020000, 0o060000, 0o010000):
            raise BundleRefused(
                _("The bundle holds a link or a special file ({name}); it is refused.").format(
                    name=name
                )
            )
        if info.flag_bits & 0x1:
            raise BundleRefused(_("The bundle holds an encrypted part; it is refused."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleRefused(_("The bundle uses an unknown compression; it is refused."))
        if info.flag_bits & ~_ALLOWED_FLAGS or info.extract_version > _MAX_ZIP_VERSION:
            raise BundleRefused(
                _("The bundle uses archive features this program does not read; it is refused.")
            )
        if info.file_size > limits.member_bytes:
            raise BundleRefused(_("A part of the bundle is larger than this program accepts."))
        if info.file_size > limits.ratio * max(info.compress_size, 1) and info.file_size > 1 << 16:
            raise BundleRefused(
                _("A part of the bundle expands far more than real data does; it is refused.")
            )
        total += info.file_size
        infos[name] = info
    if total > limits.total_bytes:
        raise BundleRefused(_("The bundle's contents are larger than this program accepts."))
    ordered = sorted(entries, key=lambda i: i.header_offset)
    ends = [data_end(archive, info) for info in ordered]
    starts = [info.header_offset for info in ordered[1:]] + [archive.start_dir]
    if any(end > start for end, start in zip(ends, starts, strict=True)):
        raise BundleRefused(_("The bundle's parts overlap; it is refused."))
    for needed in (MANIFEST, SIGNATURE):
        if needed not in infos:
            raise BundleRefused(
                _("The bundle has no {name}; it is not signed and is refused.").format(name=needed)
            )
    return infos


def data_end(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Where an entry's data ends, from its local header (which may differ from the directory)."""
    source = archive.fp
    assert source is not None
    source.seek(info.header_offset)
    local = source.read(_LOCAL_HEADER.size)
    if len(local) != _LOCAL_HEADER.size or local[:4] != b"PK\x03\x04":
        raise BundleRefused(_("The bundle's archive is damaged; it is refused."))
    fields = _LOCAL_HEADER.unpack(local)
    return info.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11] + info.compress_size


def read_small(
    archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], name: str, limit: int
) -> bytes:
    info = infos[name]
    if info.file_size > limit:
        raise BundleRefused(
            _("The bundle's {name} is larger than this program accepts.").format(name=name)
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except ZIP_ERRORS as error:
        raise BundleRefused(
            _("The bundle's {name} is damaged ({reason}).").format(name=name, reason=error)
        ) from error
    if len(data) > limit:
        raise BundleRefused(
            _("The bundle's {name} is larger than this program accepts.").format(name=name)
        )
    return data
