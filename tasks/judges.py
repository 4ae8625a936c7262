"""The judges behind the check table (`tasks.checks`): each turns one poll round's parsed
outputs into verdicts for one family of checks, with a failing detail that says where to look.

Pure. Hints cross-reference the other end (a spoke's missing registration names the spoke's
WAN state or IKEv2 SA; a spoke's missing SA names what the hub lists), so a detail is actionable.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network
from typing import Any

from tasks.verify_plan import (
    CheckResult,
    Observed,
    Rows,
    SpokePlan,
    TenantPlan,
    dmvpn_cmd,
    hub_eigrp_cmd,
    hub_route_cmd,
    ikev2_cmd,
    interfaces_cmd,
    ping_cmd,
    spoke_eigrp_cmd,
)

# --- helpers over parsed rows -------------------------------------------------------------


def _same_interface(shown: str, tunnel: int) -> bool:
    """`Tu42` (EIGRP) and `Tunnel42` (DMVPN) both name Tunnel42."""
    return shown in (f"Tunnel{tunnel}", f"Tu{tunnel}")


def _dmvpn_entries(rows: Rows, tunnel: int) -> Rows:
    return [row for row in rows if _same_interface(row["interface"], tunnel)]


def _entry(rows: Rows, tunnel: int, peer_tunnel: str) -> dict[str, Any] | None:
    return next(
        (row for row in _dmvpn_entries(rows, tunnel) if row["peer_tunnel"] == peer_tunnel), None
    )


def _sa_to(rows: Rows, remote_ip: str) -> dict[str, Any] | None:
    """The best SA toward `remote_ip`: a READY one if any."""
    matches = [row for row in rows if row["remote_ip"] == remote_ip]
    return next(
        (row for row in matches if row["status"] == "READY"), matches[0] if matches else None
    )


def _ping_rate(rows: Rows) -> int:
    return int(rows[0]["success_pct"] or 0) if rows else 0


def _ping_ok(rows: Rows) -> bool:
    # 4 of 5: the first echo may be lost to ARP/NHRP resolution
    return _ping_rate(rows) >= 80


def _result(host: str, check: str, ok: bool, good: str, bad: str) -> CheckResult:
    return CheckResult(host, check, ok, good if ok else bad)


def _interface_problem(seen: Observed, host: str, interface: str) -> str | None:
    """Why `interface` cannot carry traffic (down, or no address), or None when it can."""
    rows = seen.get(host, "show ip interface brief")
    row = next((r for r in rows or [] if r["interface"] == interface), None)
    if rows is None or row is None:
        return None if rows is None else f"{interface} does not exist"
    if row["status"] != "up" or row["proto"] != "up":
        return f"{interface} is {row['status']}/{row['proto']}"
    if row["ip_address"] == "unassigned":
        return f"{interface} has no address (no DHCP lease?)"
    return None


def _spoke_sa_hint(plan: TenantPlan, seen: Observed, spoke: SpokePlan) -> str:
    wan = _interface_problem(seen, spoke.name, spoke.wan_interface)
    if wan:
        return f"{spoke.name}'s WAN {wan}"
    rows = seen.get(spoke.name, ikev2_cmd(plan))
    if rows is None:
        return f"{spoke.name}'s IKEv2 SAs unreadable"
    sa = _sa_to(rows, plan.hub_wan_ip)
    state = sa["status"] if sa else "none"
    return f"{spoke.name}'s IKEv2 SA to {plan.hub_wan_ip}: {state}"


def _why_not_registered(plan: TenantPlan, seen: Observed, spoke: SpokePlan) -> str:
    """The spoke side of a missing registration, with where to look next."""
    hint = _spoke_sa_hint(plan, seen, spoke)
    if hint.endswith(": READY"):
        return f"{hint}: IKEv2 is up, check the tunnel key and NHRP network-id/authentication"
    if hint.endswith(": none"):
        return f"{hint}: check the pre-shared keys and IKEv2 identities"
    return hint


def _hub_registration_hint(plan: TenantPlan, seen: Observed, spoke: SpokePlan) -> str:
    rows = seen.get(plan.hub, dmvpn_cmd(plan))
    if rows is None:
        return f"{plan.hub}'s show dmvpn unreadable"
    entry = _entry(rows, plan.tunnel, spoke.tunnel_ip)
    if entry is None:
        return f"{plan.hub} lists no registration for {spoke.tunnel_ip} on {plan.interface}"
    return f"{plan.hub} lists {spoke.tunnel_ip} on {plan.interface} as {entry['state']}"


def _pair_hint(plan: TenantPlan, seen: Observed, source: SpokePlan, target: SpokePlan) -> str:
    """The first end of a spoke pair that is not registered, else the target's state."""
    for spoke in (source, target):
        hint = _hub_registration_hint(plan, seen, spoke)
        if not hint.endswith(" as UP"):
            return hint
    return _hub_registration_hint(plan, seen, target)


