"""EIGRP configuration (named and classic mode) as one shape: an address family per VRF."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from lab.config.tree import Block


@dataclass
class AfInterface:
    passive: bool | None = None  # None: inherit from `af-interface default`
    split_horizon: bool = True
    hello: int | None = None
    hold: int | None = None
    summaries: list[ipaddress.IPv4Network] = field(default_factory=list)


@dataclass
class EigrpAf:
    """One EIGRP instance for one VRF ("" = global)."""

    name: str  # named-mode name, or the AS number as text in classic mode
    asn: int
    vrf: str = ""
    named: bool = True
    networks: list[ipaddress.IPv4Network] = field(default_factory=list)
    stub: list[str] | None = None  # None: not a stub; else its keywords
    default_passive: bool = False
    interfaces: dict[str, AfInterface] = field(default_factory=dict)
    shutdown: bool = False
    redistribute_static: bool = False  # `redistribute static` (named: under `topology base`)

    def covers(self, ip: str) -> bool:
        addr = ipaddress.IPv4Address(ip)
        return any(addr in net for net in self.networks)

    def af_interface(self, name: str) -> AfInterface:
        return self.interfaces.get(name, AfInterface())

    def is_passive(self, name: str) -> bool:
        own = self.interfaces.get(name)
        if own is not None and own.passive is not None:
            return own.passive
        return self.default_passive


def _network(words: list[str]) -> ipaddress.IPv4Network | None:
    """`network A [wildcard]`; without a wildcard the classful network."""
    try:
        addr = ipaddress.IPv4Address(words[1])
        if len(words) > 2:
            wild = int(ipaddress.IPv4Address(words[2]))
            mask = ipaddress.IPv4Address(0xFFFFFFFF ^ wild)
            return ipaddress.IPv4Network(f"{addr}/{mask}", strict=False)
        first = int(str(addr).split(".")[0])
        plen = 8 if first < 128 else 16 if first < 192 else 24
        return ipaddress.IPv4Network(f"{addr}/{plen}", strict=False)
    except (ValueError, IndexError):
        return None


def _af_interface(node: Block) -> AfInterface:
    af = AfInterface()
    for c in node.children:
        w = c.words
        if c.line == "passive-interface":
            af.passive = True
        elif c.line == "no passive-interface":
            af.passive = False
        elif c.line == "no split-horizon":
            af.split_horizon = False
        elif w[0] == "hello-interval" and len(w) > 1:
            af.hello = int(w[1])
        elif w[0] == "hold-time" and len(w) > 1:
            af.hold = int(w[1])
        elif w[0] == "summary-address" and len(w) > 1:
            spec = w[1] if "/" in w[1] else f"{w[1]}/{w[2]}"
            af.summaries.append(ipaddress.IPv4Network(spec, strict=False))
    return af


def parse_eigrp_named(node: Block) -> list[EigrpAf]:
    """`router eigrp NAME` → one EigrpAf per `address-family ipv4 … autonomous-system N`."""
    result = []
    for af_node in node.children:
        w = af_node.words
        if w[:2] != ["address-family", "ipv4"] or "autonomous-system" not in w:
            continue
        asn = int(w[w.index("autonomous-system") + 1])
        vrf = w[w.index("vrf") + 1] if "vrf" in w else ""
        af = EigrpAf(node.words[2], asn, vrf)
        for c in af_node.children:
            cw = c.words
            if cw[0] == "network":
                net = _network(cw)
                if net:
                    af.networks.append(net)
            elif cw[:2] == ["eigrp", "stub"]:
                af.stub = cw[2:] or ["connected", "summary"]
            elif cw[0] == "af-interface" and len(cw) > 1:
                parsed = _af_interface(c)
                if cw[1] == "default":
                    af.default_passive = bool(parsed.passive)
                    default = parsed
                    af.interfaces.setdefault("default", default)
                else:
                    af.interfaces[cw[1]] = parsed
            elif c.line == "shutdown":
                af.shutdown = True
            elif cw[:2] == ["topology", "base"]:
                statics = any(t.line == "redistribute static" for t in c.children)
                af.redistribute_static = af.redistribute_static or statics
        _inherit_default(af)
        result.append(af)
    return result


def _inherit_default(af: EigrpAf) -> None:
    default = af.interfaces.pop("default", None)
    if default is None:
        return
    for own in af.interfaces.values():
        if own.hello is None:
            own.hello = default.hello
        if own.hold is None:
            own.hold = default.hold
        if default.split_horizon is False:
            own.split_horizon = False
    af.interfaces["*default*"] = default


def parse_eigrp_classic(node: Block) -> list[EigrpAf]:
    """`router eigrp N` in the global table (passive-interface by name or default)."""
    asn = int(node.words[2])
    af = EigrpAf(str(asn), asn, "", named=False)
    for c in node.children:
        w = c.words
        if w[0] == "network":
            net = _network(w)
            if net:
                af.networks.append(net)
        elif w[:2] == ["eigrp", "stub"]:
            af.stub = w[2:] or ["connected", "summary"]
        elif c.line == "redistribute static":
            af.redistribute_static = True
        elif c.line == "passive-interface default":
            af.default_passive = True
        elif w[0] == "passive-interface" and len(w) > 1:
            af.interfaces.setdefault(w[1], AfInterface()).passive = True
        elif w[:2] == ["no", "passive-interface"] and len(w) > 2:
            af.interfaces.setdefault(w[2], AfInterface()).passive = False
    return [af]
