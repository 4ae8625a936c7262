"""The verification checks as pure functions on parsed fixture outputs: pass, and each failure."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tasks.checks import (
    CheckResult,
    Observed,
    SpokePlan,
    TenantPlan,
    commands_for,
    hosts,
    judge,
)
from tasks.judges_isolation import judge_hub_foreign_routes, judge_spoke_foreign_routes
from tasks.parse import ParseError, parse

HEALTHY = Path(__file__).parent / "fixtures" / "verify" / "event42_healthy"
LAN, WAN = "GigabitEthernet0/0/1", "GigabitEthernet0/0/0"
PLAN = TenantPlan(
    name="event42",
    hub="hub1",
    hub_tunnel_ip="172.16.42.1",
    hub_wan_ip="192.0.2.10",
    hub_wan_interface="GigabitEthernet0/0/0",
    tunnel=42,
    vrf="VRF-EVENT42",
    spokes=tuple(
        SpokePlan(f"e42-spoke{n}", f"172.16.42.1{n}", LAN, f"10.42.{n}.1", f"10.42.{n}.0/24", WAN)
        for n in (1, 2, 3)
    ),
    isolation_target=("event43", "172.16.43.1"),
)


def _file(host: str, command: str) -> Path:
    return HEALTHY / host / (command.replace(" ", "_").replace("/", "-") + ".txt")


def observe(edits: dict[tuple[str, str], tuple[str, str]] | None = None, dataplane: bool = True):
    """Parse the healthy round, with `(host, command) -> (old, new)` text replacements applied."""
    seen = Observed()
    for host in hosts(PLAN):
        for command in commands_for(PLAN, host, dataplane):
            text = _file(host, command).read_text()
            if edits and (host, command) in edits:
                old, new = edits[(host, command)]
                assert old in text, f"fixture edit does not apply: {old!r}"
                text = text.replace(old, new)
            try:
                seen.add(host, command, parse(command, text))
            except ParseError as err:
                seen.fail(host, command, err.reason)
    return seen


def failures(results: list[CheckResult]) -> dict[tuple[str, str], str]:
    return {(r.host, r.check): r.detail for r in results if not r.passed}


def test_healthy_round_passes_every_check() -> None:
    results = judge(PLAN, observe())
    assert failures(results) == {}
    names = {(r.host, r.check) for r in results}
    assert len(results) == len(names) == 43
    assert ("hub1", "ikev2 sa e42-spoke3") in names
    assert ("e42-spoke3", "phase3 shortcut e42-spoke1") in names
    assert ("hub1", "isolation from event43") in names


def test_each_host_runs_each_command_once_pings_first() -> None:
    for host in hosts(PLAN):
        commands = commands_for(PLAN, host)
        assert len(commands) == len(set(commands))
        assert all(_file(host, c).exists() for c in commands)
        pings = [c.startswith("ping ") for c in commands]
        assert pings == sorted(pings, reverse=True)
    assert commands_for(PLAN, "hub1") == [
        "ping vrf VRF-EVENT42 172.16.43.1",
        "show ip interface brief",
        "show dmvpn",
        "show crypto ikev2 sa",
        "show ip eigrp vrf VRF-EVENT42 neighbors",
        "show ip route vrf VRF-EVENT42",
    ]


def test_no_dataplane_drops_pings_and_shortcuts() -> None:
    results = judge(PLAN, observe(dataplane=False), dataplane=False)
    assert not any(c.startswith("ping") for h in hosts(PLAN) for c in commands_for(PLAN, h, False))
    checks = {r.check for r in results}
    assert not any(c.startswith(("ping", "phase3", "isolation")) for c in checks)
    assert len(results) == 33 and all(r.passed for r in results)


def test_spoke_not_registered_names_both_ends() -> None:
    entry = "     1 203.0.113.12       172.16.42.12    UP 00:10:12    DN\n"
    sa_line = "1         10.0.2.2/4500         192.0.2.10/4500"
    seen = observe(
        {
            ("hub1", "show dmvpn"): (entry, ""),
            ("e42-spoke2", "show crypto ikev2 sa"): (
                sa_line,
                sa_line.replace("192.0.2.10", "192.0.2.99"),
            ),
        }
    )
    failed = failures(judge(PLAN, seen))
    assert failed[("e42-spoke2", "ikev2 sa hub1")] == (
        "no IKEv2 SA to 192.0.2.10 (hub1 lists no registration for 172.16.42.12 on Tunnel42)"
    )
    assert failed[("hub1", "nhrp registered e42-spoke2")] == (
        "no registration for e42-spoke2 (172.16.42.12) on Tunnel42"
        " (e42-spoke2's IKEv2 SA to 192.0.2.10: none:"
        " check the pre-shared keys and IKEv2 identities)"
    )
    assert "no registration for 172.16.42.12" in failed[("hub1", "ikev2 sa e42-spoke2")]
    assert set(failed) == {
        ("hub1", "nhrp registered e42-spoke2"),
        ("hub1", "ikev2 sa e42-spoke2"),
        ("e42-spoke2", "ikev2 sa hub1"),
    }


def test_registration_not_up_and_sa_negotiating() -> None:
    seen = observe(
        {
            ("hub1", "show dmvpn"): ("172.16.42.13    UP 00:10:13", "172.16.42.13   IKE    never"),
            ("hub1", "show crypto ikev2 sa"): (
                "203.0.113.13/4500     VRF-FRONT/VRF-EVENT42 READY ",
                "203.0.113.13/4500     VRF-FRONT/VRF-EVENT42 IN-NEG",
            ),
        }
    )
    failed = failures(judge(PLAN, seen))
    assert failed[("hub1", "nhrp registered e42-spoke3")] == (
        "172.16.42.13 on Tunnel42 is IKE, not UP (e42-spoke3's IKEv2 SA to 192.0.2.10: READY)"
    )
    assert failed[("hub1", "ikev2 sa e42-spoke3")] == (
        "IN-NEG with 203.0.113.13 (NATed NBMA of 172.16.42.13)"
    )


def test_eigrp_neighbor_missing_on_hub_and_route_missing() -> None:
    neighbor = next(
        line + "\n"
        for line in _file("hub1", "show ip eigrp vrf VRF-EVENT42 neighbors")
        .read_text()
        .splitlines()
        if "172.16.42.13" in line
    )
    route = "D        10.42.3.0 [90/76805120] via 172.16.42.13, 00:10:12, Tunnel42\n"
    seen = observe(
        {
            ("hub1", "show ip eigrp vrf VRF-EVENT42 neighbors"): (neighbor, ""),
            ("hub1", "show ip route vrf VRF-EVENT42"): (route, ""),
        }
    )
    assert failures(judge(PLAN, seen)) == {
        ("hub1", "eigrp neighbor e42-spoke3"): (
            "172.16.42.13 is not an EIGRP neighbor on Tunnel42 in VRF-EVENT42"
            " (hub1 lists 172.16.42.13 on Tunnel42 as UP: NHRP is up,"
            " check EIGRP on both ends (passive-interface, AS, timers))"
        ),
        ("hub1", "route e42-spoke3 lan"): (
            "10.42.3.0/24 (e42-spoke3 LAN) missing from VRF-EVENT42"
            " (EIGRP neighbor 172.16.42.13: down)"
        ),
    }


def test_spoke_without_hub_neighbor() -> None:
    line = next(
        line
        for line in _file("e42-spoke1", "show ip eigrp neighbors").read_text().splitlines()
        if "172.16.42.1 " in line
    )
    failed = failures(judge(PLAN, observe({("e42-spoke1", "show ip eigrp neighbors"): (line, "")})))
    assert list(failed) == [("e42-spoke1", "eigrp neighbor hub1")]
    assert failed[("e42-spoke1", "eigrp neighbor hub1")].startswith(
        "hub 172.16.42.1 is not an EIGRP neighbor on Tunnel42"
    )


def test_unexpected_peer_is_reported_other_tunnels_ignored() -> None:
    entry = "     1 203.0.113.13       172.16.42.13    UP 00:10:13    DN\n"
    extra = entry + "     1 198.51.100.99      172.16.42.99    UP 00:00:09    DN\n"
    failed = failures(judge(PLAN, observe({("hub1", "show dmvpn"): (entry, extra)})))
    # hub1's healthy output already lists event43's spoke on Tunnel43: not event42's business.
    assert failed == {
        ("hub1", "nhrp no unexpected peers"): (
            "peer on Tunnel42 not in the intent: 172.16.42.99 (NBMA 198.51.100.99)"
        )
    }


def test_isolation_breach_fails() -> None:
    command = "ping vrf VRF-EVENT42 172.16.43.1"
    edit = (".....\nSuccess rate is 0 percent (0/5)", "!!!!!\nSuccess rate is 100 percent (5/5)")
    failed = failures(judge(PLAN, observe({("hub1", command): edit})))
    assert failed == {
        ("hub1", "isolation from event43"): (
            "VRF-EVENT42 reaches event43's hub tunnel 172.16.43.1 (100%): tenants are not isolated"
        )
    }


def test_lan_ping_and_missing_shortcut() -> None:
    ping = "ping 172.16.42.1 source GigabitEthernet0/0/1"
    lost = ("!!!!!\nSuccess rate is 100 percent (5/5)", ".!...\nSuccess rate is 20 percent (1/5)")
    shortcut = (
        "     2 203.0.113.13       172.16.42.13    UP 00:00:04   DT1\n"
        "                          172.16.42.13    UP 00:00:04   DT2\n"
    )
    seen = observe({("e42-spoke1", ping): lost, ("e42-spoke2", "show dmvpn"): (shortcut, "")})
    failed = failures(judge(PLAN, seen))
    assert set(failed) == {
        ("e42-spoke1", "ping hub1 tunnel from lan"),
        ("e42-spoke2", "phase3 shortcut e42-spoke3"),
    }
    assert failed[("e42-spoke1", "ping hub1 tunnel from lan")].startswith(
        "20% from 10.42.1.1 to 172.16.42.1"
    )
    assert (
        "dynamic entry for 172.16.42.13 on Tunnel42 is absent"
        in failed[("e42-spoke2", "phase3 shortcut e42-spoke3")]
    )


def test_unreadable_output_fails_the_checks_that_need_it() -> None:
    seen = observe({("hub1", "show dmvpn"): ("Type:Hub, NHRP Peers:3, ", "Type:Hub NHRP Peers 3")})
    failed = failures(judge(PLAN, seen))
    detail = failed[("hub1", "nhrp registered e42-spoke1")]
    assert detail.startswith("cannot read 'show dmvpn' on hub1: State Error raised")
    assert ("hub1", "nhrp no unexpected peers") in failed
    assert ("hub1", "eigrp neighbor e42-spoke1") not in failed


@pytest.mark.parametrize(("count", "pairs"), [(1, 0), (2, 1), (3, 3)])
def test_spoke_to_spoke_ring(count: int, pairs: int) -> None:
    plan = TenantPlan(**{**PLAN.__dict__, "spokes": PLAN.spokes[:count]})
    assert len(plan.ring()) == pairs


def test_without_other_tenant_no_isolation_check() -> None:
    plan = TenantPlan(**{**PLAN.__dict__, "isolation_target": None})
    assert not any(r.check.startswith("isolation") for r in judge(plan, Observed()))
    assert all(not r.passed for r in judge(plan, Observed()))


def test_spoke_wan_down_is_named_in_the_registration_detail() -> None:
    brief = "show ip interface brief"
    wan = "GigabitEthernet0/0/0   10.0.3.2        YES DHCP   up                    up      "
    down = "GigabitEthernet0/0/0   10.0.3.2        YES DHCP   administratively down down    "
    entry = "     1 203.0.113.13       172.16.42.13    UP 00:10:13    DN\n"
    seen = observe({("e42-spoke3", brief): (wan, down), ("hub1", "show dmvpn"): (entry, "")})
    failed = failures(judge(PLAN, seen))
    assert failed[("e42-spoke3", "wan up")] == (
        "GigabitEthernet0/0/0 is administratively down/down:"
        " fix it on e42-spoke3 (no shutdown, cabling, DHCP)"
    )
    assert failed[("hub1", "nhrp registered e42-spoke3")].endswith(
        "(e42-spoke3's WAN GigabitEthernet0/0/0 is administratively down/down)"
    )


def test_registration_missing_while_ikev2_is_up_points_at_nhrp() -> None:
    entry = "     1 203.0.113.11       172.16.42.11    UP 00:10:11    DN\n"
    failed = failures(judge(PLAN, observe({("hub1", "show dmvpn"): (entry, "")})))
    assert failed[("hub1", "nhrp registered e42-spoke1")] == (
        "no registration for e42-spoke1 (172.16.42.11) on Tunnel42 (e42-spoke1's IKEv2 SA to"
        " 192.0.2.10: READY: IKEv2 is up, check the tunnel key and NHRP network-id/authentication)"
    )


def test_dhcp_without_lease_fails_wan_check() -> None:
    brief = "show ip interface brief"
    wan = "GigabitEthernet0/0/0   10.0.1.2        YES DHCP"
    no_lease = "GigabitEthernet0/0/0   unassigned      YES DHCP"
    failed = failures(judge(PLAN, observe({("e42-spoke1", brief): (wan, no_lease)})))
    assert failed == {
        ("e42-spoke1", "wan up"): (
            "GigabitEthernet0/0/0 has no address (no DHCP lease?):"
            " fix it on e42-spoke1 (no shutdown, cabling, DHCP)"
        )
    }


def test_a_route_into_another_tenant_fails_isolation_routes() -> None:
    """A one-way leak (a static route in this VRF out of another tenant's tunnel) is red even
    though no ping across it could come back; overlapping prefixes count by exit interface."""
    plan = replace(
        PLAN,
        foreign_interfaces=("Tunnel43",),
        foreign_prefixes=("172.16.43.0/24", "10.43.1.0/24", "10.43.2.0/24"),
    )
    command = "show ip route vrf VRF-EVENT42"
    text = _file("hub1", command).read_text()
    seen = Observed()
    seen.add("hub1", command, parse(command, text))
    (healthy,) = judge_hub_foreign_routes(plan, seen)
    assert healthy.passed and healthy.check == "isolation routes in VRF-EVENT42"
    leaked = text.replace(
        "D        10.42.3.0",
        "S        10.43.1.0 [1/0] via 172.16.43.11, Tunnel43\nD        10.42.3.0",
    )
    seen.add("hub1", command, parse(command, leaked))
    (result,) = judge_hub_foreign_routes(plan, seen)
    assert not result.passed
    assert result.detail.startswith("VRF-EVENT42 holds another tenant's routes: 10.43.1.0/24 via")
    # same prefix as one of ours (overlapping tenants), but out of the other tenant's tunnel
    overlap = text.replace(
        "D        10.42.3.0 [90/76805120] via 172.16.42.13, 00:10:12, Tunnel42",
        "S        10.42.3.0 [1/0] via 172.16.43.13, Tunnel43",
    )
    seen.add("hub1", command, parse(command, overlap))
    assert not judge_hub_foreign_routes(plan, seen)[0].passed


def test_a_foreign_prefix_on_a_spoke_fails_its_isolation_routes() -> None:
    plan = replace(PLAN, foreign_prefixes=("172.16.43.0/24", "10.43.1.0/24"))
    text = (
        "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n\n"
        "Gateway of last resort is not set\n\n"
        "      10.0.0.0/8 is variably subnetted, 3 subnets, 2 masks\n"
        "C        10.42.1.0/24 is directly connected, GigabitEthernet0/0/1\n"
        "L        10.42.1.1/32 is directly connected, GigabitEthernet0/0/1\n"
        "D        10.42.2.0/24 [90/76805120] via 172.16.42.1, 00:01:02, Tunnel42\n"
    )
    seen = Observed()
    for spoke in plan.spokes:
        seen.add(spoke.name, "show ip route", parse("show ip route", text))
    assert all(r.passed for r in judge_spoke_foreign_routes(plan, seen))
    leaked = text + "D        10.43.1.0/24 [90/76805120] via 172.16.42.1, 00:01:02, Tunnel42\n"
    seen.add("e42-spoke2", "show ip route", parse("show ip route", leaked))
    failed = {r.host: r.detail for r in judge_spoke_foreign_routes(plan, seen) if not r.passed}
    assert list(failed) == ["e42-spoke2"]
    assert "10.43.1.0/24 via 172.16.42.1" in failed["e42-spoke2"]
