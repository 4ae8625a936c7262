"""What Cisco Modeling Labs 2.x knows about its node types, as data: interface names per slot,
interface limits, edition node caps, and how the inventory's ISR interface names map onto them.

Sources (public CML topology and node-definition files, read through the project's search tool):
- IOSv interface labels `GigabitEthernet0/<slot>` and IOSvL2 `GigabitEthernet<slot//4>/<slot%4>`
  (slot 4 is GigabitEthernet1/0): CiscoDevNet/cml-community lab-topologies/ipsec-exploration.yaml
- CSR1000v `GigabitEthernet<slot+1>`: gist ngschmidt/7fbf2c687bcf23460456931c8ca5cf29 (CML export);
  Cat8000v GigabitEthernet1..32, loopback Loopback0:
  CiscoDevNet/cml-community node-definitions/cisco/cat8000v/cat8000v.yaml
- unmanaged_switch ports `port<slot>`, external_connector one interface `port`, `bridge0` is the
  System Bridge (L2, shares the CML host's network): CiscoDevNet/cml-community
  lab-topologies/cml-free/hybrid-networking/hybrid-networking-cml-topology.yaml,
  CiscoDevNet/virlutils tests/v2/mocks/api.py, and
  https://developer.cisco.com/docs/modeling-labs/2-6/external-connectors
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NodeDefinition:
    """A CML node definition: its id, a model name for the overlay inventory, interface naming."""

    id: str
    model: str
    max_interfaces: int | None  # physical interfaces a node can have; None: not limited here
    name: Callable[[int], str]  # slot -> interface label
    licensed: bool = True  # a virtual machine that counts against the edition's node cap

    def interface(self, slot: int) -> str:
        return self.name(slot)


def _iosv(slot: int) -> str:
    return f"GigabitEthernet0/{slot}"


def _iosxe(slot: int) -> str:
    return f"GigabitEthernet{slot + 1}"


def _iosvl2(slot: int) -> str:
    return f"GigabitEthernet{slot // 4}/{slot % 4}"


# IOSv: GigabitEthernet0/0..0/15. CSR1000v: assumed like Cat8000v (same `csr1000v` driver).
NODE_DEFINITIONS: dict[str, NodeDefinition] = {
    "iosv": NodeDefinition("iosv", "IOSv", 16, _iosv),
    "csr1000v": NodeDefinition("csr1000v", "CSR1000V", 32, _iosxe),
    "cat8000v": NodeDefinition("cat8000v", "C8000V", 32, _iosxe),
    "iosvl2": NodeDefinition("iosvl2", "IOSvL2", 16, _iosvl2),
    "unmanaged_switch": NodeDefinition(
        "unmanaged_switch", "switch", None, lambda slot: f"port{slot}", licensed=False
    ),
    "external_connector": NodeDefinition(
        "external_connector", "ext-conn", 1, lambda slot: "port", licensed=False
    ),
}
ROUTER_DEFINITIONS: tuple[str, ...] = ("iosv", "csr1000v", "cat8000v")

# Nodes that may run at once per edition (None: bought per node). Unmanaged switches and external
# connectors are not counted (they are no virtual machines). Caps as listed by
# https://github.com/Specops13/cml-lab-builder/releases/tag/v3.3.1 (Free 5, Personal 20,
# Personal Plus 40; Enterprise: 20 included plus expansion nodes).
EDITIONS: dict[str, int | None] = {
    "free": 5,
    "personal": 20,
    "personal-plus": 40,
    "enterprise": None,
}

# The inventory's ISR on-board ports (GigabitEthernet0/0/N, optionally a subinterface).
ISR_PORT = re.compile(r"^GigabitEthernet0/0/(?P<port>\d+)(?P<sub>\.\d+)?$")
# Any physical Ethernet name in a config (a subinterface included), to be mapped or refused.
ETHERNET_NAME = re.compile(
    r"(?<![\w/.])(?:\w*GigabitEthernet|\w*GigE|FastEthernet|Ethernet)\d+(?:/\d+)+(?:\.\d+)?"
)
MGMT_SLOT = 0  # slot 0 is the management port on every node (CSR/Cat8000v: GigabitEthernet1)


class MappingError(ValueError):
    """An inventory interface name that has no place on the chosen node definition."""


def slot_for(isr_name: str, mgmt_name: str | None) -> tuple[int, str]:
    """(slot, subinterface suffix) of an ISR interface on a CML node.

    The management interface takes slot 0; on-board port N takes slot N + 1 (so port numbers
    stay recognisable and never collide with management).

    >>> slot_for("GigabitEthernet0/0/0", "GigabitEthernet0/0/1")
    (1, '')
    >>> slot_for("GigabitEthernet0/0/1", "GigabitEthernet0/0/1")
    (0, '')
    >>> slot_for("GigabitEthernet0/0/2.100", None)
    (3, '.100')
    """
    match = ISR_PORT.match(isr_name)
    base = isr_name.split(".")[0]
    if mgmt_name is not None and base == mgmt_name:
        return MGMT_SLOT, isr_name[len(base) :]
    if match is None:
        raise MappingError(f"{isr_name}: only on-board ports GigabitEthernet0/0/N can be mapped")
    return int(match["port"]) + 1, match["sub"] or ""


def node_interface(definition: NodeDefinition, isr_name: str, mgmt_name: str | None) -> str:
    """The node definition's name for an ISR interface, checked against its interface limit.

    >>> node_interface(NODE_DEFINITIONS["iosv"], "GigabitEthernet0/0/0", None)
    'GigabitEthernet0/1'
    >>> node_interface(NODE_DEFINITIONS["cat8000v"], "GigabitEthernet0/0/1.42", None)
    'GigabitEthernet3.42'
    """
    slot, sub = slot_for(isr_name, mgmt_name)
    check_slot(definition, slot, isr_name)
    return definition.interface(slot) + sub


def check_slot(definition: NodeDefinition, slot: int, what: str) -> None:
    limit = definition.max_interfaces
    if limit is not None and slot >= limit:
        raise MappingError(
            f"{what} needs interface slot {slot}, but a {definition.id} node has at most "
            f"{limit} interfaces ({definition.interface(0)}..{definition.interface(limit - 1)})"
        )


def rename_interfaces(
    config: str, definition: NodeDefinition, mgmt_name: str | None
) -> tuple[str, list[str]]:
    """A config with every ISR on-board interface name replaced by the node's; the names that
    cannot be mapped (other physical ports, or beyond the interface limit) are returned.

    >>> text, bad = rename_interfaces(
    ...     "interface GigabitEthernet0/0/0\\n tunnel source GigabitEthernet0/0/0\\n",
    ...     NODE_DEFINITIONS["iosv"], None)
    >>> text, bad
    ('interface GigabitEthernet0/1\\n tunnel source GigabitEthernet0/1\\n', [])
    """
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(0)
        try:
            return node_interface(definition, name, mgmt_name)
        except MappingError as err:
            problems.append(str(err))
            return name

    renamed = ETHERNET_NAME.sub(replace, config)
    return renamed, sorted(set(problems))
