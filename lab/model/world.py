"""One evaluated snapshot of the whole lab: underlay, SAs, registrations, EIGRP, shortcuts, RIBs."""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field

from lab.model.config_view import DeviceConfig, device_config
from lab.model.eigrp import Adjacency, adjacency_for, find_af, propagate
from lab.model.events import StaleEntry, after_peer_reload, stale_entry, unique_entry_expiry
from lab.model.overlay import (
    RegCandidate,
    SaCandidate,
    Tunnel,
    evaluate_sa,
    registration_problem,
    resolve_tunnels,
    spoke_to_hub,
)
from lab.model.routing import Route, build_rib
from lab.model.timers import NetState
from lab.model.underlay import WanEndpoint, dhcp_leases, interface_address, wan_endpoints


@dataclass
class Shortcut:
    key: str
    a: Tunnel
    c: Tunnel
    sa: SaCandidate | None
    pending: float | None = None
    visible: float | None = None
    used: float = 0.0


@dataclass
class World:
    cfgs: dict[str, DeviceConfig]
    now: float
    leases: dict[tuple[str, str], tuple[str, str, str]]
    up: dict[str, dict[str, tuple[str, str]]]
    endpoints: list[WanEndpoint]
    tunnels: list[Tunnel]
    sas: list[SaCandidate] = field(default_factory=list)
    regs: list[RegCandidate] = field(default_factory=list)
    adjs: list[Adjacency] = field(default_factory=list)
    shortcuts: list[Shortcut] = field(default_factory=list)
    stale: list[StaleEntry] = field(default_factory=list)  # old NHRP entries refusing a spoke
    eigrp_tables: dict = field(default_factory=dict)
    _ribs: dict = field(default_factory=dict)

    def tunnel(self, device: str, name: str) -> Tunnel | None:
        low = name.lower()
        return next((t for t in self.tunnels if t.device == device and t.name.lower() == low), None)

    def rib(self, device: str, vrf: str) -> dict[ipaddress.IPv4Network, Route]:
        key = (device, vrf)
        if key not in self._ribs:
            cfg = self.cfgs[device]
            gws = {n: g for (d, n), (_ip, _m, g) in self.leases.items() if d == device}
            self._ribs[key] = build_rib(
                cfg,
                vrf,
                self.up[device],
                gws,
                self.eigrp_tables.get(key),
                self._nhrp_routes(device, vrf),
            )
        return self._ribs[key]

    def _nhrp_routes(self, device: str, vrf: str) -> list[Route]:
        routes = []
        for sc in self.shortcuts:
            if sc.visible is None:
                continue
            for mine, other in ((sc.a, sc.c), (sc.c, sc.a)):
                if mine.device != device or mine.vrf != vrf:
                    continue
                for prefix in remote_prefixes(self, other):
                    eig = self.eigrp_tables.get((device, vrf), {}).get(prefix)
                    if eig is None:
                        routes.append(
                            Route("H", prefix, other.iface.ip, mine.name, 250, 255, sc.visible)
                        )
        return routes

    def visible_regs(self) -> list[RegCandidate]:
        return [r for r in self.regs if r.visible is not None]


def remote_prefixes(world: World, tunnel: Tunnel) -> list[ipaddress.IPv4Network]:
    """Connected non-tunnel networks behind a spoke, in its tunnel's VRF (its LANs)."""
    cfg = world.cfgs[tunnel.device]
    nets = []
    for name, (ip, mask) in world.up[tunnel.device].items():
        iface = cfg.interfaces[name]
        if iface.vrf == tunnel.vrf and not iface.is_tunnel:
            nets.append(ipaddress.IPv4Interface(f"{ip}/{mask}").network)
    return nets


def _apply_sa(state: NetState, sa: SaCandidate, now: float, since: float | None = None) -> None:
    if sa.result.ok:
        stale, renegotiated = after_peer_reload(state, sa, now)
        if stale:  # the responder reloaded: only the initiator's side is left, useless
            sa.visible, sa.stale = state.visible_at(sa.key), True
            return
        pending = state.hold(sa.key, 0.0, now, renegotiated if renegotiated else since)
        state.mark(sa.key, pending)
        sa.pending = pending
        sa.visible = pending if pending <= now else None
        return
    old = state.visible_at(sa.key)
    if sa.result.reason == "auth" and old is not None and old <= now:
        sa.pending = sa.visible = old  # an established SA survives a PSK change until cleared
        sa.survived = True
        return
    state.drop(sa.key)


def _hold(
    state: NetState, key: str, upstream: float, now: float, since: float | None = None
) -> tuple[float, float | None]:
    pending = state.hold(key, upstream, now, since)
    state.mark(key, pending)
    return pending, pending if pending <= now else None


