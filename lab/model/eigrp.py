"""EIGRP over the DMVPN: neighbors across registered tunnels, and route exchange.

Metrics use the classic composite formula (K1=K3=1): 256 x (10^7/min-bandwidth + sum of delays/10),
tunnel 100 kbit/s and 50 ms (IOS defaults), other interfaces 1 Gbit/s and 10 µs; named mode
prints the same numbers (its RIB scaling is not modelled).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lab.model.config_view import DeviceConfig, Interface
from lab.model.eigrp_config import EigrpAf
from lab.model.overlay import RegCandidate, Tunnel

TUNNEL_BW, TUNNEL_DELAY = 100, 5000  # kbit/s, tens of µs
OTHER_BW, OTHER_DELAY = 1_000_000, 1
NAMED_HELLO, NAMED_HOLD = 5, 15


@dataclass
class Adjacency:
    key: str
    a: Tunnel  # hub side
    b: Tunnel  # spoke side
    af_a: EigrpAf
    af_b: EigrpAf
    upstream: RegCandidate
    visible: float | None = None


def find_af(cfg: DeviceConfig, vrf: str) -> EigrpAf | None:
    return next((af for af in cfg.eigrp if af.vrf == vrf and not af.shutdown), None)


def timers(af: EigrpAf, iface: Interface) -> tuple[int, int]:
    """(hello, hold) this router announces on an interface."""
    if not af.named:
        return iface.eigrp_hello.get(af.asn, NAMED_HELLO), iface.eigrp_hold.get(af.asn, NAMED_HOLD)
    own = af.af_interface(iface.name)
    default = af.interfaces.get("*default*")
    hello = own.hello or (default.hello if default else None) or NAMED_HELLO
    hold = own.hold or (default.hold if default else None) or NAMED_HOLD
    return hello, hold


def split_horizon(af: EigrpAf, iface: Interface) -> bool:
    if not af.named:
        return af.asn not in iface.eigrp_no_split
    return af.af_interface(iface.name).split_horizon


def _speaks(af: EigrpAf | None, tunnel: Tunnel) -> bool:
    ip = tunnel.iface.ip
    return bool(af and ip and af.covers(ip) and not af.is_passive(tunnel.name))


def adjacency_for(reg: RegCandidate) -> Adjacency | None:
    """The EIGRP neighborship a registration could carry (None: it cannot)."""
    hub, spoke = reg.hub, reg.spoke
    af_h, af_s = find_af(hub.cfg, hub.vrf), find_af(spoke.cfg, spoke.vrf)
    if af_h is None or af_s is None or af_h.asn != af_s.asn:
        return None
    if not (_speaks(af_h, hub) and _speaks(af_s, spoke)):
        return None
    hub_mcast = "dynamic" in hub.iface.map_multicast
    spoke_mcast = reg.nhs.multicast or (reg.hub_ep.public_ip in spoke.iface.map_multicast)
    if not (hub_mcast and spoke_mcast):
        return None
    key = f"eigrp|{hub.device}|{hub.name}|{spoke.device}|{spoke.name}"
    return Adjacency(key, hub, spoke, af_h, af_s, reg)


@dataclass
class EigrpRoute:
    prefix: ipaddress.IPv4Network
    bw: int
    delay: int
    nexthop: str | None  # None: originated here
    interface: str | None
    since: float
    summary: bool = False

    @property
    def metric(self) -> int:
        return 256 * (10_000_000 // self.bw + self.delay)


def _link(iface: Interface) -> tuple[int, int]:
    return (TUNNEL_BW, TUNNEL_DELAY) if iface.is_tunnel else (OTHER_BW, OTHER_DELAY)


def originated(
    cfg: DeviceConfig, af: EigrpAf, up: dict[str, tuple[str, str]]
) -> dict[ipaddress.IPv4Network, EigrpRoute]:
    """Connected networks of up interfaces in the af's VRF covered by a network statement."""
    routes = {}
    for name, (ip, mask) in up.items():
        iface = cfg.interfaces[name]
        if iface.vrf != af.vrf or not af.covers(ip):
            continue
        net = ipaddress.IPv4Interface(f"{ip}/{mask}").network
        bw, delay = _link(iface)
        routes[net] = EigrpRoute(net, bw, delay, None, name, 0.0)
    if af.redistribute_static:  # static routes of the VRF whose exit interface is up
        for sr in cfg.routes:
            exit_if = cfg.interface(sr.interface)
            if sr.vrf == af.vrf and exit_if is not None and exit_if.name in up:
                routes.setdefault(
                    sr.prefix, EigrpRoute(sr.prefix, OTHER_BW, OTHER_DELAY, None, exit_if.name, 0.0)
                )
    return routes


def _advertise(
    tables: dict, key: tuple[str, str], adj_if: Interface, af: EigrpAf
) -> list[EigrpRoute]:
    table = tables[key]
    stub = af.stub is not None
    out = []
    for r in table.values():
        if r.summary:
            continue
        if r.nexthop is not None and (
            stub or (split_horizon(af, adj_if) and r.interface == adj_if.name)
        ):
            continue
        out.append(r)
    summaries = af.af_interface(adj_if.name).summaries if af.named else []
    for s in summaries:
        inside = [r for r in out if r.prefix.subnet_of(s) and r.prefix != s]
        if inside:
            best = min(inside, key=lambda r: r.metric)
            out = [r for r in out if r not in inside]
            out.append(EigrpRoute(s, best.bw, best.delay, None, None, best.since, True))
    return out


def propagate(
    instances: dict[tuple[str, str], tuple[DeviceConfig, EigrpAf, dict]],
    adjacencies: list[Adjacency],
) -> dict[tuple[str, str], dict]:
    """Distance-vector exchange until stable; tables keyed (device, vrf) → prefix → route."""
    tables = {k: originated(cfg, af, up) for k, (cfg, af, up) in instances.items()}
    links = []
    for adj in adjacencies:
        if adj.visible is None:
            continue
        for x, y in ((adj.a, adj.b), (adj.b, adj.a)):
            links.append((x, y, adj.visible))
    for _ in range(16):
        changed = False
        for x, y, since in links:
            kx, ky = (x.device, x.vrf), (y.device, y.vrf)
            if kx not in tables or ky not in tables:
                continue
            af_x = instances[kx][1]
            bw_y, delay_y = _link(y.iface)
            for r in _advertise(tables, kx, x.iface, af_x):
                cand = EigrpRoute(
                    r.prefix,
                    min(r.bw, bw_y),
                    r.delay + delay_y,
                    x.iface.ip,
                    y.name,
                    max(since, r.since),
                )
                cur = tables[ky].get(r.prefix)
                if cur is None or (cur.nexthop is not None and cand.metric < cur.metric):
                    tables[ky][r.prefix] = cand
                    changed = True
        if not changed:
            break
    for k, (_cfg, af, _up) in instances.items():
        for adj_if in af.interfaces.values():
            for s in adj_if.summaries:
                if any(r.prefix.subnet_of(s) and r.prefix != s for r in tables[k].values()):
                    tables[k].setdefault(s, EigrpRoute(s, OTHER_BW, 0, None, "Null0", 0.0, True))
    return tables
