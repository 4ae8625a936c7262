"""Routing table per (device, VRF): connected, local, static, DHCP default, EIGRP, NHRP."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from lab.model.config_view import DeviceConfig, StaticRoute
from lab.model.eigrp import EigrpRoute

DISTANCE = {"C": 0, "L": 0, "S": 1, "D": 90, "H": 250}


@dataclass
class Route:
    code: str
    prefix: ipaddress.IPv4Network
    nexthop: str | None = None
    interface: str | None = None
    distance: int = 0
    metric: int = 0
    since: float | None = None
    summary: bool = False

    @property
    def candidate_default(self) -> bool:
        return self.prefix.prefixlen == 0


def _better(new: Route, cur: Route | None) -> bool:
    if cur is None:
        return True
    return (new.distance, new.metric) < (cur.distance, cur.metric)


def build_rib(
    cfg: DeviceConfig,
    vrf: str,
    up: dict[str, tuple[str, str]],
    dhcp_gateways: dict[str, str],
    eigrp: dict[ipaddress.IPv4Network, EigrpRoute] | None,
    nhrp: list[Route],
) -> dict[ipaddress.IPv4Network, Route]:
    """`up`: interface → (ip, mask) for up interfaces; `dhcp_gateways`: interface → gateway."""
    rib: dict[ipaddress.IPv4Network, Route] = {}

    def add(route: Route) -> None:
        if _better(route, rib.get(route.prefix)):
            rib[route.prefix] = route

    connected: list[tuple[ipaddress.IPv4Network, str]] = []
    for name, (ip, mask) in up.items():
        if cfg.interfaces[name].vrf != vrf:
            continue
        net = ipaddress.IPv4Interface(f"{ip}/{mask}")
        connected.append((net.network, name))
        add(Route("C", net.network, interface=name))
        if net.network.prefixlen < 32:
            add(Route("L", ipaddress.IPv4Network(f"{ip}/32"), interface=name))
        if name in dhcp_gateways:
            add(Route("S", ipaddress.IPv4Network("0.0.0.0/0"), dhcp_gateways[name], None, 254))
    for sr in cfg.routes:
        if sr.vrf != vrf:
            continue
        if sr.dhcp:
            add_dhcp_route(add, cfg, sr, up, dhcp_gateways)
            continue
        via_if = next(
            (n for net, n in connected if sr.nexthop and ipaddress.IPv4Address(sr.nexthop) in net),
            None,
        )
        if sr.interface and any(n.lower() == sr.interface.lower() for _, n in connected):
            via_if = sr.interface
        elif sr.interface and sr.nexthop:
            # a static route whose exit interface lies in another VRF is installed all the same:
            # the classic way one VRF leaks into another (IOS, `ip route vrf A <p> <m> <if-in-B>
            # <next hop>`); forwarding then continues in the interface's VRF
            iface = cfg.interface(sr.interface)
            if iface is not None and iface.name in up and iface.vrf != vrf:
                via_if = iface.name
        if via_if is None:
            continue
        add(Route("S", sr.prefix, sr.nexthop, via_if if sr.interface else None, sr.distance))
    for er in (eigrp or {}).values():
        if er.summary:
            add(Route("D", er.prefix, None, "Null0", 5, er.metric, er.since, True))
        elif er.nexthop is not None:
            add(Route("D", er.prefix, er.nexthop, er.interface, 90, er.metric, er.since))
    for hr in nhrp:
        add(hr)
    return rib


def add_dhcp_route(
    add: Callable[[Route], None],
    cfg: DeviceConfig,
    sr: StaticRoute,
    up: dict[str, tuple[str, str]],
    dhcp_gateways: dict[str, str],
) -> None:
    """`ip route [vrf A] <p> <m> <interface> dhcp`: via the interface's DHCP gateway, installed
    only while its lease provides one (Cisco, DHCP—Statically Configured Routes Using a DHCP
    Gateway). The interface may lie in another VRF (a global default route into the front-door
    VRF: the local internet exit); forwarding then continues out of that interface."""
    iface = cfg.interface(sr.interface)
    if iface is None or iface.name not in up or iface.name not in dhcp_gateways:
        return
    add(Route("S", sr.prefix, dhcp_gateways[iface.name], iface.name, sr.distance))


def lookup(rib: dict[ipaddress.IPv4Network, Route], dst: str) -> Route | None:
    addr = ipaddress.IPv4Address(dst)
    best = None
    for prefix, route in rib.items():
        if addr in prefix and (best is None or prefix.prefixlen > best.prefix.prefixlen):
            best = route
    return best
