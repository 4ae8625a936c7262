"""A tenant on its own tunnel source (a loopback in VRF-FRONT) with its own IPsec profile.

Cisco's sharing rule ("Sharing IPsec with Tunnel Protection", Restrictions) binds the tunnels of
one source interface: event43 alone on Loopback43 has its own profile (with
`set ikev2-profile`, no `shared`), while event42 stays on the WAN's shared profile.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_deploy import HOSTS_43, holds_intent, run  # tests/ is on sys.path
from test_teardown import tear

from runbooks import verify
from tasks.intent import IntentError, load_intent
from tasks.render import intended_config, render_host

SOURCE = "      tunnel_source: {interface: Loopback43, address: 203.0.113.143}\n"
ANCHOR = "      ikev2_domain: event43.example.net\n"


def with_source(config: Path, text: str = SOURCE, anchor: str = ANCHOR) -> None:
    groups = config.parent / "inventory" / "groups.yaml"
    original = groups.read_text()
    assert anchor in original
    groups.write_text(original.replace(anchor, anchor + text, 1))


@pytest.fixture
def own_source(inventory_copy: Path, example_secrets) -> Path:
    with_source(inventory_copy)
    return inventory_copy


def test_render_gives_the_tenant_its_loopback_profile_and_spokes_its_address(own_source):
    intent = load_intent(own_source)
    hub = intended_config(render_host(intent, "hub1", None))
    assert (
        "interface Loopback43\n description DMVPN SOURCE TENANT EVENT43\n"
        " vrf forwarding VRF-FRONT\n ip address 203.0.113.143 255.255.255.255\n!\n"
    ) in hub
    tunnel43 = hub.split("interface Tunnel43\n")[1].split("!\n")[0]
    assert " tunnel source Loopback43\n" in tunnel43
    assert tunnel43.endswith(" tunnel protection ipsec profile IPSEC-PROFILE-EVENT43\n")
    profile = hub.split("crypto ipsec profile IPSEC-PROFILE-EVENT43\n")[1].split("!\n")[0]
    assert profile == (
        " set transform-set TS-SECURE-CIPHERS\n set pfs group20\n"
        " set ikev2-profile IKEv2-PROFILE-EVENT43\n"
    )
    # event42 stays on the WAN with the shared profile
    tunnel42 = hub.split("interface Tunnel42\n")[1].split("!\n")[0]
    assert " tunnel source GigabitEthernet0/0/0\n" in tunnel42
    assert " tunnel protection ipsec profile IPSEC-PROFILE-WAN shared\n" in tunnel42
    # only event43's render has the loopback and the profile: they are the tenant's
    only42 = intended_config(render_host(intent, "hub1", "event42"))
    assert "Loopback43" not in only42 and "IPSEC-PROFILE-EVENT43" not in only42

    spoke = intended_config(render_host(intent, "e43-spoke1", None))
    assert " ip nhrp nhs 172.16.43.1 nbma 203.0.113.143 multicast\n" in spoke
    assert "  address 203.0.113.143\n" in spoke and "192.0.2.10" not in spoke
    assert " ip nhrp nhs 172.16.42.1 nbma 192.0.2.10 multicast\n" in intended_config(
        render_host(intent, "e42-spoke1", None)
    )


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("{interface: GigabitEthernet0/0/2, address: 203.0.113.143}", "interface", "loopback"),
        ("{interface: Loopback43, address: 224.0.0.5}", "address", "not a unicast"),
        ("{interface: Loopback43, address: 192.0.2.43}", "address", "WAN subnet 192.0.2.0/24"),
        ("{interface: Loopback43, address: 198.51.100.43}", "address", "MGMT subnet"),
        ("{interface: Loopback43}", "address", "required"),
    ],
)
def test_validation_refuses_a_bad_tunnel_source(
    inventory_copy, example_secrets, text, field, message
):
    with_source(inventory_copy, f"      tunnel_source: {text}\n")
    with pytest.raises(IntentError) as err:
        load_intent(inventory_copy)
    found = [str(p) for p in err.value.problems]
    assert len(found) == 1, found
    assert f"inventory/groups.yaml: tenant-event43: data.tenant.tunnel_source.{field}: " in found[0]
    assert message in found[0]


@pytest.mark.parametrize(
    ("second", "field"),
    [
        ("{interface: Loopback43, address: 203.0.113.142}", "interface"),
        ("{interface: Loopback42, address: 203.0.113.143}", "address"),
    ],
)
def test_validation_refuses_two_tenants_on_one_source(own_source, second, field):
    anchor = "      name: event42\n"
    with_source(own_source, f"      tunnel_source: {second}\n", anchor)
    with pytest.raises(IntentError) as err:
        load_intent(own_source)
    found = [str(p) for p in err.value.problems]
    assert len(found) == 1, found
    assert f"tenant-event43: data.tenant.tunnel_source.{field}:" in found[0]
    assert "already tenant event42's tunnel source on hub1" in found[0]


def test_cli_exits_2_with_the_location(inventory_copy, example_secrets, capsys):
    from runbooks import render

    with_source(
        inventory_copy, "      tunnel_source: {interface: Loopback43, address: 192.0.2.9}\n"
    )
    assert render.main(["--tenant", "event43", "-c", str(inventory_copy)]) == 2
    captured = capsys.readouterr()
    assert "tenant-event43: data.tenant.tunnel_source.address" in captured.err + captured.out
    assert "Traceback" not in captured.err


@pytest.fixture
def lab_with_source(fresh_lab) -> Iterator[tuple[object, Path, Path]]:
    """The fresh deploy lab driven by an inventory copy in which event43 has its own source."""
    lab, config, state = fresh_lab
    root = config.parent / "own-source"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    shutil.copy(config, root / "config.yaml")
    shutil.copytree(config.parent / "inventory", root / "inventory")
    with_source(root / "config.yaml")
    yield lab, root / "config.yaml", state
    shutil.rmtree(root, ignore_errors=True)


def verify_report(config: Path, state: Path, tenant: str, out: Path) -> tuple[int, dict]:
    argv = ["--tenant", tenant, "--lab", "--lab-state", str(state), "-c", str(config)]
    code = verify.main([*argv, "--poll", "0.3", "--wait", "30", "--json", str(out)])
    return code, json.loads(out.read_text())


def test_lab_tenant_on_its_own_source_beside_the_shared_one(lab_with_source, tmp_path):
    lab, config, state = lab_with_source
    assert run(config, state, "event42") == 0
    assert run(config, state, "event43") == 0
    hub = lab.running_config("hub1")
    assert "interface Loopback43" in hub and "tunnel source Loopback43" in hub

    for tenant in ("event42", "event43"):
        code, report = verify_report(config, state, tenant, tmp_path / f"{tenant}.json")
        failed = {(c["host"], c["check"]): c["detail"] for c in report["checks"] if not c["passed"]}
        assert failed == {} and code == 0, failed
    # the spokes registered to the loopback address, the hub answered from it
    dmvpn = lab.exec("e43-spoke1", "show dmvpn")
    assert "203.0.113.143" in dmvpn and "192.0.2.10" not in dmvpn
    sessions = lab.exec("hub1", "show crypto session detail")
    assert "Profile: IKEv2-PROFILE-EVENT43" in sessions

    # redeploy pushes nothing; teardown removes the loopback and the tenant's profile
    assert run(config, state, "event43", json_file=tmp_path / "again.json") == 0
    again = json.loads((tmp_path / "again.json").read_text())["hosts"]
    assert {h: r["lines_pushed"] for h, r in again.items()} == dict.fromkeys(HOSTS_43, 0)
    # drift sees the loopback and the profile as event43's and finds them as intended
    from test_drift_lab import run_drift

    code, report = run_drift(config, state, tmp_path)
    assert report["drift"] is False and code == 0, report
    assert tear(config, state, "event43") == 0
    hub = lab.running_config("hub1")
    assert "Loopback43" not in hub and "IPSEC-PROFILE-EVENT43" not in hub
    assert "crypto ipsec profile IPSEC-PROFILE-WAN" in hub
    holds_intent(lab, config, "event42", ["hub1", "e42-spoke1", "e42-spoke2", "e42-spoke3"])
