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

from lab.model.eigrp import find_af
from lab.model.world import World
from lab.model.zbfw_config import Zbfw
from lab.show.crypto import device_sas
from lab.show.eigrp import short_name

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


def _esp_block(spi: str, lifetime: int, conn: int, tag: str, detail: bool = False) -> list[str]:
    replay = "Y replay window size: 64" if detail else "Y"
    return [
        f"      spi: {spi}",
        "        transform: esp-aes 256 esp-sha256-hmac ,",
        "        in use settings ={Transport, }",
        f"        conn id: {conn}, flow_id: ESG:{conn - 2000}, sibling_flags FFFFFFFF80000008, "
        f"crypto map: {tag}",
        f"        sa timing: remaining key lifetime (k/sec): (4608000/{lifetime})",
        "        IV size: 16 bytes",
        f"        replay detection support: {replay}",
        "        Status: ACTIVE(ACTIVE)",
    ]


def show_crypto_ipsec_sa(world: World, device: str, detail: bool = False) -> str:
    """One `interface:` block per established IPsec SA (GRE, transport mode); `detail` adds
    the error counters."""
    out: list[str] = []
    for n, sa in enumerate(device_sas(world, device), start=1):
        mine, peer = (
            (sa.init_ep, sa.resp_ep)
            if sa.init_ep.device == device
            else (
                sa.resp_ep,
                sa.init_ep,
            )
        )
        tunnel = sa.initiator if sa.init_ep.device == device else sa.responder_tunnel
        name = tunnel.name if tunnel else "Tunnel0"
        tag = f"{name}-head-0"
        port = 4500 if sa.result.natted else 500
        lifetime = max(0, 3600 - int(world.now - (sa.visible or world.now)))
        vrf = tunnel.vrf if tunnel and tunnel.vrf else "(none)"
        local, remote = mine.local_ip, peer.public_ip
        out += [
            "",
            f"interface: {name}",
            f"    Crypto map tag: {tag}, local addr {local}",
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
            f"     plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb {mine.interface}",
            f"     current outbound spi: {_spi(sa.key, 'out' + device)}",
            "     PFS (Y/N): N, DH group: none",
            "",
            "     inbound esp sas:",
            *_esp_block(_spi(sa.key, "in" + device), lifetime, 2000 + 2 * n - 1, tag, detail),
            "",
            "     inbound ah sas:",
            "",
            "     inbound pcp sas:",
            "",
            "     outbound esp sas:",
            *_esp_block(_spi(sa.key, "out" + device), lifetime, 2000 + 2 * n, tag, detail),
            "",
            "     outbound ah sas:",
            "",
            "     outbound pcp sas:",
        ]
    return "\n".join(out) + "\n"


def _router_id(world: World, device: str, vrf: str) -> str:
    """EIGRP picks the highest loopback address, else the highest interface address."""
    addresses = [
        (i.name.startswith("Loopback"), ipaddress.IPv4Address(i.ip))
        for i in world.cfgs[device].interfaces.values()
        if i.ip and i.vrf == vrf
    ]
    return str(max(addresses)[1]) if addresses else "0.0.0.0"


def show_ip_eigrp_topology(world: World, device: str, vrf: str) -> str:
    """`show ip eigrp [vrf X] topology`: one passive entry per prefix with its successor."""
    af = find_af(world.cfgs[device], vrf)
    if af is None:
        return ""
    rid = _router_id(world, device, vrf)
    suffix = f" VRF({vrf})" if vrf else ""
    process = f" VR({af.name})" if af.named else ""
    lines = [f"EIGRP-IPv4{process} Topology Table for AS({af.asn})/ID({rid}){suffix}"]
    lines += [
        "Codes: P - Passive, A - Active, U - Update, Q - Query, R - Reply,",
        "       r - reply Status, s - sia Status ",
        "",
    ]
    table = world.eigrp_tables.get((device, vrf), {})
    for prefix in sorted(table):
        route = table[prefix]
        lines.append(f"P {prefix}, 1 successors, FD is {route.metric}")
        if route.nexthop is None:
            via = "Null0" if route.summary else short_name(route.interface or "")
            what = "Summary" if route.summary else "Connected"
            lines.append(f"        via {what}, {via}")
        else:
            reported = max(256 * (10_000_000 // route.bw), route.metric - 256 * 50_000)
            lines.append(
                f"        via {route.nexthop} ({route.metric}/{reported}), "
                f"{short_name(route.interface or '')}"
            )
    return "\n".join(lines) + "\n"


def show_zone_pair_sessions(world: World, device: str) -> str:
    """`show policy-map type inspect zone-pair sessions`: classes of each zone-pair's policy."""
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
            lines += _class_lines(zbfw, class_name, action)
    return "\n".join(lines) + "\n"


def _class_lines(zbfw: Zbfw, class_name: str, action: str) -> list[str]:
    cmap = zbfw.class_maps.get(class_name)
    kind = "match-all" if cmap is not None and cmap.match_all else "match-any"
    lines = [f"    Class-map: {class_name} ({kind})  "]
    if cmap is None:
        lines.append("      Match: any ")
    else:
        lines += [f"      Match: access-group name {acl}" for acl in cmap.acls]
        lines += [f"      Match: protocol {proto}" for proto in cmap.protocols]
    if action == "inspect":
        lines += ["      Inspect", "", "      Established Sessions", ""]
    elif action == "pass":
        lines += ["      Pass", "        0 packets, 0 bytes", ""]
    else:
        lines += ["      Drop", "        0 packets, 0 bytes", ""]
    return lines
