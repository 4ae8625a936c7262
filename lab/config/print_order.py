"""Where and how IOS prints each line in `show running-config`: order tables by line
prefix, `!` separators, sub-mode exit lines, interface sorting."""

from __future__ import annotations

from lab.config.tree import Block
from lab.grammar.modes import MODES
from lab.hardware.interfaces import sort_key

# groups of prefixes: IOS prints `!` between groups, not between the lines of one group
TOP_ORDER: list[str] = [
    "version|service",
    "hostname",
    "boot-start-marker|boot-end-marker",
    "vrf definition",
    "logging",
    "enable",
    "password encryption",  # place not confirmed by a capture
    "aaa",
    # the order of a real IOSv running-config (tests/fixtures/real-configs/iosv_zbfw_edge.cfg)
    "mmi",
    "ip domain list|ip domain|ip name-server|ip cef|ipv6 unicast-routing|ipv6 cef",
    "ip multicast-routing",
    "login",
    "license",
    "archive|configuration mode",
    "multilink",
    "cts logging",
    "username",
    "redundancy",
    "ip ssh",  # after `redundancy`, as the real IOSv running-config prints it
    "crypto ikev2 proposal|crypto ikev2 policy|crypto ikev2 keyring|"
    "crypto ikev2 profile|crypto ikev2 dpd|crypto ikev2 nat",
    "class-map|policy-map",
    "zone security|zone-pair security",
    "crypto isakmp|crypto ipsec security-association|"
    "crypto ipsec transform-set|crypto ipsec profile",
    "interface",
    "router eigrp",
    "ip forward-protocol|ip http|ip pim|ip nat|ip route|ip mroute",
    "ip access-list",
    "ip prefix-list|ipv6 route",
    "ipv6 prefix-list|snmp-server",
    "access-list",
    "ipv6 access-list",
    "control-plane",
    "line",
    "scheduler|ntp",
]
# top-level groups whose every block is followed by `!` (others only at the group's end)
BANG_AFTER_EACH = (
    "vrf definition",
    "archive",
    "crypto ikev2",
    "crypto isakmp policy",
    "crypto ipsec transform-set",
    "crypto ipsec profile",
    "interface",
    "router eigrp",
    "ip access-list",
    "ipv6 access-list",
)
# IOS-XE 16.x/17.x print ACEs with their sequence numbers (" 10 permit ..."; see the
# ansible cisco.ios ios_acls change for IOS XE 17, PR #983).  The project's diff
# (tasks/owned_diff.py) compares against un-numbered rendered lines, so the lab prints
# them classic-IOS style until that side handles numbers; flip to True to match 17.x.
ACL_SEQUENCE_NUMBERS = False

CHILD_ORDER: dict[str, list[str]] = {
    "interface": [
        "description",
        "encapsulation",
        "bandwidth",  # IOS prints it right after the description (running-config of a Tunnel0)
        "switchport",
        "vrf forwarding",
        "ip address",
        "ip redirects",
        "ip unreachables",
        "ip proxy-arp",
        "ip mtu",
        "ip split-horizon",
        "ip next-hop-self",
        "ip hello-interval",
        "ip hold-time",
        "ip pim nbma-mode",
        "ip pim",
        "ip nat",
        "ip virtual-reassembly",
        "ip nhrp authentication",
        "ip nhrp map",
        "ip nhrp map multicast",
        "ip nhrp network-id",
        "ip nhrp holdtime",
        "ip nhrp nhs",
        "ip nhrp redirect",
        "ip nhrp shortcut",
        "ip nhrp registration",
        "ip access-group",
        "zone-member security",
        "ip tcp adjust-mss",
        "ip summary-address",
        "load-interval",
        "delay",
        "keepalive",
        "shutdown",
        "mtu",
        "negotiation",
        # classic IOS Ethernet, then IPv6, as a real IOSv prints them (iosv_zbfw_edge.cfg)
        "duplex",
        "speed",
        "media-type",
        "ipv6 address",
        "ipv6 enable",
        "tunnel source",
        "tunnel mode",  # before the destination, as a real IOSv prints it (iosv_zbfw_edge.cfg)
        "tunnel destination",
        "tunnel key",
        "tunnel vrf",
        "tunnel path-mtu",
        "tunnel protection",
    ],
    "vrf": [
        "description",
        "rd",
        "ipv4 multicast",
        "route-target",
        "address-family ipv4",
        "address-family ipv4 multicast",
        "address-family ipv6",
    ],
    "eigrp-af": [
        "af-interface default",
        "af-interface",
        "topology",
        "network",
        "eigrp router-id",
        "eigrp stub",
    ],
    "eigrp-af6": ["af-interface default", "af-interface", "topology", "eigrp router-id"],
    "ikev2-profile": [
        "description",
        "match fvrf",
        "match identity",
        "identity local",
        "authentication remote",
        "authentication local",
        "keyring",
        "ivrf",
        "lifetime",
        "dpd",
        "nat",
    ],
    "ipsec-profile": [
        "description",
        "set security-association",
        "set transform-set",
        "set pfs",
        "set ikev2-profile",
    ],
    "archive": ["log config", "path", "maximum", "write-memory", "time-period"],
    "archive-log-cfg": ["logging enable", "logging size", "notify syslog", "hidekeys"],
    "line": [
        "access-class",
        "exec-timeout",
        "privilege",
        "logging",
        "password",
        "login",
        "transport input",
        "transport output",
        "stopbits",
    ],
}


