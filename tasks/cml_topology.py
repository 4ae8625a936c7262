"""A Cisco Modeling Labs 2.x rehearsal of a tenant: nodes, links and addresses, as a pure plan.

The headend and the spokes become CML routers; a `carrier` router plays the internet: it holds
the hub's WAN gateway address, gives each spoke a DHCP lease on its own link and NATs the spokes
toward the hub (the spokes' carrier NAT in production). Every router's slot 0 is its management
port, on an unmanaged switch bridged to the CML host's network by an external connector. Too
many spokes for the carrier's interfaces: they hang off IOSvL2 switches, one VLAN and one
carrier subinterface per spoke. `check_limits` refuses what CML would not run.

`plan_lab` builds the `LabPlan`; `tasks/cml_files.py` turns it into the topology YAML, day-0
configs and the overlay inventory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from tasks.cml_nodes import (
    EDITIONS,
    MGMT_SLOT,
    NODE_DEFINITIONS,
    MappingError,
    NodeDefinition,
    check_slot,
    node_interface,
)
from tasks.intent import HostIntent, Intent, IntentError, Problem

CARRIER = "carrier"
MGMT_SWITCH = "mgmt-switch"
MGMT_CONNECTOR = "mgmt-ext-conn"
SYSTEM_BRIDGE = "bridge0"  # the external connector's L2 "System Bridge" mode
SPOKE_VLAN_BASE = 100  # spoke k (1-based) sits in VLAN 100 + k behind an IOSvL2 switch
CARRIER_POOL = IPv4Network("100.64.0.0/16")  # RFC 6598 shared address space: carrier-grade NAT


@dataclass
class Node:
    """One CML node: what CML needs to create it, and its day-0 config (resolved secrets)."""

    id: str
    label: str
    definition: NodeDefinition
    x: int
    y: int
    slots: int = 1  # physical interfaces to create (0..slots-1)
    config: str = ""


@dataclass(frozen=True)
class Link:
    a: str
    a_slot: int
    b: str
    b_slot: int


@dataclass
class HostPlan:
    """An inventory host on CML: its node, its interface names there, its management address."""

    name: str
    definition: NodeDefinition
    interfaces: dict[str, str]  # inventory (ISR) name -> node name
    mgmt_interface: str
    mgmt_address: IPv4Interface


@dataclass
class SpokeLink:
    """The carrier side of a spoke's WAN link: its subnet and the carrier interface serving it."""

    spoke: str
    subnet: IPv4Network
    carrier_interface: str
    vlan: int | None = None  # behind an IOSvL2 switch: the spoke's access VLAN

    @property
    def gateway(self) -> IPv4Interface:
        return IPv4Interface(f"{next(self.subnet.hosts())}/{self.subnet.prefixlen}")


@dataclass
class LabPlan:
    title: str
    headend: str
    tenants: list[str]
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    hosts: dict[str, HostPlan] = field(default_factory=dict)
    spoke_links: list[SpokeLink] = field(default_factory=list)
    carrier_wan: IPv4Interface | None = None
    carrier_wan_interface: str = ""
    carrier_mgmt: IPv4Interface | None = None
    mgmt_gateway: IPv4Address | None = None
    switches: dict[str, list[SpokeLink]] = field(default_factory=dict)  # IOSvL2 -> its spokes

    def add(self, node: Node) -> Node:
        self.nodes[node.id] = node
        return node

    def link(self, a: str, a_slot: int, b: str, b_slot: int) -> None:
        for node_id, slot in ((a, a_slot), (b, b_slot)):
            node = self.nodes[node_id]
            node.slots = max(node.slots, slot + 1)
        self.links.append(Link(a, a_slot, b, b_slot))


@dataclass(frozen=True)
class LabOptions:
    node_definition: str | None = None  # every router; None: per host, else iosv
    host_definitions: dict[str, str] = field(default_factory=dict)  # from the inventory
    mgmt_subnet: IPv4Network | None = None  # None: the headend's management subnet
    mgmt_gateway: IPv4Address | None = None
    carrier_pool: IPv4Network = CARRIER_POOL


def _problem(field_: str, message: str) -> IntentError:
    return IntentError([Problem("command line", "topology", field_, message)])


def _definition(name: str, where: str) -> NodeDefinition:
    definition = NODE_DEFINITIONS.get(name)
    if definition is None or name not in ("iosv", "csr1000v", "cat8000v"):
        raise _problem(where, f"unknown node definition {name!r} (use iosv, csr1000v or cat8000v)")
    return definition


