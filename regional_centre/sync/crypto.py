"""Keys, signatures and the encrypted envelope of a bundle.

Every installation has an Ed25519 key to sign and an X25519 key to receive.
Signatures are domain separated: what is signed starts with a label naming
its purpose, so a signed enrolment can never pass for a signed manifest.

The envelope is age-like: a fresh X25519 key agrees a secret with the
recipient's key, HKDF-SHA256 derives a ChaCha20-Poly1305 key, and the
payload is sealed in chunks whose nonce carries the chunk's number and a
flag on the last one, so reordered, dropped or truncated chunks fail.
The envelope's header is authenticated with every chunk.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_LENGTH = 32
SIGNATURE_LENGTH = 64
TAG_LENGTH = 16
CHUNK_SIZE = 64 * 1024

MANIFEST_DOMAIN = b"regional-centre/bundle-manifest/v1\x00"
ARCHIVE_DOMAIN = b"regional-centre/bundle-archive/v1\x00"
ENROLMENT_DOMAIN = b"regional-centre/enrolment/v1\x00"
ROTATION_DOMAIN = b"regional-centre/key-rotation/v1\x00"
_FINGERPRINT_DOMAIN = b"regional-centre/public-keys/v1\x00"
_ENVELOPE_INFO = b"regional-centre/bundle-envelope/v1\x00"

_RAW = serialization.Encoding.Raw
_RAW_PUBLIC = serialization.PublicFormat.Raw
_RAW_PRIVATE = serialization.PrivateFormat.Raw
_NO_ENCRYPTION = serialization.NoEncryption()


class CryptoError(Exception):
    """A signature or envelope did not verify."""


def b64(data: bytes) -> str:
    """Bytes as standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, length: int) -> bytes:
    """Base64 text of exactly ``length`` bytes; ValueError otherwise."""
    if not isinstance(text, str):
        raise ValueError("not text")
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if len(data) != length:
        raise ValueError("wrong length")
    return data


@dataclass(frozen=True)
class PublicKeys:
    """The public half of an installation's keys."""

    signing: bytes
    encryption: bytes

    @property
    def fingerprint(self) -> str:
        """SHA-256 of both keys, in hex: what two people compare over the phone."""
        return hashlib.sha256(_FINGERPRINT_DOMAIN + self.signing + self.encryption).hexdigest()

    def verify(self, domain: bytes, data: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this installation's over ``domain`` + ``data``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.signing).verify(signature, domain + data)
        except (InvalidSignature, ValueError):
            return False
        return True


def readable_fingerprint(fingerprint: str) -> str:
    """The first 128 bits of a fingerprint in eight groups of four, to read out."""
    head = fingerprint[:32].upper()
    return " ".join(head[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class KeyPair:
    """An installation's private keys."""

    signing_private: bytes
    encryption_private: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        """A new pair of keys from the operating system's random source."""
        return cls(
            Ed25519PrivateKey.generate().private_bytes(_RAW, _RAW_PRIVATE, _NO_ENCRYPTION),
            X25519PrivateKey.generate().private_bytes(_RAW, _RAW_PRIVATE, _NO_ENCRYPTION),
        )

    @property
    def public(self) -> PublicKeys:
        """The public keys that go in an enrolment file."""
        signing = Ed25519PrivateKey.from_private_bytes(self.signing_private).public_key()
        encryption = X25519PrivateKey.from_private_bytes(self.encryption_private).public_key()
        return PublicKeys(
            signing.public_bytes(_RAW, _RAW_PUBLIC), encryption.public_bytes(_RAW, _RAW_PUBLIC)
        )

    def sign(self, domain: bytes, data: bytes) -> bytes:
        """An Ed25519 signature over ``domain`` + ``data``."""
        return Ed25519PrivateKey.from_private_bytes(self.signing_private).sign(domain + data)


# The envelope.

ENVELOPE_CIPHER = "x25519-hkdf-sha256-chacha20poly1305"


@dataclass(frozen=True)
class Envelope:
    """The part of an encrypted bundle's header that opens it."""

    recipient: str  # fingerprint of the recipient's keys
    ephemeral: bytes  # the sender's one-time X25519 public key
    salt: bytes


def new_envelope(recipient: PublicKeys) -> tuple[Envelope, bytes]:
    """A fresh envelope for ``recipient`` and the symmetric key it hides."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(_RAW, _RAW_PUBLIC)
    salt = os.urandom(32)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.encryption))
    key = _derive(shared, salt, ephemeral_public, recipient.encryption)
    return Envelope(recipient.fingerprint, ephemeral_public, salt), key


def open_envelope(envelope: Envelope, keys: KeyPair) -> bytes:
    """The symmetric key of an envelope meant for ``keys``."""
    private = X25519PrivateKey.from_private_bytes(keys.encryption_private)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(envelope.ephemeral))
    except ValueError as error:  # a low-order point gives an all-zero secret
        raise CryptoError(str(error)) from error
    return _derive(shared, envelope.salt, envelope.ephemeral, keys.public.encryption)


def _derive(shared: bytes, salt: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=_ENVELOPE_INFO + ephemeral + recipient
    ).derive(shared)


def _nonce(counter: int, final: bool) -> bytes:
    return struct.pack(">QxxxB", counter, 1 if final else 0)


def seal_stream(key: bytes, header: bytes, source: BinaryIO, target: BinaryIO) -> None:
    """Encrypt ``source`` into ``target`` in chunks, each bound to ``header``."""
    aead = ChaCha20Poly1305(key)
    counter = 0
    current = source.read(CHUNK_SIZE)
    while True:
        following = source.read(CHUNK_SIZE)
        final = not following
        target.write(aead.encrypt(_nonce(counter, final), current, header))
        if final:
            return
        counter += 1
        current = following


def open_stream(key: bytes, header: bytes, source: BinaryIO) -> Iterator[bytes]:
    """Decrypt chunks from ``source``; CryptoError on any change, reordering or truncation."""
    aead = ChaCha20Poly1305(key)
    counter = 0
    size = CHUNK_SIZE + TAG_LENGTH
    current = source.read(size)
    while True:
        following = source.read(size)
        final = not following
        if len(current) < TAG_LENGTH or (not final and len(current) != size):
            raise CryptoError("truncated")
        try:
            yield aead.decrypt(_nonce(counter, final), current, header)
        except InvalidTag as error:
            raise CryptoError("changed or truncated") from error
        if final:
            return
        counter += 1
        current = following
