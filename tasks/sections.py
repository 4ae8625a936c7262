"""Section order (push order; teardown runs it backwards) and which section an IOS line belongs to.

Knowledge as data: `TOP_LEVEL` maps the start of a top-level running-config line to its section,
`CHILD_OVERRIDES` moves a child line to a later section when the object it names is created there
(a WAN interface exists in `wan`, but its `zone-member security` can only follow the zones in
`zbfw`).
"""

from __future__ import annotations

SECTIONS: tuple[str, ...] = (
    "vrf",
    "wan",
    "routes",
    "acl",
    "zbfw",
    "ikev2",
    "ipsec",
    "tunnel",
    "eigrp",
)

# First match wins, so the more specific prefix comes first.
TOP_LEVEL: tuple[tuple[str, str], ...] = (
    ("vrf definition ", "vrf"),
    # multicast routing and its RP/RPF lines name a VRF (hub) or the global table (spoke)
    ("ip multicast-routing", "vrf"),
    ("ip pim ", "vrf"),
    ("ip mroute ", "vrf"),
    ("interface Tunnel", "tunnel"),
    # a tenant's own tunnel source: pushed with (before) its tunnel, after the zones
    ("interface Loopback", "tunnel"),
    ("interface ", "wan"),
    ("ip route ", "routes"),
    ("ip access-list ", "acl"),
    ("ip nat ", "acl"),  # after the ACL it names (spoke internet exit)
    ("line vty ", "acl"),  # its access-class names an ACL of the same section
    ("class-map ", "zbfw"),
    ("policy-map ", "zbfw"),
    ("zone security ", "zbfw"),
    ("zone-pair security ", "zbfw"),
    ("crypto ikev2 ", "ikev2"),
    ("crypto isakmp ", "ikev2"),
    ("crypto ipsec ", "ipsec"),
    ("router eigrp ", "eigrp"),
)

# (parent prefix, child prefix, section): used only when it is later than the parent's section.
CHILD_OVERRIDES: tuple[tuple[str, str, str], ...] = (
    ("interface ", "zone-member security ", "zbfw"),
    # a spoke LAN's `ip pim sparse-mode` comes with the tenant's tunnel (templates/spoke/tunnel.j2)
    ("interface ", "ip pim ", "tunnel"),
)


def _strip_no(line: str) -> str:
    line = line.strip()
    return line[3:] if line.startswith("no ") else line


def section_of(top_level_line: str, child_line: str | None = None) -> str | None:
    """Section a top-level config line (optionally: one of its children) is pushed in.

    >>> section_of("interface Tunnel42")
    'tunnel'
    >>> section_of("no ip route vrf VRF-FRONT 0.0.0.0 0.0.0.0 192.0.2.1")
    'routes'
    >>> section_of("interface GigabitEthernet0/0/0", " zone-member security OUTSIDE")
    'zbfw'
    >>> section_of("interface Tunnel42", "zone-member security ZONE-EVENT42")
    'tunnel'
    >>> section_of("hostname hub1") is None
    True
    """
    line = _strip_no(top_level_line)
    section = next((sec for prefix, sec in TOP_LEVEL if line.startswith(prefix)), None)
    if section is None or child_line is None:
        return section
    child = _strip_no(child_line)
    for parent_prefix, child_prefix, later in CHILD_OVERRIDES:
        if (
            line.startswith(parent_prefix)
            and child.startswith(child_prefix)
            and SECTIONS.index(later) > SECTIONS.index(section)
        ):
            return later
    return section
