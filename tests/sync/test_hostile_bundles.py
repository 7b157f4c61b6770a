"""Malformed and hostile bundle files are refused with a clear reason and change nothing.

A bundle arrives on a USB stick or by e-mail, so anyone may have made or
changed it. Every test here hands the field laptop a bad file: not a bundle,
cut short, changed by one byte, signed by the wrong key or by no key, from an
installation it does not trust, meant for someone else, of a newer format,
an archive built to attack the unpacker, or records that are not valid. Each
must be refused with a message that names the problem in plain words, and
the laptop's database must be exactly as it was before (and still sound).

The faulty bundles are built from real ones: the same sender keys, the same
manifest fields, the same record lines, with one thing changed. A control
test shows the unchanged hand-built bundles are accepted, so each refusal is
down to the one fault it adds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import re
import shutil
import stat
import struct
import uuid
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from regional_centre.enums import DialogueFormat
from regional_centre.services import Services
from regional_centre.services.engagement import DialogueDraft
from regional_centre.services.errors import ServiceError
from regional_centre.sync import strict_json
from regional_centre.sync.archive import (
    MAGIC,
    BundleRefused,
    BundleWriter,
    Limits,
    MemberInfo,
    canonical,
    open_bundle,
)
from regional_centre.sync.crypto import ARCHIVE_DOMAIN, MANIFEST_DOMAIN, KeyPair, b64
from regional_centre.sync.manifest import Manifest
from tests.sync.conftest import (
    Installation,
    add_contact,
    add_organisation,
    database_bytes,
    enrol,
    new_installation,
    send,
)

ORGANISATIONS = "changes/01-organisation.jsonl"
CONTACTS = "changes/02-contact.jsonl"
DIALOGUES = "changes/03-dialogue.jsonl"


# The installations and bundles every test starts from, made once.


@dataclass(frozen=True)
class Template:
    """Two enrolled installations (closed) and two real bundles from the office to the laptop."""

    office: Path
    laptop: Path
    plain: Path  # exported with encrypt=False
    sealed: Path  # exported encrypted for the laptop
    office_keys: KeyPair
    manifest: dict[str, Any]  # the plain bundle's manifest fields, without its members
    lines: dict[str, list[dict[str, Any]]]  # the plain bundle's records, by member


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """The Dakar office with an organisation, a person and a dialogue, and its two bundles."""
    folder = tmp_path_factory.mktemp("template")
    office = new_installation(folder, "Dakar office")
    laptop = new_installation(folder, "Field laptop")
    enrol(office, laptop)
    organisation = add_organisation(office)
    add_contact(office, organisation)
    office.services.dialogues.create(
        DialogueDraft(
            title="Used lead-acid batteries",
            held_on=dt.date(2024, 3, 14),
            format=DialogueFormat.WORKSHOP,
            country="SN",
        )
    )
    outbox = folder / "bundles"
    outbox.mkdir()
    plain = send(office, laptop, outbox, encrypt=False)
    sealed = send(office, laptop, outbox)
    keys = office.services.sync.keys()
    office.services.close()
    laptop.services.close()
    with open_bundle(plain, lambda fingerprint: None) as opened:
        manifest = Manifest.parse(opened.manifest_bytes)
        lines = {m.name: [dict(line) for line in opened.lines(m)] for m in manifest.members}
    return Template(office.path, laptop.path, plain, sealed, keys, manifest.as_json(), lines)


@dataclass
class World:
    """A fresh copy of the template: the laptop is open; the office opens when first used."""

    template: Template
    folder: Path
    laptop: Installation
    _office: Installation | None = None
    _opened: list[Installation] = field(default_factory=list)

    @property
    def office(self) -> Installation:
        if self._office is None:
            path = self.folder / self.template.office.name
            shutil.copyfile(self.template.office, path)
            self._office = Installation(path, Services.open(path, actor="User of Dakar office"))
        return self._office

    @property
    def plain(self) -> Path:
        return self.template.plain

    @property
    def sealed(self) -> Path:
        return self.template.sealed

    def installation(self, name: str) -> Installation:
        """A new installation of the same centre, closed with the world."""
        made = new_installation(self.folder, name)
        self._opened.append(made)
        return made

    def reset_laptop(self) -> None:
        """Bring the laptop back to the template's state (after a bundle was accepted)."""
        self.laptop.services.close()
        shutil.copyfile(self.template.laptop, self.laptop.path)
        self.laptop.services = Services.open(self.laptop.path, actor="Test User")

    def manifest(self, **changes: Any) -> dict[str, Any]:
        """The real manifest's fields with a new bundle id, and ``changes`` applied."""
        return {**self.template.manifest, "bundle_id": str(uuid.uuid4()), **changes}

    def line(self, member: str, number: int = 0, **changes: Any) -> dict[str, Any]:
        """A real record of the plain bundle, with ``changes`` applied."""
        return {**self.template.lines[member][number], **changes}

    def close(self) -> None:
        for installation in [self.laptop, *self._opened]:
            installation.services.close()
        if self._office is not None:
            self._office.services.close()


