"""`show dmvpn [detail]` and `show ip nhrp` in IOS's text format."""

from __future__ import annotations

import ipaddress

from lab.model.overlay import Tunnel
from lab.model.world import World, remote_prefixes

LEGEND = """Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete
        N - NATed, L - Local, X - No Socket
        T1 - Route Installed, T2 - Nexthop-override
        C - CTS Capable
        # Ent --> Number of NHRP entries with same NBMA peer
        NHS Status: E --> Expecting Replies, R --> Responding, W --> Waiting
        UpDn Time --> Up or Down Time for a Tunnel
=========================================================================="""
HEADER = """ # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb
 ----- --------------- --------------- ----- -------- -----"""


def ios_uptime(seconds: float) -> str:
    """IOS elapsed-time style: hh:mm:ss under a day, then 1d02h, then 2w3d."""
    s = max(0, int(seconds))
    if s < 86400:
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    days = s // 86400
    if days < 7:
        return f"{days}d{s % 86400 // 3600:02d}h"
    return f"{days // 7}w{days % 7}d"


def _row(nbma: str, tunnel_ip: str, state: str, updn: str, attrb: str) -> str:
    """One peer line; a phase-3 shortcut (`DT1`) holds two entries, the second on its own line."""
    if attrb.startswith("DT"):
        first = f"{2:>6} {nbma:<15}{tunnel_ip:>16}{state:>6} {updn:>8}{attrb:>6}"
        return first + "\n" + f"{'':>22}{tunnel_ip:>16}{state:>6} {updn:>8}{attrb:>6}"
    return f"{1:>6} {nbma:<15}{tunnel_ip:>16}{state:>6} {updn:>8}{attrb:>6}"


def dmvpn_entries(world: World, tunnel: Tunnel) -> list[tuple[str, str, str, str, str]]:
    """(nbma, tunnel ip, state, up/down time, attributes) for one tunnel, sorted by tunnel IP."""
    now = world.now
    rows = []
    for reg in world.regs:
        if reg.spoke is tunnel:
            nbma = reg.hub_ep.public_ip
            if reg.visible is not None:
                rows.append((nbma, reg.nhs.tunnel_ip, "UP", ios_uptime(now - reg.visible), "S"))
            else:
                ike_down = tunnel.iface.protection and (reg.sa is None or reg.sa.visible is None)
                rows.append((nbma, reg.nhs.tunnel_ip, "IKE" if ike_down else "NHRP", "never", "S"))
        elif reg.hub is tunnel and reg.hub is not reg.spoke and reg.visible is not None:
            nbma = reg.spoke.endpoint.public_ip if reg.spoke.endpoint else ""
            rows.append((nbma, reg.spoke.iface.ip or "", "UP", ios_uptime(now - reg.visible), "D"))
    for old in world.stale:  # the hub still answers for the spoke's old NBMA address
        if old.hub is tunnel:
            rows.append(
                (old.nbma, old.spoke.iface.ip or "", "UP", ios_uptime(now - old.since), "D")
            )
    listed = {r[1] for r in rows}
    for nhs in tunnel.iface.nhs:  # an NHS nobody answers for is still listed, never up
        nhs_nbma = nhs.nbma or tunnel.iface.nhrp_maps.get(nhs.tunnel_ip)
        if nhs.tunnel_ip not in listed and nhs_nbma:
            rows.append(
                (
                    nhs_nbma,
                    nhs.tunnel_ip,
                    "IKE" if tunnel.iface.protection else "NHRP",
                    "never",
                    "S",
                )
            )
    for sc in world.shortcuts:
        if sc.visible is None:
            continue
        for mine, other in ((sc.a, sc.c), (sc.c, sc.a)):
            if mine is tunnel and other.endpoint is not None:
                rows.append(
                    (
                        other.endpoint.public_ip,
                        other.iface.ip or "",
                        "UP",
                        ios_uptime(now - sc.visible),
                        "DT1",
                    )
                )
    rows.sort(key=lambda r: ipaddress.IPv4Address(r[1]) if r[1] else 0)
    return rows


def _nhrp_tunnels(world: World, device: str) -> list[Tunnel]:
    return [
        t
        for t in world.tunnels
        if t.device == device and t.multipoint and t.iface.nhrp_network_id is not None
    ]


def show_dmvpn(world: World, device: str, detail: bool = False) -> str:
    blocks = [LEGEND]
    for t in _nhrp_tunnels(world, device):
        rows = dmvpn_entries(world, t)
        kind = "Spoke" if t.iface.nhs else "Hub"
        if detail:
            blocks.append(_detail_block(world, t, kind, rows))
            continue
        lines = [
            "",
            f"Interface: {t.name}, IPv4 NHRP Details",
            f"Type:{kind}, NHRP Peers:{len(rows)},",
            "",
            HEADER,
        ]
        lines += [_row(*r) for r in rows]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + "\n\n"


