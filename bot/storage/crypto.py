"""Field encryption keys and the one cipher every encrypted column uses.

AES-256-GCM (authenticated: a changed byte fails to decrypt). Each stored value reads
`v2.<key id>.<base64url(nonce + ciphertext)>`: the key id (8 hex digits of the key's SHA-256)
says which key wrote it, so rotation finds the rows still under an old key without decrypting
anything. The associated data is the value's `table.column#uid`, where `uid` is the row's own
random id (bot/storage/sealing.py): a ciphertext copied into another column, or into the same
column of another row, fails to decrypt. `v1` values were bound to `table.column` only; the
migration `0008_row_bound_ciphertexts` re-encrypts them, and only migrations read them.

Keys come from the environment only: `CHECKIN_DATA_KEYS` (base64url keys, newest first,
separated by commas or whitespace) or `CHECKIN_DATA_KEYS_FILE` (a file holding the same). The
newest key encrypts; every listed key decrypts. Never from the config file or the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.errors import CheckinError

log = logging.getLogger(__name__)

KEYS_ENV = "CHECKIN_DATA_KEYS"
KEYS_FILE_ENV = "CHECKIN_DATA_KEYS_FILE"
PREFIX = "v2"  # bound to table, column and row
COLUMN_PREFIX = "v1"  # bound to table and column only (before migration 0007)
NONCE_BYTES = 12
KEY_BYTES = 32


class KeysError(CheckinError):
    """Keys missing or malformed (one clear line: what to set and how to make a key)."""


class MissingKeysError(KeysError):
    pass


class UndecryptableError(CheckinError):
    """A stored value that does not decrypt: tampered, moved, or under a key no longer listed."""

    def __init__(self, where: str, key_id: str, why: str) -> None:
        self.where, self.key_id = where, key_id
        super().__init__(
            f"stored value in {where} does not decrypt ({why}, key id {key_id}): "
            "it was changed or moved, or its key is not in CHECKIN_DATA_KEYS"
        )


def row_bound(where: str, uid: str) -> str:
    """The associated data of a value in column `where` of the row whose uid is `uid`."""
    return f"{where}#{uid}"


def new_key() -> str:
    """A fresh random AES-256 key, base64url without padding (what `checkin keys new` prints)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).rstrip(b"=").decode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyRing:
    """Keys, newest first: the first encrypts, all decrypt."""

    keys: tuple[bytes, ...]
    _by_id: dict[str, AESGCM] = field(init=False, repr=False, compare=False)
    _newest: AESGCM = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise MissingKeysError("a key ring needs at least one key")
        object.__setattr__(self, "_by_id", {key_id(k): AESGCM(k) for k in self.keys})
        object.__setattr__(self, "_newest", AESGCM(self.keys[0]))

    @classmethod
    def parse(cls, text: str, source: str) -> KeyRing:
        keys = []
        for number, word in enumerate(text.replace(",", " ").split(), start=1):
            try:
                key = _b64decode(word)
            except (binascii.Error, ValueError):
                key = b""
            if len(key) != KEY_BYTES:
                raise KeysError(
                    f"{source}: key {number} is not a base64url AES-256 key "
                    "(make one with `checkin keys new`)"
                )
            keys.append(key)
        if not keys:
            raise MissingKeysError(f"{source} holds no key (make one with `checkin keys new`)")
        return cls(tuple(keys))

    @property
    def newest_id(self) -> str:
        return key_id(self.keys[0])

    def seal(self, plain: bytes, where: str, uid: str) -> str:
        """Encrypt under the newest key, bound to column `where` ("table.column") and row `uid`."""
        return self._encrypt(PREFIX, plain, row_bound(where, uid))

    def open(self, token: str, where: str, uid: str) -> bytes:
        """The plain bytes of a value sealed to `where` and `uid`; raises if it was moved or changed."""
        return self._decrypt(PREFIX, token, row_bound(where, uid), where)

    def encrypt(self, plain: bytes, where: str) -> str:
        """A `v1` value, bound to its column only: for migrations that must write the old format."""
        return self._encrypt(COLUMN_PREFIX, plain, where)

    def decrypt(self, token: str, where: str) -> bytes:
        """A `v1` value's plain bytes: for migrations that read the old format."""
        return self._decrypt(COLUMN_PREFIX, token, where, where)

    def _encrypt(self, prefix: str, plain: bytes, associated: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._newest.encrypt(nonce, plain, associated.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()
        return f"{prefix}.{self.newest_id}.{body}"

    def _decrypt(self, prefix: str, token: str, associated: str, where: str) -> bytes:
        found, _, rest = token.partition(".")
        kid, _, body = rest.partition(".")
        if found != prefix or not body:
            raise UndecryptableError(where, kid or "-", "not an encrypted value")
        cipher = self._by_id.get(kid)
        if cipher is None:
            raise UndecryptableError(where, kid, "unknown key")
        try:
            raw = _b64decode(body)
            return bytes(cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], associated.encode()))
        except (InvalidTag, binascii.Error, ValueError):
            raise UndecryptableError(where, kid, "authentication failed") from None

    @staticmethod
    def key_id_of(token: str) -> str:
        return token.split(".", 2)[1] if token.count(".") >= 2 else "-"


def load_keyring(environ: Mapping[str, str]) -> KeyRing:
    """The key ring from CHECKIN_DATA_KEYS, else CHECKIN_DATA_KEYS_FILE; one clear line if neither."""
    text = environ.get(KEYS_ENV, "").strip()
    if text:
        return KeyRing.parse(text, KEYS_ENV)
    path = environ.get(KEYS_FILE_ENV, "").strip()
    if path:
        try:
            content = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise KeysError(f"{KEYS_FILE_ENV}={path}: cannot read it ({exc.strerror})") from None
        return KeyRing.parse(content, f"{KEYS_FILE_ENV}={path}")
    raise MissingKeysError(
        f"no data encryption key: set {KEYS_ENV} (or {KEYS_FILE_ENV}) to a key from "
        "`checkin keys new` before starting checkin"
    )


_active: KeyRing | None = None


def use_keyring(ring: KeyRing | None) -> None:
    """Set the process's key ring (the demo and tests make their own; None forgets it)."""
    global _active
    _active = ring


def use_ephemeral_keys_unless_set(environ: Mapping[str, str] | None = None) -> KeyRing:
    """The demo and test harnesses: the configured keys if any, else a fresh in-memory key.

    Data written under an in-memory key cannot be read after the process ends, which is what a
    throw-away demo or test database wants and a clinic's database must never get.
    """
    global _active
    if _active is None:
        try:
            _active = load_keyring(os.environ if environ is None else environ)
        except MissingKeysError:
            _active = KeyRing((_b64decode(new_key()),))
    return _active


def active_keyring() -> KeyRing:
    """The process's key ring, loaded from the environment on first use."""
    global _active
    if _active is None:
        _active = load_keyring(os.environ)
    return _active