@pytest.fixture
def world(template: Template, tmp_path: Path) -> Iterator[World]:
    """The template's installations, copied for this test alone."""
    path = tmp_path / template.laptop.name
    shutil.copyfile(template.laptop, path)
    made = World(template, tmp_path, Installation(path, Services.open(path, actor="Test User")))
    yield made
    made.close()


# Building bad bundles.


def craft(
    world: World,
    members: dict[str, list[bytes]],
    *,
    manifest: dict[str, Any] | None = None,
    keys: KeyPair | None = None,
    tamper: Callable[[list[MemberInfo]], None] | None = None,
) -> Path:
    """A bundle written by the program's own writer, signed by the office unless ``keys``.

    ``members`` maps member names to their lines; ``tamper`` may change the
    member list the manifest is about to sign.
    """
    target = world.folder / f"crafted-{uuid.uuid4().hex[:8]}.rcbundle"
    with BundleWriter(target) as writer:
        for name, lines in members.items():
            with writer.member(name) as member:
                for line in lines:
                    member.write_line(line)
        if tamper is not None:
            tamper(writer.members)
        writer.finish(
            manifest if manifest is not None else world.manifest(),
            keys or world.template.office_keys,
            None,
        )
    return target


def record(value: dict[str, Any]) -> bytes:
    """A record line as the program writes it."""
    return canonical(value)


def organisation_bundle(world: World, line: bytes, **options: Any) -> Path:
    """A signed bundle whose only record is the organisation ``line``."""
    return craft(world, {ORGANISATIONS: [line]}, **options)


def wrap(payload: bytes, header: bytes | None = None, *, keys: KeyPair | None = None) -> bytes:
    """A zip archive (or any bytes) behind a bundle header, as a plain bundle has it.

    Without ``header``, the header a plain bundle gets: the payload's SHA-256
    signed by ``keys`` (the office's, so only the archive's own faults count).
    """
    if header is None:
        assert keys is not None
        digest = hashlib.sha256(payload).digest()
        signed = {"sha256": digest.hex(), "signature": b64(keys.sign(ARCHIVE_DOMAIN, digest))}
        header = canonical({"format": 1, "envelope": None, "archive": signed})
    return MAGIC + struct.pack(">I", len(header)) + header + payload


def split(data: bytes) -> tuple[bytes, bytes]:
    """A bundle file's header JSON and its payload."""
    (length,) = struct.unpack(">I", data[8:12])
    return data[12 : 12 + length], data[12 + length :]


def write(world: World, data: bytes, name: str = "bad.rcbundle") -> Path:
    path = world.folder / name
    path.write_bytes(data)
    return path


@dataclass
class Entry:
    """An archive entry of a hand-built bundle."""

    info: zipfile.ZipInfo
    data: bytes = b""
    repeat: int = 1  # ``data`` is written this many times, without holding it all in memory
    listed: bool = True  # whether the signed manifest names it
    written: bool = True  # False: only in the manifest (``adjust`` puts it in the directory)


def entry(name: str, data: bytes = b"", **options: Any) -> Entry:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return Entry(info, data, **options)


def hand_built(
    world: World,
    entries: list[Entry],
    *,
    adjust: Callable[[zipfile.ZipFile], None] | None = None,
) -> Path:
    """A plain bundle built entry by entry with ``zipfile``, with a true signed manifest.

    The manifest lists every entry marked ``listed`` with its real size and
    SHA-256 and is signed by the office, so without the entries under test it
    would be accepted. ``adjust`` may change the central directory before it
    is written.
    """
    members = []
    for item in entries:
        if not item.listed:
            continue
        digest = hashlib.sha256()
        for _ in range(item.repeat):
            digest.update(item.data)
        size = len(item.data) * item.repeat
        rows = item.data.count(b"\n") * item.repeat
        members.append(MemberInfo(item.info.filename, rows, size, digest.hexdigest()).as_json())
    manifest_bytes = canonical({**world.manifest(), "members": members})
    signature = world.template.office_keys.sign(MANIFEST_DOMAIN, manifest_bytes)
    archive = world.folder / f"archive-{uuid.uuid4().hex[:8]}.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate names it is asked for
        with zipfile.ZipFile(archive, "w") as out:
            for item in (e for e in entries if e.written):
                with out.open(item.info, "w", force_zip64=True) as handle:
                    for _ in range(item.repeat):
                        handle.write(item.data)
            out.writestr(entry("manifest.json").info, manifest_bytes)
            out.writestr(entry("manifest.sig").info, signature)
            if adjust is not None:
                adjust(out)
    target = world.folder / f"hand-built-{uuid.uuid4().hex[:8]}.rcbundle"
    target.write_bytes(wrap(archive.read_bytes(), keys=world.template.office_keys))
    return target


