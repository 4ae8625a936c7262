"""The DMVPN troubleshooting commands engineers type after `show dmvpn`:
`show ip nhrp nhs`, `show crypto ipsec sa`, `show ip eigrp [vrf X] topology` and
`show policy-map type inspect zone-pair sessions`.

Layouts follow the sample output of Cisco's command references (labelled so in the tests):
- show ip nhrp nhs: https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/ipaddr/command/ipaddr-cr-book/ipaddr-s2.html
- show crypto ipsec sa: https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/security/s1/sec-s1-cr-book/sec-cr-s2.html
- show ip eigrp topology: https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/iproute_eigrp/command/ire-cr-book/ire-a1.html
- show policy-map type inspect zone-pair: https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/security/s1/sec-s1-cr-book/sec-cr-s4.html
The lab carries no user traffic: packet counters are zero and the firewall lists no sessions.
"""

from __future__ import annotations

import hashlib
import ipaddress

from lab.model.eigrp import EigrpRoute, find_af
from lab.model.overlay import Tunnel
from lab.model.world import World
from lab.model.zbfw_config import Zbfw
from lab.show.crypto import device_sas

NHS_LEGEND = "Legend: E=Expecting replies, R=Responding, W=Waiting"


def show_ip_nhrp_nhs(world: World, device: str) -> str:
    """Each NHRP client tunnel and its servers: `RE` once registered, `E` while expecting."""
    lines = [NHS_LEGEND]
    for tunnel in sorted((t for t in world.tunnels if t.device == device), key=lambda t: t.name):
        if not tunnel.iface.nhs:
            continue
        lines.append(f"{tunnel.name}:")
        for nhs in tunnel.iface.nhs:
            registered = any(
                r.spoke is tunnel and r.nhs.tunnel_ip == nhs.tunnel_ip and r.visible is not None
                for r in world.regs
            )
            nbma = nhs.nbma or tunnel.iface.nhrp_maps.get(nhs.tunnel_ip, "")
            flags = "RE" if registered else "E"
            lines.append(f"{nhs.tunnel_ip}  {flags}  NBMA Address: {nbma} priority = 0 cluster = 0")
    return "\n".join(lines) + "\n"


def _spi(key: str, side: str) -> str:
    number = int(hashlib.sha256(f"{key}|esp|{side}".encode()).hexdigest()[:8], 16)
    return f"0x{number:X}({number})"


_DETAIL_COUNTERS = [
    "    #pkts no sa (send) 0, #pkts invalid sa (rcv) 0",
    "    #pkts encaps failed (send) 0, #pkts decaps failed (rcv) 0",
    "    #pkts invalid prot (recv) 0, #pkts verify failed: 0",
    "    #pkts invalid identity (recv) 0, #pkts invalid len (rcv) 0",
    "    #pkts replay rollover (send): 0, #pkts replay rollover (rcv) 0",
    "    ##pkts replay failed (rcv): 0",
    "    #pkts tagged (send): 0, #pkts untagged (rcv): 0",
    "    #pkts not tagged (send): 0, #pkts not untagged (rcv): 0",
    "    #pkts internal err (send): 0, #pkts internal err (recv) 0",
]


def _transform(world: World, device: str, tunnel: Tunnel | None) -> str:
    """The transform set as `show crypto ipsec sa` names it (`esp-aes 256` is `esp-256-aes`)."""
    cfg = world.cfgs[device]
    profile = tunnel.iface.protection if tunnel else None
    sets, _ = cfg.ipsec_profiles.get(profile or "", ([], None))
    words = next((cfg.transform_sets[s][0] for s in sets if s in cfg.transform_sets), frozenset())
    size = next((w for w in words if w.isdigit()), "")
    ciphers = [w for w in words if w.startswith("esp-") and not w.endswith("-hmac")]
    cipher = ciphers[0] if ciphers else "esp-aes"
    if size and cipher.startswith("esp-"):
        cipher = f"esp-{size}-{cipher.removeprefix('esp-')}"
    hashes = [w for w in words if w.endswith("-hmac")]
    return " ".join([cipher, *hashes])


