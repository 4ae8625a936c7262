"""Moving live tenants from the article's layout onto the current baseline, through the real
baseline runbook against the lab: the dry-run prints the impact per tenant and changes nothing,
the migration itself leaves verify green, and a plan that would cut the automation's own
management path is refused."""

from __future__ import annotations

import json
from pathlib import Path

from test_deploy import run
from test_drift_lab import by_hand

from runbooks import baseline, verify

OLD_LAYOUT = [
    # the 2017 suite: SHA-1 HMAC, IOS's default IKEv2 proposal (no policy), no PFS
    "crypto ipsec transform-set TS-SECURE-CIPHERS esp-aes 256 esp-sha-hmac",
    "mode transport",
    "exit",
    "no crypto ikev2 policy IKEv2-POLICY-DMVPN",
    "no crypto ikev2 proposal IKEv2-PROPOSAL-DMVPN",
    # one IPsec profile per tenant on the shared WAN source, without `shared`
    *[
        line
        for tag in ("EVENT42", "EVENT43")
        for line in (
            f"crypto ipsec profile IPSEC-PROFILE-{tag}",
            "set transform-set TS-SECURE-CIPHERS",
            f"set ikev2-profile IKEv2-PROFILE-{tag}",
            "exit",
            f"interface Tunnel{tag[-2:]}",
            f"tunnel protection ipsec profile IPSEC-PROFILE-{tag}",
            "exit",
        )
    ],
    "no crypto ipsec profile IPSEC-PROFILE-WAN",
    # SSH from anywhere
    "ip access-list extended ACL-MANAGEMENT",
    "permit tcp any any eq 22",
]


def old_layout(lab, config: Path, state: Path) -> str:
    """Both tenants deployed, then the headend put back into the article's layout by hand."""
    assert run(config, state, "event42") == 0 and run(config, state, "event43") == 0
    by_hand(lab, "hub1", OLD_LAYOUT)
    hub = lab.running_config("hub1")
    assert "tunnel protection ipsec profile IPSEC-PROFILE-EVENT42" in hub
    assert "IPSEC-PROFILE-WAN" not in hub and "permit tcp any any eq 22" in hub
    return hub


def run_baseline(config: Path, state: Path, *extra: str) -> int:
    argv = ["--host", "hub1", "--lab", "--lab-state", str(state), "-c", str(config), *extra]
    return baseline.main(argv)


def test_dry_run_prints_the_impact_then_the_migration_leaves_verify_green(
    fresh_lab, tmp_path: Path, capsys
) -> None:
    lab, config, state = fresh_lab
    before = old_layout(lab, config, state)
    capsys.readouterr()

    assert run_baseline(config, state, "--dry-run") == 0
    out = " ".join(capsys.readouterr().out.split())  # rich wraps long lines
    assert lab.running_config("hub1") == before  # a dry run touches nothing
    for tenant, spokes in (("event42", "e42-spoke1, e42-spoke2, e42-spoke3"),
                           ("event43", "e43-spoke1, e43-spoke2")):  # fmt: skip
        tag = tenant.upper()
        assert (
            f"hub1: impact: {tenant}: Tunnel{tenant[-2:]}: tunnel protection IPSEC-PROFILE-{tag} "
            f"-> IPSEC-PROFILE-WAN shared; its SAs are torn down and rebuilt by its spokes "
            f"({spokes}), which re-register"
        ) in out
        assert f"hub1: impact: {tenant}: prunes crypto ipsec profile IPSEC-PROFILE-{tag}" in out
        assert f"hub1: impact: {tenant}: crypto suite changes" in out
        assert f"deploy {tenant} right after" in out
    assert (
        "hub1: impact: shared: prunes from ip access-list extended ACL-MANAGEMENT: "
        "permit tcp any any eq 22"
    ) in out

    assert run_baseline(config, state, "--json", str(tmp_path / "b.json")) == 0
    impact = json.loads((tmp_path / "b.json").read_text())["hosts"]["hub1"]["impact"]
    assert set(impact) == {"event42", "event43", "shared"}
    hub = lab.running_config("hub1")
    assert "IPSEC-PROFILE-EVENT42" not in hub and "IPSEC-PROFILE-EVENT43" not in hub
    assert hub.count("tunnel protection ipsec profile IPSEC-PROFILE-WAN shared") == 2
    assert "permit tcp any any eq 22" not in hub and "esp-gcm 256" in hub
    # the tenants' deploys find their part of the headend as intended
    for tenant in ("event42", "event43"):
        assert run(config, state, tenant, json_file=tmp_path / f"{tenant}.json") == 0
        hosts = json.loads((tmp_path / f"{tenant}.json").read_text())["hosts"]
        assert hosts["hub1"]["lines_pushed"] == 0, hosts["hub1"]
        argv = ["--tenant", tenant, "--lab", "--lab-state", str(state), "-c", str(config)]
        assert verify.main([*argv, "--wait", "30", "--poll", "0.3"]) == 0
    capsys.readouterr()
    assert run_baseline(config, state, "--dry-run") == 0  # settled: nothing left to move
    assert "impact" not in capsys.readouterr().out


def test_a_plan_that_would_cut_the_automations_ssh_is_refused(fresh_lab, capsys) -> None:
    lab, config, state = fresh_lab
    before = old_layout(lab, config, state)
    by_hand(lab, "hub1", ["ip access-list extended ACL-VTY-MGMT", "permit tcp any any eq 22"])
    capsys.readouterr()
    # the automation comes from 203.0.113.50: only the stray `any` line lets it in today
    assert run_baseline(config, state, "--source", "203.0.113.50") == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "would cut the automation's own management path" in out
    assert "ACL-VTY-MGMT would no longer permit SSH from 203.0.113.50" in out
    after = lab.running_config("hub1")
    assert "IPSEC-PROFILE-WAN" not in after and "IPSEC-PROFILE-EVENT42" in after  # nothing sent
    assert after.count("permit tcp any any eq 22") == before.count("permit tcp any any eq 22") + 1
    # from inside the management network the same plan goes through
    assert run_baseline(config, state, "--source", "198.51.100.7", "--dry-run") == 0
    assert run_baseline(config, state, "--source", "not-an-address") == 2
