"""Type-6 pre-shared keys: judged by what was deployed, never "repaired" every night.

With `password encryption aes` and a master key (the baseline sets both) IOS shows a keyring's
key as `pre-shared-key 6 <string>`, salted: the same key reads differently each time it is
stored, so the intended plaintext cannot be compared with it. Instead the ownership manifest
records, per key, what the deploy left there (``SealedKey``):

* ``fingerprint``: HMAC-SHA256 of the plaintext (with the host and the key's place), keyed by a
  key derived from the host's master key. A PSK is often guessable; a plain hash on flash would
  let anyone who reads the manifest try a dictionary. The master key is not on the device in
  any readable form (IOS keeps it out of every config, backup and ``show``), and whoever has it
  could decrypt the type-6 string anyway, so the fingerprint tells nothing the device does not;
* ``shown``: a digest of the type-6 string the device showed right after the deploy (a digest,
  since type-6 strings hold characters the manifest cannot carry).

A key is unchanged when the device still shows that string and the intent's plaintext still
has that fingerprint; ``unseal`` then shows it as the intended line, so the owned diff and
drift see nothing to do. A key changed in the intent (other fingerprint) is pushed; a key
changed by hand (other string) is left as it stands, so drift reports it and a deploy pushes the
intent's key. Keys the device shows in clear are compared as they are.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from tasks.intent import IntentError, Problem

KeyPath = tuple[str, ...]  # keyring line, peer line, `pre-shared-key [local|remote]`
ENCRYPTION_LINE = "password encryption aes"
MASTER_KEY_LINE = "key config-key password-encrypt"
_DERIVE = b"dmvpn-runbook/psk-fingerprint/v1"


@dataclass(frozen=True)
class SealedKey:
    """What a deploy left at one key's place: the plaintext's fingerprint and a digest of the
    type-6 string the device showed."""

    path: KeyPath
    fingerprint: str
    shown: str


@dataclass(frozen=True)
class KeyLine:
    kind: str | None  # "6", "0", or None (clear)
    value: str
    text: str  # the line as it stands (stripped)


def fingerprint(master_key: str, host: str, path: KeyPath, plain: str) -> str:
    """Keyed fingerprint of a plaintext key at its place on a host (hex, 128 bits).

    >>> a = fingerprint("m", "hub1", ("k", "p", "pre-shared-key"), "psk")
    >>> a == fingerprint("m", "hub1", ("k", "p", "pre-shared-key"), "psk") != fingerprint(
    ...     "other", "hub1", ("k", "p", "pre-shared-key"), "psk")
    True
    """
    derived = hmac.new(master_key.encode(), _DERIVE, hashlib.sha256).digest()
    message = "\x1f".join((host, *path)) + "\x00" + plain
    return hmac.new(derived, message.encode(), hashlib.sha256).hexdigest()[:32]


def shown_digest(type6: str) -> str:
    """Digest of a type-6 string as the device shows it (not secret: it is ciphertext)."""
    return hashlib.sha256(type6.encode()).hexdigest()[:16]


def _split(text: str) -> tuple[str, KeyLine] | None:
    words = text.split()
    if not words or words[0] != "pre-shared-key":
        return None
    lead, rest = words[:1], words[1:]
    if rest and rest[0] in ("local", "remote"):
        lead, rest = words[:2], rest[1:]
    if len(rest) == 2 and rest[0] in ("0", "6", "7"):
        return " ".join(lead), KeyLine(rest[0], rest[1], text)
    if len(rest) == 1:
        return " ".join(lead), KeyLine(None, rest[0], text)
    return None


def _walk(text: str) -> Iterator[tuple[int, KeyPath | None, str]]:
    """(line number, key path or None, stripped line) for every line of a config."""
    stack: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines()):
        stripped = raw.strip()
        if not stripped or stripped.startswith("!"):
            continue
        depth = len(raw) - len(raw.lstrip(" "))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents = tuple(p for _, p in stack)
        split = _split(stripped)
        in_keyring = len(parents) == 2 and parents[0].startswith("crypto ikev2 keyring ")
        yield number, ((*parents, split[0]) if split and in_keyring else None), stripped
        stack.append((depth, stripped))


@functools.lru_cache(maxsize=1024)
def key_lines(text: str) -> Mapping[KeyPath, KeyLine]:
    """Every IKEv2 keyring key of a config by its place (read only: the same mapping for the
    same text, since planning and sealing ask for a host's texts several times)."""
    if "crypto ikev2 keyring " not in text:
        return MappingProxyType({})
    found: dict[KeyPath, KeyLine] = {}
    for _, path, stripped in _walk(text):
        if path is not None:
            split = _split(stripped)
            assert split is not None
            found[path] = split[1]
    return MappingProxyType(found)


def judge(
    running: str,
    intended: str,
    records: Mapping[KeyPath, SealedKey],
    master_key: str | None,
    host: str,
) -> set[KeyPath]:
    """The places where the device holds the intended key: shown in clear and equal, or type 6
    as recorded with the intent's fingerprint. Raises IntentError when type-6 keys are on the
    device and the inventory gives no master key to judge them with."""
    want = key_lines(intended)
    holds: set[KeyPath] = set()
    for path, line in key_lines(running).items():
        wanted = want.get(path)
        if wanted is None:
            continue
        if line.kind != "6":
            if line.value == wanted.value:
                holds.add(path)
            continue
        if master_key is None:
            message = "the device shows type-6 keys; judging them needs the master key"
            raise IntentError([Problem("inventory", host, "data.master_key", message)])
        record = records.get(path)
        if (
            record is not None
            and hmac.compare_digest(record.shown, shown_digest(line.value))
            and hmac.compare_digest(
                record.fingerprint, fingerprint(master_key, host, path, wanted.value)
            )
        ):
            holds.add(path)
    return holds


def unseal(running: str, intended: str, holds: set[KeyPath]) -> str:
    """``running`` with each type-6 key in ``holds`` shown as the intended line, so a diff
    against the intent sees it as equal."""
    want = key_lines(intended)
    lines = running.splitlines()
    for number, path, stripped in _walk(running):
        if path in holds and want[path].text != stripped:
            indent = lines[number][: len(lines[number]) - len(lines[number].lstrip(" "))]
            lines[number] = indent + want[path].text
    return "\n".join(lines) + ("\n" if running.endswith("\n") else "")


def seal(
    after: str, intended: str, trusted: set[KeyPath], master_key: str | None, host: str
) -> frozenset[SealedKey]:
    """Records for the type-6 keys the device shows ``after`` a change at the ``trusted``
    places (those known to hold the intended key: pushed, or judged so before)."""
    if master_key is None:
        return frozenset()
    want = key_lines(intended)
    return frozenset(
        SealedKey(path, fingerprint(master_key, host, path, want[path].value), shown_digest(v))
        for path, line in key_lines(after).items()
        if path in trusted and path in want and line.kind == "6"
        for v in [line.value]
    )


def records_of(claims: Mapping[str, object]) -> dict[KeyPath, SealedKey]:
    """Every tenant's key records of a manifest, by place."""
    found: dict[KeyPath, SealedKey] = {}
    for claim in claims.values():
        for key in getattr(claim, "keys", ()):
            found[key.path] = key
    return found


def pushed_keys(lines: Mapping[str, list[str]] | list[str]) -> bool:
    """True when a remediation sends a keyring key."""
    flat = lines if isinstance(lines, list) else [x for v in lines.values() for x in v]
    return any(line.strip().startswith("pre-shared-key ") for line in flat)


def master_key_needed(running: str) -> bool:
    """Whether the baseline must send the master key: IOS never shows it, so it is sent while
    the device lacks `password encryption aes`, or shows keys in clear despite it (no master
    key there: IOS keeps them in clear and says so)."""
    lines = {line.strip() for line in running.splitlines()}
    if ENCRYPTION_LINE not in lines:
        return True
    return any(line.kind != "6" for line in key_lines(running).values())


def without_master_key(lines: list[str]) -> list[str]:
    """A remediation section without the master key line."""
    return [line for line in lines if not line.strip().startswith(MASTER_KEY_LINE)]
