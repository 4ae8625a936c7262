r"""NAT configuration the data plane evaluates: inside/outside interfaces, `ip nat inside source
list <acl> interface <if> [vrf <name>] overload` rules, and the source ranges of the ACLs they name.

IOS: a packet from an `ip nat inside` interface (or sourced on one) that leaves through an
`ip nat outside` interface is translated when a rule names that exit interface, the packet's
table is the rule's (`vrf <name>`, else the global table) and the rule's ACL permits its source;
the source becomes the exit interface's address ("Configuring NAT for IP Address Conservation",
http://cisco.com/c/en/us/td/docs/ios-xml/ios/ipaddr_nat/configuration/15-mt/nat-15-mt-book/iadnat-addr-consv.html).
The translation entry holds both tables, so a reply returns into the inside table whatever
table the outside interface is in (inter-VRF NAT, ipspace.net "Inter-VRF NAT in DMVPN Local
Internet Exit Designs").

>>> from lab.config.tree import parse_text
>>> nat = Nat()
>>> text = (
...     "interface Gi0/0/0\n ip nat outside\n!\nip access-list extended L\n"
...     " permit ip 10.1.1.0 0.0.0.255 any\n!\n"
...     "ip nat inside source list L interface Gi0/0/0 overload\n"
... )
>>> for node in parse_text(text):
...     parse_nat_node(nat, node)
>>> nat.rule_for("", "10.1.1.5", "Gi0/0/0")
NatRule(acl='L', interface='Gi0/0/0', vrf='')
>>> nat.rule_for("", "10.9.9.9", "Gi0/0/0") is None
True
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from lab.config.tree import Block

ANY = ipaddress.IPv4Network("0.0.0.0/0")


@dataclass(frozen=True)
class NatRule:
    acl: str
    interface: str  # the outside interface whose address the source takes
    vrf: str = ""  # the inside table ("" the global table)


@dataclass
class Nat:
    inside: set[str] = field(default_factory=set)  # interface names, lower case
    outside: set[str] = field(default_factory=set)
    rules: list[NatRule] = field(default_factory=list)
    acls: dict[str, list[tuple[bool, ipaddress.IPv4Network]]] = field(default_factory=dict)

    def permits(self, acl: str, source: str) -> bool:
        """First matching entry decides; no match is IOS's implicit deny."""
        addr = ipaddress.IPv4Address(source)
        for permit, net in self.acls.get(acl, []):
            if addr in net:
                return permit
        return False

    def rule_for(self, vrf: str, source: str, out_if: str) -> NatRule | None:
        """The rule translating `source` (in table `vrf`) out of `out_if`, when one applies."""
        if out_if.lower() not in self.outside:
            return None
        return next(
            (
                r
                for r in self.rules
                if r.interface.lower() == out_if.lower()
                and r.vrf == vrf
                and self.permits(r.acl, source)
            ),
            None,
        )


def _source(words: list[str]) -> ipaddress.IPv4Network | None:
    """The source of an ACE's words after the action (standard or `ip` extended)."""
    if not words:
        return None
    if words[0] == "any":
        return ANY
    if words[0] == "host" and len(words) > 1:
        return ipaddress.IPv4Network(f"{words[1]}/32")
    wildcard = words[1] if len(words) > 1 and words[1][:1].isdigit() else "0.0.0.0"
    return ipaddress.IPv4Network(f"{words[0]}/{wildcard}", strict=False)


def _entry(words: list[str], extended: bool) -> tuple[bool, ipaddress.IPv4Network] | None:
    if words and words[0].isdigit():  # sequence number
        words = words[1:]
    if not words or words[0] not in ("permit", "deny"):
        return None
    rest = words[1:]
    if extended:
        if not rest or rest[0] != "ip":  # only `ip` entries say anything about every packet
            return None
        rest = rest[1:]
    net = _source(rest)
    return (words[0] == "permit", net) if net is not None else None


def parse_nat_node(nat: Nat, node: Block) -> None:
    """Read what NAT needs from one top-level config node (others are ignored)."""
    w = node.words
    if w[0] == "interface" and len(w) > 1:
        for child in node.children:
            if child.words[:2] == ["ip", "nat"] and len(child.words) > 2:
                side = nat.inside if child.words[2] == "inside" else nat.outside
                side.add(w[1].lower())
    elif w[:3] == ["ip", "access-list", "extended"] or w[:3] == ["ip", "access-list", "standard"]:
        entries = [_entry(c.words, w[2] == "extended") for c in node.children]
        nat.acls[w[3]] = [e for e in entries if e is not None]
    elif w[0] == "access-list" and len(w) > 2 and w[1].isdigit():
        entry = _entry(w[2:], int(w[1]) >= 100)
        if entry is not None:
            nat.acls.setdefault(w[1], []).append(entry)
    elif w[:5] == ["ip", "nat", "inside", "source", "list"] and len(w) > 7 and w[6] == "interface":
        vrf = w[w.index("vrf") + 1] if "vrf" in w[8:] else ""
        nat.rules.append(NatRule(w[5], w[7], vrf))
