"""Exec commands as data, matched with IOS abbreviation rules.

Each row of ``EXEC_COMMANDS`` is ``(pattern, handler, privilege)``. A pattern is a sequence of
keywords (lower case, abbreviable to any unique prefix among the keywords possible at that
point) and placeholders (upper case): ``WORD``, ``NUMBER``, ``A.B.C.D``, ``IFNAME`` (an interface,
abbreviable: ``g0/0/0``), ``SOURCE`` (an address or an interface), ``FLASHFILE`` (``flash:NAME``).
``parse_exec`` returns the handler and the canonical full-word command, or the IOS error.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

NETWORK = "network"  # handler: the control plane (lab/network.py) answers

EXEC_COMMANDS: list[tuple[str, str, int]] = [
    ("enable", "enable", 1),
    ("disable", "disable", 1),
    ("exit", "exit", 1),
    ("logout", "exit", 1),
    ("quit", "exit", 1),
    ("terminal length NUMBER", "terminal", 1),
    ("terminal width NUMBER", "terminal", 1),
    ("terminal no length", "terminal", 1),
    ("terminal no width", "terminal", 1),
    ("show version", "show_version", 1),
    ("show clock", "show_clock", 1),
    ("show vrf", "show_vrf", 1),
    ("show ip interface brief", "show_ip_interface_brief", 1),
    ("show running-config", "show_running_config", 15),
    ("show running-config interface IFNAME", "show_running_config_interface", 15),
    ("show startup-config", "show_startup_config", 15),
    ("write", "write_memory", 15),
    ("write memory", "write_memory", 15),
    ("copy running-config startup-config", "write_memory", 15),
    ("copy running-config FLASHFILE", "copy_running_to_flash", 15),
    ("configure", "configure_terminal", 15),
    ("configure terminal", "configure_terminal", 15),
    ("configure replace FLASHFILE", "configure_replace", 15),
    ("configure replace FLASHFILE force", "configure_replace", 15),
    ("dir", "dir", 15),
    ("dir flash:", "dir", 15),
    ("dir bootflash:", "dir", 15),
    ("delete FLASHFILE", "delete", 15),
    ("delete /force FLASHFILE", "delete", 15),
    ("more FLASHFILE", "more", 15),
    ("reload", "reload", 15),
    # the control plane's commands (issue 4), answered by lab.network.exec
    ("show dmvpn", NETWORK, 1),
    ("show dmvpn detail", NETWORK, 1),
    ("show crypto ikev2 sa", NETWORK, 1),
    ("show crypto ikev2 sa detail", NETWORK, 1),
    ("show crypto session", NETWORK, 1),
    ("show crypto session detail", NETWORK, 1),
    ("show ip nhrp", NETWORK, 1),
    ("show ip nhrp detail", NETWORK, 1),
    ("show ip eigrp neighbors", NETWORK, 1),
    ("show ip eigrp vrf WORD neighbors", NETWORK, 1),
    ("show eigrp address-family ipv4 neighbors", NETWORK, 1),
    ("show eigrp address-family ipv4 vrf WORD neighbors", NETWORK, 1),
    ("show ip route", NETWORK, 1),
    ("show ip route vrf WORD", NETWORK, 1),
    ("show ip route vrf WORD A.B.C.D", NETWORK, 1),
    ("show zone-pair security", NETWORK, 1),
    ("ping A.B.C.D", NETWORK, 1),
    ("ping A.B.C.D source SOURCE", NETWORK, 1),
    ("ping vrf WORD A.B.C.D", NETWORK, 1),
    ("ping vrf WORD A.B.C.D source SOURCE", NETWORK, 1),
    ("traceroute A.B.C.D", NETWORK, 1),
    ("traceroute vrf WORD A.B.C.D", NETWORK, 1),
    ("traceroute A.B.C.D source SOURCE", NETWORK, 1),
    ("traceroute vrf WORD A.B.C.D source SOURCE", NETWORK, 1),
    ("clear crypto session", NETWORK, 15),
    ("clear crypto ikev2 sa", NETWORK, 15),
    ("clear ip nhrp", NETWORK, 15),
]

# Real IOS keywords the lab does not model: listed so abbreviations are exactly as ambiguous
# as on a router (``s`` is ambiguous on IOS, ``sh`` is not); typing one in full is incomplete.
OTHER_KEYWORDS: dict[str, list[str]] = {
    "": [
        "access-enable",
        "archive",
        "cd",
        "clock",
        "connect",
        "debug",
        "disconnect",
        "erase",
        "format",
        "help",
        "mkdir",
        "pwd",
        "rename",
        "request",
        "rmdir",
        "send",
        "set",
        "setup",
        "ssh",
        "telnet",
        "test",
        "undebug",
        "verify",
    ],
    "show": [
        "aaa",
        "access-lists",
        "arp",
        "cdp",
        "class-map",
        "controllers",
        "crypto",
        "dhcp",
        "environment",
        "flash:",
        "history",
        "hosts",
        "interfaces",
        "inventory",
        "ip",
        "license",
        "logging",
        "ntp",
        "platform",
        "policy-map",
        "processes",
        "protocols",
        "sessions",
        "ssh",
        "tech-support",
        "users",
        "vlans",
    ],
}

INTERFACE_TYPES = [
    "GigabitEthernet", "TenGigabitEthernet", "FastEthernet", "Ethernet", "Loopback", "Tunnel",
    "Vlan", "Dialer", "Virtual-Template", "Virtual-Access", "Port-channel", "Serial", "Cellular",
    "BDI", "NVI", "Null",
]  # fmt: skip

PIPE_FILTERS = ["include", "exclude", "begin", "section", "count"]

_IFNAME = re.compile(r"^([A-Za-z][A-Za-z-]*?)\s*(\d[\d/.:]*)$")
_FLASH = re.compile(r"^(?:flash|bootflash):/?([A-Za-z0-9._+-]+)$", re.IGNORECASE)


@dataclass(frozen=True)
class ExecError:
    """A refused command: kind is ``invalid``, ``incomplete``, ``ambiguous`` or ``unknown``."""

    kind: str
    column: int = 0
    text: str = ""


@dataclass
class ExecMatch:
    """A recognised command: its handler, canonical full-word form and placeholder values."""

    handler: str
    canonical: str
    words: list[str]
    args: dict[str, str] = field(default_factory=dict)
    columns: list[int] = field(default_factory=list)  # where each word starts in the line


@dataclass
class _Node:
    keywords: dict[str, _Node] = field(default_factory=dict)
    placeholders: dict[str, _Node] = field(default_factory=dict)
    handler: str | None = None
    privilege: int = 1


def _build(max_privilege: int) -> _Node:
    root = _Node()
    for pattern, handler, privilege in EXEC_COMMANDS:
        if privilege > max_privilege:
            continue
        node = root
        for token in pattern.split():
            table = node.placeholders if token.isupper() or token == "A.B.C.D" else node.keywords
            node = table.setdefault(token, _Node())
        node.handler = handler
    for prefix, words in OTHER_KEYWORDS.items():
        node = root.keywords.get(prefix, root) if prefix else root
        for word in words:
            node.keywords.setdefault(word, _Node())
    return root


_TREES = {1: _build(1), 15: _build(15)}


def canonical_interface(text: str) -> str | None:
    """``g0/0/0`` → ``GigabitEthernet0/0/0``; None when the type is unknown or ambiguous.

    >>> canonical_interface("tu42")
    'Tunnel42'
    """
    match = _IFNAME.match(text.strip())
    if not match:
        return None
    typed, number = match.group(1).lower(), match.group(2)
    exact = [t for t in INTERFACE_TYPES if t.lower() == typed]
    found = exact or [t for t in INTERFACE_TYPES if t.lower().startswith(typed)]
    return f"{found[0]}{number}" if len(found) == 1 else None


def _match_placeholder(kind: str, tokens: list[str], index: int) -> tuple[str, int] | None:
    """Value and number of tokens consumed, or None when the token does not fit."""
    token = tokens[index]
    if kind == "WORD":
        return token, 1
    if kind == "NUMBER":
        return (token, 1) if token.isdigit() else None
    if kind == "A.B.C.D":
        try:
            ipaddress.IPv4Address(token)
        except ValueError:
            return None
        return token, 1
    if kind == "FLASHFILE":
        match = _FLASH.match(token)
        return (f"flash:{match.group(1)}", 1) if match else None
    if kind in ("IFNAME", "SOURCE"):
        if kind == "SOURCE":
            found = _match_placeholder("A.B.C.D", tokens, index)
            if found:
                return found
        name = canonical_interface(token)
        if name:
            return name, 1
        if index + 1 < len(tokens) and token.isalpha():  # "GigabitEthernet 0/0/0"
            name = canonical_interface(token + tokens[index + 1])
            if name:
                return name, 2
        return None
    raise ValueError(f"unknown placeholder {kind}")


def tokenize(line: str) -> list[tuple[str, int]]:
    """Tokens with their column in ``line``."""
    return [(m.group(), m.start()) for m in re.finditer(r"\S+", line)]


def parse_exec(line: str, privilege: int = 15) -> ExecMatch | ExecError:
    """Match one exec command line (no pipe) against the table for this privilege level."""
    spans = tokenize(line)
    tokens = [t for t, _ in spans]
    node = _TREES[15 if privilege >= 15 else 1]
    words: list[str] = []
    columns: list[int] = []
    args: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        token, column = spans[index]
        low = token.lower()
        if low in node.keywords:
            candidates = [low]
        else:
            candidates = [k for k in node.keywords if k.startswith(low)]
        if len(candidates) > 1:
            return ExecError("ambiguous", column, token)
        if len(candidates) == 1:
            words.append(candidates[0])
            columns.append(column)
            node = node.keywords[candidates[0]]
            index += 1
            continue
        for kind, child in node.placeholders.items():
            found = _match_placeholder(kind, tokens, index)
            if found:
                value, used = found
                words.append(value)
                columns.append(column)
                args[kind] = value
                node = child
                index += used
                break
        else:
            if index == 0:
                return ExecError("unknown", column, token)
            return ExecError("invalid", column, token)
    if node.handler is None:
        return ExecError("incomplete", len(line), "")
    return ExecMatch(node.handler, " ".join(words), words, args, columns)


@dataclass(frozen=True)
class PipeFilter:
    """``| include REGEX`` and friends, with the filter keyword in full."""

    kind: str
    regex: str


def parse_pipe(text: str, column: int) -> PipeFilter | ExecError:
    """Parse what follows ``|``; ``column`` is where ``text`` starts in the line."""
    spans = tokenize(text)
    if not spans:
        return ExecError("incomplete", column + len(text), "")
    word, offset = spans[0]
    candidates = [f for f in PIPE_FILTERS if f.startswith(word.lower())]
    if len(candidates) > 1:
        return ExecError("ambiguous", column + offset, word)
    if not candidates:
        return ExecError("invalid", column + offset, word)
    regex = text[offset + len(word) :].strip()
    if not regex and candidates[0] != "count":
        return ExecError("incomplete", column + len(text), "")
    return PipeFilter(candidates[0], regex)
