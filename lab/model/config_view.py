"""Typed view of one device's running config: only what the network model evaluates.

`device_config(text)` is cached by the text's hash, so a `show` on a big lab re-parses
nothing that did not change.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lab.config.tree import Block, parse_text
from lab.model.eigrp_config import EigrpAf, parse_eigrp_classic, parse_eigrp_named
from lab.model.nat_config import Nat, parse_nat_node
from lab.model.pim_config import Multicast, parse_multicast_node
from lab.model.zbfw_config import Zbfw, parse_zbfw_node


@dataclass
class Nhs:
    tunnel_ip: str
    nbma: str | None = None
    multicast: bool = False


@dataclass
class Interface:
    name: str
    vrf: str = ""  # "" is the global table
    ip: str | None = None
    mask: str | None = None
    dhcp: bool = False
    shutdown: bool = False
    zone: str | None = None
    # tunnel
    tunnel_source: str | None = None
    tunnel_mode: str = "gre ip"
    tunnel_key: int | None = None
    tunnel_vrf: str = ""
    protection: str | None = None
    protection_shared: bool = False
    # nhrp
    nhrp_auth: str | None = None
    nhrp_network_id: int | None = None
    nhrp_holdtime: int = 7200
    nhs: list[Nhs] = field(default_factory=list)
    nhrp_maps: dict[str, str] = field(default_factory=dict)
    map_multicast: list[str] = field(default_factory=list)
    nhrp_redirect: bool = False
    nhrp_shortcut: bool = False
    nhrp_no_unique: bool = False  # `ip nhrp registration no-unique`
    # pim
    pim_mode: str | None = None  # sparse-mode / dense-mode / sparse-dense-mode
    pim_nbma: bool = False
    # classic EIGRP knobs: AS -> value
    eigrp_no_split: set[int] = field(default_factory=set)
    eigrp_hello: dict[int, int] = field(default_factory=dict)
    eigrp_hold: dict[int, int] = field(default_factory=dict)

    @property
    def is_tunnel(self) -> bool:
        return self.name.lower().startswith("tunnel")

    def network(self) -> ipaddress.IPv4Interface | None:
        if self.ip and self.mask:
            return ipaddress.IPv4Interface(f"{self.ip}/{self.mask}")
        return None


@dataclass
class StaticRoute:
    vrf: str
    prefix: ipaddress.IPv4Network
    nexthop: str | None
    interface: str | None
    distance: int = 1
    dhcp: bool = False  # `<interface> dhcp`: the next hop is the interface's DHCP gateway


@dataclass
class KeyringPeer:
    name: str
    address: ipaddress.IPv4Network | None = None
    identity: tuple[str, str] | None = None  # (kind, value) kind: fqdn, fqdn-domain, address, …
    psk_local: str | None = None
    psk_remote: str | None = None


@dataclass
class Ikev2Profile:
    name: str
    match_fvrf: str | None = None  # None: global only; "any": every fvrf
    match_remote: list[tuple[str, str]] = field(default_factory=list)
    identity_local: tuple[str, str] | None = None
    auth_local: str | None = None
    auth_remote: list[str] = field(default_factory=list)
    keyring: str | None = None
    ivrf: str | None = None
    dpd: tuple[int, int, str] | None = None  # (interval, retry, on-demand|periodic)


@dataclass
class Proposal:
    encryption: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    group: list[str] = field(default_factory=list)


@dataclass
class DeviceConfig:
    hostname: str = "Router"
    interfaces: dict[str, Interface] = field(default_factory=dict)
    routes: list[StaticRoute] = field(default_factory=list)
    keyrings: dict[str, list[KeyringPeer]] = field(default_factory=dict)
    profiles: dict[str, Ikev2Profile] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    policies: dict[str, list[str]] = field(default_factory=dict)
    transform_sets: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    ipsec_profiles: dict[str, tuple[list[str], str | None]] = field(default_factory=dict)
    ipsec_pfs: dict[str, str] = field(default_factory=dict)  # profile -> `set pfs` group
    eigrp: list[EigrpAf] = field(default_factory=list)
    zbfw: Zbfw = field(default_factory=Zbfw)
    nat: Nat = field(default_factory=Nat)
    ikev2_dpd: tuple[int, int, str] | None = None  # global `crypto ikev2 dpd`
    ikev2_nat_keepalive: int | None = None  # `crypto ikev2 nat keepalive <s>`
    multicast: Multicast = field(default_factory=Multicast)

    def interface(self, name: str | None) -> Interface | None:
        if not name:
            return None
        if name in self.interfaces:
            return self.interfaces[name]
        low = name.lower()
        for iface in self.interfaces.values():
            if iface.name.lower() == low:
                return iface
        # abbreviations as typed at the CLI: Gi0/0/1, tu42, Tunnel 42
        m = re.match(r"^([a-z-]+)\s*(\d.*)$", low)
        if m:
            for iface in self.interfaces.values():
                full = re.match(r"^([a-z-]+)(\d.*)$", iface.name.lower())
                if full and full.group(1).startswith(m.group(1)) and full.group(2) == m.group(2):
                    return iface
        return None

    def interface_by_ip(self, ip: str) -> Interface | None:
        for iface in self.interfaces.values():
            if iface.ip == ip:
                return iface
        return None


def _identity(words: list[str]) -> tuple[str, str] | None:
    """`fqdn X` / `fqdn domain X` / `address A` / `email X` / `email domain X`."""
    if not words:
        return None
    kind = words[0]
    if len(words) >= 3 and words[1] == "domain":
        return (f"{kind}-domain", words[2].lower())
    if len(words) >= 2:
        return (kind, words[1].lower())
    return None


def _parse_interface(iface: Interface, node: Block) -> None:
    for child in node.children:
        # a line the model cannot read (the config store validates syntax) is ignored
        with contextlib.suppress(ValueError, IndexError):
            _parse_interface_line(iface, child)


def _parse_interface_line(iface: Interface, child: Block) -> None:
    w = child.words
    text = child.line
    if text == "shutdown":
        iface.shutdown = True
    elif text == "no shutdown":
        iface.shutdown = False
    elif w[:2] == ["vrf", "forwarding"] or w[:3] == ["ip", "vrf", "forwarding"]:
        iface.vrf = w[-1]
    elif w[:3] == ["ip", "address", "dhcp"]:
        iface.dhcp, iface.ip, iface.mask = True, None, None
    elif w[:2] == ["ip", "address"] and len(w) >= 4 and "secondary" not in w:
        iface.ip, iface.mask, iface.dhcp = w[2], w[3], False
    elif w[:2] == ["zone-member", "security"] and len(w) > 2:
        iface.zone = w[2]
    elif w[:2] == ["tunnel", "source"] and len(w) > 2:
        iface.tunnel_source = w[2]
    elif w[:2] == ["tunnel", "mode"]:
        iface.tunnel_mode = " ".join(w[2:])
    elif w[:2] == ["tunnel", "key"] and len(w) > 2:
        iface.tunnel_key = int(w[2])
    elif w[:2] == ["tunnel", "vrf"] and len(w) > 2:
        iface.tunnel_vrf = w[2]
    elif w[:4] == ["tunnel", "protection", "ipsec", "profile"] and len(w) > 4:
        iface.protection = w[4]
        iface.protection_shared = "shared" in w[5:]
    elif w[:2] == ["ip", "nhrp"]:
        _parse_nhrp(iface, w[2:])
    elif w[:2] == ["ip", "pim"] and len(w) > 2:
        if w[2] == "nbma-mode":
            iface.pim_nbma = True
        elif w[2].endswith("-mode"):
            iface.pim_mode = w[2]
    elif w[:3] == ["no", "ip", "split-horizon"] and len(w) >= 5 and w[3] == "eigrp":
        iface.eigrp_no_split.add(int(w[4]))
    elif w[:3] == ["ip", "hello-interval", "eigrp"] and len(w) >= 5:
        iface.eigrp_hello[int(w[3])] = int(w[4])
    elif w[:3] == ["ip", "hold-time", "eigrp"] and len(w) >= 5:
        iface.eigrp_hold[int(w[3])] = int(w[4])


def _parse_nhrp(iface: Interface, w: list[str]) -> None:
    if not w:
        return
    key, rest = w[0], w[1:]
    if key == "authentication" and rest:
        iface.nhrp_auth = rest[0]
    elif key == "network-id" and rest:
        iface.nhrp_network_id = int(rest[0])
    elif key == "holdtime" and rest:
        iface.nhrp_holdtime = int(rest[0])
    elif key == "nhs" and rest:
        nhs = Nhs(rest[0])
        if "nbma" in rest:
            nhs.nbma = rest[rest.index("nbma") + 1]
        nhs.multicast = "multicast" in rest
        iface.nhs.append(nhs)
    elif key == "map" and rest:
        if rest[0] == "multicast" and len(rest) > 1:
            iface.map_multicast.append(rest[1])
        elif len(rest) >= 2:
            iface.nhrp_maps[rest[0]] = rest[1]
    elif key == "redirect":
        iface.nhrp_redirect = True
    elif key == "shortcut":
        iface.nhrp_shortcut = True
    elif key == "registration" and rest[:1] == ["no-unique"]:
        iface.nhrp_no_unique = True


def _is_ip(word: str) -> bool:
    try:
        ipaddress.IPv4Address(word)
    except ValueError:
        return False
    return True


def _parse_route(w: list[str]) -> StaticRoute | None:
    rest = w[2:]
    vrf = ""
    if rest[:1] == ["vrf"] and len(rest) > 1:
        vrf, rest = rest[1], rest[2:]
    if len(rest) < 3 or not _is_ip(rest[0]) or not _is_ip(rest[1]):
        return None
    try:
        prefix = ipaddress.IPv4Network(f"{rest[0]}/{rest[1]}", strict=False)
    except ValueError:
        return None
    nexthop = interface = None
    distance = 1
    dhcp = False
    for word in rest[2:]:
        if word in ("name", "tag", "permanent", "track", "global"):
            break
        if word == "dhcp":
            dhcp = True
        elif _is_ip(word):
            nexthop = word
        elif word.isdigit():
            distance = int(word)
        elif interface is None and nexthop is None:
            interface = word
    return StaticRoute(vrf, prefix, nexthop, interface, distance, dhcp)


def _parse_keyring(node: Block) -> list[KeyringPeer]:
    peers = []
    for peer_node in node.children:
        if peer_node.words[:1] != ["peer"]:
            continue
        peer = KeyringPeer(peer_node.words[1] if len(peer_node.words) > 1 else "")
        for c in peer_node.children:
            w = c.words
            if w[0] == "address" and len(w) >= 2:
                mask = w[2] if len(w) > 2 else "255.255.255.255"
                peer.address = ipaddress.IPv4Network(f"{w[1]}/{mask}", strict=False)
            elif w[0] == "identity":
                peer.identity = _identity(w[1:])
            elif w[0] == "pre-shared-key" and len(w) >= 2:
                args = w[1:]
                side = "both"
                if args[0] in ("local", "remote"):
                    side, args = args[0], args[1:]
                if args and args[0] in ("0", "6", "7") and len(args) > 1:
                    args = args[1:]
                key = " ".join(args)
                if side in ("both", "local"):
                    peer.psk_local = key
                if side in ("both", "remote"):
                    peer.psk_remote = key
        peers.append(peer)
    return peers


def _parse_profile(node: Block) -> Ikev2Profile:
    prof = Ikev2Profile(node.words[3])
    for c in node.children:
        w = c.words
        if w[:2] == ["match", "fvrf"] and len(w) > 2:
            prof.match_fvrf = w[2]
        elif w[:3] == ["match", "identity", "remote"]:
            ident = _identity(w[3:])
            if ident and ident[0] == "address" and len(w) > 5:
                ident = ("address", f"{w[4]}/{w[5]}")
            if ident:
                prof.match_remote.append(ident)
        elif w[:2] == ["identity", "local"]:
            prof.identity_local = _identity(w[2:])
        elif w[:2] == ["authentication", "local"] and len(w) > 2:
            prof.auth_local = w[2]
        elif w[:2] == ["authentication", "remote"] and len(w) > 2:
            prof.auth_remote.append(w[2])
        elif w[:2] == ["keyring", "local"] and len(w) > 2:
            prof.keyring = w[2]
        elif w[0] == "ivrf" and len(w) > 1:
            prof.ivrf = w[1]
        elif w[0] == "dpd" and len(w) > 3:
            prof.dpd = (int(w[1]), int(w[2]), w[3])
    return prof


def _parse_crypto(cfg: DeviceConfig, node: Block) -> None:
    w = node.words
    if w[:3] == ["crypto", "ikev2", "keyring"] and len(w) > 3:
        cfg.keyrings[w[3]] = _parse_keyring(node)
    elif w[:3] == ["crypto", "ikev2", "profile"] and len(w) > 3:
        cfg.profiles[w[3]] = _parse_profile(node)
    elif w[:3] == ["crypto", "ikev2", "proposal"] and len(w) > 3:
        prop = Proposal()
        for c in node.children:
            cw = c.words
            if cw[0] in ("encryption", "integrity", "group"):
                getattr(prop, cw[0]).extend(cw[1:])
        cfg.proposals[w[3]] = prop
    elif w[:4] == ["crypto", "ikev2", "nat", "keepalive"] and len(w) > 4:
        cfg.ikev2_nat_keepalive = int(w[4])
    elif w[:3] == ["crypto", "ikev2", "dpd"] and len(w) > 5:
        cfg.ikev2_dpd = (int(w[3]), int(w[4]), w[5])
    elif w[:3] == ["crypto", "ikev2", "policy"] and len(w) > 3:
        cfg.policies[w[3]] = [c.words[1] for c in node.children if c.words[0] == "proposal"]
    elif w[:3] == ["crypto", "ipsec", "transform-set"] and len(w) > 4:
        mode = "tunnel"
        for c in node.children:
            if c.words[0] == "mode" and len(c.words) > 1:
                mode = c.words[1]
        cfg.transform_sets[w[3]] = (frozenset(w[4:]), mode)
    elif w[:3] == ["crypto", "ipsec", "profile"] and len(w) > 3:
        sets: list[str] = []
        ike: str | None = None
        for c in node.children:
            cw = c.words
            if cw[:2] == ["set", "transform-set"]:
                sets.extend(cw[2:])
            elif cw[:2] == ["set", "ikev2-profile"] and len(cw) > 2:
                ike = cw[2]
            elif cw[:2] == ["set", "pfs"]:
                cfg.ipsec_pfs[w[3]] = cw[2] if len(cw) > 2 else "group1"  # IOS: no group = 1
        cfg.ipsec_profiles[w[3]] = (sets, ike)


def parse_device(text: str) -> DeviceConfig:
    """Build the typed view of one running config."""
    cfg = DeviceConfig()
    for node in parse_text(text):
        with contextlib.suppress(ValueError, IndexError):
            _parse_node(cfg, node)
    return cfg


def _parse_node(cfg: DeviceConfig, node: Block) -> None:
    w = node.words
    parse_nat_node(cfg.nat, node)
    if w[0] == "hostname" and len(w) > 1:
        cfg.hostname = w[1]
    elif w[0] == "interface" and len(w) > 1:
        iface = cfg.interfaces.setdefault(w[1], Interface(w[1]))
        _parse_interface(iface, node)
    elif w[:2] == ["ip", "route"]:
        route = _parse_route(w)
        if route:
            cfg.routes.append(route)
    elif w[0] == "crypto":
        _parse_crypto(cfg, node)
    elif parse_multicast_node(cfg.multicast, node):
        pass
    elif w[:2] == ["router", "eigrp"] and len(w) > 2:
        if w[2].isdigit():
            cfg.eigrp.extend(parse_eigrp_classic(node))
        else:
            cfg.eigrp.extend(parse_eigrp_named(node))
    else:
        parse_zbfw_node(cfg.zbfw, node)


@lru_cache(maxsize=512)
def _cached(digest: str, text: str) -> DeviceConfig:
    return parse_device(text)


def device_config(text: str) -> DeviceConfig:
    """Parse with a cache keyed by the text's hash (treat the result as read-only)."""
    return _cached(hashlib.sha256(text.encode()).hexdigest(), text)
