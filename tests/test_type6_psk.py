"""Pre-shared keys stored as type 6 on the devices, through the real runbooks against the lab:
the baseline turns encryption on, a redeploy and drift of an unchanged device do nothing, a key
changed in the intent is pushed, a key changed by hand is reported, and no key or master key
ever reaches the manifest, a backup or the output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from test_deploy import HOSTS_42, holds_intent, run
from test_drift_lab import by_hand, run_drift

from tasks.manifest import MANIFEST_FILE, parse_manifest

TYPE6 = re.compile(r"^\s+pre-shared-key 6 \S+$", re.M)


def key_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "pre-shared-key" in line]


def test_deployed_keys_are_type_6_and_judged_by_the_manifest(
    fresh_lab, example_secrets, tmp_path: Path, capsys
) -> None:
    lab, config, state = fresh_lab
    master, psk = example_secrets["DMVPN_MASTER_KEY"], example_secrets["EVENT42_PSK"]
    hub = lab.running_config("hub1")
    assert "password encryption aes" in hub and master not in hub  # IOS never shows it
    assert run(config, state, "event42", json_file=tmp_path / "a.json") == 0
    for host in HOSTS_42:
        running = lab.running_config(host)
        assert psk not in running and key_lines(running)
        assert all(TYPE6.match(" " + line) for line in key_lines(running)), host
        claims = parse_manifest(lab.exec(host, f"more flash:{MANIFEST_FILE}"))
        assert claims["event42"].keys, host  # every deployed key recorded ...
        manifest = lab.exec(host, f"more flash:{MANIFEST_FILE}")
        assert psk not in manifest and master not in manifest  # ... never the key itself
    backups = [p.read_text() for p in (config.parent / "backups").rglob("*.cfg")]
    assert backups and not any(psk in text or master in text for text in backups)
    assert psk not in capsys.readouterr().out

    # unchanged devices: a redeploy pushes nothing, drift finds nothing
    assert run(config, state, "event42", json_file=tmp_path / "b.json") == 0
    assert all(h["lines_pushed"] == 0 for h in _hosts(tmp_path / "b.json"))
    code, report = run_drift(config, state, tmp_path, "--tenant", "event42")
    assert code == 0 and report["drift"] is False, report


def test_a_key_changed_in_the_intent_is_pushed_once(fresh_lab, tmp_path, monkeypatch) -> None:
    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    before = key_lines(lab.running_config("hub1"))
    monkeypatch.setenv("EVENT42_PSK", "a-new-psk-for-event42")
    assert run(config, state, "event42", json_file=tmp_path / "c.json") == 0
    assert all(h["lines_pushed"] > 0 for h in _hosts(tmp_path / "c.json"))
    assert key_lines(lab.running_config("hub1")) != before
    holds_intent(lab, config, "event42", HOSTS_42)
    assert run(config, state, "event42", json_file=tmp_path / "d.json") == 0
    assert all(h["lines_pushed"] == 0 for h in _hosts(tmp_path / "d.json"))


def test_a_key_changed_by_hand_is_drift_and_a_deploy_restores_it(fresh_lab, tmp_path) -> None:
    lab, config, state = fresh_lab
    assert run(config, state, "event42") == 0
    peer = ["crypto ikev2 keyring IKEv2-KEYRING-EVENT42", "peer SPOKES-EVENT42"]
    by_hand(lab, "hub1", [*peer, "pre-shared-key typed-by-hand"])
    code, report = run_drift(config, state, tmp_path, "--tenant", "event42")
    assert code == 1
    unexpected = report["hosts"]["hub1"]["unexpected"]
    assert any("pre-shared-key 6 <masked>" in line for line in unexpected), report
    assert "typed-by-hand" not in str(report)
    assert run(config, state, "event42", json_file=tmp_path / "e.json") == 0
    pushed = {name: h["lines_pushed"] for name, h in _report(tmp_path / "e.json").items()}
    assert pushed["hub1"] > 0 and all(pushed[s] == 0 for s in HOSTS_42[1:]), pushed
    code, report = run_drift(config, state, tmp_path, "--tenant", "event42")
    assert code == 0, report
    # drift --remediate restores it too, and records the new string: the next drift is clean
    by_hand(lab, "e42-spoke2", [*peer, "pre-shared-key typed-again"])
    code, _ = run_drift(config, state, tmp_path, "--tenant", "event42", "--remediate")
    assert code == 1
    code, report = run_drift(config, state, tmp_path, "--tenant", "event42")
    assert code == 0, report


def test_encryption_turned_on_after_deploy_leaves_no_drift(
    fresh_lab, example_secrets, tmp_path
) -> None:
    """A device deployed with keys in clear, then baselined: the keys it encrypts are recorded,
    so drift does not take the salted strings for hand-made changes."""
    from runbooks import baseline

    lab, config, state = fresh_lab
    psk = example_secrets["EVENT42_PSK"]
    for host in HOSTS_42:
        by_hand(lab, host, ["no password encryption aes", "no key config-key password-encrypt"])
    assert run(config, state, "event42") == 0
    assert f"pre-shared-key {psk}" in lab.running_config("hub1")
    argv = ["--host", *HOSTS_42, "--lab", "--lab-state", str(state), "-c", str(config)]
    assert baseline.main(argv) == 0
    assert all(TYPE6.match(" " + line) for line in key_lines(lab.running_config("hub1")))
    code, report = run_drift(config, state, tmp_path, "--tenant", "event42")
    assert code == 0 and report["drift"] is False, report


def _report(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text())["hosts"]


def _hosts(path: Path) -> list[dict]:
    return list(_report(path).values())
