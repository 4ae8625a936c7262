"""Type-6 (AES) pre-shared keys: the master key, `password encryption aes`, and how the
stored key lines look.

IOS (Cisco, *Encrypted Preshared Key*,
http://cisco.com/en/US/docs/ios-xml/ios/sec_conn_ikevpn/configuration/xe-3s/sec-encrypt-preshare.html,
and the tech note
https://cisco.com/c/en/us/support/docs/security-vpn/ipsec-negotiation-ike-protocols/46420-pre-sh-keys-ios-rtr-cfg.html):

* `key config-key password-encrypt <master key>` sets the master key; it is kept out of the
  configuration ("not stored in the router configuration, and cannot be seen or obtained in any
  way while connected to the router");
* keys are not encrypted until `password encryption aes` is configured; with both, every current
  and new pre-shared key is stored (and shown) as `pre-shared-key 6 <string>`;
* `password encryption aes` without a master key is accepted, but IOS prints "Can not encrypt
  password. Please configure a configuration-key with 'key config-key'" and keys stay in clear;
* a changed master key re-encrypts the stored keys; a deleted one leaves them type 6 but
  unusable (the router cannot decrypt them); neither removal decrypts anything.

The lab's type-6 string is its own reversible encoding (a random salt, a keystream from the
master key, a check tag) written in IOS's type-6 character set, so the same key reads
differently every time it is stored, as on a router, and the control plane can still decrypt
it with the master key. It is not IOS's algorithm.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable

from lab.config.tree import Block

NO_MASTER_KEY_MESSAGE = (
    "Can not encrypt password. Please configure a configuration-key with 'key config-key'"
)
ENABLED_LINE = "password encryption aes"
KEY_MODE = "ikev2-keyring-peer"
# base32 digits -> IOS's type-6 characters ('A'..'`': letters and [\]^_`)
_TO_IOS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`")
_FROM_IOS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
_SALT, _TAG = 4, 4


def _stream(master: str, salt: bytes, length: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        block = master.encode() + salt + counter.to_bytes(4, "big")
        out += hashlib.sha256(block).digest()
        counter += 1
    return out[:length]


def _tag(master: str, body: bytes) -> bytes:
    return hmac.new(master.encode(), body, hashlib.sha256).digest()[:_TAG]


def encrypt(plain: str, master: str, salt: bytes | None = None) -> str:
    """The type-6 string of ``plain`` under ``master`` (a fresh random salt each time).

    >>> encrypt("k", "m", b"salt") == encrypt("k", "m", b"salt") != encrypt("k", "m")
    True
    """
    salt = os.urandom(_SALT) if salt is None else salt
    data = plain.encode()
    body = salt + bytes(a ^ b for a, b in zip(data, _stream(master, salt, len(data)), strict=True))
    return base64.b32encode(body + _tag(master, body)).decode().rstrip("=").translate(_TO_IOS)


def decrypt(text: str, master: str | None) -> str | None:
    """The key inside a type-6 string, or None when ``master`` is not the key it was stored
    with (or there is none).

    >>> decrypt(encrypt("s3cret", "master-1"), "master-1"), decrypt(encrypt("x", "a"), "b")
    ('s3cret', None)
    """
    if not master:
        return None
    digits = text.translate(_FROM_IOS)
    try:
        raw = base64.b32decode(digits + "=" * (-len(digits) % 8))
    except ValueError:
        return None
    body, tag = raw[:-_TAG], raw[-_TAG:]
    if len(body) < _SALT or not hmac.compare_digest(tag, _tag(master, body)):
        return None
    salt, data = body[:_SALT], body[_SALT:]
    plain = bytes(a ^ b for a, b in zip(data, _stream(master, salt, len(data)), strict=True))
    return plain.decode(errors="replace")


def split_key(words: list[str]) -> tuple[list[str], str | None, str] | None:
    """(`pre-shared-key [local|remote]`, type or None, value) of a key line, else None."""
    if not words or words[0] != "pre-shared-key":
        return None
    lead, rest = words[:1], words[1:]
    if rest and rest[0] in ("local", "remote"):
        lead, rest = words[:2], rest[1:]
    if len(rest) == 2 and rest[0] in ("0", "6"):
        return lead, rest[0], rest[1]
    if len(rest) == 1:
        return lead, None, rest[0]
    return None


def encrypting(root: Block, master: str | None) -> bool:
    """True when new keys are stored type 6: a master key and `password encryption aes`."""
    return bool(master) and any(c.line == ENABLED_LINE for c in root.children)


def stored_key_line(line: str, master: str | None, enabled: bool) -> str:
    """How a keyring's key line is stored: type 6 when encrypting, as typed otherwise
    (`pre-shared-key 0 k` is shown as `pre-shared-key k`)."""
    parts = split_key(line.split())
    if parts is None:
        return line
    lead, kind, value = parts
    if kind == "6":
        return line
    if enabled and master:
        return " ".join([*lead, "6", encrypt(value, master)])
    return " ".join([*lead, value])


def _key_lines(root: Block) -> list[Block]:
    return [
        line
        for top in root.children
        if top.line.startswith("crypto ikev2 keyring ")
        for peer in top.children
        for line in peer.children
        if split_key(line.line.split()) is not None
    ]


def rewrite_keys(root: Block, change: Callable[[str], str]) -> None:
    """Apply ``change`` to every keyring key line (a new master key, encryption turned on)."""
    for block in _key_lines(root):
        block.line = change(block.line)


def reencrypt(root: Block, old: str | None, new: str | None) -> None:
    """After the master key changed: type-6 keys re-encrypted under ``new`` (those ``old``
    cannot read stay as they are); clear keys encrypted when encryption is on."""
    enabled = encrypting(root, new)

    def change(line: str) -> str:
        parts = split_key(line.split())
        assert parts is not None
        lead, kind, value = parts
        if kind == "6":
            plain = decrypt(value, old)
            if plain is None or not new:
                return line
            return " ".join([*lead, "6", encrypt(plain, new)])
        return stored_key_line(line, new, enabled)

    rewrite_keys(root, change)


def clear_text_view(text: str, master: str | None) -> str:
    """A running config with each type-6 key decrypted: what the IKE process works with.
    A key the master key cannot decrypt stays type 6, so it matches no peer's key."""
    if " 6 " not in text:
        return text
    out = []
    for raw in text.splitlines():
        parts = split_key(raw.split())
        if parts is not None and parts[1] == "6":
            plain = decrypt(parts[2], master)
            if plain is not None:
                indent = raw[: len(raw) - len(raw.lstrip())]
                raw = indent + " ".join([*parts[0], plain])
        out.append(raw)
    return "\n".join(out)