def _esp_block(spi: str, lifetime: int, conn: int, tag: str, transform: str) -> list[str]:
    return [
        f"      spi: {spi}",
        f"        transform: {transform} ,",
        "        in use settings ={Transport, }",
        f"        conn id: {conn}, flow_id: ESG:{conn - 2000}, sibling_flags FFFFFFFF80000008, "
        f"crypto map: {tag}",
        f"        sa timing: remaining key lifetime (k/sec): (4608000/{lifetime})",
        "        IV size: 16 bytes",
        "        replay detection support: Y  replay window size: 64",
        "        Status: ACTIVE(ACTIVE)",
    ]


def show_crypto_ipsec_sa(world: World, device: str, detail: bool = False) -> str:
    """One `interface:` block per tunnel, one `protected vrf:` block per peer inside it (GRE in
    transport mode), as the real capture in tests/fixtures/platform-outputs/show_crypto_ipsec_sa/
    prints them; `detail` adds the error counters."""
    by_tunnel: dict[str, list[str]] = {}
    for n, sa in enumerate(device_sas(world, device), start=1):
        ours = sa.init_ep.device == device
        mine, peer = (sa.init_ep, sa.resp_ep) if ours else (sa.resp_ep, sa.init_ep)
        tunnel = sa.initiator if ours else sa.responder_tunnel
        name = tunnel.name if tunnel else "Tunnel0"
        tag = f"{name}-head-0"
        port = 4500 if sa.result.natted else 500
        lifetime = max(0, 3600 - int(world.now - (sa.visible or world.now)))
        vrf = tunnel.vrf if tunnel and tunnel.vrf else "(none)"
        local, remote = mine.local_ip, peer.public_ip
        transform = _transform(world, device, tunnel)
        block = by_tunnel.setdefault(
            name, ["", f"interface: {name}", f"    Crypto map tag: {tag}, local addr {local}"]
        )
        block += [
            "",
            f"   protected vrf: {vrf}",
            f"   local  ident (addr/mask/prot/port): ({local}/255.255.255.255/47/0)",
            f"   remote ident (addr/mask/prot/port): ({remote}/255.255.255.255/47/0)",
            f"   current_peer {remote} port {port}",
            "     PERMIT, flags={origin_is_acl,}",
            "    #pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0",
            "    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0",
            "    #pkts compressed: 0, #pkts decompressed: 0",
            "    #pkts not compressed: 0, #pkts compr. failed: 0",
            "    #pkts not decompressed: 0, #pkts decompress failed: 0",
            *(_DETAIL_COUNTERS if detail else ["    #send errors 0, #recv errors 0"]),
            "",
            f"     local crypto endpt.: {local}, remote crypto endpt.: {remote}",
            f"     plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb {name}",
            f"     current outbound spi: {_spi(sa.key, 'out' + device)}",
            "     PFS (Y/N): N, DH group: none",
            "",
            "     inbound esp sas:",
            *_esp_block(_spi(sa.key, "in" + device), lifetime, 2000 + 2 * n, tag, transform),
            "",
            "     inbound ah sas:",
            "",
            "     inbound pcp sas:",
            "",
            "     outbound esp sas:",
            *_esp_block(_spi(sa.key, "out" + device), lifetime, 1999 + 2 * n, tag, transform),
            "",
            "     outbound ah sas:",
            "",
            "     outbound pcp sas:",
        ]
    return "\n".join(line for block in by_tunnel.values() for line in block) + "\n"


def _router_id(world: World, device: str, vrf: str) -> str:
    """EIGRP picks the highest loopback address, else the highest interface address."""
    addresses = [
        (i.name.startswith("Loopback"), ipaddress.IPv4Address(i.ip))
        for i in world.cfgs[device].interfaces.values()
        if i.ip and i.vrf == vrf
    ]
    return str(max(addresses)[1]) if addresses else "0.0.0.0"


def _wide(route: EigrpRoute) -> int:
    """Named mode's 64-bit metric: throughput 10^7 * 65536 / bandwidth (kbit/s) plus latency
    65536 per microsecond of delay (tunnel, bandwidth 100 and delay 50000 usec: 9830400000, as
    in the real capture tests/fixtures/platform-outputs/show_ip_eigrp_topology/)."""
    return 10_000_000 * 65536 // route.bw + route.delay * 10 * 65536


def _reported(world: World, route: EigrpRoute, named: bool) -> int:
    """The distance the successor advertised: its own table's metric for the prefix (its
    table is the one of the VRF its next-hop interface is in)."""
    for device, cfg in world.cfgs.items():
        for iface in cfg.interfaces.values():
            if iface.ip != route.nexthop:
                continue
            theirs = world.eigrp_tables.get((device, iface.vrf), {}).get(route.prefix)
            if theirs is not None:
                return _wide(theirs) if named else theirs.metric
    return 0


