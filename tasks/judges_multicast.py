"""Judges for tenants with `multicast: true` (rows of `tasks.checks.CHECKS`): PIM neighbours on
the hub's tenant tunnel, PIM on each spoke's tunnel and LAN, and RPF toward the hub after a
phase-3 shortcut. Tenants without multicast get no verdicts and no commands.

Pure, like `tasks.judges`: a failing detail names the end that lacks what, and the IOS line to
look for.
"""

from __future__ import annotations

from tasks.judges import _hub_registration_hint
from tasks.verify_plan import CheckResult, Observed, Rows, SpokePlan, TenantPlan

# --- commands -----------------------------------------------------------------------------


def hub_pim_neighbor_cmd(plan: TenantPlan) -> str:
    return f"show ip pim vrf {plan.vrf} neighbor"


def hub_pim_interface_cmd(plan: TenantPlan) -> str:
    return f"show ip pim vrf {plan.vrf} interface"


def spoke_pim_interface_cmd(plan: TenantPlan) -> str:
    return "show ip pim interface"  # a spoke's tunnel and LAN live in the global table


def rpf_cmd(address: str) -> str:
    return f"show ip rpf {address}"


def rpf_target(plan: TenantPlan, spoke: SpokePlan) -> SpokePlan | None:
    """The spoke whose LAN `spoke` pings in the data-plane test (its shortcut), if any."""
    return next((dst for src, dst in plan.ring() if src.name == spoke.name), None)


# --- helpers ------------------------------------------------------------------------------


def _same_interface(shown: str, tunnel: int) -> bool:
    return shown in (f"Tunnel{tunnel}", f"Tu{tunnel}")


def _pim_on(rows: Rows, interface: str) -> bool:
    return any(row["interface"] == interface for row in rows)


def _spoke_hint(plan: TenantPlan, seen: Observed, spoke: SpokePlan) -> str:
    """Why the hub does not see `spoke` as a PIM neighbour, from both ends' outputs."""
    hub_rows = seen.get(plan.hub, hub_pim_interface_cmd(plan))
    if hub_rows is not None and not _pim_on(hub_rows, plan.interface):
        return (
            f"{plan.hub} runs no PIM on {plan.interface} in {plan.vrf}: check "
            f"`ip multicast-routing vrf {plan.vrf} distributed` and `ip pim sparse-mode` on "
            f"{plan.interface}"
        )
    registration = _hub_registration_hint(plan, seen, spoke)
    if not registration.endswith(" as UP"):
        return registration
    spoke_rows = seen.get(spoke.name, spoke_pim_interface_cmd(plan))
    if spoke_rows is not None and not _pim_on(spoke_rows, plan.interface):
        return (
            f"{registration}, but {spoke.name} runs no PIM on {plan.interface}: check "
            f"`ip multicast-routing` and `ip pim sparse-mode` on {spoke.name}'s {plan.interface}"
        )
    return (
        f"{registration}: NHRP is up, check PIM on both ends and multicast mapping "
        "(`ip nhrp map multicast dynamic` on the hub, `ip nhrp nhs … multicast` on the spoke)"
    )


# --- judges -------------------------------------------------------------------------------


def judge_hub_pim_neighbors(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    """The hub sees every spoke as a PIM neighbour on the tenant's tunnel."""
    if not plan.multicast:
        return []
    command = hub_pim_neighbor_cmd(plan)
    rows = seen.get(plan.hub, command)
    results = []
    for spoke in plan.spokes:
        check = f"pim neighbor {spoke.name}"
        if rows is None:
            results.append(CheckResult(plan.hub, check, False, seen.problem(plan.hub, command)))
            continue
        peers = {row["neighbor"] for row in rows if _same_interface(row["interface"], plan.tunnel)}
        if spoke.tunnel_ip in peers:
            detail = f"{spoke.tunnel_ip} on {plan.interface} in {plan.vrf}"
            results.append(CheckResult(plan.hub, check, True, detail))
            continue
        detail = (
            f"{spoke.tunnel_ip} is not a PIM neighbor on {plan.interface} in {plan.vrf} "
            f"({_spoke_hint(plan, seen, spoke)})"
        )
        results.append(CheckResult(plan.hub, check, False, detail))
    return results


def judge_spoke_pim(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    """Each spoke runs PIM on its tunnel (toward the hub) and on its LAN (its receivers)."""
    if not plan.multicast:
        return []
    command = spoke_pim_interface_cmd(plan)
    results = []
    for spoke in plan.spokes:
        rows = seen.get(spoke.name, command)
        for interface, role in ((plan.interface, "tunnel"), (spoke.lan_interface, "lan")):
            check = f"pim {role}"
            if rows is None:
                problem = seen.problem(spoke.name, command)
                results.append(CheckResult(spoke.name, check, False, problem))
                continue
            ok = _pim_on(rows, interface)
            detail = (
                f"PIM on {interface}"
                if ok
                else f"no PIM on {interface}: check `ip multicast-routing` and "
                f"`ip pim sparse-mode` on {interface}"
            )
            results.append(CheckResult(spoke.name, check, ok, detail))
    return results


def judge_spoke_rpf(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    """RPF toward another spoke's LAN points at the hub, even after a phase-3 shortcut sent the
    unicast route through that spoke (which is no PIM neighbour)."""
    if not plan.multicast:
        return []
    results = []
    for spoke in plan.spokes:
        target = rpf_target(plan, spoke)
        if target is None:
            continue
        command = rpf_cmd(target.lan_ip)
        rows = seen.get(spoke.name, command)
        check = f"rpf {target.name} lan"
        if not rows:
            problem = seen.problem(spoke.name, command) if rows is None else "no RPF row"
            results.append(CheckResult(spoke.name, check, False, problem))
            continue
        row = rows[0]
        ok = row["neighbor"] == plan.hub_tunnel_ip and row["interface"] == plan.interface
        good = f"{target.lan_ip} via {plan.hub_tunnel_ip} on {plan.interface} ({row['type']})"
        fix = f"check `ip mroute 0.0.0.0 0.0.0.0 {plan.hub_tunnel_ip} 1` on {spoke.name}"
        if row["failed"]:
            bad = f"no RPF route to {target.lan_ip}: {fix}"
        else:
            bad = (
                f"RPF toward {target.lan_ip} is {row['neighbor'] or '?'} on {row['interface']} "
                f"({row['type']}), not the hub {plan.hub_tunnel_ip}: PIM joins would go to a "
                f"spoke that is no PIM neighbor; {fix}"
            )
        results.append(CheckResult(spoke.name, check, ok, good if ok else bad))
    return results