def _mgmt_addresses(
    intent: Intent, hub: HostIntent, hosts: list[str], options: LabOptions
) -> tuple[dict[str, IPv4Interface], IPv4Address]:
    """Management address of every host and of the carrier (key CARRIER), and the gateway."""
    subnet = options.mgmt_subnet or (hub.mgmt.address.network if hub.mgmt else None)
    if subnet is None:
        raise _problem("--mgmt-subnet", f"{hub.name} has no mgmt in the inventory: give one")
    gateway = options.mgmt_gateway
    if gateway is None:
        in_inventory = hub.mgmt is not None and hub.mgmt.gateway in subnet
        gateway = hub.mgmt.gateway if in_inventory and hub.mgmt else next(subnet.hosts())
    if gateway not in subnet:
        raise _problem("--mgmt-gateway", f"{gateway} is not in {subnet}")
    taken = {gateway}
    addresses: dict[str, IPv4Interface] = {}
    if hub.mgmt is not None and hub.mgmt.address.ip in subnet:
        addresses[hub.name] = IPv4Interface(f"{hub.mgmt.address.ip}/{subnet.prefixlen}")
        taken.add(hub.mgmt.address.ip)
    free = (ip for ip in subnet.hosts() if ip not in taken)
    for name in [hosts[0], CARRIER, *hosts[1:]]:  # the headend first, then the carrier
        if name in addresses:
            continue
        ip = next(free, None)
        if ip is None:
            raise _problem("--mgmt-subnet", f"{subnet} has too few addresses for the lab")
        addresses[name] = IPv4Interface(f"{ip}/{subnet.prefixlen}")
    return addresses, gateway


def _host_plan(
    host: HostIntent, definition: NodeDefinition, mgmt: IPv4Interface
) -> tuple[HostPlan, list[str]]:
    mgmt_name = host.mgmt.interface if host.mgmt else None
    interfaces: dict[str, str] = {}
    problems = []
    for part in (host.wan, host.lan, host.mgmt):
        if part is None:
            continue
        try:
            interfaces[part.interface] = node_interface(definition, part.interface, mgmt_name)
        except MappingError as err:
            problems.append(f"{host.name}: {err}")
    mgmt_interface = interfaces.get(mgmt_name or "", definition.interface(MGMT_SLOT))
    return HostPlan(host.name, definition, interfaces, mgmt_interface, mgmt), problems


def plan_lab(intent: Intent, tenants: list[str], options: LabOptions) -> LabPlan:
    """The lab for `tenants` (all on one headend); IntentError for what cannot be mapped."""
    headends = {intent.tenants[t].headend for t in tenants}
    if len(headends) != 1:
        raise _problem("--tenant", f"tenants on different headends: {', '.join(sorted(headends))}")
    hub = intent.hosts[headends.pop()]
    if hub.wan.address is None or hub.wan.gateway is None:
        raise _problem("wan", f"{hub.name}: the headend's WAN must be static to rehearse it")
    spokes = [s for t in tenants for s in intent.tenants[t].spokes]
    plan = LabPlan(f"DMVPN rehearsal: {', '.join(tenants)}", hub.name, list(tenants))
    addresses, plan.mgmt_gateway = _mgmt_addresses(intent, hub, [hub.name, *spokes], options)
    problems: list[str] = []
    for index, name in enumerate([hub.name, *spokes]):
        chosen = options.node_definition or options.host_definitions.get(name, "iosv")
        host_plan, host_problems = _host_plan(
            intent.hosts[name], _definition(chosen, name), addresses[name]
        )
        problems += host_problems
        plan.hosts[name] = host_plan
        x = 0 if index == 0 else (index - 1) * 200 - (len(spokes) - 1) * 100
        plan.add(Node(name, name, host_plan.definition, x, -250 if index == 0 else 250))
    if problems:
        raise _problem("interfaces", "; ".join(problems))
    carrier_definition = _definition(options.node_definition or "iosv", "carrier")
    plan.add(Node(CARRIER, CARRIER, carrier_definition, 0, 0))
    plan.carrier_mgmt = addresses[CARRIER]
    _wire_management(plan)
    try:
        _wire_carrier(plan, intent, hub, spokes, options.carrier_pool)
    except MappingError as err:
        raise _problem("interfaces", str(err)) from None
    return plan


def _wire_management(plan: LabPlan) -> None:
    plan.add(Node(MGMT_CONNECTOR, MGMT_CONNECTOR, NODE_DEFINITIONS["external_connector"], -650, 0))
    plan.add(Node(MGMT_SWITCH, MGMT_SWITCH, NODE_DEFINITIONS["unmanaged_switch"], -450, 0))
    plan.link(MGMT_CONNECTOR, 0, MGMT_SWITCH, 0)
    for port, node_id in enumerate([*plan.hosts, CARRIER], start=1):
        plan.link(MGMT_SWITCH, port, node_id, MGMT_SLOT)