def _eigrp_hint(plan: TenantPlan, seen: Observed, spoke: SpokePlan) -> str:
    hint = _hub_registration_hint(plan, seen, spoke)
    if hint.endswith(" as UP"):
        return f"{hint}: NHRP is up, check EIGRP on both ends (passive-interface, AS, timers)"
    return hint


# --- judges: (plan, observed) -> results --------------------------------------------------


def judge_interfaces(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    """The intent's WAN (every host) and LAN (spokes) interfaces are up with an address."""
    wanted = [(plan.hub, "wan up", plan.hub_wan_interface)]
    for spoke in plan.spokes:
        wanted += [(spoke.name, "wan up", spoke.wan_interface)]
        wanted += [(spoke.name, "lan up", spoke.lan_interface)]
    results = []
    for host, check, interface in wanted:
        command = interfaces_cmd(plan)
        rows = seen.get(host, command)
        if rows is None:
            results.append(CheckResult(host, check, False, seen.problem(host, command)))
            continue
        problem = _interface_problem(seen, host, interface)
        row = next((r for r in rows if r["interface"] == interface), None)
        good = f"{interface} up/up, {row['ip_address']}" if row else ""
        bad = f"{problem}: fix it on {host} (no shutdown, cabling, DHCP)"
        results.append(_result(host, check, problem is None, good, bad))
    return results


def judge_hub_registrations(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    rows = seen.get(plan.hub, dmvpn_cmd(plan))
    results = []
    for spoke in plan.spokes:
        check = f"nhrp registered {spoke.name}"
        if rows is None:
            results.append(
                CheckResult(plan.hub, check, False, seen.problem(plan.hub, "show dmvpn"))
            )
            continue
        entry = _entry(rows, plan.tunnel, spoke.tunnel_ip)
        if entry is None:
            bad = (
                f"no registration for {spoke.name} ({spoke.tunnel_ip}) on {plan.interface}"
                f" ({_why_not_registered(plan, seen, spoke)})"
            )
            results.append(CheckResult(plan.hub, check, False, bad))
        else:
            good = f"{spoke.tunnel_ip} UP on {plan.interface} via NBMA {entry['peer_nbma']}"
            bad = (
                f"{spoke.tunnel_ip} on {plan.interface} is {entry['state']}, not UP"
                f" ({_spoke_sa_hint(plan, seen, spoke)})"
            )
            results.append(_result(plan.hub, check, entry["state"] == "UP", good, bad))
    return results


def judge_spokes_see_hub(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    results = []
    for spoke in plan.spokes:
        check = f"nhrp hub {plan.hub} up"
        rows = seen.get(spoke.name, dmvpn_cmd(plan))
        if rows is None:
            results.append(
                CheckResult(spoke.name, check, False, seen.problem(spoke.name, "show dmvpn"))
            )
            continue
        entry = _entry(rows, plan.tunnel, plan.hub_tunnel_ip)
        state = entry["state"] if entry else "absent"
        good = f"hub {plan.hub_tunnel_ip} (NBMA {plan.hub_wan_ip}) UP on {plan.interface}"
        bad = (
            f"hub {plan.hub_tunnel_ip} on {plan.interface} is {state}"
            f" ({_spoke_sa_hint(plan, seen, spoke)})"
        )
        results.append(_result(spoke.name, check, state == "UP", good, bad))
    return results


def judge_hub_ikev2(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    dmvpn, sas = seen.get(plan.hub, dmvpn_cmd(plan)), seen.get(plan.hub, ikev2_cmd(plan))
    results = []
    for spoke in plan.spokes:
        check = f"ikev2 sa {spoke.name}"
        if dmvpn is None or sas is None:
            missing = "show dmvpn" if dmvpn is None else ikev2_cmd(plan)
            results.append(CheckResult(plan.hub, check, False, seen.problem(plan.hub, missing)))
            continue
        entry = _entry(dmvpn, plan.tunnel, spoke.tunnel_ip)
        if entry is None:
            bad = (
                f"no IKEv2 SA to match: no registration for {spoke.tunnel_ip} on {plan.interface}"
                f" ({_spoke_sa_hint(plan, seen, spoke)})"
            )
            results.append(CheckResult(plan.hub, check, False, bad))
            continue
        sa = _sa_to(sas, entry["peer_nbma"])
        ready = sa is not None and sa["status"] == "READY"
        good = f"READY with {entry['peer_nbma']} (NATed NBMA of {spoke.tunnel_ip})"
        state = sa["status"] if sa else "no SA"
        bad = f"{state} with {entry['peer_nbma']} (NATed NBMA of {spoke.tunnel_ip})"
        results.append(_result(plan.hub, check, ready, good, bad))
    return results


def judge_spoke_ikev2(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    results = []
    for spoke in plan.spokes:
        check = f"ikev2 sa {plan.hub}"
        rows = seen.get(spoke.name, ikev2_cmd(plan))
        if rows is None:
            results.append(
                CheckResult(spoke.name, check, False, seen.problem(spoke.name, ikev2_cmd(plan)))
            )
            continue
        sa = _sa_to(rows, plan.hub_wan_ip)
        ready = sa is not None and sa["status"] == "READY"
        good = f"READY with {plan.hub_wan_ip}"
        head = f"{sa['status']} with" if sa else "no IKEv2 SA to"
        bad = f"{head} {plan.hub_wan_ip} ({_hub_registration_hint(plan, seen, spoke)})"
        results.append(_result(spoke.name, check, ready, good, bad))
    return results


def _eigrp_peers(rows: Rows, tunnel: int) -> set[str]:
    return {row["ip_address"] for row in rows if _same_interface(row["interface"], tunnel)}


def judge_hub_eigrp(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    command = hub_eigrp_cmd(plan)
    rows = seen.get(plan.hub, command)
    results = []
    for spoke in plan.spokes:
        check = f"eigrp neighbor {spoke.name}"
        if rows is None:
            results.append(CheckResult(plan.hub, check, False, seen.problem(plan.hub, command)))
            continue
        ok = spoke.tunnel_ip in _eigrp_peers(rows, plan.tunnel)
        good = f"{spoke.tunnel_ip} on {plan.interface} in {plan.vrf}"
        bad = (
            f"{spoke.tunnel_ip} is not an EIGRP neighbor on {plan.interface} in {plan.vrf}"
            f" ({_eigrp_hint(plan, seen, spoke)})"
        )
        results.append(_result(plan.hub, check, ok, good, bad))
    return results


def judge_spoke_eigrp(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    command = spoke_eigrp_cmd(plan)
    results = []
    for spoke in plan.spokes:
        check = f"eigrp neighbor {plan.hub}"
        rows = seen.get(spoke.name, command)
        if rows is None:
            results.append(CheckResult(spoke.name, check, False, seen.problem(spoke.name, command)))
            continue
        ok = plan.hub_tunnel_ip in _eigrp_peers(rows, plan.tunnel)
        good = f"{plan.hub_tunnel_ip} on {plan.interface}"
        bad = (
            f"hub {plan.hub_tunnel_ip} is not an EIGRP neighbor on {plan.interface}"
            f" ({_eigrp_hint(plan, seen, spoke)})"
        )
        results.append(_result(spoke.name, check, ok, good, bad))
    return results


def judge_hub_routes(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    command = hub_route_cmd(plan)
    rows = seen.get(plan.hub, command)
    results = []
    for spoke in plan.spokes:
        check = f"route {spoke.name} lan"
        if rows is None:
            results.append(CheckResult(plan.hub, check, False, seen.problem(plan.hub, command)))
            continue
        prefix = IPv4Network(spoke.lan_prefix)
        route = next(
            (
                row
                for row in rows
                if row["network"] == str(prefix.network_address)
                and row["prefix_length"] == str(prefix.prefixlen)
            ),
            None,
        )
        good = f"{prefix} via {route['nexthop_ip'] or route['nexthop_if']}" if route else ""
        bad = (
            f"{prefix} ({spoke.name} LAN) missing from {plan.vrf}"
            f" (EIGRP neighbor {spoke.tunnel_ip}: "
            f"{'up' if _hub_has_neighbor(plan, seen, spoke) else 'down'})"
        )
        results.append(_result(plan.hub, check, route is not None, good, bad))
    return results


def _hub_has_neighbor(plan: TenantPlan, seen: Observed, spoke: SpokePlan) -> bool:
    rows = seen.get(plan.hub, hub_eigrp_cmd(plan)) or []
    return spoke.tunnel_ip in _eigrp_peers(rows, plan.tunnel)


def _unexpected(host: str, check: str, strangers: Iterable[str], what: str) -> CheckResult:
    found = sorted(strangers)
    if not found:
        return CheckResult(host, check, True, f"every {what} is in the intent")
    return CheckResult(host, check, False, f"{what} not in the intent: {', '.join(found)}")


def judge_unexpected_peers(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    known = plan.host_by_tunnel_ip()
    results = []
    for host in [plan.hub, *(spoke.name for spoke in plan.spokes)]:
        check = "nhrp no unexpected peers"
        rows = seen.get(host, dmvpn_cmd(plan))
        if rows is None:
            results.append(CheckResult(host, check, False, seen.problem(host, "show dmvpn")))
            continue
        strangers = {
            f"{row['peer_tunnel']} (NBMA {row['peer_nbma']})"
            for row in _dmvpn_entries(rows, plan.tunnel)
            if row["peer_tunnel"] not in known
        }
        results.append(_unexpected(host, check, strangers, f"peer on {plan.interface}"))
    return results


def judge_hub_unexpected_neighbors(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    command, check = hub_eigrp_cmd(plan), "eigrp no unexpected neighbors"
    rows = seen.get(plan.hub, command)
    if rows is None:
        return [CheckResult(plan.hub, check, False, seen.problem(plan.hub, command))]
    known = plan.host_by_tunnel_ip()
    strangers = {row["ip_address"] for row in rows if row["ip_address"] not in known}
    return [_unexpected(plan.hub, check, strangers, f"EIGRP neighbor in {plan.vrf}")]


def judge_lan_to_hub(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    results = []
    for spoke in plan.spokes:
        command = ping_cmd(plan.hub_tunnel_ip, spoke.lan_interface)
        check = f"ping {plan.hub} tunnel from lan"
        rows = seen.get(spoke.name, command)
        if rows is None:
            results.append(CheckResult(spoke.name, check, False, seen.problem(spoke.name, command)))
            continue
        rate = f"{_ping_rate(rows)}% from {spoke.lan_ip} to {plan.hub_tunnel_ip}"
        bad = f"{rate} ({_spoke_sa_hint(plan, seen, spoke)})"
        results.append(_result(spoke.name, check, _ping_ok(rows), rate, bad))
    return results


def judge_spoke_to_spoke(plan: TenantPlan, seen: Observed) -> list[CheckResult]:
    results = []
    for source, target in plan.ring():
        command = ping_cmd(target.lan_ip, source.lan_interface)
        check = f"ping {target.name} lan"
        rows = seen.get(source.name, command)
        if rows is None:
            results.append(
                CheckResult(source.name, check, False, seen.problem(source.name, command))
            )
        else:
            rate = f"{_ping_rate(rows)}% from {source.lan_ip} to {target.lan_ip}"
            bad = f"{rate} ({_pair_hint(plan, seen, source, target)})"
            results.append(_result(source.name, check, _ping_ok(rows), rate, bad))
        results.append(_shortcut(plan, seen, source, target))
    return results


def _shortcut(
    plan: TenantPlan, seen: Observed, source: SpokePlan, target: SpokePlan
) -> CheckResult:
    check = f"phase3 shortcut {target.name}"
    rows = seen.get(source.name, dmvpn_cmd(plan))
    if rows is None:
        return CheckResult(source.name, check, False, seen.problem(source.name, "show dmvpn"))
    entries = [
        row
        for row in _dmvpn_entries(rows, plan.tunnel)
        if row["peer_tunnel"] == target.tunnel_ip and "D" in row["attribute"]
    ]
    up = [row for row in entries if row["state"] == "UP"]
    if up:
        return CheckResult(
            source.name,
            check,
            True,
            f"dynamic entry {target.tunnel_ip} via NBMA {up[0]['peer_nbma']}"
            f" UP ({up[0]['attribute']})",
        )
    seen_as = f"is {entries[0]['state']}" if entries else "is absent"
    pinged = seen.get(source.name, ping_cmd(target.lan_ip, source.lan_interface))
    why = (
        "check 'ip nhrp redirect' on the hub and 'ip nhrp shortcut' on the spokes"
        if pinged and _ping_ok(pinged)
        else "the LAN ping that triggers it did not get through"
    )
    return CheckResult(
        source.name,
        check,
        False,
        f"dynamic entry for {target.tunnel_ip} on {plan.interface} {seen_as} ({why})",
    )