def real_members(world: World) -> list[Entry]:
    """The organisation and person of the real bundle, as hand-built entries."""
    return [
        entry(ORGANISATIONS, record(world.line(ORGANISATIONS)) + b"\n"),
        entry(CONTACTS, record(world.line(CONTACTS)) + b"\n"),
    ]


# Checking a refusal.


def assert_refused(world: World, path: Path, pattern: str, *, limits: Limits | None = None) -> str:
    """Importing ``path`` is refused with a message matching ``pattern`` and changes nothing."""
    laptop = world.laptop
    before = database_bytes(laptop)
    with pytest.raises(ServiceError) as refusal:
        laptop.services.sync.import_bundle(path, limits=limits)
    message = str(refusal.value)
    assert isinstance(refusal.value, BundleRefused), repr(refusal.value)
    assert_clear(message)
    assert re.search(pattern, message), message
    assert database_bytes(laptop) == before
    assert laptop.services.maintenance.check() == []
    return message


def assert_clear(message: str) -> None:
    """A message a user can read: one sentence or two, no traceback, no Python object names."""
    assert message.strip(), "empty message"
    assert "\n" not in message, message
    assert "Traceback" not in message, message
    assert not re.search(r"<\w+[ .]|Error\(|Exception\(", message), message


# 1. Not a bundle at all.


def zip_without_header(world: World) -> bytes:
    return split(world.plain.read_bytes())[1]


NOT_BUNDLES: dict[str, Callable[[World], bytes]] = {
    "random bytes": lambda world: random.Random(4).randbytes(5000),
    "an empty file": lambda world: b"",
    "a text file": lambda world: "Minutes of the Thiès workshop.\nAll present.\n".encode(),
    "a real zip without the RCBUNDLE header": zip_without_header,
    "the RCBUNDLE word alone": lambda world: MAGIC,
}


@pytest.mark.parametrize("kind", list(NOT_BUNDLES))
def test_a_file_that_is_not_a_bundle_is_refused(world: World, kind: str) -> None:
    """Random bytes, an empty file, a text or a bare zip: 'not a Regional Centre bundle'."""
    path = write(world, NOT_BUNDLES[kind](world))
    assert_refused(world, path, "not a Regional Centre bundle")


# 2. Cut short.


def cut_points(data: bytes) -> dict[str, int]:
    header, payload = split(data)
    start = 12 + len(header)
    return {
        "inside the RCBUNDLE word": 5,
        "inside the header length": 10,
        "inside the header": 12 + len(header) // 2,
        "right after the header": start,
        "inside the payload": start + len(payload) // 2,
        "last byte missing": len(data) - 1,
    }


CUT_MESSAGES = {
    "inside the RCBUNDLE word": "not a Regional Centre bundle",
    "inside the header length": "not a Regional Centre bundle",
    "inside the header": "truncated",
    "right after the header": "truncated",
    "inside the payload": "truncated",
    "last byte missing": "truncated",
}


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
@pytest.mark.parametrize("where", list(CUT_MESSAGES))
def test_a_truncated_bundle_is_refused(world: World, encrypted: bool, where: str) -> None:
    """A bundle cut short anywhere, even by its last byte, is refused as truncated."""
    data = (world.sealed if encrypted else world.plain).read_bytes()
    path = write(world, data[: cut_points(data)[where]])
    assert_refused(world, path, CUT_MESSAGES[where])


# 3. One byte changed.


def positions(size: int) -> list[int]:
    """Every 97th byte of a file, and its first and last."""
    return sorted({*range(0, size, 97), size - 1})