def rank(order: list[str], line: str) -> tuple[int, int]:
    """(group, position in group) of the longest prefix of `line` (ignoring a leading
    `no `) in `order`, whose entries may hold several `|`-separated prefixes. Prefixes are
    whole words, so the longest is found by looking up the line's word prefixes, longest first
    (the running config is printed often: a scan of every entry per line was most of it)."""
    text = line[3:] if line.startswith("no ") else line
    table = _prefix_table(order)
    words = text.split(" ")
    for count in range(len(words), 0, -1):
        found = table.get(" ".join(words[:count]))
        if found is not None:
            return found
    return (len(order), 0)


_TABLES: dict[int, tuple[list[str], dict[str, tuple[int, int]]]] = {}


def _prefix_table(order: list[str]) -> dict[str, tuple[int, int]]:
    """prefix -> (group, position) for one of this module's order lists (the first wins)."""
    known = _TABLES.get(id(order))
    if known is not None and known[0] is order:
        return known[1]
    table: dict[str, tuple[int, int]] = {}
    for i, entry in enumerate(order):
        for j, prefix in enumerate(entry.split("|")):
            table.setdefault(prefix, (i, j))
    _TABLES[id(order)] = (order, table)
    return table


def sort_children(blocks: list[Block], order: list[str] | None, top: bool) -> list[Block]:
    if order is None:
        return blocks

    def key(b: Block) -> tuple[tuple[int, int], tuple[int, ...]]:
        where = rank(order, b.line)
        if top and b.line.startswith("interface "):
            return where, sort_key(b.words[1])
        return where, ()

    return sorted(blocks, key=key)


def render_block(block: Block, depth: int) -> list[str]:
    """The block's line and its children, one space of indent per level."""
    pad = " " * depth
    info = MODES.get(block.mode) if block.mode else None
    out = [f"{pad}!"] if info and info.bang_before else []
    out.append(pad + block.line)
    order_key = "interface" if (block.mode or "").startswith("if-") else (block.mode or "")
    order = CHILD_ORDER.get(order_key)
    children = sort_children(block.children, order, top=False) if order else block.children
    if block.mode == "ext-nacl":
        children = sorted(children, key=lambda c: int(c.slot))
    for child in children:
        if block.mode == "ext-nacl" and ACL_SEQUENCE_NUMBERS:
            out.append(f"{pad} {child.slot} {child.line}")
            continue
        out += render_block(child, depth + 1)
    if info and info.exit_line:
        out.append(pad + info.exit_line)
    if info and info.bang_after:
        out.append(f"{pad}!")
    return out


def render_running(root: Block) -> str:
    """`show running-config` body: from the first `!` to `end`."""
    lines = ["!"]
    previous: Block | None = None
    for block in sort_children(root.children, TOP_ORDER, top=True):
        if (
            previous is not None
            and lines[-1] != "!"
            and (
                rank(TOP_ORDER, previous.line)[0] != rank(TOP_ORDER, block.line)[0]
                or previous.line.startswith(BANG_AFTER_EACH)
            )
        ):
            lines.append("!")
        lines += render_block(block, 0)
        previous = block
    if lines[-1] != "!":
        lines.append("!")
    lines.append("end")
    return "\n".join(lines) + "\n"
