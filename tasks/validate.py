"""Cross-host rules on a loaded intent, as a table of small functions (`RULES`).

Each rule takes the intent and yields `Problem`s; `validate` runs them all so a person sees every
problem at once. Rules only see hosts and tenants that parsed, so one typo yields one problem.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from tasks.addressing import domains_overlap, is_usable_host
from tasks.validate_multicast import multicast_settings

if TYPE_CHECKING:
    from tasks.intent import Intent, Problem, Tenant

Rule = Callable[["Intent"], Iterable["Problem"]]

RESERVED_VRFS = frozenset({"VRF-FRONT", "MGMT"})
NHRP_KEY_MAX = 8  # IOS truncates/refuses longer `ip nhrp authentication` strings
IP_TCP_HEADERS = 40

# Full interface type names as running-config prints them; abbreviations are refused.
INTERFACE_TYPES: tuple[str, ...] = (
    "GigabitEthernet",
    "TenGigabitEthernet",
    "TwentyFiveGigE",
    "FortyGigabitEthernet",
    "HundredGigE",
    "FastEthernet",
    "Ethernet",
    "Cellular",
    "Dialer",
    "Vlan",
    "Port-channel",
)
_INTERFACE = re.compile(rf"^({'|'.join(INTERFACE_TYPES)})\d+(/\d+)*(\.\d+)?$")
_ABBREVIATIONS = {"gi": "GigabitEthernet", "te": "TenGigabitEthernet", "fa": "FastEthernet"}


def _by_headend(intent: Intent) -> dict[str, list[Tenant]]:
    served: dict[str, list[Tenant]] = defaultdict(list)
    for tenant in sorted(intent.tenants.values(), key=lambda t: t.name):
        if tenant.headend in intent.hosts:
            served[tenant.headend].append(tenant)
    return served


def _duplicates(intent: Intent, attribute: str, what: str) -> Iterator[Problem]:
    """Tenants on one headend whose `attribute` collides (reported on each later tenant)."""
    for headend, tenants in _by_headend(intent).items():
        first: dict[object, str] = {}
        for tenant in tenants:
            value = getattr(tenant, attribute)
            if value in first:
                yield intent.sources.at_tenant(
                    tenant.name,
                    attribute,
                    f"{what} {value} is already used by tenant {first[value]} on {headend}",
                )
            else:
                first[value] = tenant.name


def unique_tunnel_numbers(intent: Intent) -> Iterator[Problem]:
    yield from _duplicates(intent, "tunnel", "interface Tunnel")


def unique_tunnel_keys(intent: Intent) -> Iterator[Problem]:
    # Tenant tunnels on a headend share its WAN interface as source (unless a tenant has its own
    # loopback): the key is what tells them apart. Kept unique per headend even across sources,
    # so a tenant can move between sources without a clash.
    yield from _duplicates(intent, "tunnel_key", "tunnel key")


def unique_nhrp_network_ids(intent: Intent) -> Iterator[Problem]:
    yield from _duplicates(intent, "nhrp_network_id", "NHRP network-id")


def tenant_vrfs(intent: Intent) -> Iterator[Problem]:
    yield from _duplicates(intent, "vrf", "VRF")
    for tenant in intent.tenants.values():
        if tenant.vrf in RESERVED_VRFS:
            yield intent.sources.at_tenant(tenant.name, "vrf", f"{tenant.vrf} is a shared VRF")


def ikev2_identities(intent: Intent) -> Iterator[Problem]:
    """Two tenants whose identity domains nest would both match one spoke's identity."""
    for headend, tenants in _by_headend(intent).items():
        for i, tenant in enumerate(tenants):
            for other in tenants[:i]:
                if domains_overlap(tenant.ikev2_domain, other.ikev2_domain):
                    yield intent.sources.at_tenant(
                        tenant.name,
                        "ikev2_domain",
                        f"{tenant.ikev2_domain} overlaps tenant {other.name}'s "
                        f"{other.ikev2_domain} on {headend}: a spoke could match either profile",
                    )


def hub_tunnel_addresses(intent: Intent) -> Iterator[Problem]:
    for tenant in intent.tenants.values():
        if not is_usable_host(tenant.hub_tunnel_ip, tenant.tunnel_subnet):
            yield intent.sources.at_tenant(
                tenant.name,
                "hub_tunnel_ip",
                f"{tenant.hub_tunnel_ip} is not a usable address in {tenant.tunnel_subnet}",
            )