def where_in(data: bytes, position: int) -> str:
    """What the byte at ``position`` of a plain bundle belongs to, for a failure message."""
    header, payload = split(data)
    start = 12 + len(header)
    if position < start:
        return "the bundle header"
    offset = position - start
    archive = zipfile.ZipFile(io.BytesIO(payload))
    for info in archive.infolist():
        local = info.header_offset
        names, extras = struct.unpack("<HH", payload[local + 26 : local + 30])
        head = 30 + names + extras
        if local <= offset < local + head:
            return f"the local header of {info.filename} (byte {offset - local})"
        if local + head <= offset < local + head + info.compress_size:
            return f"the compressed data of {info.filename}"
    directory: int = getattr(archive, "start_dir", len(payload))
    for info in archive.infolist():
        names, extras, comments = struct.unpack("<HHH", payload[directory + 28 : directory + 34])
        length = 46 + names + extras + comments
        if directory <= offset < directory + length:
            return f"the central directory entry of {info.filename} (byte {offset - directory})"
        directory += length
    return "the end of the archive"


def flip_each(world: World, original: Path) -> list[str]:
    """Import ``original`` with one byte changed at many positions; what was not refused."""
    data = original.read_bytes()
    problems = []
    before = database_bytes(world.laptop)
    for position in positions(len(data)):
        changed = bytearray(data)
        changed[position] ^= 0xFF
        path = write(world, bytes(changed))
        try:
            world.laptop.services.sync.import_bundle(path)
        except BundleRefused as refusal:
            assert_clear(str(refusal))
            assert database_bytes(world.laptop) == before, f"byte {position}: {refusal}"
            continue
        except Exception as error:  # reported below with the others, not one at a time
            problems.append(
                f"byte {position} ({where_in(data, position)}): {error.__class__.__name__}: {error}"
            )
            continue
        problems.append(f"byte {position} ({where_in(data, position)}): accepted")
        world.reset_laptop()
    assert world.laptop.services.maintenance.check() == []
    return problems


def test_an_encrypted_bundle_with_any_byte_changed_is_refused(world: World) -> None:
    """Changing any one byte of an encrypted bundle, header or payload, gets it refused."""
    problems = flip_each(world, world.sealed)
    assert not problems, "\n".join(problems)


def test_a_plain_bundle_with_any_byte_changed_is_refused(world: World) -> None:
    """Changing any one byte of a plain (signed, not encrypted) bundle gets it refused."""
    problems = flip_each(world, world.plain)
    assert not problems, "\n".join(problems)


# 4. Signatures.


def test_a_bundle_signed_with_another_key_is_refused(world: World) -> None:
    """The office's manifest re-signed with a key the laptop never saw: the signature fails."""
    path = organisation_bundle(world, record(world.line(ORGANISATIONS)), keys=KeyPair.generate())
    assert_refused(world, path, "signature is not valid")


def rebuilt_without(world: World, drop: str, replace: bytes | None = None) -> Path:
    """The real plain bundle's archive with member ``drop`` left out (or its bytes replaced)."""
    source = zipfile.ZipFile(io.BytesIO(zip_without_header(world)))
    target = world.folder / "rebuilt.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != drop:
                out.writestr(info, source.read(info))
            elif replace is not None:
                out.writestr(info, replace)
    return write(world, wrap(target.read_bytes(), keys=world.template.office_keys))


def test_a_bundle_without_its_signature_is_refused(world: World) -> None:
    """A bundle whose manifest.sig was taken out is refused as not signed."""
    path = rebuilt_without(world, "manifest.sig")
    assert_refused(world, path, "no manifest.sig; it is not signed")


def test_a_bundle_with_a_cut_signature_is_refused(world: World) -> None:
    """A signature shorter than a signature is refused as damaged."""
    path = rebuilt_without(world, "manifest.sig", replace=b"\x01" * 10)
    assert_refused(world, path, "signature is damaged")


def test_the_rebuilt_archive_is_accepted_with_its_signature(world: World) -> None:
    """Control: rebuilding the real archive member by member keeps it valid."""
    path = rebuilt_without(world, "no such member")
    report = world.laptop.services.sync.import_bundle(path)
    assert report.tables["organisation"].added == 1


# 5. Keys the laptop does not trust.


def test_a_bundle_from_an_installation_never_enrolled_is_refused(world: World) -> None:
    """A stranger that knows the laptop's key, but that the laptop never enrolled, is refused."""
    stranger = world.installation("Stranger")
    sync = stranger.services.sync
    sync.enrol(sync.read_enrolment(world.laptop.services.sync.enrolment()))
    add_organisation(stranger, "Stranger Trading")
    path = send(stranger, world.laptop, world.folder)
    assert_refused(world, path, r"not enrolled here \(Stranger\)")


