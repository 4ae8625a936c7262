"""Judge of the headend's NAT rules for isolation: NAT between tenant VRFs is a leak.

`ip nat inside source list <acl> interface <if> [vrf <VRF>] overload` translates the inside
table's traffic (`vrf`, else the global table) to the address of `<if>` and returns the replies
into that table (Cisco, "Configuring NAT for IP Address Conservation"). On a shared headend a
rule whose inside table is one tenant's VRF and whose interface is another tenant's tunnel lets
the first tenant reach the second with replies coming back: a two-way leak. The rule is judged
from both ends: in the tenant whose traffic leaves, and in the tenant it enters. Pure.
"""

from __future__ import annotations

from tasks.verify_plan import CheckResult, Observed, SpokePlan, TenantPlan

NAT_RULES_CMD = "show running-config | include ^ip nat inside source"


def nat_rules_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    """Read on the hub, and only when another tenant shares it."""
    return [NAT_RULES_CMD] if spoke is None and plan.foreign_interfaces else []


def _leak(plan: TenantPlan, row: dict[str, str]) -> str | None:
    out_if, inside = row["interface"], row["vrf"] or "the global table"
    foreign = {name.lower() for name in plan.foreign_interfaces}
    if row["vrf"] == plan.vrf and out_if.lower() in foreign:
        return f"{plan.vrf} is translated into {out_if} (list {row['acl']})"
    if out_if.lower() == plan.interface.lower() and row["vrf"] != plan.vrf:
        return f"{inside} is translated into {out_if} (list {row['acl']})"
    return None


def judge_hub_nat_leaks(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    if not plan.foreign_interfaces:
        return []
    check = "isolation nat"
    rows = seen.get(plan.hub, NAT_RULES_CMD)
    if rows is None:
        return [CheckResult(plan.hub, check, False, seen.problem(plan.hub, NAT_RULES_CMD))]
    leaks = [leak for row in rows if (leak := _leak(plan, row)) is not None]
    if not leaks:
        return [CheckResult(plan.hub, check, True, f"no NAT rule crosses {plan.vrf}'s boundary")]
    detail = (
        f"{'; '.join(leaks)}: NAT between tenant VRFs lets one tenant reach the other and get "
        f"replies; remove the rule on {plan.hub} (no ip nat inside source list ...)"
    )
    return [CheckResult(plan.hub, check, False, detail)]