def spoke_tunnel_addresses(intent: Intent) -> Iterator[Problem]:
    for tenant in intent.tenants.values():
        used = {tenant.hub_tunnel_ip: f"the hub ({tenant.headend})"}
        for name in tenant.spokes:
            address = intent.hosts[name].tunnel_ip
            assert address is not None  # spokes always have one (checked while loading)
            if not is_usable_host(address, tenant.tunnel_subnet):
                message = (
                    f"{address} is not a usable address in tenant {tenant.name}'s "
                    f"{tenant.tunnel_subnet}"
                )
            elif address in used:
                message = f"{address} is already used by {used[address]}"
            else:
                used[address] = name
                continue
            yield intent.sources.at_host(name, "tunnel_ip", message)


def spoke_lans(intent: Intent) -> Iterator[Problem]:
    """LANs of one tenant share a routing table: no overlap with each other or the tunnel."""
    for tenant in intent.tenants.values():
        lans = []
        for name in tenant.spokes:
            lan = intent.hosts[name].lan
            assert lan is not None
            network = lan.address.network
            lans.append(
                (int(network.network_address), int(network.broadcast_address), name, network)
            )
            if network.overlaps(tenant.tunnel_subnet):
                yield intent.sources.at_host(
                    name,
                    "lan",
                    f"{network} overlaps the tunnel subnet {tenant.tunnel_subnet}",
                    "address",
                )
        # sorted by start, a LAN overlaps an earlier one when it starts before the furthest end
        widest: tuple[int, str, object] | None = None
        for start, end, name, network in sorted(lans):
            if widest is not None and start <= widest[0]:
                yield intent.sources.at_host(
                    name,
                    "lan",
                    f"{network} overlaps {widest[1]}'s {widest[2]} (tenant {tenant.name})",
                    "address",
                )
            if widest is None or end > widest[0]:
                widest = (end, name, network)


def nhrp_keys(intent: Intent) -> Iterator[Problem]:
    for tenant in intent.tenants.values():
        if len(tenant.nhrp_key) > NHRP_KEY_MAX:
            # never echo the value: it is a secret
            yield intent.sources.at_tenant(
                tenant.name,
                "nhrp_key",
                f"the NHRP authentication key is {len(tenant.nhrp_key)} characters; "
                f"IOS allows 1-{NHRP_KEY_MAX}",
            )


def interface_names(intent: Intent) -> Iterator[Problem]:
    for host in intent.hosts.values():
        seen: dict[str, str] = {}
        for key, part in (("wan", host.wan), ("lan", host.lan), ("mgmt", host.mgmt)):
            if part is None:
                continue
            name = part.interface
            if not _INTERFACE.match(name):
                hint = _ABBREVIATIONS.get(name[:2].lower(), "")
                message = f"{name!r} is not a full IOS interface name"
                if hint:
                    message += f" (write it as running-config does: {hint}...)"
                yield intent.sources.at_host(host.name, key, message, "interface")
            elif name in seen:
                yield intent.sources.at_host(
                    host.name, key, f"{name} is already the {seen[name]} interface", "interface"
                )
            seen[name] = key


def mtu_and_mss(intent: Intent) -> Iterator[Problem]:
    for host in intent.hosts.values():
        tunnel = host.settings.tunnel
        if tunnel.tcp_adjust_mss > tunnel.ip_mtu - IP_TCP_HEADERS:
            yield intent.sources.at_host(
                host.name,
                "tunnel",
                f"tcp_adjust_mss {tunnel.tcp_adjust_mss} must be at most ip_mtu - 40 "
                f"({tunnel.ip_mtu - IP_TCP_HEADERS})",
                "tcp_adjust_mss",
            )


def crypto_suite_per_headend(intent: Intent) -> Iterator[Problem]:
    """The crypto suite is the headend's: its one IPsec profile per tunnel source is shared by
    every tenant (Cisco: same IPsec profile on a shared tunnel source) and its IKEv2 policy is
    chosen before a peer's identity is known, so a spoke or tenant cannot have its own."""
    problems: dict[Problem, None] = {}  # spokes inheriting one tenant group's suite: one line
    for host in intent.hosts.values():
        if host.role != "spoke" or host.tenant not in intent.tenants:
            continue
        hub = intent.hosts.get(intent.tenants[host.tenant].headend)
        if hub is None or host.settings.crypto == hub.settings.crypto:
            continue
        _file, where = intent.sources.host_keys.get((host.name, "crypto"), ("", "defaults"))
        if where == "defaults":  # not set for the spoke: it follows its headend's suite
            continue
        problem = intent.sources.at_host(
            host.name,
            "crypto",
            f"differs from headend {hub.name}'s crypto suite: the suite is set per headend "
            "(one shared IPsec profile per tunnel source), not per tenant or spoke",
        )
        problems[problem] = None
    yield from problems