def show_ip_eigrp_topology(world: World, device: str, vrf: str) -> str:
    """`show ip eigrp [vrf X] topology`: one passive entry per prefix with its successor;
    named mode prints its VR and topology line and wide metrics, as the real capture."""
    af = find_af(world.cfgs[device], vrf)
    if af is None:
        return ""
    rid = _router_id(world, device, vrf)
    if af.named:
        lines = [f"EIGRP-IPv4 VR({af.name}) Topology Table for AS({af.asn})/ID({rid})"]
        if vrf:
            lines.append(f"           Topology(base) TID(0) VRF({vrf})")
    else:
        suffix = f" VRF({vrf})" if vrf else ""
        lines = [f"EIGRP-IPv4 Topology Table for AS({af.asn})/ID({rid}){suffix}"]
    lines += [
        "Codes: P - Passive, A - Active, U - Update, Q - Query, R - Reply,",
        "       r - reply Status, s - sia Status ",
        "",
    ]
    table = world.eigrp_tables.get((device, vrf), {})
    for prefix in sorted(table):
        route = table[prefix]
        metric = _wide(route) if af.named else route.metric
        lines.append(f"P {prefix}, 1 successors, FD is {metric}")
        if route.nexthop is None:
            via = "Null0" if route.summary else route.interface or ""
            lines.append(f"        via {'Summary' if route.summary else 'Connected'}, {via}")
        else:
            reported = _reported(world, route, af.named)
            lines.append(f"        via {route.nexthop} ({metric}/{reported}), {route.interface}")
    return "\n".join(lines) + "\n"


_INSPECT_STATS = [
    "        Session creations since subsystem startup or last reset 0",
    "        Current session counts (estab/half-open/terminating) [0:0:0]",
    "        Maxever session counts (estab/half-open/terminating) [0:0:0]",
    "        Last session created never",
    "        Last statistic reset never",
    "        Last session creation rate 0",
    "        Maxever session creation rate 0",
    "        Last half-open session total 0",
    "        TCP reassembly statistics",
    "        received 0 packets out-of-order; dropped 0",
    "        peak memory usage 0 KB; current usage: 0 KB",
    "        peak queue length 0",
    "",
]


def show_zone_pair_policy(world: World, device: str, sessions: bool = False) -> str:
    """`show policy-map type inspect zone-pair [sessions]`: each zone-pair's policy, class by
    class, with zero counters (layout of the real capture in tests/fixtures/platform-outputs/
    show_policy_map_type_inspect_zone_pair/); `sessions` lists the (no) inspected sessions
    instead of the inspect statistics."""
    zbfw = world.cfgs[device].zbfw
    lines: list[str] = []
    for pair in zbfw.zone_pairs:
        if pair.policy is None:
            continue
        lines += ["", f"policy exists on zp {pair.name}", f"  Zone-pair: {pair.name} ", ""]
        lines += [f"  Service-policy inspect : {pair.policy}", ""]
        classes = zbfw.policy_maps.get(pair.policy, [])
        if all(name != "class-default" for name, _ in classes):
            classes = [*classes, ("class-default", "drop")]
        for class_name, action in classes:
            lines += _class_lines(zbfw, class_name, action, sessions)
    return "\n".join(lines).rstrip("\n") + "\n"


def _class_lines(zbfw: Zbfw, class_name: str, action: str, sessions: bool) -> list[str]:
    cmap = zbfw.class_maps.get(class_name)
    kind = "match-all" if cmap is not None and cmap.match_all else "match-any"
    lines = [f"    Class-map: {class_name} ({kind})  "]
    matches = (
        ["any "]
        if cmap is None
        else [f"access-group name {acl}" for acl in cmap.acls]
        + [f"protocol {proto}" for proto in cmap.protocols]
    )
    for match in matches:
        lines.append(f"      Match: {match}")
        if match != "any ":
            lines += ["        0 packets, 0 bytes", "        30 second rate 0 bps"]
    if action == "inspect":
        lines += ["", "   Inspect"]
        lines += [""] if sessions else _INSPECT_STATS
        lines.append("")
    elif action == "pass":
        lines += ["      Pass", "        0 packets, 0 bytes", ""]
    else:
        lines += ["      Drop", "        0 packets, 0 bytes", ""]
    return lines
