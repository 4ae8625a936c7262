"""Judges of the spokes' data-plane probes beyond the overlay: the local internet exit, and
isolation probes from each spoke's LAN towards other tenants (any reply is a leak).

Pure, like `tasks.judges`: parsed ping rows in, verdicts with an actionable detail out.
"""

from __future__ import annotations

from itertools import groupby

from tasks.verify_plan import (
    CheckResult,
    IsolationProbe,
    Observed,
    Rows,
    SpokePlan,
    TenantPlan,
    ping_cmd,
    probe_cmd,
)


def _rate(rows: Rows) -> int:
    return int(rows[0]["success_pct"] or 0) if rows else 0


def internet_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    if spoke is None or spoke.internet_probe is None:
        return []
    return [ping_cmd(spoke.internet_probe, spoke.lan_interface)]


def judge_spoke_internet(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    """Each spoke's LAN reaches the internet probe through its local exit (NAT overload out of
    the WAN, global default route into VRF-FRONT)."""
    results = []
    for spoke in plan.spokes:
        if spoke.internet_probe is None:
            continue
        command = ping_cmd(spoke.internet_probe, spoke.lan_interface)
        check = "internet from lan"
        rows = seen.get(spoke.name, command)
        if rows is None:
            results.append(CheckResult(spoke.name, check, False, seen.problem(spoke.name, command)))
            continue
        rate = _rate(rows)
        said = f"{rate}% from {spoke.lan_ip} to {spoke.internet_probe}"
        hint = (
            f"check the global default route out of {spoke.wan_interface} (show ip route "
            f"0.0.0.0), the NAT rule (ip nat inside source list ACL-NAT-LAN interface "
            f"{spoke.wan_interface} overload) and the WAN's lease"
        )
        ok = rate >= 80  # 4 of 5: the first echo may be lost to ARP
        results.append(CheckResult(spoke.name, check, ok, said if ok else f"{said} ({hint})"))
    return results


def isolation_probe_cmds(plan: TenantPlan, spoke: SpokePlan | None) -> list[str]:
    if spoke is None:
        return []
    return [
        probe_cmd(p.address, spoke.lan_interface)
        for p in plan.isolation_probes
        if p.source == spoke.name
    ]


def _probe_verdict(plan: TenantPlan, seen: Observed, probe: IsolationProbe) -> str | None:
    """None when the probe got no reply; else what went wrong (a reply, or no reading)."""
    spoke = plan.spoke(probe.source)
    command = probe_cmd(probe.address, spoke.lan_interface)
    rows = seen.get(probe.source, command)
    if rows is None:
        return seen.problem(probe.source, command)
    rate = _rate(rows)
    if rate == 0:
        return None
    return f"{probe.target} {probe.address} answered {spoke.lan_ip} ({rate}%)"


def judge_isolation_probes(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    """One verdict per spoke and other tenant: none of the probed addresses may answer."""
    results = []
    keyed = sorted(plan.isolation_probes, key=lambda p: (p.source, p.tenant))
    for (source, tenant), group in groupby(keyed, key=lambda p: (p.source, p.tenant)):
        probes = list(group)
        problems = [v for p in probes if (v := _probe_verdict(plan, seen, p)) is not None]
        check = f"lan isolation from {tenant}"
        targets = ", ".join(f"{p.target} {p.address}" for p in probes)
        if not problems:
            detail = f"no reply from {tenant}: {targets}"
        else:
            detail = (
                f"{'; '.join(problems)}: tenant {plan.name} reaches tenant {tenant}; look for a "
                f"cross-VRF route or NAT between VRFs on {plan.hub} (show ip route vrf "
                f"{plan.vrf}, show running-config | include ip nat)"
            )
        results.append(CheckResult(source, check, not problems, detail))
    return results
