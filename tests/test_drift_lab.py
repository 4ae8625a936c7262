"""The drift runbook against the emulated lab, through `runbooks/drift.py`'s `main(argv)`.

A change made by hand over SSH (netmiko, as an engineer would) is found, `--remediate` restores
it through the deploy path (backup, push, save), and drift is clean again; a hand-added object
the intent does not know is reported as unexpected and left in place.
"""

from __future__ import annotations

import json
from pathlib import Path

from netmiko import ConnectHandler


def lab_session(lab, host: str, **settings) -> ConnectHandler:
    """A netmiko session to a lab device with the lab's credentials, as a person would open."""
    settings = {"use_keys": False, "allow_agent": False, **settings}
    return ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=lab.ports[host],
        username="admin",
        password="admin",
        secret="admin",
        **settings,
    )


def by_hand(lab, host: str, lines: list[str]) -> None:
    """Configure over SSH with netmiko, the way a person at a terminal would."""
    conn = lab_session(lab, host)
    try:
        conn.enable()
        output = conn.send_config_set(lines)
    finally:
        conn.disconnect()
    assert "%" not in output, output


def run_drift(config: Path, state: Path, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    from runbooks import drift

    out = tmp_path / "drift.json"
    out.unlink(missing_ok=True)
    argv = ["--lab", "--lab-state", str(state), "-c", str(config), "--json", str(out), *extra]
    code = drift.main(argv)
    return code, json.loads(out.read_text()) if out.exists() else {}


def test_deployed_lab_has_no_drift(deployed, tmp_path: Path) -> None:
    _lab, config, state = deployed
    code, report = run_drift(config, state, tmp_path)
    assert report["drift"] is False, report
    assert code == 0
    assert set(report["hosts"]) == {
        "hub1",
        "e42-spoke1",
        "e42-spoke2",
        "e42-spoke3",
        "e43-spoke1",
        "e43-spoke2",
    }


def test_hand_change_is_found_and_remediated(deployed, tmp_path: Path, capsys) -> None:
    lab, config, state = deployed
    by_hand(lab, "hub1", ["interface Tunnel42", "ip nhrp holdtime 600"])
    code, report = run_drift(config, state, tmp_path, "--tenant", "event42")
    assert code == 1 and report["drift"] is True
    hub = report["hosts"]["hub1"]
    assert hub["missing"] == ["interface Tunnel42", " ip nhrp holdtime 300"]
    assert report["hosts"]["e42-spoke1"] == {
        "drift": False,
        "missing": [],
        "unexpected": [],
        "removes": [],
        "orphans": {},
    }

    code, report = run_drift(config, state, tmp_path, "--tenant", "event42", "--remediate")
    assert code == 1  # drift was found (and restored)
    assert report["hosts"]["hub1"]["remediation"] == "ok"
    assert " ip nhrp holdtime 300" in lab.running_config("hub1")
    assert " ip nhrp holdtime 300" in lab.startup_config("hub1")  # saved
    assert "test-psk-event42" not in capsys.readouterr().out

    code, report = run_drift(config, state, tmp_path)
    assert code == 0 and report["drift"] is False


def test_hand_added_object_is_reported_and_left_in_place(deployed, tmp_path: Path) -> None:
    lab, config, state = deployed
    acl = ["ip access-list extended ACL-HAND-MADE", "permit ip any any"]
    by_hand(lab, "hub1", acl)
    try:
        code, report = run_drift(config, state, tmp_path, "--remediate")
        assert code == 1
        hub = report["hosts"]["hub1"]
        assert hub["unexpected"] == ["ip access-list extended ACL-HAND-MADE"]
        assert hub["missing"] == [] and "remediation" not in hub
        assert "ip access-list extended ACL-HAND-MADE" in lab.running_config("hub1")
        # a tenant-scoped run only looks at that tenant's objects
        assert run_drift(config, state, tmp_path, "--tenant", "event43")[0] == 0
    finally:
        assert lab.configure("hub1", ["no ip access-list extended ACL-HAND-MADE"]) == []
    assert run_drift(config, state, tmp_path)[0] == 0


def test_missing_secret_is_invalid_input(deployed, tmp_path: Path, monkeypatch, capsys) -> None:
    _lab, config, state = deployed
    monkeypatch.delenv("EVENT43_PSK")
    assert run_drift(config, state, tmp_path) == (2, {})
    assert "EVENT43_PSK is not set" in capsys.readouterr().err
