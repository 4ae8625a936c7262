"""Global configuration commands and the small modes hanging off them (VRF, ACL, lines)."""

from __future__ import annotations

from lab.grammar.engine import Cmd


def _domain_name(tokens: list[str]) -> list[str]:
    # IOS-XE stores the old `ip domain-name` spelling as `ip domain name`
    return ["ip", "domain", "name", *tokens[2:]] if tokens[1] == "domain-name" else tokens


def _af_ipv4(tokens: list[str]) -> list[str]:
    # `address-family ipv4 unicast` is printed as `address-family ipv4` under a VRF
    return tokens[:2] if tokens[2:] == ["unicast"] else tokens


GLOBAL: list[Cmd] = [
    Cmd("version WORD", key=1),
    Cmd(
        "service timestamps {debug|log} [datetime [msec] [localtime] [show-timezone] | uptime]",
        key=3,
    ),
    Cmd("service password-encryption", key=2),
    # Type-6 keys (lab/config/type6.py): the master key is kept out of running-config.
    Cmd("key config-key password-encrypt WORD", store="noop"),
    Cmd("no key config-key password-encrypt", store="noop"),
    Cmd("password encryption aes", key=3),
    Cmd("no service password-encryption", key=2),
    Cmd("no service pad", key=2),
    Cmd("service tcp-keepalives-in", key=2),
    Cmd("service tcp-keepalives-out", key=2),
    Cmd("hostname WORD", key=1),
    Cmd("boot-start-marker", key=1),
    Cmd("boot-end-marker", key=1),
    Cmd("enable secret [{0|5|8|9}] WORD", key=2),
    Cmd("aaa new-model", key=2),
    Cmd("no aaa new-model", key=2),
    Cmd("ip domain name WORD", key=3),
    Cmd("ip domain-name WORD", key=3, canon=_domain_name),
    Cmd("no ip domain lookup", key=3),
    Cmd("ip domain lookup", key=3, store="remove"),
    Cmd("login on-success log", key=2),
    # `file prompt quiet`: copy/delete ask no questions (NAPALM configures it)
    Cmd("file prompt [{alert|noisy|quiet}]", key=2),
    Cmd("license udi pid WORD sn WORD", key=2),
    Cmd("username WORD [privilege <0-15>] {secret [{0|5|8|9}] WORD|password [{0|7}] WORD}", key=2),
    Cmd("ip ssh version {1|2}", key=3),
    Cmd("ip ssh time-out <1-120>", key=3),
    Cmd("ip ssh authentication-retries <0-5>", key=3),
    Cmd("ip forward-protocol nd", key=3),
    Cmd("ip http server", key=3),
    Cmd("no ip http server", key=3),
    Cmd("ip http secure-server", key=3),
    Cmd("no ip http secure-server", key=3),
    Cmd("ip http authentication local", key=3),
    Cmd(
        # `dhcp` after an exit interface: the next hop is that interface's DHCP gateway
        # (Cisco, DHCP—Statically Configured Routes Using a DHCP Gateway,
        # https://cisco.com/c/en/us/td/docs/ios/12_2sb/12_2sba/feature/guide/ddgtwy.html)
        "ip route [vrf WORD] A.B.C.D A.B.C.D {A.B.C.D|IFREF [{A.B.C.D|dhcp}]|dhcp} [<1-255>] "
        "[name WORD] [permanent]"
    ),
    Cmd("ip access-list extended WORD", enters="ext-nacl"),
    Cmd("vrf definition WORD", enters="vrf"),
    Cmd("interface IFNAME", enters="if"),
    Cmd("router eigrp <1-65535>", enters="eigrp-classic"),
    Cmd("router eigrp WORD", enters="eigrp-named"),
    Cmd("control-plane", enters="cp"),
    Cmd("line {con|aux} 0", enters="line"),
    Cmd("line vty <0-1869> [<1-1869>]", enters="line"),
    Cmd("logging buffered <4096-2147483647>", key=2),
    Cmd("no logging console", key=2),
    Cmd("exit", store="exit"),
    Cmd("end", store="end"),
]

