"""`show interfaces [IF]` and `show ip interface [IF]` in IOS's own layout.

The layout follows real captures (tests/fixtures/real-outputs/show_interfaces/ and
show_ip_interface/, see SOURCES.md): one block per interface, the status line first, counters
of a router that just booted. The lab moves no packets, so every counter is zero.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field

from lab.hardware.models import HardwareModel


@dataclass
class PortView:
    """What the two commands print about one interface, read from its configuration."""

    name: str
    shutdown: bool
    ip: str | None = None
    mask: str | None = None
    dhcp: bool = False
    vrf: str | None = None
    description: str | None = None
    mtu: int | None = None
    ip_mtu: int | None = None
    bandwidth: int | None = None
    dot1q: str | None = None
    tunnel: dict[str, str] = field(default_factory=dict)  # source/destination/mode/key
    switchport: bool = False


def port_view(name: str, shutdown: bool, block_lines: list[str]) -> PortView:
    """A PortView from the interface's running-config lines (`description ...`, `mtu ...`)."""
    view = PortView(name, shutdown)
    for raw in block_lines:
        words = raw.split()
        if words[:1] == ["description"]:
            view.description = raw.strip()[len("description ") :]
        elif words[:1] == ["mtu"]:
            view.mtu = int(words[1])
        elif words[:2] == ["ip", "mtu"]:
            view.ip_mtu = int(words[2])
        elif words[:1] == ["bandwidth"]:
            view.bandwidth = int(words[1])
        elif words[:2] == ["encapsulation", "dot1Q"]:
            view.dot1q = words[2]
        elif words[:2] == ["vrf", "forwarding"]:
            view.vrf = words[2]
        elif words[:2] == ["ip", "address"] and len(words) >= 4 and words[2] != "dhcp":
            view.ip, view.mask = words[2], words[3]
        elif words[:3] == ["ip", "address", "dhcp"]:
            view.dhcp = True
        elif words[:1] == ["tunnel"] and len(words) >= 3:
            view.tunnel[words[1]] = " ".join(words[2:])
        elif words[:1] == ["switchport"]:
            view.switchport = True
    return view


def _kind(name: str) -> str:
    return next((k for k in ("Loopback", "Tunnel", "Vlan") if name.startswith(k)), "Ethernet")


def _mac(device: str, name: str) -> str:
    digest = hashlib.sha256(f"{device}|{name.split('.')[0]}".encode()).hexdigest()
    return f"5254.{digest[:4]}.{digest[4:8]}"


def _hardware_text(hardware: HardwareModel, name: str) -> str:
    kind = _kind(name)
    if kind == "Loopback":
        return "Loopback"
    if kind == "Tunnel":
        return "Tunnel"
    if kind == "Vlan":
        return "Ethernet SVI"
    if name == hardware.management:
        return "RP management port"
    if hardware.software.classic:
        return "iGbE"
    if hardware.software.virtual:
        return "CSR vNIC" if hardware.name == "CSR1000V" else "vNIC"
    ports = sum(n.startswith("GigabitEthernet0/0/") for n in hardware.interfaces)
    return f"{hardware.name}-{ports}x1GE"


def _status(view: PortView) -> str:
    if view.shutdown:
        return f"{view.name} is administratively down, line protocol is down "
    return f"{view.name} is up, line protocol is up "


def _address_line(view: PortView) -> str | None:
    if view.ip and view.mask:
        prefix = ipaddress.IPv4Network(f"0.0.0.0/{view.mask}").prefixlen
        return f"  Internet address is {view.ip}/{prefix}"
    return None


def _link_numbers(view: PortView) -> tuple[int, int, int, str]:
    """(MTU, bandwidth Kbit/sec, delay usec, encapsulation) by interface kind."""
    kind = _kind(view.name)
    if kind == "Loopback":
        return view.mtu or 1514, view.bandwidth or 8000000, 5000, "LOOPBACK"
    if kind == "Tunnel":
        return view.mtu or 9976, view.bandwidth or 100, 50000, "TUNNEL"
    encapsulation = "802.1Q Virtual LAN, Vlan ID  " + view.dot1q if view.dot1q else "ARPA"
    return view.mtu or 1500, view.bandwidth or 1000000, 10, encapsulation


