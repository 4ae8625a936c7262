"""`show ip eigrp [vrf X] neighbors` / `show eigrp address-family ipv4 [vrf X] neighbors`."""

from __future__ import annotations

import zlib

from lab.model.eigrp import find_af, timers
from lab.model.eigrp_config import EigrpAf
from lab.model.world import World
from lab.show.dmvpn import ios_uptime

COLUMNS = """H   Address                 Interface              Hold Uptime   SRTT   RTO  Q  Seq
                                                   (sec)         (ms)       Cnt Num"""
SHORT = {
    "tunnel": "Tu",
    "gigabitethernet": "Gi",
    "fastethernet": "Fa",
    "ethernet": "Et",
    "loopback": "Lo",
    "tengigabitethernet": "Te",
}


def short_name(name: str) -> str:
    low = name.lower()
    for long, abbr in SHORT.items():
        if low.startswith(long):
            return abbr + name[len(long) :]
    return name


def header(af: EigrpAf) -> list[str]:
    if not af.named:
        vrf = f" VRF({af.vrf})" if af.vrf else ""
        return [f"EIGRP-IPv4 Neighbors for AS({af.asn}){vrf}"]
    lines = [f"EIGRP-IPv4 VR({af.name}) Address-Family Neighbors for AS({af.asn})"]
    if af.vrf:
        lines.append(f"           VRF({af.vrf})")
    return lines


def show_neighbors(world: World, device: str, vrf: str) -> str:
    cfg = world.cfgs[device]
    af = find_af(cfg, vrf)
    if af is None:
        return ""
    rows = []
    for adj in world.adjs:
        if adj.visible is None:
            continue
        for mine, peer, peer_af in ((adj.a, adj.b, adj.af_b), (adj.b, adj.a, adj.af_a)):
            if mine.device != device or mine.vrf != vrf:
                continue
            hello, hold = timers(peer_af, peer.iface)
            elapsed = world.now - adj.visible
            seed = zlib.crc32(adj.key.encode())
            srtt = 5 + seed % 60
            rows.append(
                (
                    adj.visible,
                    peer.iface.ip or "",
                    short_name(mine.name),
                    hold - int(elapsed) % hello,
                    ios_uptime(elapsed),
                    srtt,
                    max(100, 6 * srtt),
                    3 + seed % 40 + int(elapsed) // 60,
                )
            )
    rows.sort()
    lines = header(af) + COLUMNS.splitlines()
    for handle in range(len(rows) - 1, -1, -1):
        _v, ip, intf, hold, up, srtt, rto, seq = rows[handle]
        lines.append(f"{handle:<4}{ip:<24}{intf:<23}{hold:>4} {up:<8} {srtt:>4} {rto:>5}  0  {seq}")
    return "\n".join(lines) + "\n"
