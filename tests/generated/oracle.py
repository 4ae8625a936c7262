"""What the generated tests hold the code to, written independently of ``tasks/ownership.py``.

A tenant's objects are recognised by their exact names (docs/architecture.md, "Object names"):
a name token stands alone between characters that cannot belong to a name, and matches case
as IOS does. Host-level lines are what an operator put on the box for the box itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from gen_inventory import GenTenant

# Top-level lines that describe the device, not any overlay: never a tenant's to change.
HOST_LEVEL = (
    "hostname ",
    "username ",
    "enable secret ",
    "banner ",
    "ip domain name ",
    "snmp-server ",
    "license ",
    "line ",
    "version ",
    "service ",
)

_FAKE_HASH = "$9$abcdefghijklmn$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"


def _name(text: str) -> str:
    return rf"(?<![A-Za-z0-9_.-]){re.escape(text)}(?![A-Za-z0-9_.-])"


def tenant_patterns(t: GenTenant) -> list[re.Pattern[str]]:
    """Regexes matching a line that names one of the tenant's objects."""
    names = [
        t.vrf,
        f"ZONE-{t.tag}",
        f"IKEv2-KEYRING-{t.tag}",
        f"IKEv2-PROFILE-{t.tag}",
        f"IPSEC-PROFILE-{t.tag}",
        f"EIGRP-{t.tag}",
        f"SPOKES-{t.tag}",
    ]
    return [
        *(re.compile(_name(n)) for n in names),
        re.compile(rf"^(no )?(af-)?interface Tunnel{t.tunnel}$"),
    ]


def names_tenant(line: str, t: GenTenant) -> bool:
    text = line.strip()
    return any(p.search(text) for p in tenant_patterns(t))


def is_host_level(top_line: str) -> bool:
    text = top_line.strip()
    return text.removeprefix("no ").startswith(HOST_LEVEL)


def touched(lines: Sequence[str], others: Iterable[GenTenant]) -> list[str]:
    """Lines (IOS-indented, as pushed) that touch another tenant's object or a host-level line;
    a nested line is judged with its top-level object."""
    others = list(others)
    bad, top = [], ""
    for line in lines:
        if not line.startswith(" "):
            top = line
        if is_host_level(top):
            bad.append(line)
            continue
        if any(names_tenant(top, o) or names_tenant(line, o) for o in others):
            bad.append(f"{top} / {line.strip()}" if line != top else line)
    return bad


def host_level_lines(host: str, mention: str) -> list[str]:
    """Device-level lines an operator keeps on ``host``, mentioning tenant ``mention`` by name."""
    return [
        "version 17.3",
        "service password-encryption",
        f"hostname {host}",
        f"enable secret 9 {_FAKE_HASH}",
        f"ip domain name {mention}.lab.example",
        f"username admin privilege 15 secret 9 {_FAKE_HASH}",
        f"username {mention}-ops privilege 15 secret 9 {_FAKE_HASH}",
        # running-config shows a banner over lines, delimiter alone on the last one
        "banner motd ^C",
        f"{mention.upper()} event network, authorised staff only",
        "^C",
        f"snmp-server location {mention} hall, {host}",
        "line vty 0 4",
        " login local",
        " transport input ssh",
    ]


def host_level_of(running: str) -> list[str]:
    """The host-level part of a running config: those top-level lines with their children."""
    kept, keep = [], False
    for line in running.splitlines():
        if line and not line[0].isspace():
            keep = is_host_level(line)
        if keep and line.strip() and line.strip() != "!":
            kept.append(line)
    return kept


def flat(remediation: Mapping[str, Sequence[str]]) -> list[str]:
    return [line for lines in remediation.values() for line in lines]