def show_interfaces(device: str, hardware: HardwareModel, views: list[PortView]) -> str:
    """`show interfaces`: every interface (or the one asked for) with zero counters."""
    blocks = []
    for view in views:
        mtu, bandwidth, delay, encapsulation = _link_numbers(view)
        kind = _kind(view.name)
        lines = [_status(view)]
        hw = f"  Hardware is {_hardware_text(hardware, view.name)}"
        if kind in ("Ethernet", "Vlan"):
            mac = _mac(device, view.name)
            hw += f", address is {mac} (bia {mac})"
        lines.append(hw)
        if view.description:
            lines.append(f"  Description: {view.description}")
        address = _address_line(view)
        if address:
            lines.append(address)
        lines += [
            f"  MTU {mtu} bytes, BW {bandwidth} Kbit/sec, DLY {delay} usec, ",
            "     reliability 255/255, txload 1/255, rxload 1/255",
            f"  Encapsulation {encapsulation}, loopback not set",
        ]
        if kind == "Tunnel":
            lines += _tunnel_lines(view)
        else:
            lines.append(
                "  Keepalive not supported " if kind == "Ethernet" else "  Keepalive set (10 sec)"
            )
        if kind == "Ethernet" and not view.dot1q:
            lines += [
                "  Full Duplex, 1000Mbps, link type is auto, media type is RJ45",
                "  output flow-control is unsupported, input flow-control is unsupported",
            ]
        lines += [
            "  ARP type: ARPA, ARP Timeout 04:00:00",
            "  Last input never, output never, output hang never",
            '  Last clearing of "show interface" counters never',
            "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
            "  Queueing strategy: fifo",
            "  Output queue: 0/40 (size/max)",
            "  5 minute input rate 0 bits/sec, 0 packets/sec",
            "  5 minute output rate 0 bits/sec, 0 packets/sec",
            "     0 packets input, 0 bytes, 0 no buffer",
            "     Received 0 broadcasts (0 IP multicasts)",
            "     0 runts, 0 giants, 0 throttles ",
            "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
            "     0 packets output, 0 bytes, 0 underruns",
            "     0 output errors, 0 collisions, 0 interface resets",
            "     0 unknown protocol drops",
            "     0 output buffer failures, 0 output buffers swapped out",
        ]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + "\n"


def _tunnel_lines(view: PortView) -> list[str]:
    mode = view.tunnel.get("mode", "gre ip")
    transport = "multi-GRE/IP" if "multipoint" in mode else "GRE/IP"
    source = view.tunnel.get("source", "UNKNOWN")
    lines = [
        "  Keepalive not set",
        f"  Tunnel linestate evaluation {'down' if view.shutdown else 'up'}",
        f"  Tunnel source {source}",
    ]
    if "destination" in view.tunnel:
        lines.append(f"  Tunnel destination {view.tunnel['destination']}")
    lines.append(f"  Tunnel protocol/transport {transport}")
    key = view.tunnel.get("key")
    if key:
        lines.append(f"    Key 0x{int(key):X}, sequencing disabled")
    if "protection" in view.tunnel:
        profile = view.tunnel["protection"].split()
        lines.append(f'  Tunnel protection via IPSec (profile "{profile[-1]}")')
    if "vrf" in view.tunnel:
        lines.append(f'  Tunnel transport VRF "{view.tunnel["vrf"]}"')
    return lines


def show_ip_interface(views: list[PortView], from_nvram: set[str]) -> str:
    """`show ip interface`: address, VRF and the feature lines IOS prints for each."""
    blocks = []
    for view in views:
        lines = [_status(view).rstrip()]
        address = _address_line(view)
        if view.switchport or (address is None and not view.dhcp):
            lines.append("  Internet protocol processing disabled")
            blocks.append("\n".join(lines))
            continue
        if address:
            lines.append(address)
        how = "non-volatile memory" if view.name in from_nvram else "setup command"
        lines += [
            "  Broadcast address is 255.255.255.255",
            "  Address determined by " + ("DHCP" if view.dhcp else how),
        ]
        mtu = view.ip_mtu or (1514 if _kind(view.name) == "Loopback" else 1500)
        if _kind(view.name) == "Tunnel":
            mtu = view.ip_mtu or 1476
        lines.append(f"  MTU is {mtu} bytes")
        lines.append("  Helper address is not set")
        lines.append("  Directed broadcast forwarding is disabled")
        if view.vrf:
            lines.append(f'  VPN Routing/Forwarding "{view.vrf}"')
        lines += [
            "  Outgoing Common access list is not set ",
            "  Outgoing access list is not set",
            "  Inbound Common access list is not set ",
            "  Inbound  access list is not set",
            "  Proxy ARP is enabled",
            "  Local Proxy ARP is disabled",
            "  Security level is default",
            "  Split horizon is enabled",
            "  ICMP redirects are always sent",
            "  ICMP unreachables are always sent",
            "  ICMP mask replies are never sent",
            "  IP fast switching is enabled",
            "  IP Flow switching is disabled",
            "  IP CEF switching is enabled",
            "  IP CEF switching turbo vector",
            "  IP Null turbo vector",
            "  IP multicast fast switching is enabled",
            "  IP multicast distributed fast switching is disabled",
            "  IP route-cache flags are Fast, CEF",
            "  Router Discovery is disabled",
            "  IP output packet accounting is disabled",
            "  IP access violation accounting is disabled",
            "  TCP/IP header compression is disabled",
            "  RTP/IP header compression is disabled",
            "  Probe proxy name replies are disabled",
            "  Policy routing is disabled",
            "  Network address translation is disabled",
            "  BGP Policy Mapping is disabled",
            "  Input features: MCI Check",
            "  IPv4 WCCP Redirect outbound is disabled",
            "  IPv4 WCCP Redirect inbound is disabled",
            "  IPv4 WCCP Redirect exclude is disabled",
        ]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + "\n"
