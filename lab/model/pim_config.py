"""The multicast part of a device's config, as the network model reads it: which routing tables
have multicast routing, their static RPs, and static mroutes (RPF hints)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from lab.config.tree import Block


@dataclass(frozen=True)
class Mroute:
    """`ip mroute [vrf V] <source> <mask> {<rpf address>|<interface>} [<distance>]`."""

    vrf: str
    prefix: ipaddress.IPv4Network
    rpf: str  # an address (resolved through the unicast table) or an interface name
    distance: int = 0  # IOS's default for a static mroute


@dataclass
class Multicast:
    """Multicast routing per table ("" is the global table): enabled, and how it was typed."""

    routing: dict[str, bool] = field(default_factory=dict)  # vrf -> typed with `distributed`
    rps: dict[str, list[str]] = field(default_factory=dict)  # vrf -> static RP addresses
    mroutes: list[Mroute] = field(default_factory=list)

    def enabled(self, vrf: str) -> bool:
        return vrf in self.routing


def _vrf_and_rest(words: list[str]) -> tuple[str, list[str]]:
    if words[:1] == ["vrf"] and len(words) > 1:
        return words[1], words[2:]
    return "", words


def parse_multicast_node(mcast: Multicast, node: Block) -> bool:
    """Read one top-level line into `mcast`; False when it is not a multicast line."""
    w = node.words
    if w[:2] == ["ip", "multicast-routing"]:
        vrf, rest = _vrf_and_rest(w[2:])
        mcast.routing[vrf] = "distributed" in rest
    elif w[:2] == ["ip", "pim"]:
        vrf, rest = _vrf_and_rest(w[2:])
        if rest[:1] == ["rp-address"] and len(rest) > 1:
            mcast.rps.setdefault(vrf, []).append(rest[1])
    elif w[:2] == ["ip", "mroute"]:
        vrf, rest = _vrf_and_rest(w[2:])
        if len(rest) < 3:
            return True
        prefix = ipaddress.IPv4Network(f"{rest[0]}/{rest[1]}", strict=False)
        distance = int(rest[3]) if len(rest) > 3 and rest[3].isdigit() else 0
        mcast.mroutes.append(Mroute(vrf, prefix, rest[2], distance))
    else:
        return False
    return True
