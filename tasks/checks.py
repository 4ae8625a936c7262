"""Verification checks derived from a tenant's intent: the table of check definitions.

Each row names the commands a family of checks needs on a host (hub: `spoke=None`) and the
judge (`tasks.judges`) that turns everyone's parsed outputs into `CheckResult`s. Expectations
come from the plan (the intent), never from what the device happens to show. Pure: no SSH.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tasks.judges import (
    judge_hub_eigrp,
    judge_hub_ikev2,
    judge_hub_registrations,
    judge_hub_routes,
    judge_hub_unexpected_neighbors,
    judge_interfaces,
    judge_lan_to_hub,
    judge_spoke_eigrp,
    judge_spoke_ikev2,
    judge_spoke_to_spoke,
    judge_spokes_see_hub,
    judge_unexpected_peers,
)
from tasks.judges_dataplane import (
    internet_cmds,
    isolation_probe_cmds,
    judge_isolation_probes,
    judge_spoke_internet,
)
from tasks.judges_isolation import (
    judge_hub_foreign_routes,
    judge_isolation,
    judge_spoke_foreign_routes,
)
from tasks.judges_multicast import (
    hub_pim_interface_cmd,
    hub_pim_neighbor_cmd,
    judge_hub_pim_neighbors,
    judge_spoke_pim,
    judge_spoke_rpf,
    rpf_cmd,
    rpf_target,
    spoke_pim_interface_cmd,
)
from tasks.judges_nat import judge_hub_nat_leaks, nat_rules_cmds
from tasks.verify_plan import (
    CheckResult,
    Observed,
    SpokePlan,
    TenantPlan,
    dmvpn_cmd,
    hub_eigrp_cmd,
    hub_route_cmd,
    ikev2_cmd,
    interfaces_cmd,
    ping_cmd,
    spoke_eigrp_cmd,
    spoke_route_cmd,
)

__all__ = [
    "CHECKS",
    "CheckDef",
    "CheckResult",
    "Observed",
    "SpokePlan",
    "TenantPlan",
    "commands_for",
    "hosts",
    "judge",
    "selected",
]

# --- the table ----------------------------------------------------------------------------

Commands = Callable[[TenantPlan, SpokePlan | None], list[str]]
Judge = Callable[[TenantPlan, Observed], list[CheckResult]]


@dataclass(frozen=True)
class CheckDef:
    """A family of checks: the commands it needs per host (hub: spoke=None) and its judge."""

    name: str
    dataplane: bool
    commands: Commands
    judge: Judge


def _on_hub(*commands: Callable[[TenantPlan], str]) -> Commands:
    return lambda plan, spoke: [c(plan) for c in commands] if spoke is None else []


def _on_spokes(*commands: Callable[[TenantPlan], str]) -> Commands:
    return lambda plan, spoke: [c(plan) for c in commands] if spoke is not None else []


def _lan_to_hub_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    return [ping_cmd(plan.hub_tunnel_ip, spoke.lan_interface)] if spoke else []


def _spoke_to_spoke_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    pairs = [(src, dst) for src, dst in plan.ring() if spoke and src.name == spoke.name]
    return [
        c for src, dst in pairs for c in (ping_cmd(dst.lan_ip, src.lan_interface), "show dmvpn")
    ]


def _isolation_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    if spoke is not None or plan.isolation_target is None:
        return []
    return [ping_cmd(plan.isolation_target[1], vrf=plan.vrf)]


def _spoke_route_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    """A spoke's table is read only when another tenant shares the headend."""
    return [spoke_route_cmd(plan)] if spoke is not None and plan.foreign_prefixes else []


def _hub_pim_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    if not plan.multicast:
        return []
    if spoke is None:
        return [hub_pim_neighbor_cmd(plan), hub_pim_interface_cmd(plan), dmvpn_cmd(plan)]
    return [spoke_pim_interface_cmd(plan)]  # the spoke's side, for the hint


