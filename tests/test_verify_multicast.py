"""Multicast through the runbooks against the lab: event42 (`multicast: true`) deployed, verify
green, then the omissions a router would punish turn it red with a hint that names the fix."""

from __future__ import annotations

from pathlib import Path

from tests.test_verify import configure, failing, run_verify


def test_deployed_tenant_shows_every_spoke_as_pim_neighbor(deployed, tmp_path: Path) -> None:
    lab, config, state = deployed
    assert run_verify(config, state, tmp_path, "--wait", "30", "--no-dataplane")[0] == 0
    out = lab.exec("hub1", "show ip pim vrf VRF-EVENT42 neighbor")
    for n in (1, 2, 3):
        assert f"172.16.42.1{n}      Tunnel42 " in out
    assert "Tunnel43" not in lab.exec("hub1", "show ip pim vrf VRF-EVENT43 neighbor")
    assert "172.16.42.1       Tunnel42 " in lab.exec("e42-spoke1", "show ip pim neighbor")
    # event43 has no multicast: its spokes run no PIM at all
    assert "Tunnel43" not in lab.exec("e43-spoke1", "show ip pim interface")


def test_spoke_without_pim_turns_the_hub_neighbor_red(deployed, tmp_path: Path) -> None:
    lab, config, state = deployed
    configure(lab, "e42-spoke2", ["interface Tunnel42", " no ip pim sparse-mode"])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2", "--no-dataplane")
        failed = failing(report)
        assert code == 1
        assert set(failed) == {("hub1", "pim neighbor e42-spoke2"), ("e42-spoke2", "pim tunnel")}
        assert failed[("hub1", "pim neighbor e42-spoke2")] == (
            "172.16.42.12 is not a PIM neighbor on Tunnel42 in VRF-EVENT42 (hub1 lists "
            "172.16.42.12 on Tunnel42 as UP, but e42-spoke2 runs no PIM on Tunnel42: check "
            "`ip multicast-routing` and `ip pim sparse-mode` on e42-spoke2's Tunnel42)"
        )
    finally:
        configure(lab, "e42-spoke2", ["interface Tunnel42", " ip pim sparse-mode"])
    assert run_verify(config, state, tmp_path, "--wait", "30", "--no-dataplane")[0] == 0


def test_hub_without_multicast_routing_loses_every_neighbor(deployed, tmp_path: Path) -> None:
    lab, config, state = deployed
    line = "ip multicast-routing vrf VRF-EVENT42 distributed"
    configure(lab, "hub1", [f"no {line}"])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2", "--no-dataplane")
        failed = failing(report)
        assert code == 1
        assert set(failed) == {("hub1", f"pim neighbor e42-spoke{n}") for n in (1, 2, 3)}
        assert all(
            "hub1 runs no PIM on Tunnel42 in VRF-EVENT42: check "
            "`ip multicast-routing vrf VRF-EVENT42 distributed`" in detail
            for detail in failed.values()
        )
    finally:
        configure(lab, "hub1", [line])
    assert run_verify(config, state, tmp_path, "--wait", "30", "--no-dataplane")[0] == 0


def test_without_the_mroute_rpf_follows_the_shortcut(deployed, tmp_path: Path) -> None:
    """After the spoke-to-spoke ping, unicast to e42-spoke2's LAN leaves through e42-spoke2
    (NHRP route); without the static mroute, RPF follows it to a spoke that is no PIM
    neighbour."""
    lab, config, state = deployed
    mroute = "ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1"
    configure(lab, "e42-spoke1", [f"no {mroute}"])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2")
        failed = failing(report)
        assert code == 1
        assert set(failed) == {("e42-spoke1", "rpf e42-spoke2 lan")}
        assert failed[("e42-spoke1", "rpf e42-spoke2 lan")].startswith(
            "RPF toward 10.42.2.1 is 172.16.42.12 on Tunnel42 (unicast (nhrp)), not the hub"
        )
        assert f"check `{mroute}` on e42-spoke1" in failed[("e42-spoke1", "rpf e42-spoke2 lan")]
    finally:
        configure(lab, "e42-spoke1", [mroute])
    code, report = run_verify(config, state, tmp_path, "--wait", "30")
    assert code == 0, failing(report)
