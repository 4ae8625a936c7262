"""The one interface-name table: IOS type names, their short forms and print order.

IOS abbreviates an interface type to any unique prefix (an exact name wins) and accepts the
number glued on or as the next word (`g0/0/0`, `GigabitEthernet 0/0/0`).

>>> canonical_interface("tu42")
'Tunnel42'
>>> canonical_interface("t42") is None  # Tunnel or TenGigabitEthernet
True
>>> short_name("GigabitEthernet0/0/1")
'Gi0/0/1'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class InterfaceType:
    name: str
    short: str  # as `show vrf` and `show ip interface brief` abbreviate it
    creatable: bool = False  # a virtual interface `interface X` creates (the lab models these)


INTERFACE_TYPES: tuple[InterfaceType, ...] = (
    InterfaceType("GigabitEthernet", "Gi"),
    InterfaceType("TenGigabitEthernet", "Te"),
    InterfaceType("FastEthernet", "Fa"),
    InterfaceType("Ethernet", "Et"),
    InterfaceType("Loopback", "Lo", creatable=True),
    InterfaceType("Tunnel", "Tu", creatable=True),
    InterfaceType("Vlan", "Vl"),
    InterfaceType("Dialer", "Di"),
    InterfaceType("Virtual-Template", "Vt"),
    InterfaceType("Virtual-Access", "Vi"),
    InterfaceType("Port-channel", "Po"),
    InterfaceType("Serial", "Se"),
    InterfaceType("Cellular", "Ce"),
    InterfaceType("BDI", "BD"),
    InterfaceType("NVI", "NV"),
    InterfaceType("Null", "Nu"),
)
TYPE_NAMES = tuple(t.name for t in INTERFACE_TYPES)
CREATABLE = tuple(t.name for t in INTERFACE_TYPES if t.creatable)
# `show running-config` prints loopbacks, then tunnels, then physical ports
PRINT_ORDER = ("Loopback", "Tunnel", "GigabitEthernet", "Ethernet")
MAX_VIRTUAL = 2147483647

_IFNAME = re.compile(r"^([A-Za-z][A-Za-z-]*?)\s*(\d[\d/.:]*)$")


def split_name(name: str) -> tuple[str, str]:
    """(`GigabitEthernet`, `0/0/1`): the type and the number of an interface name."""
    cut = next((i for i, c in enumerate(name) if c.isdigit()), len(name))
    return name[:cut], name[cut:]


def match_type(typed: str, types: Iterable[str] = TYPE_NAMES) -> str | None:
    """The type `typed` abbreviates among `types`; None when unknown or ambiguous."""
    names = list(types)
    exact = [t for t in names if t.lower() == typed.lower()]
    found = exact or [t for t in names if t.lower().startswith(typed.lower())]
    return found[0] if len(found) == 1 else None


def canonical_interface(text: str, types: Iterable[str] = TYPE_NAMES) -> str | None:
    """`g0/0/0` → `GigabitEthernet0/0/0`; None when the type is unknown or ambiguous."""
    match = _IFNAME.match(text.strip())
    if not match or not text.strip():
        return None
    found = match_type(match.group(1), types)
    return f"{found}{match.group(2)}" if found else None


def short_name(name: str) -> str:
    kind, number = split_name(name)
    row = next((t for t in INTERFACE_TYPES if t.name == kind), None)
    return row.short + number if row else name


def sort_key(name: str) -> tuple[int, ...]:
    """Loopbacks, tunnels, then physical ports; numerically within a type."""
    kind, number = split_name(name)
    first = PRINT_ORDER.index(kind) if kind in PRINT_ORDER else len(PRINT_ORDER)
    if number == "0" and kind == "GigabitEthernet":
        # the ISR 4000's management port prints after the slot ports (a real ISR4321
        # running-config: tests/fixtures/real-configs/isr4321_router_on_a_stick.cfg)
        return (first, 1 << 30)
    parts = number.replace(".", "/").split("/")  # a subinterface sorts after its port
    return (first, *(int(n) for n in parts if n.isdigit()))