def build_world(texts: dict[str, str], state: NetState, now: float | None = None) -> World:
    now = time.time() if now is None else now
    cfgs = {name: device_config(text) for name, text in texts.items()}
    epochs = state.epochs()
    leases = dhcp_leases(cfgs, epochs)
    addresses: dict[tuple[str, str], tuple[str, str]] = {}
    for dev, cfg in cfgs.items():
        for iface in cfg.interfaces.values():
            addr = interface_address(cfg, dev, iface, leases)
            if addr:
                addresses[(dev, iface.name)] = addr
    endpoints = wan_endpoints(cfgs, epochs)
    tunnels = resolve_tunnels(cfgs, addresses, endpoints)
    up: dict[str, dict[str, tuple[str, str]]] = {d: {} for d in cfgs}
    for (dev, name), addr in addresses.items():
        iface = cfgs[dev].interfaces[name]
        if not iface.is_tunnel and not iface.shutdown:
            up[dev][name] = addr
    for t in tunnels:
        if t.up and t.iface.ip and t.iface.mask:
            up[t.device][t.name] = (t.iface.ip, t.iface.mask)
    world = World(cfgs, now, leases, up, endpoints, tunnels)
    live: set[str] = set()
    for spoke, nhs, hub_ep, gre, sa in spoke_to_hub(tunnels, endpoints, cfgs):
        if sa is not None:
            _apply_sa(state, sa, now)
            world.sas.append(sa)
            live.add(sa.key)
        problem = registration_problem(spoke, gre, nhs, hub_ep, sa)
        old = stale_entry(state, gre, spoke, now) if gre is not None and not problem else None
        if old is not None:  # the hub's unique entry for the old NBMA address refuses it
            problem = "unique"
            world.stale.append(old)
        hub = gre if gre is not None else spoke  # placeholder hub when no tunnel matched
        key = f"reg|{spoke.device}|{spoke.name}|{hub_ep.device}|{hub.name}"
        reg = RegCandidate(key, spoke, hub, nhs, hub_ep, sa, not problem, problem)
        if not problem and gre is not None:
            upstream = sa.pending if sa is not None and sa.pending else 0.0
            since = unique_entry_expiry(state, spoke)
            reg_pending, reg.visible = _hold(state, key, upstream, now, since)
            reg.pending = reg_pending
            live.add(key)
            adj = adjacency_for(reg)
            if adj is not None:
                _adj_pending, adj.visible = _hold(state, adj.key, reg_pending, now)
                world.adjs.append(adj)
                live.add(adj.key)
        world.regs.append(reg)
    _shortcuts(world, state, now, live)
    for key in [k for k in state.adj if k not in live]:
        state.drop(key)
    instances = {}
    for dev, cfg in cfgs.items():
        for af in cfg.eigrp:
            if not af.shutdown and find_af(cfg, af.vrf) is af:
                instances[(dev, af.vrf)] = (cfg, af, up[dev])
    world.eigrp_tables = propagate(instances, world.adjs)
    return world


def _shortcuts(world: World, state: NetState, now: float, live: set[str]) -> None:
    regs = world.visible_regs()
    for key, entry in list(state.shortcuts.items()):
        _, a_dev, a_tun, c_dev, c_tun = key.split("|")
        a, c = world.tunnel(a_dev, a_tun), world.tunnel(c_dev, c_tun)
        ra = next((r for r in regs if a and r.spoke is a), None)
        rc = next((r for r in regs if c and r.spoke is c), None)
        ok = (
            a is not None
            and c is not None
            and ra is not None
            and rc is not None
            and ra.hub is rc.hub
            and ra.hub.iface.nhrp_redirect
            and a.iface.nhrp_shortcut
            and now - entry.get("used", now) <= a.iface.nhrp_holdtime
        )
        if not ok or a is None or c is None or c.endpoint is None:
            del state.shortcuts[key]
            state._dirty = True
            continue
        sa = None
        upstream = 0.0
        if a.iface.protection:
            sa = evaluate_sa(
                f"sa|{a_dev}|{a_tun}|{c_dev}|{c.endpoint.public_ip}", a, c.endpoint, c, world.cfgs
            )
            if sa is None:
                continue
            _apply_sa(state, sa, now, entry.get("requested"))
            world.sas.append(sa)
            live.add(sa.key)
            if sa.pending is None:
                continue
            upstream = sa.pending
        sc = Shortcut(key, a, c, sa, used=entry.get("used", now))
        sc.pending, sc.visible = _hold(state, "nhrp-" + key, upstream, now, entry.get("requested"))
        live.add("nhrp-" + key)
        world.shortcuts.append(sc)
