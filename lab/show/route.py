"""`show ip route [vrf X]` in IOS-XE's text format (legend, gateway, classful grouping)."""

from __future__ import annotations

import ipaddress
from itertools import groupby

from lab.model.eigrp import find_af
from lab.model.routing import Route
from lab.model.world import World
from lab.show.dmvpn import ios_uptime

CODES = "\n".join(
    [
        "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP",
        "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area ",
        "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
        "       E1 - OSPF external type 1, E2 - OSPF external type 2",
        "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2",
        "       ia - IS-IS inter area, * - candidate default, U - per-user static route",
        "       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP",
        "       a - application route",
        "       + - replicated route, % - next hop override, p - overrides from PfR",
        "",
    ]
)


def classful(net: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
    first = int(str(net.network_address).split(".")[0])
    plen = 8 if first < 128 else 16 if first < 192 else 24
    return ipaddress.IPv4Network(f"{net.network_address}/{plen}", strict=False)


def _line(route: Route, now: float, indent: bool) -> str:
    code = route.code + ("*" if route.candidate_default else "")
    code = code.ljust(9 if indent else 6)
    net = str(route.prefix)
    age = ios_uptime(now - route.since) if route.since else None
    if route.code in ("C", "L"):
        return f"{code}{net} is directly connected, {route.interface}"
    if route.summary:
        return f"{code}{net} is a summary, {age or '00:00:00'}, Null0"
    text = f"{code}{net} [{route.distance}/{route.metric}]"
    if route.nexthop:
        text += f" via {route.nexthop}"
    if age:
        text += f", {age}"
    if route.interface and (route.code in ("D", "H", "S") or not route.nexthop):
        # a static route that names its exit interface: `via <next hop>, <interface>`
        text += f", {route.interface}"
    return text


def show_route(rib: dict[ipaddress.IPv4Network, Route], vrf: str, now: float) -> str:
    lines = [f"Routing Table: {vrf}"] if vrf else []
    lines.append(CODES)
    default = rib.get(ipaddress.IPv4Network("0.0.0.0/0"))
    if default and default.nexthop:
        lines.append(f"Gateway of last resort is {default.nexthop} to network 0.0.0.0\n")
    else:
        lines.append("Gateway of last resort is not set\n")
    routes = sorted(rib.values(), key=lambda r: (int(r.prefix.network_address), r.prefix.prefixlen))
    for major, group in groupby(routes, key=lambda r: classful(r.prefix)):
        members = list(group)
        subnets = [r for r in members if r.prefix.prefixlen > major.prefixlen]
        if subnets:
            masks = {r.prefix.prefixlen for r in subnets}
            if len(masks) == 1:
                lines.append(
                    f"      {major.network_address}/{masks.pop()} is subnetted, "
                    f"{len(subnets)} subnets"
                )
            else:
                lines.append(
                    f"      {major} is variably subnetted, {len(subnets)} subnets, "
                    f"{len(masks)} masks"
                )
        for r in members:
            lines.append(_line(r, now, r.prefix.prefixlen > major.prefixlen))
    return "\n".join(lines) + "\n"


def show_route_entry(
    rib: dict[ipaddress.IPv4Network, Route], vrf: str, dst: str, now: float, asn: int | None
) -> str:
    """`show ip route [vrf X] A.B.C.D`: the longest match, IOS's `Routing entry for` block."""
    addr = ipaddress.IPv4Address(dst)
    matches = [r for p, r in rib.items() if addr in p]
    head = [f"Routing Table: {vrf}"] if vrf else []
    if not matches:
        return "\n".join([*head, "% Network not in table"]) + "\n"
    r = max(matches, key=lambda x: x.prefix.prefixlen)
    lines = [*head, f"Routing entry for {r.prefix}"]
    age = ios_uptime(now - r.since) if r.since else "00:00:00"
    if r.code in ("C", "L"):
        lines += [
            '  Known via "connected", distance 0, metric 0 (connected, via interface)',
            "  Routing Descriptor Blocks:",
            f"  * directly connected, via {r.interface}",
            "      Route metric is 0, traffic share count is 1",
        ]
    elif r.code == "D":
        proto = f"eigrp {asn}" if asn is not None else "eigrp"
        lines += [
            f'  Known via "{proto}", distance {r.distance}, metric {r.metric}, type internal',
            f"  Redistributing via {proto}",
        ]
        if r.nexthop:
            lines.append(f"  Last update from {r.nexthop} on {r.interface}, {age} ago")
        lines.append("  Routing Descriptor Blocks:")
        if r.nexthop:
            lines.append(f"  * {r.nexthop}, from {r.nexthop}, {age} ago, via {r.interface}")
        else:
            lines.append(f"  * directly connected, via {r.interface}")
        lines.append(f"      Route metric is {r.metric}, traffic share count is 1")
    else:
        proto = {"S": "static", "H": "nhrp"}.get(r.code, r.code)
        lines += [
            f'  Known via "{proto}", distance {r.distance}, metric {r.metric}'
            + (", candidate default path" if r.candidate_default else ""),
            "  Routing Descriptor Blocks:",
            f"  * {r.nexthop or 'directly connected'}"
            + (f", via {r.interface}" if r.interface else ""),
            f"      Route metric is {r.metric}, traffic share count is 1",
        ]
    return "\n".join(lines) + "\n"


def show_ip_route(world: World, device: str, vrf: str, address: str | None = None) -> str:
    """`show ip route [vrf V] [A.B.C.D]` on `device`."""
    cfg = world.cfgs[device]
    known = {i.vrf for i in cfg.interfaces.values()} | {r.vrf for r in cfg.routes}
    known |= {af.vrf for af in cfg.eigrp}
    if vrf and vrf not in known:
        return f"% IP routing table {vrf} does not exist\n"
    if address is not None:
        af = find_af(cfg, vrf)
        return show_route_entry(
            world.rib(device, vrf), vrf, address, world.now, af.asn if af else None
        )
    return show_route(world.rib(device, vrf), vrf, world.now)