def _spoke_pim_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    return [spoke_pim_interface_cmd(plan)] if plan.multicast and spoke is not None else []


def _spoke_rpf_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    """RPF toward the LAN the spoke pings (its phase-3 shortcut, when the data plane runs)."""
    target = rpf_target(plan, spoke) if plan.multicast and spoke is not None else None
    return [rpf_cmd(target.lan_ip)] if target is not None else []


CHECKS: tuple[CheckDef, ...] = (
    CheckDef("interfaces", False, lambda p, s: [interfaces_cmd(p)], judge_interfaces),
    CheckDef("hub registrations", False, _on_hub(dmvpn_cmd, ikev2_cmd), judge_hub_registrations),
    CheckDef("spokes see hub", False, _on_spokes(dmvpn_cmd, ikev2_cmd), judge_spokes_see_hub),
    CheckDef("hub ikev2", False, _on_hub(dmvpn_cmd, ikev2_cmd), judge_hub_ikev2),
    CheckDef("spoke ikev2", False, _on_spokes(ikev2_cmd), judge_spoke_ikev2),
    CheckDef("hub eigrp", False, _on_hub(hub_eigrp_cmd, dmvpn_cmd), judge_hub_eigrp),
    CheckDef("spoke eigrp", False, _on_spokes(spoke_eigrp_cmd), judge_spoke_eigrp),
    CheckDef("hub routes", False, _on_hub(hub_route_cmd, hub_eigrp_cmd), judge_hub_routes),
    CheckDef("isolation routes", False, _on_hub(hub_route_cmd), judge_hub_foreign_routes),
    CheckDef("spoke isolation routes", False, _spoke_route_cmds, judge_spoke_foreign_routes),
    CheckDef("isolation nat", False, nat_rules_cmds, judge_hub_nat_leaks),
    CheckDef("unexpected peers", False, lambda p, s: [dmvpn_cmd(p)], judge_unexpected_peers),
    CheckDef("unexpected neighbors", False, _on_hub(hub_eigrp_cmd), judge_hub_unexpected_neighbors),
    CheckDef("lan to hub", True, _lan_to_hub_cmds, judge_lan_to_hub),
    CheckDef("spoke to spoke", True, _spoke_to_spoke_cmds, judge_spoke_to_spoke),
    CheckDef("isolation", True, _isolation_cmds, judge_isolation),
    # multicast tenants only (each judge returns nothing for the others)
    CheckDef("hub pim neighbors", False, _hub_pim_cmds, judge_hub_pim_neighbors),
    CheckDef("spoke pim", False, _spoke_pim_cmds, judge_spoke_pim),
    CheckDef("spoke rpf", False, _spoke_rpf_cmds, judge_spoke_rpf),
    CheckDef("lan isolation", True, isolation_probe_cmds, judge_isolation_probes),
    CheckDef("spoke internet", True, internet_cmds, judge_spoke_internet),
)


def selected(dataplane: bool) -> list[CheckDef]:
    return [check for check in CHECKS if dataplane or not check.dataplane]


def hosts(plan: TenantPlan) -> list[str]:
    return [plan.hub, *(spoke.name for spoke in plan.spokes)]


def commands_for(plan: TenantPlan, host: str, dataplane: bool = True) -> list[str]:
    """Commands to run on `host` in one poll round: pings first (they trigger phase-3 shortcuts),
    then each `show` once."""
    spoke = None if host == plan.hub else plan.spoke(host)
    wanted: list[str] = []
    for check in selected(dataplane):
        wanted += [c for c in check.commands(plan, spoke) if c not in wanted]
    return sorted(wanted, key=lambda c: not c.startswith("ping "))


def judge(plan: TenantPlan, seen: Observed, dataplane: bool = True) -> list[CheckResult]:
    """Every check of the tenant, in table order."""
    return [result for check in selected(dataplane) for result in check.judge(plan, seen)]
