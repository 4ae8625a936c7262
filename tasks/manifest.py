"""The ownership manifest: what each deploy made a tenant own on a device, kept on its flash.

Any automation host reads it back, so teardown and drift still know a tenant's objects after
its group left the inventory or changed. The file is plain text an engineer can read with
``more flash:dmvpn-owners.txt``, indented like IOS config::

    ! dmvpn-runbook ownership manifest, format 1
    tenant event42
     deployed 2026-12-02T01:05:09Z by alice@ops1
     owns interface Tunnel42
     within interface GigabitEthernet0/0/1
      owns description LAN TENANT EVENT42

``owns`` names a node the tenant owns with its subtree; ``within`` a shared parent that holds
some. ``key <fingerprint> <shown> <place>`` records a type-6 key as the deploy left it
(``tasks.sealed_keys``: a keyed fingerprint and a digest of the device's string, never the key;
the place's parts are joined by `` | ``). Manifests without ``key`` lines (older ones) still
read: their keys are simply not recorded. It is written through IOS's Tcl shell (netmiko's
``InLineTransfer``), which takes no braces or backslashes: lines holding one are refused
rather than mangled.

>>> text = format_manifest({"ev7": Claim(frozenset({("interface Tunnel7",),
...     ("router eigrp R", "address-family ipv4 unicast vrf V7 autonomous-system 7")}),
...     "2026-12-02T01:05:09Z", "ops@a")})
>>> parse_manifest(text)["ev7"].paths == frozenset({("interface Tunnel7",),
...     ("router eigrp R", "address-family ipv4 unicast vrf V7 autonomous-system 7")})
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tasks.ownership import Path
from tasks.sealed_keys import SealedKey

MANIFEST_FILE = "dmvpn-owners.txt"
HEADER = "! dmvpn-runbook ownership manifest, format 1"
UNSAFE = ("{", "}", "\\")
PLACE_SEPARATOR = " | "


class ManifestError(Exception):
    """A manifest cannot be written or read as it stands (the message is for people)."""


@dataclass(frozen=True)
class Claim:
    """What one tenant owns on one device, and who recorded it when."""

    paths: frozenset[Path]
    deployed: str = ""
    by: str = ""
    keys: frozenset[SealedKey] = frozenset()


def format_manifest(claims: Mapping[str, Claim]) -> str:
    """The manifest text for ``claims`` (tenants and paths sorted, so equal claims give equal
    files)."""
    lines = [HEADER]
    for tenant in sorted(claims):
        claim = claims[tenant]
        lines += [f"tenant {tenant}", f" deployed {claim.deployed or '-'} by {claim.by or '-'}"]
        lines += _tree_lines(sorted(claim.paths), depth=1)
        for key in sorted(claim.keys, key=lambda k: k.path):
            if any(PLACE_SEPARATOR.strip() in part for part in key.path):
                raise ManifestError(f"cannot record a key at {key.path!r}: '|' in its place")
            place = PLACE_SEPARATOR.join(key.path)
            lines.append(f" key {key.fingerprint} {key.shown} {place}")
    text = "\n".join(lines) + "\n"
    bad = [line for line in lines if any(ch in line for ch in UNSAFE)]
    if bad:
        raise ManifestError(f"cannot record {bad[0].strip()!r}: braces and backslashes")
    return text


def _tree_lines(paths: Iterable[Path], depth: int) -> list[str]:
    lines: list[str] = []
    printed: Path = ()
    for path in paths:
        common = 0
        while common < min(len(printed), len(path) - 1) and printed[common] == path[common]:
            common += 1
        for level in range(common, len(path) - 1):
            lines.append(" " * (depth + level) + f"within {path[level]}")
        lines.append(" " * (depth + len(path) - 1) + f"owns {path[-1]}")
        printed = path[:-1]
    return lines


def parse_manifest(text: str) -> dict[str, Claim]:
    """Claims per tenant from a manifest's text; an empty or missing file holds none."""
    lines = [line.rstrip("\r") for line in text.splitlines() if line.strip()]
    if not lines or lines[0].strip() != HEADER:
        if any(line.startswith("tenant ") for line in lines):
            raise ManifestError("not a dmvpn-runbook ownership manifest (unknown header)")
        return {}
    claims: dict[str, Claim] = {}
    tenant, deployed, by = "", "", ""
    paths: set[Path] = set()
    keys: set[SealedKey] = set()
    stack: list[str] = []
    for line in lines[1:]:
        depth = len(line) - len(line.lstrip(" "))
        word, _, rest = line.strip().partition(" ")
        if depth == 0 and word == "tenant":
            if tenant:
                claims[tenant] = Claim(frozenset(paths), deployed, by, frozenset(keys))
            tenant, deployed, by, paths, keys, stack = rest, "", "", set(), set(), []
            continue
        del stack[max(depth - 1, 0) :]
        if word == "deployed":
            deployed, _, by = rest.partition(" by ")
        elif word == "key" and len(rest.split(" ", 2)) == 3:
            fingerprint, shown, place = rest.split(" ", 2)
            keys.add(SealedKey(tuple(place.split(PLACE_SEPARATOR)), fingerprint, shown))
        elif word == "within":
            stack.append(rest)
        elif word == "owns":
            paths.add((*stack, rest))
        else:
            raise ManifestError(f"unreadable manifest line {line.strip()!r}")
    if tenant:
        claims[tenant] = Claim(frozenset(paths), deployed, by, frozenset(keys))
    return claims


def recorded_paths(claims: Mapping[str, Claim]) -> dict[str, frozenset[Path]]:
    """Paths per tenant, as ``tasks.ownership`` takes them."""
    return {tenant: claim.paths for tenant, claim in claims.items()}