def test_a_bundle_signed_with_a_revoked_key_is_refused(world: World) -> None:
    """After the laptop revokes the office's key, the office's bundles are refused."""
    world.laptop.services.sync.revoke("Dakar office")
    for path in (world.plain, world.sealed):
        assert_refused(world, path, r"revoked key \(Dakar office\)")


def test_a_key_replaced_by_enrolling_again_no_longer_counts(world: World) -> None:
    """Once the office enrols new keys, bundles signed with its old key are refused."""
    office = world.office
    laptop = world.laptop.services.sync
    laptop.enrol(laptop.read_enrolment(office.services.sync.rotate_keys()))
    for path in (world.plain, world.sealed):
        assert_refused(world, path, r"revoked key \(Dakar office\)")
    report = laptop.import_bundle(send(office, world.laptop, world.folder))
    assert report.tables["organisation"].added == 1  # the new key is trusted


# 6. Meant for someone else.


@pytest.mark.parametrize(
    ("encrypt", "pattern"),
    [
        (True, "encrypted for another installation"),
        (False, "meant for Other laptop, not for this installation"),
    ],
    ids=["encrypted", "plain"],
)
def test_a_bundle_for_another_installation_is_refused(
    world: World, encrypt: bool, pattern: str
) -> None:
    """The office's bundle for a third installation cannot be imported at the laptop."""
    other = world.installation("Other laptop")
    enrol(world.office, other)
    path = send(world.office, other, world.folder, encrypt=encrypt)
    assert_refused(world, path, pattern)


# 7. Formats of other versions.


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
def test_a_newer_envelope_format_is_refused(world: World, encrypted: bool) -> None:
    """A bundle whose header says format 2 asks the user to update the program."""
    data = (world.sealed if encrypted else world.plain).read_bytes()
    header, payload = split(data)
    newer = canonical({**strict_json.loads(header), "format": 2})
    path = write(world, wrap(payload, newer))
    assert_refused(world, path, r"newer version of the program \(format 2\).*update")


def test_an_unknown_older_envelope_format_does_not_ask_for_an_update(world: World) -> None:
    """A header of format 0 (no program writes it) is refused without telling the user to update."""
    header, payload = split(world.plain.read_bytes())
    older = canonical({**strict_json.loads(header), "format": 0})
    message = assert_refused(world, write(world, wrap(payload, older)), "header|format")
    assert "newer version" not in message


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        ({"format": 2}, r"newer version of the program \(format 2\).*update"),
        ({"schema": "9999"}, r"newer version of the program \(schema 9999.*update"),
        ({"schema": "0001"}, r"older version of the program \(schema 0001\).*Dakar office"),
    ],
    ids=["newer manifest format", "newer schema", "older schema"],
)
def test_a_bundle_of_another_version_is_refused(
    world: World, changes: dict[str, Any], pattern: str
) -> None:
    """A signed bundle of another manifest format or database schema says which and what to do."""
    path = organisation_bundle(
        world, record(world.line(ORGANISATIONS)), manifest=world.manifest(**changes)
    )
    assert_refused(world, path, pattern)


# 8. Archives built to attack the unpacker.


def link(name: str, target: bytes) -> Entry:
    made = entry(name, target)
    made.info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return made


def bzip2(name: str, data: bytes) -> Entry:
    made = entry(name, data)
    made.info.compress_type = zipfile.ZIP_BZIP2
    return made


