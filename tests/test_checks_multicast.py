"""The multicast judges as pure functions: silent for tenants without multicast, green on a
healthy round, and each failure's hint naming the end and the line to check."""

from __future__ import annotations

from dataclasses import replace

from test_checks import PLAN, failures, observe  # tests/ is on sys.path

from tasks.checks import commands_for, judge
from tasks.judges_multicast import (
    judge_hub_pim_neighbors,
    judge_spoke_pim,
    judge_spoke_rpf,
)
from tasks.verify_plan import Observed

MCAST = replace(PLAN, multicast=True)
HUB_NBR = "show ip pim vrf VRF-EVENT42 neighbor"
HUB_IF = "show ip pim vrf VRF-EVENT42 interface"
SPOKE_IF = "show ip pim interface"


def _row(neighbor: str) -> dict[str, str]:
    return {
        "neighbor": neighbor,
        "interface": "Tunnel42",
        "uptime": "00:01:00",
        "expires": "00:01:40",
        "version": "v2",
        "dr_priority": "1",
        "mode": "S P G",
    }


def _pim_if(address: str, interface: str) -> dict[str, str]:
    return {
        "address": address,
        "interface": interface,
        "version": "v2",
        "mode": "S",
        "neighbor_count": "1",
        "query_interval": "30",
        "dr_priority": "1",
        "dr": address,
    }


def healthy() -> Observed:
    """The fixture round (no PIM outputs in it) plus healthy PIM and RPF rows."""
    seen = observe()
    seen.add("hub1", HUB_NBR, [_row(f"172.16.42.1{n}") for n in (1, 2, 3)])
    seen.add("hub1", HUB_IF, [_pim_if("172.16.42.1", "Tunnel42")])
    for n, other in ((1, 2), (2, 3), (3, 1)):
        host = f"e42-spoke{n}"
        seen.add(host, SPOKE_IF, [_pim_if(f"172.16.42.1{n}", "Tunnel42"),
                                  _pim_if(f"10.42.{n}.1", "GigabitEthernet0/0/1")])  # fmt: skip
        seen.add(host, f"show ip rpf 10.42.{other}.1", [{
            "source": f"10.42.{other}.1", "interface": "Tunnel42", "neighbor": "172.16.42.1",
            "route": "0.0.0.0/0", "type": "multicast (static)", "failed": ""}])  # fmt: skip
    return seen


def test_tenant_without_multicast_gets_no_commands_and_no_verdicts() -> None:
    assert not any("pim" in c or "rpf" in c for h in ("hub1", "e42-spoke1")
                   for c in commands_for(PLAN, h))  # fmt: skip
    seen = healthy()
    assert judge_hub_pim_neighbors(PLAN, seen) == judge_spoke_pim(PLAN, seen) == []
    assert judge_spoke_rpf(PLAN, seen) == []


def test_healthy_multicast_round_is_green() -> None:
    assert "show ip rpf 10.42.2.1" in commands_for(MCAST, "e42-spoke1")
    assert {HUB_NBR, HUB_IF} <= set(commands_for(MCAST, "hub1"))
    results = [r for r in judge(MCAST, healthy()) if "pim" in r.check or "rpf" in r.check]
    assert len(results) == 3 + 3 * 2 + 3 and all(r.passed for r in results)


def test_hub_without_pim_on_the_tunnel_is_named_first() -> None:
    seen = healthy()
    seen.add("hub1", HUB_NBR, [])
    seen.add("hub1", HUB_IF, [])
    failed = failures(judge_hub_pim_neighbors(MCAST, seen))
    assert len(failed) == 3
    assert failed[("hub1", "pim neighbor e42-spoke1")].endswith(
        "(hub1 runs no PIM on Tunnel42 in VRF-EVENT42: check `ip multicast-routing vrf "
        "VRF-EVENT42 distributed` and `ip pim sparse-mode` on Tunnel42)"
    )


def test_unregistered_spoke_points_at_the_registration() -> None:
    seen = healthy()
    unregistered = observe({("hub1", "show dmvpn"): ("172.16.42.12", "172.16.42.99")})
    seen.add("hub1", "show dmvpn", unregistered.rows["hub1"]["show dmvpn"])
    seen.add("hub1", HUB_NBR, [_row("172.16.42.11"), _row("172.16.42.13")])
    failed = failures(judge_hub_pim_neighbors(MCAST, seen))
    assert failed == {
        ("hub1", "pim neighbor e42-spoke2"): "172.16.42.12 is not a PIM neighbor on Tunnel42 in "
        "VRF-EVENT42 (hub1 lists no registration for 172.16.42.12 on Tunnel42)"
    }


def test_spoke_missing_pim_on_its_lan_and_rpf_through_a_spoke() -> None:
    seen = healthy()
    seen.add("e42-spoke3", SPOKE_IF, [_pim_if("172.16.42.13", "Tunnel42")])
    seen.add("e42-spoke1", "show ip rpf 10.42.2.1", [{
        "source": "10.42.2.1", "interface": "Tunnel42", "neighbor": "172.16.42.12",
        "route": "10.42.2.0/24", "type": "unicast (nhrp)", "failed": ""}])  # fmt: skip
    seen.add("e42-spoke2", "show ip rpf 10.42.3.1", [{
        "source": "10.42.3.1", "interface": "", "neighbor": "", "route": "", "type": "",
        "failed": "no route"}])  # fmt: skip
    failed = failures([*judge_spoke_pim(MCAST, seen), *judge_spoke_rpf(MCAST, seen)])
    assert failed == {
        ("e42-spoke3", "pim lan"): "no PIM on GigabitEthernet0/0/1: check `ip multicast-routing`"
        " and `ip pim sparse-mode` on GigabitEthernet0/0/1",
        ("e42-spoke1", "rpf e42-spoke2 lan"): "RPF toward 10.42.2.1 is 172.16.42.12 on Tunnel42 "
        "(unicast (nhrp)), not the hub 172.16.42.1: PIM joins would go to a spoke that is no PIM "
        "neighbor; check `ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1` on e42-spoke1",
        ("e42-spoke2", "rpf e42-spoke3 lan"): "no RPF route to 10.42.3.1: check "
        "`ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1` on e42-spoke2",
    }
