"""The sealed bundle file: encrypted to the office, signed by the village.

Encryption is age's (pyrage: X25519 recipients, ChaCha20-Poly1305), signatures are Ed25519
(cryptography); nothing here is a cipher of our own. The file is

    EPITOOL-BUNDLE 1\\n  |  header (one line of JSON)\\n  |  age ciphertext  |  signature

where the 64-byte Ed25519 signature covers everything before it, header included: the
village, its signing key and the schema cannot be changed without breaking it. What is
encrypted is the payload the caller gives (core.bundle: a compressed SQLite file).
"""

from __future__ import annotations

import base64
import json
from typing import Any, NamedTuple

from epitool.errors import InputError

MAGIC = b"EPITOOL-BUNDLE 1\n"
SIGNATURE_BYTES = 64
HEADER_LIMIT = 4096


class Opened(NamedTuple):
    header: dict[str, Any]
    signed: bytes  # magic, header and ciphertext: what the signature covers
    ciphertext: bytes
    signature: bytes


def office_keys() -> tuple[str, str]:
    """(secret, public) of a new office key pair, as age writes them."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def signing_keys() -> tuple[str, str]:
    """(secret PEM, public key in base64) of a new village signing key pair."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    secret = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption()).decode("ascii")
    return secret, public_of(key)


def public_of(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_signing_key(pem: str) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError):
        raise InputError("bundle_bad_signing_key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError("bundle_bad_signing_key")
    return key


def check_public_key(text: str) -> str:
    """A village's public signing key as registered: 32 bytes in base64."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InputError("bundle_bad_public_key", key=text[:60])
    return text.strip()


def seal(payload: bytes, header: dict[str, Any], office_public_key: str,
         signing_key: Any) -> bytes:
    import pyrage

    try:
        recipient = pyrage.x25519.Recipient.from_str(office_public_key.strip())
    except Exception:  # pyrage raises its own RecipientError; any failure means a bad key
        raise InputError("bundle_bad_office_key", key=office_public_key[:60]) from None
    line = json.dumps({**header, "signer": public_of(signing_key)}, sort_keys=True,
                      ensure_ascii=True).encode("ascii")
    signed = MAGIC + line + b"\n" + pyrage.encrypt(payload, [recipient])
    return signed + signing_key.sign(signed)


def open_sealed(data: bytes) -> Opened:
    """The parts of a bundle file, read but not yet trusted: see verify() and decrypt()."""
    if not data.startswith(MAGIC):
        raise InputError("bundle_not_a_bundle")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + HEADER_LIMIT)
    if end < 0 or len(data) < end + 1 + SIGNATURE_BYTES:
        raise InputError("bundle_damaged")
    try:
        header = json.loads(data[len(MAGIC):end])
    except ValueError:
        raise InputError("bundle_damaged") from None
    if not isinstance(header, dict) or not isinstance(header.get("village_code"), str):
        raise InputError("bundle_damaged")
    return Opened(header, data[:-SIGNATURE_BYTES], data[end + 1:-SIGNATURE_BYTES],
                  data[-SIGNATURE_BYTES:])


def verify(opened: Opened, public_key: str) -> None:
    """The signature is the registered village's, over the file as it was written."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    try:
        key.verify(opened.signature, opened.signed)
    except InvalidSignature:
        raise InputError("bundle_bad_signature",
                         village=opened.header["village_code"]) from None


def decrypt(opened: Opened, office_secret: str) -> bytes:
    import pyrage

    try:
        identity = pyrage.x25519.Identity.from_str(office_secret.strip())
    except Exception:  # pyrage's IdentityError: the office's key file is not an age key
        raise InputError("bundle_bad_office_secret") from None
    try:
        return bytes(pyrage.decrypt(opened.ciphertext, [identity]))
    except Exception:  # pyrage's DecryptError: sealed to another office's key
        raise InputError("bundle_wrong_office", village=opened.header["village_code"]) \
            from None
