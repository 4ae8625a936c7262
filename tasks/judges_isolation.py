"""Judges of tenant isolation on the hub and the spokes: the tenant's hub VRF cannot reach
another tenant's hub tunnel (a ping), and neither the hub VRF nor a spoke's table holds another
tenant's routes (a leak shows in the table even when the data plane cannot prove it).

Pure, like `tasks.judges`: parsed outputs in, verdicts with an actionable detail out.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network

from tasks.judges import _ping_rate, _result
from tasks.verify_plan import (
    CheckResult,
    Observed,
    TenantPlan,
    hub_route_cmd,
    ping_cmd,
    spoke_route_cmd,
)


def judge_isolation(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    if plan.isolation_target is None:
        return []
    other, address = plan.isolation_target
    command = ping_cmd(address, vrf=plan.vrf)
    check = f"isolation from {other}"
    rows = seen.get(plan.hub, command)
    if rows is None:
        return [CheckResult(plan.hub, check, False, seen.problem(plan.hub, command))]
    rate = _ping_rate(rows)
    good = f"{plan.vrf} cannot reach {other}'s hub tunnel {address} (0%)"
    bad = f"{plan.vrf} reaches {other}'s hub tunnel {address} ({rate}%): tenants are not isolated"
    return [_result(plan.hub, check, rate == 0, good, bad)]


def _foreign_routes(
    rows: list[dict[str, str]],
    interfaces: Iterable[str],
    prefixes: Iterable[str],
    internet_exit: str | None = None,
) -> list[str]:
    """Routes that leave through a foreign interface or cover a foreign prefix (a spoke's
    default route out of its own WAN, `internet_exit`, is its local internet exit)."""
    foreign_ifs = {name.lower() for name in interfaces}
    foreign_nets = [IPv4Network(p) for p in prefixes]
    leaks = []
    for row in rows:
        prefix = IPv4Network(f"{row['network']}/{row['prefix_length'] or 32}", strict=False)
        exit_if = (row.get("nexthop_if") or "").lower()
        if prefix.prefixlen == 0 and internet_exit and exit_if == internet_exit.lower():
            continue
        if exit_if in foreign_ifs or any(prefix.overlaps(n) for n in foreign_nets):
            leaks.append(f"{prefix} via {row.get('nexthop_ip') or row.get('nexthop_if')}")
    return sorted(leaks)


def _isolation_routes(
    host: str,
    table: str,
    command: str,
    seen: Observed,
    interfaces: Iterable[str],
    plan: TenantPlan,
    internet_exit: str | None = None,
) -> CheckResult:
    check = "isolation routes" + (f" in {plan.vrf}" if host == plan.hub else "")
    rows = seen.get(host, command)
    if rows is None:
        return CheckResult(host, check, False, seen.problem(host, command))
    leaks = _foreign_routes(rows, interfaces, plan.foreign_prefixes, internet_exit)
    good = f"{table} holds no other tenant's prefix or tunnel"
    bad = (
        f"{table} holds another tenant's routes: {', '.join(leaks)}: look for a cross-VRF "
        f"static route (ip route vrf ...), redistribution or route leaking on {plan.hub}"
    )
    return _result(host, check, not leaks, good, bad)


def judge_hub_foreign_routes(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    """The tenant's VRF on the hub holds no route out of another tenant's tunnel and no route
    into another tenant's prefixes: a leak (a cross-VRF static route, one way is enough) shows
    here even when the data plane cannot prove it."""
    if not plan.foreign_interfaces and not plan.foreign_prefixes:
        return []
    command = hub_route_cmd(plan)
    return [_isolation_routes(plan.hub, plan.vrf, command, seen, plan.foreign_interfaces, plan)]


def judge_spoke_foreign_routes(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    """Each spoke's table holds none of another tenant's prefixes (a leak on the hub that
    reached the spokes, through redistribution or a summary that covers them)."""
    if not plan.foreign_prefixes:
        return []
    command = spoke_route_cmd(plan)
    return [
        _isolation_routes(
            spoke.name, "the global table", command, seen, (), plan, spoke.wan_interface
        )
        for spoke in plan.spokes
    ]
