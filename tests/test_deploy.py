"""The deploy runbook against the emulated lab, through its real entry point (``main(argv)``).

Real SSH, unmodified netmiko/Nornir; the lab is the example inventory, reset per test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runbooks import deploy
from tasks.backup import normalize
from tasks.intent import load_intent
from tasks.manifest import MANIFEST_FILE, parse_manifest
from tasks.owned_diff import owned_remediation
from tasks.ownership import host_ownership
from tasks.plans import judged_running
from tasks.render import render_host

HOSTS_42 = ["hub1", "e42-spoke1", "e42-spoke2", "e42-spoke3"]
HOSTS_43 = ["hub1", "e43-spoke1", "e43-spoke2"]
ALL_HOSTS = ["hub1", "e42-spoke1", "e42-spoke2", "e42-spoke3", "e43-spoke1", "e43-spoke2"]


def run(config: Path, state: Path, tenant: str, *extra: str, json_file: Path | None = None) -> int:
    argv = ["--tenant", tenant, "--lab", "--lab-state", str(state), "-c", str(config), *extra]
    if json_file is not None:
        argv += ["--json", str(json_file)]
    return deploy.main(argv)


def blocks(config: str) -> set[str]:
    """Top-level objects of a running config, each with its indented lines, as text."""
    found, current = set(), []
    for line in normalize(config).splitlines():
        if line.startswith((" ", "!")) or not line.strip():
            if not line.startswith("!"):
                current.append(line)
            continue
        if current:
            found.add("\n".join(current))
        current = [line]
    if current:
        found.add("\n".join(current))
    return found


def holds_intent(lab, config: Path, tenant: str, hosts: list[str]) -> None:
    """hier-config finds nothing left to push: each device holds the rendered intent (its
    type-6 keys judged by the records of its ownership manifest)."""
    intent = load_intent(config)
    for host in hosts:
        rendered = render_host(intent, host, tenant)
        owner = host_ownership(intent, host, tenant)
        claims = parse_manifest(lab.exec(host, f"more flash:{MANIFEST_FILE}"))
        running, _ = judged_running(intent, host, lab.running_config(host), claims, tenant)
        assert owned_remediation(rendered, running, owner) == {}, host


def test_deploy_two_tenants_redeploy_and_isolation(fresh_lab, tmp_path, capsys, example_secrets):
    lab, config, state = fresh_lab
    factory = {h: lab.running_config(h) for h in ALL_HOSTS}

    assert run(config, state, "event42", json_file=tmp_path / "42.json") == 0
    report = json.loads((tmp_path / "42.json").read_text())
    assert report["ok"] is True and set(report["hosts"]) == set(HOSTS_42)
    assert all(h["status"] == "ok" and h["lines_pushed"] > 0 for h in report["hosts"].values())
    holds_intent(lab, config, "event42", HOSTS_42)
    assert all(lab.startup_config(h) == lab.running_config(h) for h in HOSTS_42)  # saved
    assert {h: lab.running_config(h) for h in HOSTS_43[1:]} == {h: factory[h] for h in HOSTS_43[1:]}

    hub_with_42 = lab.running_config("hub1")
    assert run(config, state, "event43", json_file=tmp_path / "43.json") == 0
    holds_intent(lab, config, "event43", HOSTS_43)
    holds_intent(lab, config, "event42", HOSTS_42)
    # every event42 line (and every shared line) on the headend is byte-identical
    assert blocks(hub_with_42) <= blocks(lab.running_config("hub1"))

    # redeploying an unchanged inventory pushes nothing, and says so per host
    assert run(config, state, "event42", json_file=tmp_path / "again.json") == 0
    again = json.loads((tmp_path / "again.json").read_text())
    assert {h: (r["status"], r["lines_pushed"]) for h, r in again["hosts"].items()} == {
        h: ("unchanged", 0) for h in HOSTS_42
    }

    out = capsys.readouterr().out
    assert "unchanged" in out and "hub1" in out
    for value in example_secrets.values():
        assert value not in out
        for name in ("42.json", "43.json", "again.json"):
            assert value not in (tmp_path / name).read_text()


def test_changing_one_spoke_lan_pushes_only_that(fresh_lab, tmp_path):
    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    hosts_file = config.parent / "inventory" / "hosts.yaml"
    original = hosts_file.read_text()
    try:
        hosts_file.write_text(original.replace("10.42.2.1/24", "10.42.20.1/24"))
        assert run(config, state, "event42", "--dry-run") == 0
        assert run(config, state, "event42", json_file=tmp_path / "lan.json") == 0
    finally:
        hosts_file.write_text(original)
    hosts = json.loads((tmp_path / "lan.json").read_text())["hosts"]
    assert [h for h, r in hosts.items() if r["lines_pushed"]] == ["e42-spoke2"]
    assert " ip address 10.42.20.1 255.255.255.0" in lab.running_config("e42-spoke2")
    assert "10.42.2.0" not in lab.running_config("e42-spoke2")


def test_dry_run_changes_nothing(fresh_lab, capsys, example_secrets):
    lab, config, state = fresh_lab
    before = {h: (lab.running_config(h), lab.exec(h, "dir flash:")) for h in HOSTS_42}
    assert run(config, state, "event42", "--dry-run") == 0
    assert {h: (lab.running_config(h), lab.exec(h, "dir flash:")) for h in HOSTS_42} == before
    out = capsys.readouterr().out
    assert "interface Tunnel42" in out and "pre-shared-key <masked>" in out
    assert all(value not in out for value in example_secrets.values())


def assert_untouched(lab, host: str, running: str, startup: str) -> None:
    assert normalize(lab.running_config(host)) == normalize(running)
    assert lab.startup_config(host) == startup


@pytest.mark.parametrize(
    "fault",
    [
        {"refuse_pattern": r"^tunnel key 43$"},  # a line refused mid-push
        {"drop_after_config_lines": 25},  # the session dropped mid-push
        {"refuse_login": True},  # authentication failure
    ],
    ids=["refused-line", "dropped-session", "refused-login"],
)
def test_headend_failure_rolls_back_and_skips_spokes(fresh_lab, tmp_path, fault):
    from lab.api import Fault

    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    before = {h: (lab.running_config(h), lab.startup_config(h)) for h in HOSTS_43}
    lab.inject("hub1", Fault(**fault))
    assert run(config, state, "event43", json_file=tmp_path / "r.json") == 1
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["ok"] is False
    hub = report["hosts"]["hub1"]
    expected = "failed" if "refuse_login" in fault else "rolled back"
    assert hub["status"] == expected and hub["error"]
    assert [report["hosts"][s]["status"] for s in HOSTS_43[1:]] == ["skipped", "skipped"]
    for host in HOSTS_43:
        assert_untouched(lab, host, *before[host])


def test_spoke_failure_rolls_back_that_spoke_only(fresh_lab, tmp_path):
    from lab.api import Fault

    lab, config, state = fresh_lab
    before = (lab.running_config("e43-spoke1"), lab.startup_config("e43-spoke1"))
    lab.inject("e43-spoke1", Fault(drop_after_config_lines=40))
    assert run(config, state, "event43", json_file=tmp_path / "r.json") == 1
    hosts = json.loads((tmp_path / "r.json").read_text())["hosts"]
    assert {h: r["status"] for h, r in hosts.items()} == {
        "hub1": "ok",
        "e43-spoke1": "rolled back",
        "e43-spoke2": "ok",
    }
    assert 0 < hosts["e43-spoke1"]["lines_pushed"] <= 40
    assert_untouched(lab, "e43-spoke1", *before)
    holds_intent(lab, config, "event43", ["hub1", "e43-spoke2"])


def test_invalid_input_touches_nothing(fresh_lab, capsys):
    lab, config, state = fresh_lab
    before = {h: lab.running_config(h) for h in ALL_HOSTS}
    assert run(config, state, "event99") == 2
    assert run(config, state, "event42", "--limit", "e43-spoke1") == 2
    assert {h: lab.running_config(h) for h in ALL_HOSTS} == before
    err = capsys.readouterr().err
    assert "unknown tenant 'event99'" in err and "e43-spoke1" in err and "Traceback" not in err
