"""`show ip pim [vrf X] neighbor`, `show ip pim [vrf X] interface` and `show ip rpf [vrf X] A`.

Formats from public captures of IOS XE (CSR1000v) and IOS: the neighbour table's header and
columns (`Neighbor          Interface                Uptime/Expires    Ver   DR` /
`Address … Prio/Mode`, rows such as `172.31.0.201      GigabitEthernet2.56      00:02:13/00:01:28
v2    1 / DR S P G`), the interface table (`Address          Interface                Ver/   Nbr
Query  DR     DR`), and `show ip rpf` (`RPF information for ? (1.1.1.1)` … `RPF type: unicast
(ospf 1)`); tests/fixtures/platform-outputs/show_ip_pim_neighbor/SOURCES.md.
"""

from __future__ import annotations

from lab.model.pim import HELLO, HOLD, designated_router, neighbors, pim_on, rpf
from lab.model.world import World
from lab.show.dmvpn import ios_uptime

NEIGHBOR_HEADER = """PIM Neighbor Table
Mode: B - Bidir Capable, DR - Designated Router, N - Default DR Priority,
      P - Proxy Capable, S - State Refresh Capable, G - GenID Capable,
      L - DR Load-balancing Capable
Neighbor          Interface                Uptime/Expires    Ver   DR
Address                                                            Prio/Mode"""

INTERFACE_HEADER = """Address          Interface                Ver/   Nbr    Query  DR     DR
                                          Mode   Count  Intvl  Prior"""


def show_pim_neighbor(world: World, device: str, vrf: str) -> str:
    lines = NEIGHBOR_HEADER.splitlines()
    found = neighbors(world, device, vrf)
    for n in found:
        elapsed = world.now - n.since
        expires = ios_uptime(HOLD - int(elapsed) % HELLO)
        on_link = [m.address for m in found if m.interface == n.interface]
        own_ip = world.cfgs[device].interfaces[n.interface].ip or "0.0.0.0"
        flags = "DR S P G" if designated_router(own_ip, on_link) == n.address else "S P G"
        lines.append(
            f"{n.address:<18}{n.interface:<25}{ios_uptime(elapsed)}/{expires} v2    1 / {flags}"
        )
    return "\n".join(lines) + "\n"


def show_pim_interface(world: World, device: str, vrf: str) -> str:
    cfg = world.cfgs[device]
    lines = INTERFACE_HEADER.splitlines()
    if not cfg.multicast.enabled(vrf):
        return "\n".join(lines) + "\n"
    found = neighbors(world, device, vrf)
    for name, (ip, _mask) in sorted(world.up[device].items()):
        iface = cfg.interfaces[name]
        if iface.vrf != vrf or iface.pim_mode is None:
            continue
        tunnel = world.tunnel(device, name)
        if tunnel is not None and not pim_on(cfg, tunnel):
            continue
        peers = [n.address for n in found if n.interface == name]
        mode = {"sparse-mode": "S", "dense-mode": "D"}.get(iface.pim_mode, "SD")
        dr = designated_router(ip, peers)
        lines.append(f"{ip:<17}{name:<25}{'v2/' + mode:<7}{len(peers):<7}{HELLO:<7}{1:<7}{dr}")
    return "\n".join(lines) + "\n"


def show_ip_rpf(world: World, device: str, vrf: str, source: str) -> str:
    found = rpf(world, device, vrf, source)
    if found is None:
        return f"failed, no route exists to {source}\n"
    neighbor = f"? ({found.neighbor})"
    if found.neighbor == "0.0.0.0":
        neighbor += " - directly connected"
    return (
        "\n".join(
            [
                f"RPF information for ? ({source})",
                f"  RPF interface: {found.interface}",
                f"  RPF neighbor: {neighbor}",
                f"  RPF route/mask: {found.prefix}",
                f"  RPF type: {found.kind}",
                "  Doing distance-preferred lookups across tables",
                "  RPF topology: ipv4 multicast base, originated from ipv4 unicast base",
            ]
        )
        + "\n"
    )
