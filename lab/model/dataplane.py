"""Packet walk through the lab: hop by hop along each router's VRF table and the overlay.

A hub that forwards a packet back out of the tunnel it came in on, with `ip nhrp redirect`,
reports a redirect; the network turns it into a phase-3 shortcut request when the sending
spoke has `ip nhrp shortcut`. The internet delivers only to WAN endpoints that reach it, and
never initiates towards a carrier-NATed address; public internet hosts (any global address no lab
device holds) answer pings. The carrier accepts only its subscriber's own address as a source, so
a LAN reaches the internet only through router NAT (`lab/model/nat_config.py`): a translated
packet's reply is un-NATed back into the inside table, which is also how NAT between two VRFs
turns a one-way leak into a two-way one.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from lab.model.overlay import Tunnel
from lab.model.routing import lookup
from lab.model.world import World, remote_prefixes

MAX_HOPS = 30


@dataclass
class Walk:
    hops: list[str] = field(default_factory=list)  # address answering at each hop
    delivered: tuple[str, str] | None = None  # (device, vrf)
    redirects: list[tuple[Tunnel, Tunnel]] = field(default_factory=list)
    egress_ip: str | None = None
    nat: dict[str, str] = field(default_factory=dict)  # private source -> public, when NATed
    source: str | None = None  # the packet's source as it travels, after each translation
    # (device, translated address) -> (inside address, inside VRF): router NAT entries
    translations: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


def local_device(world: World, device: str, vrf: str, dst: str) -> bool:
    cfg = world.cfgs[device]
    return any(
        ip == dst and cfg.interfaces[n].vrf == vrf for n, (ip, _m) in world.up[device].items()
    )


def _overlay_peer(world: World, device: str, tname: str, nh: str) -> Tunnel | None:
    for reg in world.visible_regs():
        if reg.spoke.device == device and reg.spoke.name == tname and reg.hub.iface.ip == nh:
            return reg.hub
        if reg.hub.device == device and reg.hub.name == tname and reg.spoke.iface.ip == nh:
            return reg.spoke
    for sc in world.shortcuts:
        if sc.visible is None:
            continue
        for mine, other in ((sc.a, sc.c), (sc.c, sc.a)):
            if mine.device == device and mine.name == tname and other.iface.ip == nh:
                return other
    return None


def _shortcut_peer(world: World, device: str, tname: str, dst: str) -> Tunnel | None:
    addr = ipaddress.IPv4Address(dst)
    for sc in world.shortcuts:
        if sc.visible is None:
            continue
        for mine, other in ((sc.a, sc.c), (sc.c, sc.a)):
            if (
                mine.device == device
                and mine.name == tname
                and any(addr in p for p in remote_prefixes(world, other))
            ):
                return other
    return None


def _internet(world: World, device: str, iface: str, dst: str, reply: bool) -> str | None:
    """Device owning `dst` on the internet, "isp" for a carrier gateway or a public internet
    host (any globally routed address no lab device holds: it answers pings); None: dropped."""
    own = next((e for e in world.endpoints if e.device == device and e.interface == iface), None)
    if own is None:
        return None
    if dst == own.gateway:
        return "isp"
    target = next((e for e in world.endpoints if e.public_ip == dst), None)
    if target is None and ipaddress.IPv4Address(dst).is_global and own.routes_to(dst):
        return "isp"
    if target is None or (target.natted and not reply) or not own.routes_to(dst):
        return None
    return target.device


def _translate(
    world: World, device: str, vrf: str, ingress: str | None, out_if: str, w: Walk
) -> None:
    """Router NAT on the way out of `out_if`: a packet that came from (or was sourced on) an
    `ip nat inside` interface, whose table and source a rule matches, leaves with `out_if`'s
    address; the entry remembers the inside address and table for the reply."""
    nat = world.cfgs[device].nat
    src = w.source
    if src is None or ingress is None or ingress.lower() not in nat.inside:
        return
    if nat.rule_for(vrf, src, out_if) is None:
        return
    public = world.up[device].get(out_if, (None, None))[0]
    if public is not None:
        w.translations[(device, public)] = (src, vrf)
        w.source = public


def _owner(world: World, device: str, address: str | None) -> str | None:
    """The interface of `device` holding `address` (a ping's source), if any."""
    return next((n for n, (ip, _m) in world.up[device].items() if ip == address), None)


def walk(
    world: World,
    device: str,
    vrf: str,
    dst: str,
    reply: bool = False,
    source: str | None = None,
    translations: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> Walk:
    """Follow a packet hop by hop. A forward walk (`reply` False) is NATed where a rule applies
    and dropped by the carrier when it leaves a WAN with a source that is not the WAN's own; a
    reply walk is un-NATed through `translations` (the forward walk's)."""
    result = Walk(source=source)
    ingress: str | None = _owner(world, device, source)
    sender: Tunnel | None = None
    untranslate = dict(translations or {})
    for _ in range(MAX_HOPS):
        if local_device(world, device, vrf, dst):
            inside = untranslate.pop((device, dst), None)
            if inside is not None:  # the reply meets the NAT entry: back into the inside table
                dst, vrf = inside
                continue
            result.delivered = (device, vrf)
            return result
        route = lookup(world.rib(device, vrf), dst)
        if route is None or route.summary:
            return result
        out_if = route.interface
        if out_if is None and route.nexthop:
            via = lookup(world.rib(device, vrf), route.nexthop)
            out_if = via.interface if via else None
        if out_if is None:
            return result
        if result.egress_ip is None:
            result.egress_ip = world.up[device].get(out_if, (None, None))[0]
        if result.source is None:
            result.source = result.egress_ip
        if not reply:
            _translate(world, device, vrf, ingress, out_if, result)
        nh = route.nexthop or dst
        tunnel = world.tunnel(device, out_if)
        if tunnel is not None:
            peer = _shortcut_peer(world, device, tunnel.name, dst) or _overlay_peer(
                world, device, tunnel.name, nh
            )
            if peer is None:
                return result
            if ingress == tunnel.name and tunnel.iface.nhrp_redirect and sender is not None:
                result.redirects.append((sender, peer))
            result.hops.append(peer.iface.ip or "")
            sender = tunnel
            device, vrf, ingress = peer.device, peer.vrf, peer.name
            continue
        own = next(
            (e for e in world.endpoints if e.device == device and e.interface == out_if), None
        )
        if own is not None and not reply and result.source != own.local_ip:
            return result  # the carrier drops a source that is not its subscriber's (no NAT)
        target = _internet(world, device, out_if, dst, reply)
        if target is None or own is None:
            return result
        if own.natted:
            result.nat[own.local_ip] = own.public_ip
        result.hops.append(dst)
        if target == "isp":
            result.delivered = ("isp", "")
            return result
        ep = next(e for e in world.endpoints if e.public_ip == dst)
        dst = ep.local_ip  # carrier NAT translates the reply back to the private lease
        device, vrf, ingress, sender = target, ep.vrf, ep.arrival, None
    return result


def source_address(world: World, device: str, vrf: str, source: str | None) -> str | None:
    if source is None:
        return None
    try:
        ipaddress.IPv4Address(source)
        return source
    except ValueError:
        iface = world.cfgs[device].interface(source)
        if iface is None:
            return None
        return world.up[device].get(iface.name, (None, None))[0]
