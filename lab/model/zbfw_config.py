"""Zone-based firewall configuration: ACLs, inspect class-maps, policy-maps, zone-pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

from lab.config.tree import Block


@dataclass
class AclEntry:
    action: str  # permit / deny
    protocol: str
    src_port: tuple[str, list[str]] | None = None  # (op, args)
    dst_port: tuple[str, list[str]] | None = None


@dataclass
class ClassMap:
    match_all: bool = False
    acls: list[str] = field(default_factory=list)
    protocols: list[str] = field(default_factory=list)


@dataclass
class ZonePair:
    name: str
    source: str
    destination: str
    policy: str | None = None


@dataclass
class Zbfw:
    acls: dict[str, list[AclEntry]] = field(default_factory=dict)
    class_maps: dict[str, ClassMap] = field(default_factory=dict)
    policy_maps: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # (class, action)
    zones: list[str] = field(default_factory=list)
    zone_pairs: list[ZonePair] = field(default_factory=list)


_PORT_OPS = ("eq", "neq", "gt", "lt", "range")


def _skip_address(words: list[str], i: int) -> int:
    """Index after one ACL address spec (any / host A / A wildcard / object-group N)."""
    if i >= len(words):
        return i
    if words[i] == "any":
        return i + 1
    if words[i] in ("host", "object-group", "addrgroup"):
        return i + 2
    return i + 2


def _port(words: list[str], i: int) -> tuple[tuple[str, list[str]] | None, int]:
    if i < len(words) and words[i] in _PORT_OPS:
        n = 2 if words[i] == "range" else 1
        return (words[i], words[i + 1 : i + 1 + n]), i + 1 + n
    return None, i


def parse_acl_entry(words: list[str]) -> AclEntry | None:
    """`permit udp any any eq isakmp` style (sequence number optional)."""
    if words and words[0].isdigit():
        words = words[1:]
    if len(words) < 2 or words[0] not in ("permit", "deny"):
        return None
    entry = AclEntry(words[0], words[1])
    i = _skip_address(words, 2)
    entry.src_port, i = _port(words, i)
    i = _skip_address(words, i)
    entry.dst_port, i = _port(words, i)
    return entry


def parse_zbfw_node(zbfw: Zbfw, node: Block) -> None:
    """Fold one top-level node into the firewall view, when it belongs to it."""
    w = node.words
    if w[:3] == ["ip", "access-list", "extended"] and len(w) > 3:
        zbfw.acls[w[3]] = [e for c in node.children if (e := parse_acl_entry(c.words))]
    elif w[:3] == ["class-map", "type", "inspect"] and len(w) > 3:
        cm = ClassMap(match_all=w[3] == "match-all")
        for c in node.children:
            cw = c.words
            if cw[:3] == ["match", "access-group", "name"] and len(cw) > 3:
                cm.acls.append(cw[3])
            elif cw[:2] == ["match", "access-group"] and len(cw) > 2:
                cm.acls.append(cw[2])
            elif cw[:2] == ["match", "protocol"] and len(cw) > 2:
                cm.protocols.append(cw[2])
        zbfw.class_maps[w[-1]] = cm
    elif w[:3] == ["policy-map", "type", "inspect"] and len(w) > 3:
        rules = []
        for c in node.children:
            cw = c.words
            if cw[0] != "class":
                continue
            cls = cw[-1]
            action = "drop"
            for a in c.children:
                if a.words[0] in ("inspect", "pass", "drop"):
                    action = a.words[0]
            rules.append((cls, action))
        zbfw.policy_maps[w[3]] = rules
    elif w[:2] == ["zone", "security"] and len(w) > 2:
        zbfw.zones.append(w[2])
    elif w[:2] == ["zone-pair", "security"] and "source" in w and "destination" in w:
        zp = ZonePair(w[2], w[w.index("source") + 1], w[w.index("destination") + 1])
        for c in node.children:
            cw = c.words
            if cw[:3] == ["service-policy", "type", "inspect"] and len(cw) > 3:
                zp.policy = cw[3]
        zbfw.zone_pairs.append(zp)