def tenant_summaries(intent: Intent) -> Iterator[Problem]:
    """A tenant's summary toward the spokes covers every LAN of its spokes (else it hides none
    of the ones outside it) and not the tunnel subnet (whose addresses the spokes hold)."""
    for tenant in intent.tenants.values():
        summary = tenant.summary
        if summary is None:
            continue
        if summary.overlaps(tenant.tunnel_subnet):
            yield intent.sources.at_tenant(
                tenant.name,
                "summary",
                f"{summary} overlaps the tunnel subnet {tenant.tunnel_subnet}",
            )
        for name in tenant.spokes:
            lan = intent.hosts[name].lan
            if lan is not None and not lan.address.network.subnet_of(summary):
                yield intent.sources.at_tenant(
                    tenant.name,
                    "summary",
                    f"{summary} does not cover {name}'s LAN {lan.address.network}",
                )


def tenant_tunnel_sources(intent: Intent) -> Iterator[Problem]:
    """A tenant's own tunnel source (a loopback in VRF-FRONT) is its alone: not inside the
    headend's WAN or MGMT subnet (the address would clash with a neighbour there), and neither
    its interface nor its address another tenant's on the same headend."""
    for headend, tenants in _by_headend(intent).items():
        hub = intent.hosts[headend]
        subnets = [
            (what, part.address.network)
            for what, part in (("WAN", hub.wan), ("MGMT", hub.mgmt))
            if part is not None and part.address is not None
        ]
        taken: dict[object, str] = {}
        for tenant in tenants:
            source = tenant.tunnel_source
            if source is None:
                continue
            for what, network in subnets:
                if source.address in network:
                    yield intent.sources.at_tenant(
                        tenant.name,
                        "tunnel_source.address",
                        f"{source.address} is inside {headend}'s {what} subnet {network}: "
                        "a tenant's own source needs an address of its own",
                    )
            for key, value in (("interface", source.interface), ("address", source.address)):
                if value in taken:
                    yield intent.sources.at_tenant(
                        tenant.name,
                        f"tunnel_source.{key}",
                        f"{value} is already tenant {taken[value]}'s tunnel source on {headend}",
                    )
                else:
                    taken[value] = tenant.name


def headend_managed_through_mgmt(intent: Intent) -> Iterator[Problem]:
    """A headend with a MGMT interface takes SSH only there: the automation must connect to
    that address, or the first change would cut its own management path."""
    for host in intent.hosts.values():
        if host.role != "headend" or host.mgmt is None or host.hostname is None:
            continue
        try:
            address = ipaddress.IPv4Address(host.hostname)
        except ValueError:
            continue  # a DNS name: cannot be checked here
        if address not in host.mgmt.address.network:
            yield intent.sources.at_host(
                host.name,
                "mgmt",
                f"the automation connects to {address}, outside the MGMT subnet "
                f"{host.mgmt.address.network}: SSH is allowed only in the management VRF, so "
                "connect to the MGMT address",
            )


RULES: tuple[Rule, ...] = (
    unique_tunnel_numbers,
    unique_tunnel_keys,
    unique_nhrp_network_ids,
    tenant_vrfs,
    ikev2_identities,
    hub_tunnel_addresses,
    spoke_tunnel_addresses,
    spoke_lans,
    nhrp_keys,
    interface_names,
    mtu_and_mss,
    crypto_suite_per_headend,
    tenant_summaries,
    tenant_tunnel_sources,
    headend_managed_through_mgmt,
    multicast_settings,
)


def validate(intent: Intent) -> list[Problem]:
    """Every problem every rule finds, in rule order."""
    return [problem for rule in RULES for problem in rule(intent)]


def lab_models(intent: Intent, hosts: Iterable[str], known: Iterable[str]) -> list[Problem]:
    """With `--lab`: each host's `data.model` must be one the lab emulates (`known`)."""
    names = tuple(known)
    return [
        intent.sources.at_host(
            host,
            "model",
            f"the lab does not emulate model {intent.hosts[host].model!r} "
            f"(known: {', '.join(names)})",
        )
        for host in hosts
        if host in intent.hosts and intent.hosts[host].model not in names
    ]