ATTACKS: dict[str, tuple[Callable[[World], list[Entry]], str]] = {
    "path ../x": (lambda w: [*real_members(w), entry("../x", b"x", listed=False)], "outside"),
    "path changes/../../etc/passwd": (
        lambda w: [*real_members(w), entry("changes/../../etc/passwd", b"x", listed=False)],
        "outside",
    ),
    "path with backslashes": (
        lambda w: [*real_members(w), entry("changes\\..\\..\\x", b"x", listed=False)],
        "outside",
    ),
    "absolute path /etc/passwd": (
        lambda w: [*real_members(w), entry("/etc/passwd", b"x", listed=False)],
        "outside",
    ),
    "drive path C:/x": (
        lambda w: [*real_members(w), entry("C:/x", b"x", listed=False)],
        "outside",
    ),
    "symbolic link": (
        lambda w: [*real_members(w), link("reference.jsonl", b"/etc/passwd")],
        "link or a special file",
    ),
    "duplicate member": (
        lambda w: [
            *real_members(w),
            entry(
                ORGANISATIONS,
                record(w.line(ORGANISATIONS, name="Evil twin")) + b"\n",
                listed=False,
            ),
        ],
        r"holds changes/01-organisation\.jsonl twice",
    ),
    "duplicate manifest": (
        lambda w: [*real_members(w), entry("manifest.json", b"{}", listed=False)],
        r"holds manifest\.json twice",
    ),
    "unexpected member": (
        lambda w: [*real_members(w), entry("readme.txt", b"hello", listed=False)],
        r"unexpected part \(readme\.txt\)",
    ),
    "member name of another form": (
        lambda w: [*real_members(w), entry("changes/1-organisation.jsonl", b"", listed=False)],
        "unexpected part",
    ),
    "unknown compression": (
        lambda w: [*real_members(w), bzip2("reference.jsonl", b"")],
        "unknown compression",
    ),
    "more entries than any bundle has": (
        lambda w: [
            *real_members(w),
            *(entry(f"changes/{n:02d}-padding.jsonl") for n in range(40, 80)),
        ],
        "more parts than any bundle",
    ),
    "zip bomb": (
        lambda w: [
            *real_members(w),
            entry("reference.jsonl", bytes(1 << 20), repeat=50),  # 50 MB of zeros
        ],
        "expands far more than real data",
    ),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_an_archive_attack_is_refused(world: World, attack: str) -> None:
    """Paths out of the folder, links, duplicates, strangers, bombs: refused before unpacking."""
    build, pattern = ATTACKS[attack]
    assert_refused(world, hand_built(world, build(world)), pattern)


def set_flags(name: str, bits: int) -> Callable[[zipfile.ZipFile], None]:
    """Set general purpose flag ``bits`` of ``name`` in the central directory."""

    def adjust(archive: zipfile.ZipFile) -> None:
        archive.getinfo(name).flag_bits |= bits

    return adjust


def needs_zip_version(name: str, version: int) -> Callable[[zipfile.ZipFile], None]:
    """Say in the central directory that ``name`` needs zip ``version`` (tenths) to extract."""

    def adjust(archive: zipfile.ZipFile) -> None:
        archive.getinfo(name).extract_version = version

    return adjust


ENTRY_FLAGS: dict[str, tuple[Callable[[zipfile.ZipFile], None], str]] = {
    "encrypted flag": (set_flags(CONTACTS, 0x1), "encrypted part"),
    "compressed patched data flag": (set_flags(CONTACTS, 0x20), "damaged|refused|not valid"),
    "strong encryption flag": (set_flags(CONTACTS, 0x40), "encrypt|damaged|refused|not valid"),
    "needs a newer zip version": (
        needs_zip_version(CONTACTS, 99),
        "damaged|refused|not valid|version",
    ),
}


@pytest.mark.parametrize("kind", list(ENTRY_FLAGS))
def test_an_archive_entry_marked_as_unreadable_is_refused(world: World, kind: str) -> None:
    """An entry marked as encrypted, patched or of a newer zip version is refused, not a crash."""
    adjust, pattern = ENTRY_FLAGS[kind]
    assert_refused(world, hand_built(world, real_members(world), adjust=adjust), pattern)


def test_archive_entries_that_share_their_bytes_are_refused(world: World) -> None:
    """Two directory entries pointing at the same stored bytes (an overlap) are refused."""

    def overlap(archive: zipfile.ZipFile) -> None:
        archive.getinfo(CONTACTS).header_offset = archive.getinfo(ORGANISATIONS).header_offset

    path = hand_built(world, real_members(world), adjust=overlap)
    assert_refused(world, path, "overlap")


def test_an_entry_hidden_inside_another_entry_is_refused(world: World) -> None:
    """An entry whose local header lies inside another entry's stored bytes is an overlap.

    The outer entry (long name, stored) holds, as its data, the complete local
    header of a short empty entry; the directory names both. Read naively,
    one stretch of the file serves as two parts.
    """
    inner = zipfile.ZipInfo("reference.jsonl", date_time=(2024, 1, 1, 0, 0, 0))
    inner.compress_type = zipfile.ZIP_STORED
    inner.file_size = inner.compress_size = inner.CRC = 0
    inner_header = inner.FileHeader(zip64=False)
    outer = zipfile.ZipInfo("changes/04-dialogue_participant.jsonl", (2024, 1, 1, 0, 0, 0))
    outer.compress_type = zipfile.ZIP_STORED

    def hide(archive: zipfile.ZipFile) -> None:
        holder = archive.getinfo(outer.filename)
        zip64 = 20  # the local header's ZIP64 field (``hand_built`` forces it)
        inner.header_offset = holder.header_offset + 30 + len(outer.filename) + zip64
        archive.filelist.append(inner)
        archive.NameToInfo[inner.filename] = inner

    path = hand_built(world, [Entry(outer, inner_header), Entry(inner, written=False)], adjust=hide)
    assert_refused(world, path, "overlap")


def test_the_hand_built_archive_is_accepted_without_an_attack(world: World) -> None:
    """Control: the hand-built archive of the real records is imported when nothing is wrong."""
    report = world.laptop.services.sync.import_bundle(hand_built(world, real_members(world)))
    assert report.tables["organisation"].added == 1
    assert report.tables["contact"].added == 1


# 9. Records and JSON inside correctly signed bundles.


def nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def raw_organisation(world: World) -> bytes:
    return record(world.line(ORGANISATIONS))


def without(values: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != name}


JSON_ATTACKS: dict[str, tuple[Callable[[World], bytes], str]] = {
    "malformed JSON": (lambda w: b'{"id": "', r"Line 1 of changes/01-organisation\.jsonl"),
    "nested too deep": (
        lambda w: record(w.line(ORGANISATIONS, field_history={"name": nested(12)})),
        "nested more than 8 levels deep",
    ),
    "duplicate keys": (
        lambda w: raw_organisation(w)[:-1] + b',"name":"Evil twin"}',
        "'name' appears twice",
    ),
    "NaN": (
        lambda w: raw_organisation(w).replace(b'"employees":null', b'"employees":NaN'),
        "NaN is not a number JSON allows",
    ),
    "Infinity": (
        lambda w: raw_organisation(w).replace(b'"employees":null', b'"employees":-Infinity'),
        "Infinity is not a number JSON allows",
    ),
    "not UTF-8": (
        lambda w: raw_organisation(w).replace(b"Ecobat", b"Ecob\xe0t"),
        "not UTF-8",
    ),
    "a string where a whole number goes": (
        lambda w: record(w.line(ORGANISATIONS, employees="12")),
        r"Record 1 of changes/01-organisation\.jsonl.*employees: expected a whole number",
    ),
    "a boolean where a whole number goes": (
        lambda w: record(w.line(ORGANISATIONS, employees=True)),
        "employees: expected a whole number",
    ),
    "an unknown enum value": (
        lambda w: record(w.line(ORGANISATIONS, stakeholder_type="pirate")),
        "stakeholder_type: not one of the allowed values",
    ),
    "an unknown extra field": (
        lambda w: record(w.line(ORGANISATIONS, favourite_colour="red")),
        "favourite_colour: unknown field",
    ),
    "a missing field": (
        lambda w: record(without(w.line(ORGANISATIONS), "country")),
        "country: missing field",
    ),
    "an empty required field": (
        lambda w: record(w.line(ORGANISATIONS, name=None)),
        "name: may not be empty",
    ),
    "an id that is not a UUID": (
        lambda w: record(w.line(ORGANISATIONS, id="../../etc/passwd")),
        "id: not a record id",
    ),
    "a stamp that is not a stamp": (
        lambda w: record(w.line(ORGANISATIONS, stamp="yesterday")),
        "stamp: not a change stamp",
    ),
    "a text longer than its column": (
        lambda w: record(w.line(ORGANISATIONS, country="SEN")),
        "country: text too long",
    ),
    "a record that is not an object": (
        lambda w: b'["Ecobat Recyclage"]',
        "must be a JSON object",
    ),
}


@pytest.mark.parametrize("attack", list(JSON_ATTACKS))
def test_a_bad_record_line_is_refused(world: World, attack: str) -> None:
    """A signed bundle whose one record is malformed or breaks the record's rules is refused."""
    build, pattern = JSON_ATTACKS[attack]
    assert_refused(world, organisation_bundle(world, build(world)), pattern)


@pytest.mark.parametrize(
    ("held_on", "pattern"),
    [
        ("2024-02-30", "held_on: day is out of range"),
        ("14/03/2024", r"held_on: .*(date|format)"),
        (20240314, r"held_on: expected a date \(YYYY-MM-DD\)"),
    ],
    ids=["impossible day", "another date form", "a number"],
)
def test_a_bad_date_is_refused(world: World, held_on: Any, pattern: str) -> None:
    """A dialogue held on a date that is not a date is refused, naming the field."""
    line = record(world.line(DIALOGUES, held_on=held_on))
    assert_refused(world, craft(world, {DIALOGUES: [line]}), pattern)


def test_a_line_longer_than_the_limit_is_refused(world: World) -> None:
    """A record line longer than the import accepts is refused (the limit made small here)."""
    assert_refused(
        world,
        world.plain,
        r"Line 1 of changes/01-organisation\.jsonl .*too long",
        limits=Limits(line_bytes=200),
    )


def tamper_first(change: Callable[[MemberInfo], None]) -> Callable[[list[MemberInfo]], None]:
    def tamper(members: list[MemberInfo]) -> None:
        change(members[0])

    return tamper


def set_sha(member: MemberInfo) -> None:
    member.sha256 = hashlib.sha256(b"something else").hexdigest()


def grow(member: MemberInfo) -> None:
    member.size += 1


def shrink(member: MemberInfo) -> None:
    member.size -= 1


def count_more(member: MemberInfo) -> None:
    member.rows += 1


def unlist_last(members: list[MemberInfo]) -> None:
    del members[-1]


MANIFEST_LIES: dict[str, tuple[Callable[[list[MemberInfo]], None], str]] = {
    "wrong sha256": (tamper_first(set_sha), "changed after it was signed"),
    "size too large": (tamper_first(grow), "does not have the size its manifest gives"),
    "size too small": (tamper_first(shrink), "does not have the size its manifest gives"),
    "a member present but not listed": (
        unlist_last,
        "do not match its manifest",
    ),
    "more records counted than held": (
        tamper_first(count_more),
        "does not hold the records its manifest counts",
    ),
}


@pytest.mark.parametrize("lie", list(MANIFEST_LIES))
def test_a_manifest_that_misdescribes_its_members_is_refused(world: World, lie: str) -> None:
    """The signed manifest must give every member's exact size, SHA-256 and record count."""
    tamper, pattern = MANIFEST_LIES[lie]
    members = {
        ORGANISATIONS: [raw_organisation(world)],
        CONTACTS: [record(world.line(CONTACTS))],
    }
    assert_refused(world, craft(world, members, tamper=tamper), pattern)


def test_records_of_an_unknown_kind_are_refused(world: World) -> None:
    """A signed member for a table this program does not have is refused."""
    members = {
        ORGANISATIONS: [raw_organisation(world)],
        "changes/40-secret_table.jsonl": [b'{"id": "x", "secret": "s3cr3t"}'],
    }
    assert_refused(world, craft(world, members), r"unknown kind \(changes/40-secret_table")


def test_a_record_naming_a_record_that_does_not_exist_is_refused(world: World) -> None:
    """A person whose organisation is in neither the bundle nor the laptop is refused."""
    nobody = str(uuid.uuid4())
    line = record(world.line(CONTACTS, organisation_id=nobody))
    assert_refused(
        world,
        craft(world, {CONTACTS: [line]}),
        rf"refers to a organisation record that does not exist \({nobody}\)",
    )


def test_the_same_record_twice_is_refused(world: World) -> None:
    """A member that holds one record twice is refused."""
    line = raw_organisation(world)
    assert_refused(
        world, craft(world, {ORGANISATIONS: [line, line]}), "same organisation record twice"
    )


def test_a_crafted_bundle_without_a_fault_is_accepted(world: World) -> None:
    """Control: the crafting helpers make a bundle the laptop imports when nothing is wrong."""
    members = {
        ORGANISATIONS: [raw_organisation(world)],
        CONTACTS: [record(world.line(CONTACTS))],
        DIALOGUES: [record(world.line(DIALOGUES))],
    }
    report = world.laptop.services.sync.import_bundle(craft(world, members))
    assert {name: t.added for name, t in report.tables.items()} == {
        "organisation": 1,
        "contact": 1,
        "dialogue": 1,
    }


# 10. The same bundle id again.


def test_a_replayed_bundle_id_with_other_content_is_refused(world: World) -> None:
    """A second bundle with an id already imported but a different manifest is refused."""
    sync = world.laptop.services.sync
    first = sync.import_bundle(world.plain)
    assert first.tables["organisation"].added == 1
    same_id = world.manifest(bundle_id=first.manifest.bundle_id)
    changed = record(world.line(ORGANISATIONS, name="Ecobat Recyclage (rachetée)"))
    path = organisation_bundle(world, changed, manifest=same_id)
    assert_refused(world, path, "different bundle with the same identity was imported before")


def test_the_same_bundle_twice_is_accepted_and_changes_nothing_the_second_time(
    world: World,
) -> None:
    """Importing one bundle again is not an error: it is reported as already imported."""
    for path in (world.plain, world.sealed):
        world.reset_laptop()
        sync = world.laptop.services.sync
        assert not sync.import_bundle(path).already_imported
        after_first = database_bytes(world.laptop)
        again = sync.import_bundle(path)
        assert again.already_imported
        assert not again.changed
        assert database_bytes(world.laptop) == after_first
        assert world.laptop.services.maintenance.check() == []
