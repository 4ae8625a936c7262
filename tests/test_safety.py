"""Shared-headend safety through the real runbooks against the lab: exact ownership on the
device, rollback that tells the truth, the change lease, drift that repairs, orphaned tenants,
and a run killed mid-change."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from test_deploy import HOSTS_42, HOSTS_43, holds_intent, run  # tests/ on sys.path
from test_drift_lab import by_hand, lab_session, run_drift
from test_teardown import tear

from tasks.backup import normalize
from tasks.lease import LEASE_FILE, Lease, format_lease
from tasks.manifest import MANIFEST_FILE, parse_manifest

REPO = Path(__file__).resolve().parents[1]


def report(path: Path) -> dict:
    return json.loads(path.read_text())


def plant_lease(lab, host: str, lease: Lease) -> None:
    """Write a lease file over SSH the way another automation host would."""
    from tasks.flash import write_flash

    conn = lab_session(lab, host)
    try:
        conn.enable()
        write_flash(conn, LEASE_FILE, format_lease(lease))
    finally:
        conn.disconnect()


def test_host_names_containing_the_tenant_name_are_never_touched(fresh_lab, tmp_path) -> None:
    """`no hostname …` was once sent to a spoke named after its tenant."""
    lab, config, state = fresh_lab
    by_hand(lab, "e42-spoke1", ["hostname event42-a", "ip domain name event42.example.net"])
    assert run(config, state, "event42") == 0
    assert tear(config, state, "event42", json_file=tmp_path / "t.json") == 0
    spoke = lab.running_config("e42-spoke1")
    assert "hostname event42-a" in spoke and "ip domain name event42.example.net" in spoke
    assert "interface Tunnel42" not in spoke
    assert report(tmp_path / "t.json")["ok"]


def test_manifest_records_ownership_on_the_device(fresh_lab) -> None:
    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    assert run(config, state, "event43") == 0
    claims = parse_manifest(lab.exec("hub1", f"more flash:{MANIFEST_FILE}"))
    assert set(claims) == {"event42", "event43"}
    assert ("interface Tunnel42",) in claims["event42"].paths
    assert not claims["event42"].paths & claims["event43"].paths
    assert tear(config, state, "event42") == 0
    assert set(parse_manifest(lab.exec("hub1", f"more flash:{MANIFEST_FILE}"))) == {"event43"}


def test_rollback_on_a_shared_headend_reports_rolled_back(fresh_lab, tmp_path) -> None:
    """With another tenant on the headend, a failed change is restored and says so."""
    from lab.api import Fault

    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    before = lab.running_config("hub1")
    lab.inject("hub1", Fault(refuse_pattern=r"^tunnel key 43$"))
    assert run(config, state, "event43", json_file=tmp_path / "r.json") == 1
    hub = report(tmp_path / "r.json")["hosts"]["hub1"]
    assert hub["status"] == "rolled back", hub
    assert "FAILED" not in (hub["error"] or "")
    assert 0 < hub["lines_pushed"] < hub["lines_planned"]
    assert normalize(lab.running_config("hub1")) == normalize(before)
    assert LEASE_FILE not in lab.exec("hub1", "dir flash:")


def test_drift_remediate_repairs_a_shutdown_on_a_tenant_tunnel(deployed, tmp_path) -> None:
    lab, config, state = deployed
    by_hand(lab, "hub1", ["interface Tunnel42", "shutdown"])
    code, found = run_drift(config, state, tmp_path)
    assert code == 1 and found["hosts"]["hub1"]["removes"] == ["interface Tunnel42", " shutdown"]
    code, _ = run_drift(config, state, tmp_path, "--remediate")
    assert "shutdown" not in lab.running_config("hub1").split("interface Tunnel42")[1].split("!")[0]
    code, found = run_drift(config, state, tmp_path)
    assert code == 0 and found["drift"] is False


def test_a_held_lease_is_waited_for_then_reported_with_its_holder(fresh_lab, tmp_path) -> None:
    lab, config, state = fresh_lab
    before = {h: lab.running_config(h) for h in HOSTS_42}
    now = time.time()
    held = Lease("alice@ops2 pid 99", "event43", now, now + 600, "abc123")
    plant_lease(lab, "hub1", held)
    started = time.monotonic()
    code = run(config, state, "event42", "--lease-wait", "2", json_file=tmp_path / "b.json")
    assert code == 1 and time.monotonic() - started < 30
    hub = report(tmp_path / "b.json")["hosts"]["hub1"]
    assert hub["status"] == "failed" and "alice@ops2 pid 99" in hub["error"]
    assert {h: lab.running_config(h) for h in HOSTS_42} == before  # nothing touched


def test_a_stale_lease_is_reported_and_taken_over(fresh_lab, tmp_path) -> None:
    lab, config, state = fresh_lab
    then = time.time() - 3600
    dead = Lease("bob@ops3 pid 7", "event43", then, then + 60, "dead01")
    plant_lease(lab, "hub1", dead)
    assert run(config, state, "event42", json_file=tmp_path / "s.json") == 0
    hub = report(tmp_path / "s.json")["hosts"]["hub1"]
    assert hub["status"] == "ok" and "bob@ops3 pid 7" in (hub["error"] or "")
    assert LEASE_FILE not in lab.exec("hub1", "dir flash:")


def test_a_spoke_read_while_the_headend_changes_is_read_again_under_its_lease(
    fresh_lab, tmp_path, monkeypatch
) -> None:
    """Spokes read and plan while the headend is being changed (nothing written); a change made
    by hand on a spoke after that read, before its lease, is seen under the lease and undone."""
    from tasks import change

    lab, config, state = fresh_lab
    read_early: list[str] = []
    original = change.EarlyReads._read

    def then_by_hand(self, nr, host, planner) -> None:
        original(self, nr, host, planner)
        read_early.append(host)
        if host == "e42-spoke1":
            by_hand(lab, host, ["interface Tunnel42", "load-interval 30"])

    monkeypatch.setattr(change.EarlyReads, "_read", then_by_hand)
    assert run(config, state, "event42", json_file=tmp_path / "r.json") == 0
    assert sorted(read_early) == sorted(h for h in HOSTS_42 if h != "hub1")
    assert "load-interval 30" not in lab.running_config("e42-spoke1")
    holds_intent(lab, config, "event42", HOSTS_42)


def test_a_tenant_gone_from_the_inventory_is_named_and_can_be_torn_down(
    fresh_lab, tmp_path, capsys
) -> None:
    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    assert run(config, state, "event43") == 0
    groups_file = config.parent / "inventory" / "groups.yaml"
    hosts_file = config.parent / "inventory" / "hosts.yaml"
    groups, hosts = groups_file.read_text(), hosts_file.read_text()
    try:
        kept_groups = yaml.safe_load(groups)
        del kept_groups["tenant-event43"]
        kept_hosts = {
            name: spec for name, spec in yaml.safe_load(hosts).items() if name not in HOSTS_43[1:]
        }
        groups_file.write_text(yaml.safe_dump(kept_groups))
        hosts_file.write_text(yaml.safe_dump(kept_hosts))
        code, found = run_drift(config, state, tmp_path)
        assert code == 1 and found["orphaned_tenants"] == ["event43"]
        assert "interface Tunnel43" in found["hosts"]["hub1"]["orphans"]["event43"]
        assert tear(config, state, "event43") == 2  # unknown without --orphan: a typo, refused
        assert "unknown tenant 'event43'" in capsys.readouterr().err
        assert tear(config, state, "event43", "--orphan", json_file=tmp_path / "o.json") == 0
        hub = lab.running_config("hub1")
        assert "interface Tunnel43" not in hub and "VRF-EVENT43" not in hub
        holds_intent(lab, config, "event42", HOSTS_42)
        code, found = run_drift(config, state, tmp_path)
        assert code == 0, found
    finally:
        groups_file.write_text(groups)
        hosts_file.write_text(hosts)


def _deploy_process(config: Path, state: Path, tenant: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    argv = [sys.executable, str(REPO / "runbooks" / "deploy.py"), "--tenant", tenant]
    argv += ["--lab", "--lab-state", str(state), "-c", str(config), *extra]
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _wait_for(process: subprocess.Popen, text: str, timeout: float = 60) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen += line
        if text in line:
            return seen
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"never saw {text!r}:\n{seen}")


def test_sigterm_mid_push_rolls_back_and_exits_130(fresh_lab, tmp_path) -> None:
    from lab.api import Fault

    lab, config, state = fresh_lab
    before = lab.running_config("hub1")
    lab.inject("hub1", Fault(latency=0.05))
    process = _deploy_process(config, state, "event42", "--json", str(tmp_path / "k.json"))
    _wait_for(process, "lines pushed")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=120) == 130
    hub = report(tmp_path / "k.json")["hosts"]["hub1"]
    assert hub["status"] == "rolled back", hub
    assert normalize(lab.running_config("hub1")) == normalize(before)
    assert [report(tmp_path / "k.json")["hosts"][h]["status"] for h in HOSTS_42[1:]] == [
        "skipped"
    ] * 3


def test_a_killed_run_is_undone_by_the_device_and_reported_next_time(fresh_lab, tmp_path) -> None:
    """kill -9 mid-push: IOS's revert timer restores the headend; the next run finds the dead
    run's lease, reports its holder and goes on."""
    from lab.api import Fault

    lab, config, state = fresh_lab
    before = lab.running_config("hub1")
    lab.inject("hub1", Fault(latency=0.05))
    process = _deploy_process(
        config, state, "event42", "--revert-minutes", "2", "--lease-wait", "1"
    )
    _wait_for(process, "lines pushed")
    process.kill()
    process.wait(timeout=30)
    lab.clear_faults()
    # the dead run's change is under way, and the device holds a revert for it
    assert "Timer value: 2 min" in lab.exec("hub1", "show archive config rollback timer")
    deadline = time.monotonic() + 3.0 * 2 + 30  # two IOS minutes of the test lab, and slack
    while time.monotonic() < deadline and normalize(lab.running_config("hub1")) != normalize(
        before
    ):
        time.sleep(0.2)
    pending = lab.exec("hub1", "show archive config rollback timer")
    assert "No Rollback Confirmed Change pending" in pending  # the timer fired
    assert normalize(lab.running_config("hub1")) == normalize(before)  # the device reverted
    assert run(config, state, "event42", "--lease-wait", "1", json_file=tmp_path / "n.json") == 1
    hub = report(tmp_path / "n.json")["hosts"]["hub1"]
    assert "device busy" in hub["error"] and "pid" in hub["error"]  # the dead run's lease, named
