"""Verify: the plan from the intent, parsing a round, and the runbook against the emulated lab.

The lab tests go through `runbooks/verify.py`'s `main(argv)` over real SSH (netmiko/Nornir),
after a real deploy, and break the overlay the way people do: a PSK changed on one spoke, a
tunnel key changed, EIGRP made passive, a spoke's WAN shut.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tasks.intent import Intent, IntentError, load_intent
from tasks.verify import observe, plan_from_intent

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def intent() -> Intent:
    return load_intent(ROOT / "config.yaml", None, require_secrets=False, env={})


# --- pure --------------------------------------------------------------------------------


def test_plan_comes_from_the_intent(intent: Intent) -> None:
    plan = plan_from_intent(intent, "event42")
    assert (plan.hub, plan.hub_tunnel_ip, plan.hub_wan_ip) == ("hub1", "172.16.42.1", "192.0.2.10")
    assert (plan.tunnel, plan.vrf, plan.interface) == (42, "VRF-EVENT42", "Tunnel42")
    assert [(s.name, s.tunnel_ip, s.lan_ip, s.lan_prefix) for s in plan.spokes] == [
        (f"e42-spoke{n}", f"172.16.42.1{n}", f"10.42.{n}.1", f"10.42.{n}.0/24") for n in (1, 2, 3)
    ]
    assert {s.lan_interface for s in plan.spokes} == {"GigabitEthernet0/0/1"}
    assert plan.isolation_target == ("event43", "172.16.43.1")
    assert plan_from_intent(intent, "event43").isolation_target == ("event42", "172.16.42.1")


def test_unknown_tenant_is_an_intent_error(intent: Intent) -> None:
    with pytest.raises(IntentError, match="unknown tenant 'nope'"):
        plan_from_intent(intent, "nope")


def test_observe_parses_and_keeps_failures() -> None:
    raw = {
        "hub1": {
            "outputs": {
                "show dmvpn": "Interface: Tunnel42, IPv4 NHRP Details\ngarbage\n",
                "show crypto ikev2 sa": " IPv4 Crypto IKEv2  SA \n\n IPv6 Crypto IKEv2  SA \n",
            },
            "errors": {"show ip route vrf VRF-EVENT42": "ReadTimeout: no answer"},
        }
    }
    seen = observe(raw)
    assert seen.get("hub1", "show crypto ikev2 sa") == []
    assert seen.get("hub1", "show dmvpn") is None
    assert seen.problem("hub1", "show dmvpn").startswith(
        "cannot read 'show dmvpn' on hub1: cisco_ios_show_dmvpn.textfsm: State Error raised"
    )
    assert seen.problem("hub1", "show ip route vrf VRF-EVENT42").endswith("ReadTimeout: no answer")
    assert seen.problem("hub1", "ping 1.2.3.4").endswith("command was not run")


# --- through the runbook, against the lab -------------------------------------------------

HUB_CHECKS_42 = {
    *(
        f"{kind} e42-spoke{n}"
        for kind in ("nhrp registered", "ikev2 sa", "eigrp neighbor")
        for n in (1, 2, 3)
    ),
    *(f"route e42-spoke{n} lan" for n in (1, 2, 3)),
    *(f"pim neighbor e42-spoke{n}" for n in (1, 2, 3)),  # event42 has multicast: true
    "nhrp no unexpected peers",
    "eigrp no unexpected neighbors",
    "isolation from event43",
    "isolation routes in VRF-EVENT42",
    "isolation nat",
    "wan up",
}
SPOKE_CHECKS = {
    "wan up",
    "isolation routes",
    "lan up",
    "nhrp hub hub1 up",
    "ikev2 sa hub1",
    "eigrp neighbor hub1",
    "nhrp no unexpected peers",
    "ping hub1 tunnel from lan",
    "pim tunnel",
    "pim lan",
    "internet from lan",
    "lan isolation from event43",
}
RING_42 = {"e42-spoke1": "e42-spoke2", "e42-spoke2": "e42-spoke3", "e42-spoke3": "e42-spoke1"}


def expected_checks_42() -> set[tuple[str, str]]:
    names = {("hub1", check) for check in HUB_CHECKS_42}
    for spoke, other in RING_42.items():
        names |= {(spoke, check) for check in SPOKE_CHECKS}
        names |= {(spoke, f"ping {other} lan"), (spoke, f"phase3 shortcut {other}")}
        names.add((spoke, f"rpf {other} lan"))
    return names


def run_verify(config: Path, state: Path, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    from runbooks import verify

    out = tmp_path / "verify.json"
    argv = ["--tenant", "event42", "--lab", "--lab-state", str(state), "-c", str(config)]
    code = verify.main([*argv, "--poll", "0.3", "--json", str(out), *extra])
    return code, json.loads(out.read_text()) if out.exists() else {}


def failing(report: dict) -> dict[tuple[str, str], str]:
    return {(c["host"], c["check"]): c["detail"] for c in report["checks"] if not c["passed"]}


def configure(lab, host: str, lines: list[str]) -> None:
    assert lab.configure(host, lines) == [], lines


def test_verify_passes_after_deploy_with_every_check(deployed, tmp_path: Path) -> None:
    _lab, config, state = deployed
    junit = tmp_path / "verify.xml"
    code, report = run_verify(config, state, tmp_path, "--wait", "30", "--junit", str(junit))
    assert failing(report) == {}
    assert code == 0 and report["passed"] is True and report["tenant"] == "event42"
    assert {(c["host"], c["check"]) for c in report["checks"]} == expected_checks_42()
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "66" and suite.get("failures") == "0"
    assert len(suite.findall("testcase")) == 66


def test_no_dataplane_runs_only_control_plane_checks(deployed, tmp_path: Path) -> None:
    _lab, config, state = deployed
    code, report = run_verify(config, state, tmp_path, "--wait", "30", "--no-dataplane")
    assert code == 0
    checks = {c["check"] for c in report["checks"]}
    assert not any(
        c.startswith(("ping", "phase3", "isolation from", "lan isolation", "internet"))
        for c in checks
    )
    assert "isolation routes in VRF-EVENT42" in checks  # the routing table needs no traffic


def test_psk_changed_on_one_spoke(deployed, tmp_path: Path, example_secrets) -> None:
    lab, config, state = deployed
    keyring = ["crypto ikev2 keyring IKEv2-KEYRING-EVENT42", " peer HUB1"]
    configure(lab, "e42-spoke2", [*keyring, "  pre-shared-key wrong-key"])
    lab.exec("e42-spoke2", "clear crypto session")
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2")
        failed = failing(report)
        assert code == 1
        assert failed[("e42-spoke2", "ikev2 sa hub1")].startswith("no IKEv2 SA to 192.0.2.10")
        assert (
            "hub1 lists no registration for 172.16.42.12 on Tunnel42"
            in failed[("e42-spoke2", "ikev2 sa hub1")]
        )
        assert failed[("hub1", "nhrp registered e42-spoke2")] == (
            "no registration for e42-spoke2 (172.16.42.12) on Tunnel42"
            " (e42-spoke2's IKEv2 SA to 192.0.2.10: none:"
            " check the pre-shared keys and IKEv2 identities)"
        )
        assert all("e42-spoke2" in host + check for host, check in failed), failed
        assert ("hub1", "eigrp neighbor e42-spoke2") in failed
        assert ("hub1", "route e42-spoke2 lan") in failed
    finally:
        configure(
            lab, "e42-spoke2", [*keyring, f"  pre-shared-key {example_secrets['EVENT42_PSK']}"]
        )
        lab.exec("e42-spoke2", "clear crypto session")
    assert run_verify(config, state, tmp_path, "--wait", "30")[0] == 0


def test_tunnel_key_changed_on_a_spoke(deployed, tmp_path: Path) -> None:
    lab, config, state = deployed
    configure(lab, "e42-spoke3", ["interface Tunnel42", " tunnel key 99"])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2")
        failed = failing(report)
        assert code == 1
        assert ("e42-spoke3", "ikev2 sa hub1") not in failed  # IKEv2 itself is fine
        assert failed[("hub1", "nhrp registered e42-spoke3")].endswith(
            "READY: IKEv2 is up, check the tunnel key and NHRP network-id/authentication)"
        )
        assert failed[("e42-spoke3", "nhrp hub hub1 up")].startswith(
            "hub 172.16.42.1 on Tunnel42 is NHRP"
        )
        assert all("e42-spoke3" in host + check for host, check in failed), failed
    finally:
        configure(lab, "e42-spoke3", ["interface Tunnel42", " tunnel key 42"])
    assert run_verify(config, state, tmp_path, "--wait", "30")[0] == 0


EIGRP_AF_42 = [
    "router eigrp EIGRP-EVENT42",
    " address-family ipv4 unicast autonomous-system 42",
    "  af-interface Tunnel42",
]


def test_eigrp_made_passive_on_a_spoke(deployed, tmp_path: Path) -> None:
    lab, config, state = deployed
    configure(lab, "e42-spoke1", [*EIGRP_AF_42, "   passive-interface"])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2", "--no-dataplane")
        assert code == 1
        assert set(failing(report)) == {
            ("hub1", "eigrp neighbor e42-spoke1"),
            ("hub1", "route e42-spoke1 lan"),
            ("e42-spoke1", "eigrp neighbor hub1"),
        }
        assert failing(report)[("hub1", "eigrp neighbor e42-spoke1")].endswith(
            "as UP: NHRP is up, check EIGRP on both ends (passive-interface, AS, timers))"
        )
    finally:
        configure(lab, "e42-spoke1", [*EIGRP_AF_42, "   no passive-interface"])
    assert run_verify(config, state, tmp_path, "--wait", "30")[0] == 0


def test_spoke_wan_shut(deployed, tmp_path: Path) -> None:
    lab, config, state = deployed
    configure(lab, "e42-spoke3", ["interface GigabitEthernet0/0/0", " shutdown"])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2")
        failed = failing(report)
        assert code == 1
        assert failed[("e42-spoke3", "wan up")].startswith(
            "GigabitEthernet0/0/0 is administratively down/down"
        )
        assert failed[("hub1", "nhrp registered e42-spoke3")].endswith(
            "(e42-spoke3's WAN GigabitEthernet0/0/0 is administratively down/down)"
        )
        assert ("e42-spoke3", "lan up") not in failed
        assert all("e42-spoke3" in host + check for host, check in failed), failed
    finally:
        configure(lab, "e42-spoke3", ["interface GigabitEthernet0/0/0", " no shutdown"])
    assert run_verify(config, state, tmp_path, "--wait", "30")[0] == 0


def test_verify_waits_through_convergence(deployed, tmp_path: Path, capsys) -> None:
    lab, config, state = deployed
    for spoke in ("e42-spoke1", "e42-spoke2", "e42-spoke3"):
        lab.exec(spoke, "clear crypto session")
    code, report = run_verify(config, state, tmp_path, "--wait", "30")
    rounds = [line for line in capsys.readouterr().err.splitlines() if line.startswith("round ")]
    assert code == 0 and report["passed"] is True
    assert len(rounds) >= 2 and not rounds[0].startswith("round 1: 47/47")


def test_unreachable_device_exits_2(deployed, tmp_path: Path) -> None:
    from lab.api import Fault

    lab, config, state = deployed
    lab.inject("e42-spoke2", Fault(refuse_login=True))
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "5")
    finally:
        lab.clear_faults("e42-spoke2")
    assert code == 2 and report == {}


def test_spoke_nbma_change_reregisters_with_no_unique(deployed, tmp_path: Path) -> None:
    """A new lease behind a NAT rebinding: the rendered `no-unique` lets the hub take the new
    address at once, so verify stays green."""
    lab, config, state = deployed
    new = lab.change_nbma("e42-spoke2")
    code, report = run_verify(config, state, tmp_path, "--wait", "30")
    assert failing(report) == {} and code == 0
    assert new in lab.exec("hub1", "show dmvpn")


def test_spoke_nbma_change_without_no_unique_is_refused(deployed, tmp_path: Path) -> None:
    lab, config, state = deployed
    configure(lab, "e42-spoke3", ["interface Tunnel42", " no ip nhrp registration no-unique"])
    new = lab.change_nbma("e42-spoke3")
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2", "--no-dataplane")
        failed = failing(report)
        assert code == 1
        assert failed[("e42-spoke3", "nhrp hub hub1 up")].startswith(
            "hub 172.16.42.1 on Tunnel42 is NHRP"
        )
        assert new not in lab.exec("hub1", "show dmvpn")  # the hub keeps the old address
    finally:
        configure(lab, "e42-spoke3", ["interface Tunnel42", " ip nhrp registration no-unique"])
        lab.exec("hub1", "clear ip nhrp")  # what an operator does instead of waiting 300 s
    assert run_verify(config, state, tmp_path, "--wait", "30")[0] == 0


def test_a_leak_typed_on_the_hub_turns_isolation_red(deployed, tmp_path: Path) -> None:
    """The classic leak: a static route in event42's VRF out of event43's tunnel. IOS installs
    it; no reply can come back (event43 has no route to event42), yet the leak is there."""
    lab, config, state = deployed
    leak = "ip route vrf VRF-EVENT42 10.43.1.0 255.255.255.0 Tunnel43 172.16.43.11"
    configure(lab, "hub1", [leak])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2")
        failed = failing(report)
        assert code == 1
        assert set(failed) == {("hub1", "isolation routes in VRF-EVENT42")}
        assert (
            "10.43.1.0/24 via 172.16.43.11" in failed[("hub1", "isolation routes in VRF-EVENT42")]
        )
    finally:
        configure(lab, "hub1", [f"no {leak}"])
    assert run_verify(config, state, tmp_path, "--wait", "30")[0] == 0


def test_a_spoke_without_its_nat_rule_cannot_reach_the_internet(deployed, tmp_path: Path) -> None:
    """The LAN's ping to the probe leaves with a private source without the NAT rule: the
    carrier drops it. `--no-internet-check` leaves the check out."""
    lab, config, state = deployed
    rule = "ip nat inside source list ACL-NAT-LAN interface GigabitEthernet0/0/0 overload"
    configure(lab, "e42-spoke2", [f"no {rule}"])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "2")
        failed = failing(report)
        assert code == 1
        assert set(failed) == {("e42-spoke2", "internet from lan")}
        assert "0% from 10.42.2.1 to 8.8.8.8" in failed[("e42-spoke2", "internet from lan")]
        code, report = run_verify(config, state, tmp_path, "--wait", "2", "--no-internet-check")
        assert code == 0
        assert not any(c["check"] == "internet from lan" for c in report["checks"])
    finally:
        configure(lab, "e42-spoke2", [rule])
    assert run_verify(config, state, tmp_path, "--wait", "30")[0] == 0


NAT_LEAK = [
    "ip access-list extended ACL-LEAK",
    " permit ip any any",
    "exit",
    "ip nat inside source list ACL-LEAK interface Tunnel43 vrf VRF-EVENT42 overload",
    "interface Tunnel42",
    " ip nat inside",
    "interface Tunnel43",
    " ip nat outside",
    "exit",
]
NAT_LEAK_UNDO = [
    "no ip nat inside source list ACL-LEAK interface Tunnel43 vrf VRF-EVENT42 overload",
    "no ip access-list extended ACL-LEAK",
    "interface Tunnel42",
    " no ip nat inside",
    "interface Tunnel43",
    " no ip nat outside",
    "exit",
]
REDISTRIBUTE = [
    "router eigrp EIGRP-EVENT42",
    " address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42",
    "  topology base",
]


def test_a_leak_is_caught_from_both_ends(deployed, tmp_path: Path) -> None:
    """A route leak sits in one tenant's table: that tenant's verify sees it, and the other
    tenant's verify sees the leak typed into its own table. NAT between the VRFs makes the leak
    answer, and the LAN probes of the leaking tenant's spokes go red as well."""
    lab, config, state = deployed
    to_43 = "ip route vrf VRF-EVENT42 10.43.1.0 255.255.255.0 Tunnel43 172.16.43.11"
    to_42 = "ip route vrf VRF-EVENT43 10.42.1.0 255.255.255.0 Tunnel42 172.16.42.11"
    redistribute = [*REDISTRIBUTE, "   redistribute static", "exit"]
    configure(lab, "hub1", [to_43, *redistribute, *NAT_LEAK])
    try:
        code, report = run_verify(config, state, tmp_path, "--wait", "5")
        failed = failing(report)
        assert code == 1
        assert ("hub1", "isolation routes in VRF-EVENT42") in failed
        # redistributed to event42's spokes: in every spoke's table; through NAT the leaked
        # LAN answers the spokes that probe it (spokes 1 and 3: e43-spoke1's LAN, round robin)
        for n in (1, 2, 3):
            assert (f"e42-spoke{n}", "isolation routes") in failed
        for n in (1, 3):
            probe = failed[(f"e42-spoke{n}", "lan isolation from event43")]
            assert f"e43-spoke1 LAN 10.43.1.1 answered 10.42.{n}.1" in probe
        assert ("e42-spoke2", "lan isolation from event43") not in failed  # 10.43.2.1: no leak
        assert "VRF-EVENT42 is translated into Tunnel43" in failed[("hub1", "isolation nat")]
        # the other end: event43's verify sees the NAT rule that lets event42 into its tunnel
        code, report = run_verify(config, state, tmp_path, "--wait", "2", "--tenant", "event43")
        assert code == 1
        assert set(failing(report)) == {("hub1", "isolation nat")}
        # and a route typed into event43's table only
        configure(lab, "hub1", [to_42])
        code, report = run_verify(config, state, tmp_path, "--wait", "2", "--tenant", "event43")
        assert code == 1
        assert ("hub1", "isolation routes in VRF-EVENT43") in failing(report)
    finally:
        undo = [*REDISTRIBUTE, "   no redistribute static", "exit"]
        configure(lab, "hub1", [f"no {to_43}", f"no {to_42}", *NAT_LEAK_UNDO, *undo])
    assert run_verify(config, state, tmp_path, "--wait", "30")[0] == 0