def _wire_carrier(
    plan: LabPlan, intent: Intent, hub: HostIntent, spokes: list[str], pool: IPv4Network
) -> None:
    carrier = plan.nodes[CARRIER]
    limit = carrier.definition.max_interfaces or 1 << 16
    assert hub.wan.address is not None and hub.wan.gateway is not None
    plan.carrier_wan = IPv4Interface(f"{hub.wan.gateway}/{hub.wan.address.network.prefixlen}")
    plan.carrier_wan_interface = carrier.definition.interface(1)
    hub_wan = plan.hosts[hub.name].interfaces[hub.wan.interface]
    plan.link(CARRIER, 1, hub.name, _slot_of(plan, hub.name, hub_wan))
    subnets = pool.subnets(new_prefix=max(pool.prefixlen, 24))
    next(subnets)  # keep x.x.0.0/24 out: it reads like the pool itself
    direct = len(spokes) <= limit - 2
    switch_ports = (NODE_DEFINITIONS["iosvl2"].max_interfaces or 16) - 1
    for index, spoke in enumerate(spokes):
        subnet = next(subnets, None)
        if subnet is None:
            raise _problem("--carrier-pool", f"{pool} has too few /24 subnets for the spokes")
        wan = intent.hosts[spoke].wan.interface
        spoke_slot = _slot_of(plan, spoke, plan.hosts[spoke].interfaces[wan])
        if direct:
            slot = 2 + index
            link = SpokeLink(spoke, subnet, carrier.definition.interface(slot))
            plan.link(CARRIER, slot, spoke, spoke_slot)
        else:
            trunk_slot = 2 + index // switch_ports
            switch = f"{CARRIER}-sw{index // switch_ports + 1}"
            if switch not in plan.nodes:
                check_slot(carrier.definition, trunk_slot, f"{CARRIER} trunk to {switch}")
                x = (index // switch_ports) * 300 - 150
                plan.add(Node(switch, switch, NODE_DEFINITIONS["iosvl2"], x, 125))
                plan.link(CARRIER, trunk_slot, switch, 0)
                plan.switches[switch] = []
            vlan = SPOKE_VLAN_BASE + index + 1
            trunk = carrier.definition.interface(trunk_slot)
            link = SpokeLink(spoke, subnet, f"{trunk}.{vlan}", vlan)
            plan.link(switch, 1 + index % switch_ports, spoke, spoke_slot)
            plan.switches[switch].append(link)
        plan.spoke_links.append(link)
        _lan_segment(plan, intent.hosts[spoke])


def _lan_segment(plan: LabPlan, spoke: HostIntent) -> None:
    """A spoke's LAN on a switch of its own: the port is up, so its subnet is advertised."""
    if spoke.lan is None:
        return
    node = plan.nodes[spoke.name]
    switch = f"{spoke.name}-lan"
    plan.add(Node(switch, switch, NODE_DEFINITIONS["unmanaged_switch"], node.x, node.y + 150))
    lan = plan.hosts[spoke.name].interfaces[spoke.lan.interface]
    plan.link(spoke.name, _slot_of(plan, spoke.name, lan), switch, 0)


def _slot_of(plan: LabPlan, node_id: str, interface: str) -> int:
    definition = plan.nodes[node_id].definition
    limit = definition.max_interfaces or 64
    base = interface.split(".")[0]
    for slot in range(limit):
        if definition.interface(slot) == base:
            return slot
    raise _problem("interfaces", f"{node_id}: {interface} is no interface of {definition.id}")


def check_limits(plan: LabPlan, edition: str) -> list[str]:
    """What CML would refuse: too many interfaces on a node, too many nodes for the edition."""
    problems = []
    for node in plan.nodes.values():
        limit = node.definition.max_interfaces
        if limit is not None and node.slots > limit:
            problems.append(
                f"{node.label}: needs {node.slots} interfaces, a {node.definition.id} node has "
                f"at most {limit}"
            )
    cap = EDITIONS[edition]
    licensed = [n.label for n in plan.nodes.values() if n.definition.licensed]
    if cap is not None and len(licensed) > cap:
        problems.append(
            f"the lab needs {len(licensed)} nodes ({', '.join(licensed)}); CML {edition} runs "
            f"at most {cap} (use --edition, fewer tenants, or a bigger licence)"
        )
    return problems
