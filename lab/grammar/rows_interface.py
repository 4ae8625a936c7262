"""Interface configuration commands (`(config-if)#`), split by interface type: IOS only
offers `tunnel ...` and NHRP on tunnel interfaces, `negotiation` on Ethernet ports."""

from __future__ import annotations

from lab.grammar.engine import Cmd


def _dot1q(tokens: list[str]) -> list[str]:
    # keywords match lower case; running-config prints `encapsulation dot1Q 100`
    return [tokens[0], "dot1Q", *tokens[2:]]


_EXITS = [Cmd("exit", store="exit"), Cmd("end", store="end")]

COMMON: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd("vrf forwarding WORD", key=2),
    Cmd("ip address A.B.C.D A.B.C.D", key=2),
    Cmd("ip address A.B.C.D A.B.C.D secondary"),
    Cmd("ip address dhcp [client-id IFREF]", key=2),
    Cmd("no ip address", key=2),
    Cmd("no ip redirects", key=2),
    Cmd("ip redirects", key=2, store="remove"),
    Cmd("no ip unreachables", key=2),
    Cmd("ip unreachables", key=2, store="remove"),
    Cmd("no ip proxy-arp", key=2),
    Cmd("ip proxy-arp", key=2, store="remove"),
    Cmd("ip mtu <68-9216>", key=2),
    Cmd("ip nat {inside|outside}", key=2),
    Cmd("ip helper-address A.B.C.D"),
    Cmd("ip tcp adjust-mss <500-1460>", key=3),
    Cmd("ip access-group WORD {in|out}", key=0),
    Cmd("zone-member security WORD", key=2),
    Cmd("ip split-horizon eigrp <1-65535>", store="remove"),
    Cmd("no ip split-horizon eigrp <1-65535>"),
    Cmd("no ip next-hop-self eigrp <1-65535>"),
    Cmd("ip next-hop-self eigrp <1-65535>", store="remove"),
    Cmd("ip hello-interval eigrp <1-65535> <1-65535>", key=4),
    Cmd("ip hold-time eigrp <1-65535> <1-65535>", key=4),
    Cmd("ip summary-address eigrp <1-65535> A.B.C.D A.B.C.D"),
    Cmd("bandwidth <1-10000000>", key=1),
    Cmd("delay <1-16777215>", key=1),
    Cmd("load-interval <30-600>", key=1),
    Cmd("shutdown", key=1),
    Cmd("no shutdown", key=1, store="remove"),
    *_EXITS,
]

ETHERNET: list[Cmd] = [
    *COMMON,
    Cmd("negotiation auto", key=1),
    Cmd("mtu <1500-9216>", key=1),
    # classic IOS (IOSv) Ethernet ports print speed and duplex instead of `negotiation auto`
    Cmd("duplex {auto|full|half}", key=1),
    Cmd("speed {auto|10|100|1000}", key=1),
    Cmd("media-type {rj45|sfp|auto-select}", key=1),
]

# `interface Gi0/0/0.100`: an 802.1Q subinterface (prompt `(config-subif)#`)
# https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/lanswitch/configuration/xe-16/lanswitch-xe-16-book/lnsw-vlan-rtng-ieee-8021q.html
SUBINTERFACE: list[Cmd] = [
    *COMMON,
    Cmd("encapsulation dot1q <1-4094> [native]", key=1, canon=_dot1q),
]

# ISR1100 LAN ports are layer-2 switchports: no `ip address`, VLAN membership instead
# https://www.cisco.com/c/en/us/td/docs/routers/access/isr1100/software/configuration/xe-17/isr1100-sw-config-xe-17/configuring_ethernet_switch_ports.html
SWITCHPORT: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd("switchport mode {access|trunk}", key=2),
    Cmd("switchport access vlan <1-4094>", key=3),
    Cmd("switchport trunk native vlan <1-4094>", key=4),
    Cmd("switchport trunk allowed vlan LINE", key=4),
    Cmd("switchport nonegotiate", key=2),
    Cmd("spanning-tree portfast", key=2),
    Cmd("load-interval <30-600>", key=1),
    Cmd("shutdown", key=1),
    Cmd("no shutdown", key=1, store="remove"),
    *_EXITS,
]

LOOPBACK: list[Cmd] = list(COMMON)

TUNNEL: list[Cmd] = [
    *COMMON,
    Cmd("ip nhrp authentication WORD8", key=3),
    Cmd("ip nhrp network-id <1-4294967295>", key=3),
    Cmd("ip nhrp holdtime <1-65535>", key=3),
    Cmd("ip nhrp map multicast {dynamic|A.B.C.D}"),
    Cmd("ip nhrp map A.B.C.D A.B.C.D"),
    Cmd("ip nhrp nhs A.B.C.D [nbma {A.B.C.D|WORD} [multicast]] [priority <0-255>]"),
    Cmd("ip nhrp nhs dynamic nbma {A.B.C.D|WORD} [multicast]"),
    Cmd("ip nhrp redirect [timeout <2-30>]", key=3),
    Cmd("ip nhrp shortcut", key=3),
    Cmd("ip nhrp registration timeout <1-65535>", key=4),
    Cmd("ip nhrp registration no-unique", key=4),
    Cmd("keepalive [<0-32767> [<1-255>]]", key=1),
    Cmd("tunnel source {IFREF|A.B.C.D}", key=2),
    Cmd("tunnel destination A.B.C.D", key=2),
    Cmd("tunnel mode {gre {multipoint|ip}|ipsec ipv4}", key=2),
    Cmd("tunnel key <0-4294967295>", key=2),
    Cmd("tunnel vrf WORD", key=2),
    Cmd("tunnel path-mtu-discovery", key=2),
    Cmd("tunnel protection ipsec profile WORD [shared]", key=3),
]
