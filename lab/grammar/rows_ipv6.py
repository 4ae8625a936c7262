"""IPv6: routing and CEF switches, static routes, prefix lists, named access lists, interface
addresses, and the named-EIGRP IPv6 address family with its af-interface and topology modes.

Syntax as a real IOS 15.4 IOSv running-config prints it (tests/fixtures/real-configs/
iosv_zbfw_edge.cfg, SOURCES.md there: every line of these rows appears in it) and references:
- `tunnel mode ipv6ip [6rd|6to4|auto-tunnel|isatap]` (Cisco IPv6 command reference):
  http://cisco.com/en/US/docs/ios-xml/ios/ipv6/command/ipv6-s6.html
  manual IPv6-over-IPv4 tunnel (`ipv6 address`, `ipv6 enable`, `tunnel source/destination`):
  https://cisco.com/c/en/us/td/docs/ios-xml/ios/ipv6/configuration/12-2sx/ipv6-12-2sx-book/ip6-tunnel.html
- `ipv6 prefix-list NAME [seq 1-4294967294] {deny|permit} X:X::X/M [ge N] [le N]`:
  https://cisco.com/c/en/us/td/docs/switches/campus-lan-switches-access/Catalyst-1200-and-1300-Switches/cli/C1200-cli/ipv6-prefix-list-commands.html
- named EIGRP `address-family ... autonomous-system N`, `af-interface`, `topology base`:
  https://cisco.com/c/en/us/support/docs/ip/enhanced-interior-gateway-routing-protocol-eigrp/200156-Configure-EIGRP-Named-Mode.html
- IPv6 ACEs (`[sequence N] permit|deny PROTOCOL {any|host X:X::X|X:X::X/M} [eq PORT] ...`):
  the real config above (its `sequence 4294967294 deny ipv6 any any` entries are the implicit
  deny made explicit); no Cisco IPv6 ACL reference page was found in the search corpora.
"""

from __future__ import annotations

from lab.grammar.engine import Cmd

_EXITS = [Cmd("exit", store="exit"), Cmd("end", store="end")]


def _unicast(tokens: list[str]) -> list[str]:
    # IOS prints `address-family ipv6 unicast ...` even when `unicast` was left out
    return tokens if tokens[2:3] == ["unicast"] else [*tokens[:2], "unicast", *tokens[2:]]


GLOBAL: list[Cmd] = [
    Cmd("ipv6 unicast-routing", key=2),
    Cmd("ipv6 cef", key=2),
    Cmd("ipv6 route [vrf WORD] X:X::X/M {IFREF [X:X::X]|X:X::X} [<1-254>] [name WORD]"),
    Cmd(
        "ipv6 prefix-list WORD [seq <1-4294967294>] {permit|deny} X:X::X/M "
        "[ge <1-128>] [le <1-128>]"
    ),
    Cmd("ipv6 prefix-list WORD description LINE", key=4),
    Cmd("ipv6 access-list WORD", enters="ipv6-acl"),
]

_ADDR6 = "{any|host X:X::X|X:X::X/M}"
_UDP6 = (
    "{<0-65535>|biff|bootpc|bootps|discard|dnsix|domain|echo|isakmp|mobile-ip|nameserver|"
    "netbios-dgm|netbios-ns|netbios-ss|non500-isakmp|ntp|rip|snmp|snmptrap|sunrpc|syslog|"
    "tacacs|talk|tftp|time|who|xdmcp}"
)
_TCP6 = (
    "{<0-65535>|bgp|chargen|cmd|daytime|discard|domain|echo|exec|finger|ftp|ftp-data|gopher|"
    "hostname|ident|irc|klogin|kshell|login|lpd|nntp|pop2|pop3|smtp|sunrpc|syslog|tacacs|talk|"
    "telnet|time|uucp|whois|www}"
)


def _ports(ports: str) -> str:
    return f"[{{eq|gt|lt|neq}} {ports}|range {ports} {ports}]"


_ACE_BODIES = [
    f"{{ipv6|ahp|esp|pcp|sctp|<0-255>}} {_ADDR6} {_ADDR6} [log]",
    f"icmp {_ADDR6} {_ADDR6} [<0-255>] [log]",
    f"udp {_ADDR6} {_ports(_UDP6)} {_ADDR6} {_ports(_UDP6)} [log]",
    f"tcp {_ADDR6} {_ports(_TCP6)} {_ADDR6} {_ports(_TCP6)} [established] [log]",
]
# an entry typed with its `sequence N` occupies that number (`no sequence N` removes it, a new
# entry with the same number replaces it); one typed without is a list entry of its own
IPV6_ACL: list[Cmd] = [
    *[Cmd(f"sequence <1-4294967295> {{permit|deny}} {body}", key=2) for body in _ACE_BODIES],
    *[Cmd(f"{{permit|deny}} {body}") for body in _ACE_BODIES],
    Cmd("remark LINE"),
    Cmd("no sequence <1-4294967295>", key=2, store="remove"),
    *_EXITS,
]

INTERFACE: list[Cmd] = [
    Cmd("ipv6 address X:X::X/M [{eui-64|anycast}]"),
    Cmd("ipv6 address autoconfig [default]", key=3),
    Cmd("ipv6 enable", key=2),
    Cmd("ipv6 mtu <1280-9976>", key=2),
    Cmd("ipv6 traffic-filter WORD {in|out}"),
]

TUNNEL: list[Cmd] = [
    Cmd("tunnel mode {ipv6ip [{6rd|6to4|auto-tunnel|isatap}]|ipip|gre ipv6}", key=2),
]

# router eigrp NAME: the IPv6 address family (no `network` statements: interfaces join by
# default, `af-interface ... shutdown` takes one out)
EIGRP_NAMED: list[Cmd] = [
    Cmd(
        "address-family ipv6 [unicast] [vrf WORD] autonomous-system <1-65535>",
        enters="eigrp-af6",
        canon=_unicast,
    ),
]

EIGRP_AF6: list[Cmd] = [
    Cmd("af-interface {default|IFREF}", enters="af6-interface"),
    Cmd("topology base", enters="af6-topology"),
    Cmd("eigrp router-id A.B.C.D", key=2),
    Cmd("eigrp stub [connected] [summary] [static] [redistributed]", key=2),
    Cmd("shutdown", key=1),
    Cmd("exit-address-family", store="exit"),
    *_EXITS,
]

AF6_INTERFACE: list[Cmd] = [
    Cmd("hello-interval <1-65535>", key=1),
    Cmd("hold-time <1-65535>", key=1),
    Cmd("passive-interface", key=1),
    Cmd("no passive-interface", key=1),
    Cmd("split-horizon", key=1, store="remove"),
    Cmd("no split-horizon", key=1),
    Cmd("summary-address X:X::X/M"),
    Cmd("shutdown", key=1),
    Cmd("exit-af-interface", store="exit"),
    *_EXITS,
]

_METRIC = "[metric <1-4294967295> <0-4294967295> <0-255> <1-255> <1-65535>]"
AF6_TOPOLOGY: list[Cmd] = [
    Cmd(f"redistribute {{connected|static}} {_METRIC}"),
    Cmd("distribute-list prefix-list WORD {in|out} [IFREF]"),
    Cmd("variance <1-128>", key=1),
    Cmd("maximum-paths <1-32>", key=1),
    Cmd("exit-af-topology", store="exit"),
    *_EXITS,
]
