"""The teardown runbook against the emulated lab, through its real entry point (``main(argv)``)."""

from __future__ import annotations

import json
from pathlib import Path

from test_deploy import HOSTS_42, HOSTS_43, blocks, holds_intent, run  # tests/ is on sys.path

from runbooks import teardown
from tasks.intent import load_intent
from tasks.owned_diff import owned_objects
from tasks.ownership import Owner, host_ownership


def tear(config: Path, state: Path, tenant: str, *extra: str, json_file: Path | None = None) -> int:
    argv = ["--tenant", tenant, "--lab", "--lab-state", str(state), "-c", str(config), *extra]
    if json_file is not None:
        argv += ["--json", str(json_file)]
    return teardown.main(argv)


def test_teardown_removes_one_tenant_and_leaves_the_other(
    fresh_lab, tmp_path, capsys, example_secrets
):
    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    assert run(config, state, "event43") == 0
    intent = load_intent(config)
    e42 = host_ownership(intent, "hub1", "event42")
    e43 = host_ownership(intent, "hub1", "event43")
    before = {h: lab.running_config(h) for h in HOSTS_42 + HOSTS_43[1:]}
    assert all(owned_objects(before[h], host_ownership(intent, h, "event42")) for h in HOSTS_42)

    # dry run: prints the removals, changes nothing
    assert tear(config, state, "event42", "--dry-run") == 0
    assert "no interface Tunnel42" in capsys.readouterr().out
    assert {h: lab.running_config(h) for h in before} == before

    assert tear(config, state, "event42", json_file=tmp_path / "t.json") == 0
    report = json.loads((tmp_path / "t.json").read_text())
    assert report["ok"] and {h: r["status"] for h, r in report["hosts"].items()} == {
        h: "ok" for h in HOSTS_42
    }
    hub = lab.running_config("hub1")
    assert owned_objects(hub, e42) == []  # every event42 object is gone
    for h in HOSTS_42[1:]:
        assert owned_objects(lab.running_config(h), host_ownership(intent, h, "event42")) == []
        # the spoke's internet exit is the tenant's: it goes with the overlay
        exit_lines = ("ip nat inside source list ACL-NAT-LAN", "ip route 0.0.0.0 0.0.0.0 Gig")
        assert all(line in before[h] for line in exit_lines)
        assert not any(line in lab.running_config(h) for line in (*exit_lines, "ACL-NAT-LAN"))
    # event43's objects and every shared object are byte-identical
    kept = {
        b for b in blocks(before["hub1"]) if e42.owner_of((b.splitlines()[0],)) is not Owner.OWNED
    }
    assert kept <= blocks(hub)
    assert len(owned_objects(hub, e43)) == len(owned_objects(before["hub1"], e43)) > 0
    holds_intent(lab, config, "event43", HOSTS_43)
    assert "vrf definition VRF-FRONT" in hub and "crypto ipsec transform-set" in hub
    assert all(lab.startup_config(h) == lab.running_config(h) for h in HOSTS_42)

    # a second teardown finds nothing to do
    assert tear(config, state, "event42", json_file=tmp_path / "t2.json") == 0
    again = json.loads((tmp_path / "t2.json").read_text())
    assert {r["status"] for r in again["hosts"].values()} == {"unchanged"}
    out = capsys.readouterr().out
    assert all(value not in out for value in example_secrets.values())


def test_teardown_of_a_spoke_whose_lan_is_using_the_internet(fresh_lab, tmp_path):
    """A LAN host has live NAT translations (verify's own internet ping leaves one): IOS asks
    before it removes the NAT rule, and the teardown answers instead of letting the question eat
    the next line (docs/ios-rules.md, rule 6)."""
    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    spoke = HOSTS_42[1]
    assert "Success rate is 100 percent" in lab.exec(
        spoke, "ping 8.8.8.8 source GigabitEthernet0/0/1"
    )
    assert tear(config, state, "event42", json_file=tmp_path / "t.json") == 0
    report = json.loads((tmp_path / "t.json").read_text())
    assert report["hosts"][spoke]["status"] == "ok"
    running = lab.running_config(spoke)
    assert "ip nat inside source" not in running and "ACL-NAT-LAN" not in running
    assert lab.exec(spoke, "show ip nat translations").strip().splitlines()[1:] == []
