"""What verification expects and what it sees: the tenant plan (from the intent), one poll
round's parsed outputs, the verdicts, and the commands that produce the outputs. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class CheckResult:
    """One verdict: `detail` says what was seen and, when failing, where to look."""

    host: str
    check: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class SpokePlan:
    """What the intent says about one spoke."""

    name: str
    tunnel_ip: str
    lan_interface: str
    lan_ip: str
    lan_prefix: str  # e.g. "10.42.1.0/24"
    wan_interface: str
    internet_probe: str | None = None  # pinged from the LAN (local internet exit); None: skip


@dataclass(frozen=True)
class IsolationProbe:
    """A ping from a spoke's LAN towards another tenant: any reply is a leak."""

    source: str  # the spoke
    tenant: str  # the other tenant
    target: str  # what is probed, e.g. "e43-spoke1 LAN", "hub1 Tunnel43"
    address: str


@dataclass(frozen=True)
class TenantPlan:
    """What the intent says about one tenant overlay, as verification needs it."""

    name: str
    hub: str
    hub_tunnel_ip: str
    hub_wan_ip: str
    hub_wan_interface: str
    tunnel: int
    vrf: str
    spokes: tuple[SpokePlan, ...]
    # another tenant's hub tunnel address this tenant must NOT reach: (tenant name, address)
    isolation_target: tuple[str, str] | None = None
    # what must never appear in this tenant's VRF on the hub: other tenants' tunnel interfaces
    # and prefixes (tunnel subnets, LANs) that do not overlap this tenant's own
    foreign_interfaces: tuple[str, ...] = ()
    foreign_prefixes: tuple[str, ...] = ()
    multicast: bool = False  # the tenant's `multicast: true`: PIM checks (tasks.judges_multicast)
    # data-plane probes from each spoke's LAN towards other tenants (bounded, see tasks.verify)
    isolation_probes: tuple[IsolationProbe, ...] = ()

    @property
    def interface(self) -> str:
        return f"Tunnel{self.tunnel}"

    def spoke(self, name: str) -> SpokePlan:
        return next(spoke for spoke in self.spokes if spoke.name == name)

    def host_by_tunnel_ip(self) -> dict[str, str]:
        known = {spoke.tunnel_ip: spoke.name for spoke in self.spokes}
        known[self.hub_tunnel_ip] = self.hub
        return known

    def ring(self) -> list[tuple[SpokePlan, SpokePlan]]:
        """Spoke-to-spoke pairs for the data-plane test: each spoke toward the next one."""
        count = len(self.spokes)
        if count < 2:
            return []
        pairs = [(self.spokes[i], self.spokes[(i + 1) % count]) for i in range(count)]
        return pairs[:1] if count == 2 else pairs


@dataclass
class Observed:
    """Parsed outputs of one poll round: host -> command -> rows, or the reason they are missing."""

    rows: dict[str, dict[str, Rows]] = field(default_factory=dict)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, host: str, command: str, rows: Rows) -> None:
        self.rows.setdefault(host, {})[command] = rows

    def fail(self, host: str, command: str, reason: str) -> None:
        self.errors.setdefault(host, {})[command] = reason

    def get(self, host: str, command: str) -> Rows | None:
        return self.rows.get(host, {}).get(command)

    def problem(self, host: str, command: str) -> str:
        reason = self.errors.get(host, {}).get(command, "command was not run")
        return f"cannot read '{command}' on {host}: {reason}"


# --- commands -----------------------------------------------------------------------------


def dmvpn_cmd(plan: TenantPlan) -> str:
    return "show dmvpn"


def ikev2_cmd(plan: TenantPlan) -> str:
    return "show crypto ikev2 sa"


def hub_eigrp_cmd(plan: TenantPlan) -> str:
    return f"show ip eigrp vrf {plan.vrf} neighbors"


def spoke_eigrp_cmd(plan: TenantPlan) -> str:
    return "show ip eigrp neighbors"


def spoke_route_cmd(plan: TenantPlan) -> str:
    return "show ip route"  # a spoke's LAN and tunnel live in the global table


def hub_route_cmd(plan: TenantPlan) -> str:
    return f"show ip route vrf {plan.vrf}"


def interfaces_cmd(plan: TenantPlan) -> str:
    return "show ip interface brief"


def ping_cmd(target: str, source: str | None = None, vrf: str | None = None) -> str:
    vrf_part = f"vrf {vrf} " if vrf else ""
    source_part = f" source {source}" if source else ""
    return f"ping {vrf_part}{target}{source_part}"


def probe_cmd(target: str, source: str) -> str:
    """A short ping for a probe expected to fail: 2 echoes, 1 s each (IOS's default 5 x 2 s
    would hold a spoke 10 s per isolated target)."""
    return f"ping {target} source {source} repeat 2 timeout 1"
