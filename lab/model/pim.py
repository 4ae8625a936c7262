"""PIM over the DMVPN: who is a PIM neighbour of whom, and the RPF lookup.

Two ends of a registration are PIM neighbours when the spoke's registration with the hub is up
(so its IPsec SA is), both have multicast routing in the tunnel's table (VRF on the hub, global
on a spoke), PIM sparse mode on the tunnel, and multicast reaches each other over NHRP: the hub
replicates to registered spokes (`ip nhrp map multicast dynamic`), the spoke sends to its NHS
(`ip nhrp nhs … multicast` or `ip nhrp map multicast <hub NBMA>`). Spokes are never PIM
neighbours of each other: no spoke maps multicast to another (PIM hellos go to 224.0.0.13, which
NHRP replicates only along those mappings).

RPF follows IOS's default "distance-preferred lookups across tables": the longest match in the
static mroutes and the longest match in the unicast table, the lower distance winning (a tie
goes to the mroute); an mroute's RPF address is resolved through the unicast table.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lab.model.config_view import DeviceConfig
from lab.model.overlay import RegCandidate, Tunnel
from lab.model.pim_config import Mroute
from lab.model.routing import Route, lookup
from lab.model.world import World

SPARSE = ("sparse-mode", "sparse-dense-mode")
HELLO, HOLD = 30, 105  # IOS PIM defaults: hello every 30 s, hold 3.5 x hello


def pim_on(cfg: DeviceConfig, tunnel: Tunnel) -> bool:
    """The tunnel runs PIM sparse mode in a table with multicast routing."""
    return cfg.multicast.enabled(tunnel.vrf) and tunnel.iface.pim_mode in SPARSE


def why_not_neighbours(reg: RegCandidate) -> str | None:
    """Why the hub and the spoke of `reg` are not PIM neighbours (None: they are)."""
    if reg.visible is None:
        return "not registered"
    if reg.sa is not None and reg.sa.visible is None:
        return "no IPsec SA"
    for end in (reg.hub, reg.spoke):
        if not end.cfg.multicast.enabled(end.vrf):
            return f"{end.device}: no multicast routing"
        if end.iface.pim_mode not in SPARSE:
            return f"{end.device}: no PIM sparse mode on {end.name}"
    if "dynamic" not in reg.hub.iface.map_multicast:
        return f"{reg.hub.device}: no `ip nhrp map multicast dynamic`"
    spoke_maps = reg.nhs.multicast or reg.hub_ep.public_ip in reg.spoke.iface.map_multicast
    if not spoke_maps:
        return f"{reg.spoke.device}: no multicast mapping to the hub"
    return None


@dataclass(frozen=True)
class PimNeighbor:
    interface: str
    address: str
    since: float
    peer: Tunnel


def neighbors(world: World, device: str, vrf: str) -> list[PimNeighbor]:
    """`device`'s PIM neighbours in `vrf`, oldest first."""
    found = []
    for reg in world.regs:
        if why_not_neighbours(reg) is not None or reg.visible is None:
            continue
        for mine, peer in ((reg.hub, reg.spoke), (reg.spoke, reg.hub)):
            if mine.device == device and mine.vrf == vrf and peer.iface.ip:
                found.append(PimNeighbor(mine.name, peer.iface.ip, reg.visible, peer))
    return sorted(found, key=lambda n: (n.since, ipaddress.IPv4Address(n.address)))


def designated_router(own_ip: str, neighbor_ips: list[str]) -> str:
    """With every DR priority at its default (1), the highest address is the DR."""
    return str(max(ipaddress.IPv4Address(ip) for ip in [own_ip, *neighbor_ips]))


@dataclass(frozen=True)
class Rpf:
    interface: str
    neighbor: str  # "0.0.0.0": directly connected
    prefix: ipaddress.IPv4Network
    kind: str  # "unicast (eigrp)" / "multicast (static)" / …


_PROTOCOL = {"C": "connected", "L": "connected", "S": "static", "D": "eigrp", "H": "nhrp"}


def _unicast(route: Route, source: str) -> tuple[str, str] | None:
    if route.interface is None:
        return None
    connected = route.code in ("C", "L")
    return route.interface, "0.0.0.0" if connected else (route.nexthop or source)


def rpf(world: World, device: str, vrf: str, source: str) -> Rpf | None:
    """The RPF interface and neighbour toward `source` (None: no route)."""
    cfg = world.cfgs[device]
    rib = world.rib(device, vrf)
    address = ipaddress.IPv4Address(source)
    mroutes = [m for m in cfg.multicast.mroutes if m.vrf == vrf and address in m.prefix]
    mroute: Mroute | None = max(mroutes, key=lambda m: m.prefix.prefixlen, default=None)
    unicast = lookup(rib, source)
    if mroute is not None and (unicast is None or mroute.distance <= unicast.distance):
        via = lookup(rib, mroute.rpf) if _is_ip(mroute.rpf) else None
        if via is not None and via.interface is not None:
            neighbor = mroute.rpf if via.code in ("C", "L") else (via.nexthop or mroute.rpf)
            return Rpf(via.interface, neighbor, mroute.prefix, "multicast (static)")
        iface = cfg.interface(mroute.rpf)
        if iface is not None:
            return Rpf(iface.name, "0.0.0.0", mroute.prefix, "multicast (static)")
    if unicast is None:
        return None
    hop = _unicast(unicast, source)
    if hop is None:
        return None
    return Rpf(hop[0], hop[1], unicast.prefix, f"unicast ({_PROTOCOL.get(unicast.code, 'static')})")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True