VRF: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd("rd WORD", key=1),
    Cmd("ipv4 multicast multitopology", key=3),
    Cmd("route-target {export|import|both} WORD"),
    Cmd("address-family ipv4 [{unicast|multicast}]", enters="vrf-af", canon=_af_ipv4),
    Cmd("address-family ipv6 [{unicast|multicast}]", enters="vrf-af"),
    Cmd("exit", store="exit"),
    Cmd("end", store="end"),
]

VRF_AF: list[Cmd] = [
    Cmd("route-target {export|import|both} WORD"),
    Cmd("exit-address-family", store="exit"),
    Cmd("exit", store="exit"),
    Cmd("end", store="end"),
]

# UDP port names; `snmptrap`, `netbios-ns`, `netbios-dgm` and protocol `ipinip` as a real IOSv
# running-config carries them (tests/fixtures/real-configs/iosv_zbfw_edge.cfg)
_UDP_PORTS = (
    "{<0-65535>|bootpc|bootps|domain|isakmp|non500-isakmp|ntp|snmp|snmptrap|syslog|tftp|echo|"
    "netbios-ns|netbios-dgm|netbios-ss}"
)
_TCP_PORTS = "{<0-65535>|bgp|domain|ftp|ftp-data|smtp|telnet|www}"
_ADDR = "{any|host A.B.C.D|A.B.C.D A.B.C.D}"
_ICMP_TYPES = (
    "[{echo|echo-reply|ttl-exceeded|port-unreachable|unreachable|time-exceeded|"
    "packet-too-big|administratively-prohibited}]"
)


def _ports(ports: str) -> str:
    return f"[{{eq|gt|lt|neq}} {ports}|range {ports} {ports}]"


_ACE_HEAD = "[<1-2147483647>] {permit|deny}"
EXT_NACL: list[Cmd] = [
    Cmd(
        f"{_ACE_HEAD} {{ip|esp|gre|ahp|eigrp|ospf|pim|ipinip|igmp|<0-255>}} {_ADDR} {_ADDR} [log]",
    ),
    Cmd(
        f"{_ACE_HEAD} icmp {_ADDR} {_ADDR} {_ICMP_TYPES} [log]",
    ),
    Cmd(
        f"{_ACE_HEAD} udp {_ADDR} {_ports(_UDP_PORTS)} {_ADDR} {_ports(_UDP_PORTS)} "
        "[ttl eq <0-255>] [log]",
    ),
    Cmd(
        f"{_ACE_HEAD} tcp {_ADDR} {_ports(_TCP_PORTS)} {_ADDR} {_ports(_TCP_PORTS)} "
        "[established] [log]",
    ),
    Cmd("remark LINE"),
    Cmd("no <1-2147483647>", store="remove"),
    Cmd("exit", store="exit"),
    Cmd("end", store="end"),
]

LINE_MODE: list[Cmd] = [
    Cmd("access-class WORD {in|out} [vrf-also]", key=1),
    Cmd("login [local]", key=1),
    Cmd("no login", key=1),
    Cmd("transport input {ssh|telnet|none|all} [{ssh|telnet}]", key=2),
    Cmd("transport output {ssh|telnet|none|all}", key=2),
    Cmd("exec-timeout <0-35791> [<0-2147483>]", key=1),
    Cmd("stopbits {1|2}", key=1),
    Cmd("logging synchronous", key=2),
    Cmd("privilege level <0-15>", key=2),
    Cmd("password [{0|7}] WORD", key=1),
    Cmd("exit", store="exit"),
    Cmd("end", store="end"),
]

CONTROL_PLANE: list[Cmd] = [
    Cmd("exit", store="exit"),
    Cmd("end", store="end"),
]
