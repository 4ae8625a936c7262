"""Global services an edge router's running-config carries besides routing: numbered ACLs, IPv4
prefix lists, NAT, DNS resolver, SNMP community, NTP server, SSH public keys, CTS logging, and
`ip virtual-reassembly` on interfaces.

Syntax as a real IOS 15.4 IOSv running-config prints it (tests/fixtures/real-configs/
iosv_zbfw_edge.cfg, SOURCES.md there: every line of these rows appears in it) and references:
- `ip nat inside source list ACL interface IF overload`, `ip nat inside source static tcp
  LOCAL PORT {GLOBAL|interface IF} PORT` (Configuring NAT for IP Address Conservation):
  http://cisco.com/c/en/us/td/docs/ios-xml/ios/ipaddr_nat/configuration/15-mt/nat-15-mt-book/iadnat-addr-consv.html
- `ip ssh pubkey-chain` / `username NAME` / `key-hash ssh-rsa HASH` (Secure Shell Version 2):
  https://cisco.com/c/en/us/td/docs/ios-xml/ios/sec_usr_ssh/configuration/xe-16-6/sec-usr-ssh-xe-16-6-book/sec-secure-shell-v2.html
- `ip virtual-reassembly [in|out]` (interface; added by IOS with NAT or a firewall):
  http://www.networkcommands.eu/index.php/Ip_virtual-reassembly_command
- numbered ACLs (`access-list <1-99>` standard, `<100-199>` extended with a named extended ACL's
  entry syntax), `ip prefix-list`, `ip domain list`, `ip name-server`, `snmp-server community`,
  `ntp server ... minpoll`, `cts logging verbose`: the real config above.
"""

from __future__ import annotations

from lab.grammar.engine import Cmd
from lab.grammar.rows_global import EXT_NACL

_EXITS = [Cmd("exit", store="exit"), Cmd("end", store="end")]
_STD_ADDR = "{any|host A.B.C.D|A.B.C.D [A.B.C.D]}"


def _extended(cmd: Cmd) -> Cmd:
    """`access-list <100-199>` takes a named extended ACL's entry after its number."""
    body = cmd.pattern.removeprefix("[<1-2147483647>] ")
    return Cmd(f"access-list {{<100-199>|<2000-2699>}} {body}")


def _snmp_access(tokens: list[str]) -> list[str]:
    # keywords match lower case; IOS prints `snmp-server community NAME RO`
    return [t.upper() if t in ("ro", "rw") else t for t in tokens]


GLOBAL: list[Cmd] = [
    Cmd("access-list {<1-99>|<1300-1999>} {permit|deny} " + _STD_ADDR + " [log]"),
    Cmd("access-list {<1-99>|<100-199>|<1300-1999>|<2000-2699>} remark LINE"),
    *[_extended(cmd) for cmd in EXT_NACL if cmd.pattern.startswith("[<1-2147483647>]")],
    Cmd("ip prefix-list WORD [seq <1-4294967294>] {permit|deny} A.B.C.D/M [ge <1-32>] [le <1-32>]"),
    Cmd("ip prefix-list WORD description LINE", key=4),
    # `vrf NAME`: the inside traffic of that VRF (VRF-aware NAT, same reference)
    Cmd("ip nat inside source list {<1-2699>|WORD} interface IFREF [vrf WORD] [overload]"),
    Cmd("ip nat inside source list {<1-2699>|WORD} pool WORD [vrf WORD] [overload]"),
    Cmd(
        "ip nat inside source static {tcp|udp} A.B.C.D <1-65535> "
        "{A.B.C.D|interface IFREF} <1-65535> [extendable]"
    ),
    Cmd("ip nat inside source static A.B.C.D A.B.C.D [extendable]"),
    Cmd("ip domain list WORD"),
    Cmd("ip name-server [vrf WORD] {A.B.C.D|X:X::X}"),
    Cmd("snmp-server community WORD [view WORD] [{ro|rw}] [{<1-99>|WORD}]", canon=_snmp_access),
    Cmd(
        "ntp server [vrf WORD] {A.B.C.D|WORD} [key <0-4294967295>] [minpoll <4-17>] "
        "[maxpoll <4-17>] [prefer] [source IFREF]"
    ),
    Cmd("cts logging verbose", key=3),
    Cmd("ip ssh pubkey-chain", enters="ssh-pubkey"),
]

SSH_PUBKEY: list[Cmd] = [
    Cmd("username WORD", enters="ssh-pubkey-user"),
    *_EXITS,
]

SSH_PUBKEY_USER: list[Cmd] = [
    Cmd("key-hash {ssh-rsa|ecdsa-sha2-nistp256} WORD [LINE]"),
    *_EXITS,
]

INTERFACE: list[Cmd] = [
    Cmd("ip virtual-reassembly [{in|out}]", key=3),
    Cmd("ip virtual-reassembly-out", key=2),
]