def _detail_block(world: World, t: Tunnel, kind: str, rows: list) -> str:
    src = t.source_addr[0] if t.source_addr else "0.0.0.0"
    vrf = f', VRF "{t.vrf}"' if t.vrf else ""
    state = "up/up" if t.up else "up/down"
    lines = [
        "",
        f"Interface {t.name} is {state}, Addr. is {t.iface.ip}{vrf}",
        f'   Tunnel Src./Dest. addr: {src}/MGRE, Tunnel VRF "{t.iface.tunnel_vrf}"',
        f'   Protocol/Transport: "multi-GRE/IP", Protect "{t.iface.protection or ""}"',
        "   Interface State Control: Disabled",
        "   nhrp event-publisher : Disabled",
    ]
    if kind == "Spoke":
        lines.append("")
        lines.append("IPv4 NHS:")
        for nhs in t.iface.nhs:
            up = any(r.spoke is t and r.nhs is nhs and r.visible for r in world.regs)
            lines.append(f"{nhs.tunnel_ip}  {'RE' if up else 'E'} priority = 0 cluster = 0")
    lines += [
        f"Type:{kind}, Total NBMA Peers (v4/v6): {len(rows)}",
        "",
        "# Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb    Target Network",
        "----- --------------- --------------- ----- -------- ----- -----------------",
    ]
    for nbma, tip, state_, updn, attrb in rows:
        lines.append(f"{1:>5} {nbma:<15}{tip:>16}{state_:>6} {updn:>8}{attrb:>6}{tip + '/32':>18}")
    return "\n".join(lines)


def show_ip_nhrp(world: World, device: str) -> str:
    now = world.now
    out: list[str] = []
    for t in _nhrp_tunnels(world, device):
        entries: list[tuple[str, list[str]]] = []
        for reg in world.regs:
            if reg.spoke is t:
                created = ios_uptime(now - (reg.visible or now))
                entries.append(
                    (
                        reg.nhs.tunnel_ip,
                        [
                            f"{reg.nhs.tunnel_ip}/32 via {reg.nhs.tunnel_ip}",
                            f"   {t.name} created {created}, never expire ",
                            "   Type: static, Flags: used",
                            f"   NBMA address: {reg.hub_ep.public_ip} ",
                        ],
                    )
                )
            elif reg.hub is t and reg.hub is not reg.spoke and reg.visible is not None:
                ep = reg.spoke.endpoint
                ip = reg.spoke.iface.ip or ""
                hold = reg.spoke.iface.nhrp_holdtime
                unique = "" if reg.spoke.iface.nhrp_no_unique else "unique "
                lines = [
                    f"{ip}/32 via {ip}",
                    f"   {t.name} created {ios_uptime(now - reg.visible)}, "
                    f"expire {ios_uptime(hold - (now - reg.visible) % hold)}",
                    f"   Type: dynamic, Flags: {unique}registered used nhop ",
                    f"   NBMA address: {ep.public_ip if ep else ''} ",
                ]
                if ep is not None and ep.natted:
                    lines.append(f"    (Claimed NBMA address: {ep.local_ip}) ")
                entries.append((ip, lines))
        for old in world.stale:
            if old.hub is t:
                ip = old.spoke.iface.ip or ""
                entries.append(
                    (
                        ip,
                        [
                            f"{ip}/32 via {ip}",
                            f"   {t.name} created {ios_uptime(now - old.since)}, "
                            f"expire {ios_uptime(old.expires - now)}",
                            "   Type: dynamic, Flags: unique registered used nhop ",
                            f"   NBMA address: {old.nbma} ",
                        ],
                    )
                )
        for sc in world.shortcuts:
            if sc.visible is None:
                continue
            for mine, other in ((sc.a, sc.c), (sc.c, sc.a)):
                if mine is not t or other.endpoint is None:
                    continue
                exp = ios_uptime(mine.iface.nhrp_holdtime - (now - sc.used))
                created = ios_uptime(now - sc.visible)
                ip = other.iface.ip or ""
                for net in remote_prefixes(world, other):
                    entries.append(
                        (
                            str(net.network_address),
                            [
                                f"{net} via {ip}",
                                f"   {t.name} created {created}, expire {exp}",
                                "   Type: dynamic, Flags: router rib nho ",
                                f"   NBMA address: {other.endpoint.public_ip} ",
                            ],
                        )
                    )
                entries.append(
                    (
                        ip,
                        [
                            f"{ip}/32 via {ip}",
                            f"   {t.name} created {created}, expire {exp}",
                            "   Type: dynamic, Flags: router nhop rib ",
                            f"   NBMA address: {other.endpoint.public_ip} ",
                        ],
                    )
                )
        entries.sort(key=lambda e: ipaddress.IPv4Address(e[0]) if e[0] else 0)
        for _, lines in entries:
            out.extend(lines)
    return "\n".join(out) + ("\n" if out else "")
