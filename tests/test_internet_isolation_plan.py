"""The spokes' internet exit and LAN isolation probes, from the intent to the verdicts (pure):
which spoke pings what, what is skipped, and what a reply says."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbooks import render as render_runbook
from tasks.checks import commands_for, judge
from tasks.intent import IntentError, load_intent
from tasks.judges_nat import NAT_RULES_CMD, judge_hub_nat_leaks
from tasks.parse import parse
from tasks.verify import plan_from_intent
from tasks.verify_plan import Observed, probe_cmd


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_each_spoke_probes_the_internet_and_every_other_tenant(
    example_config: Path, example_secrets: dict[str, str]
) -> None:
    plan = plan_from_intent(load_intent(example_config), "event42")
    assert {s.internet_probe for s in plan.spokes} == {"8.8.8.8"}
    assert [(p.source, p.tenant, p.target, p.address) for p in plan.isolation_probes] == [
        ("e42-spoke1", "event43", "hub1 Tunnel43", "172.16.43.1"),
        ("e42-spoke1", "event43", "e43-spoke1 LAN", "10.43.1.1"),
        ("e42-spoke2", "event43", "hub1 Tunnel43", "172.16.43.1"),
        ("e42-spoke2", "event43", "e43-spoke2 LAN", "10.43.2.1"),
        ("e42-spoke3", "event43", "hub1 Tunnel43", "172.16.43.1"),
        ("e42-spoke3", "event43", "e43-spoke1 LAN", "10.43.1.1"),
    ]
    commands = commands_for(plan, "e42-spoke2")
    assert "ping 8.8.8.8 source GigabitEthernet0/0/1" in commands
    assert probe_cmd("10.43.2.1", "GigabitEthernet0/0/1") in commands
    assert "ping 10.43.2.1 source GigabitEthernet0/0/1 repeat 2 timeout 1" in commands
    assert not any("8.8.8.8" in c for c in commands_for(plan, "hub1"))
    no_internet = plan_from_intent(load_intent(example_config), "event42", internet_check=False)
    assert {s.internet_probe for s in no_internet.spokes} == {None}
    assert not any("8.8.8.8" in c for c in commands_for(no_internet, "e42-spoke1"))


def test_targets_inside_the_tenants_own_space_are_skipped(
    inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    """Tenants may reuse addresses: event43's spoke1 LAN is event42's spoke1 LAN again."""
    hosts = inventory_copy.parent / "inventory" / "hosts.yaml"
    _edit(hosts, "address: 10.43.1.1/24}", "address: 10.42.1.1/24}")
    plan = plan_from_intent(load_intent(inventory_copy), "event42")
    lans = {p.address for p in plan.isolation_probes if p.target.endswith("LAN")}
    assert lans == {"10.43.2.1"}  # 10.42.1.1 would be the spoke's own LAN


def test_a_reply_to_a_probe_names_source_target_and_tenant(
    example_config: Path, example_secrets: dict[str, str]
) -> None:
    plan = plan_from_intent(load_intent(example_config), "event42")
    seen = Observed()
    for spoke in plan.spokes:
        for command in commands_for(plan, spoke.name):
            if command.startswith("ping "):
                quiet = "repeat 2" in command
                rate = "0" if quiet else "100"
                seen.add(spoke.name, command, [{"success_pct": rate}])
    answered = probe_cmd("10.43.2.1", "GigabitEthernet0/0/1")
    seen.add("e42-spoke2", answered, [{"success_pct": "50"}])
    results = {(r.host, r.check): r for r in judge(plan, seen) if r.check.startswith("lan iso")}
    assert set(results) == {(f"e42-spoke{n}", "lan isolation from event43") for n in (1, 2, 3)}
    red = results[("e42-spoke2", "lan isolation from event43")]
    assert not red.passed
    assert red.detail.startswith("e43-spoke2 LAN 10.43.2.1 answered 10.42.2.1 (50%)")
    assert "tenant event42 reaches tenant event43" in red.detail
    assert results[("e42-spoke1", "lan isolation from event43")].passed
    internet = [r for r in judge(plan, seen) if r.check == "internet from lan"]
    assert len(internet) == 3 and all(r.passed for r in internet)


def test_a_probe_that_is_not_public_is_refused(
    inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    defaults = inventory_copy.parent / "inventory" / "defaults.yaml"
    _edit(defaults, "probe: 8.8.8.8", "probe: 10.0.0.1")
    with pytest.raises(IntentError) as err:
        load_intent(inventory_copy)
    line = str(err.value.problems[0])
    assert "defaults.yaml" in line and "internet" in line and "not a public internet" in line
    assert render_runbook.main(["-c", str(inventory_copy), "--host", "e42-spoke1"]) == 2


def test_internet_off_for_a_tenant_renders_no_exit(
    inventory_copy: Path, example_secrets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    groups = inventory_copy.parent / "inventory" / "groups.yaml"
    _edit(
        groups,
        "tenant-event43:\n  groups: [spoke]\n  data:\n",
        "tenant-event43:\n  groups: [spoke]\n  data:\n    internet: {enabled: false}\n",
    )
    intent = load_intent(inventory_copy)
    assert plan_from_intent(intent, "event43").spokes[0].internet_probe is None
    assert render_runbook.main(["-c", str(inventory_copy), "--host", "e43-spoke1"]) == 0
    e43 = capsys.readouterr().out
    assert "ip nat inside source" not in e43 and "ip route 0.0.0.0 0.0.0.0" not in e43
    assert render_runbook.main(["-c", str(inventory_copy), "--host", "e42-spoke1"]) == 0
    e42 = capsys.readouterr().out
    assert "ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/0/0 dhcp" in e42
    assert "ip nat inside source list ACL-NAT-LAN interface GigabitEthernet0/0/0 overload" in e42


LEAK_42_INTO_43 = "ip nat inside source list ACL-LEAK interface Tunnel43 vrf VRF-EVENT42 overload"


@pytest.mark.parametrize(
    ("rule", "red_in"),
    [
        (LEAK_42_INTO_43, {"event42", "event43"}),  # both ends see it
        ("ip nat inside source list L interface Tunnel42 overload", {"event42"}),  # global in
        ("ip nat inside source list L interface GigabitEthernet0/0/0 vrf VRF-EVENT42", set()),
        ("ip nat inside source static 10.1.1.1 203.0.113.9", set()),
    ],
    ids=["between-tenants", "global-into-tenant", "tenant-to-wan", "static"],
)
def test_nat_rules_on_the_hub_are_judged_from_both_ends(
    example_config: Path, example_secrets: dict[str, str], rule: str, red_in: set[str]
) -> None:
    intent = load_intent(example_config)
    red = set()
    for tenant in ("event42", "event43"):
        plan = plan_from_intent(intent, tenant)
        assert NAT_RULES_CMD in commands_for(plan, "hub1")
        seen = Observed()
        seen.add("hub1", NAT_RULES_CMD, parse(NAT_RULES_CMD, rule + "\n"))
        [result] = judge_hub_nat_leaks(plan, seen)
        if not result.passed:
            red.add(tenant)
            assert "translated into Tunnel4" in result.detail
    assert red == red_in
