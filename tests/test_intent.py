"""Loading the inventory into typed intent: values, inheritance, secrets, and clean problems."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest

from tasks.intent import IntentError, Problem, load_intent
from tasks.secrets import mask


def test_example_intent_is_typed(example_config: Path, example_secrets: dict[str, str]) -> None:
    intent = load_intent(example_config)
    t42 = intent.tenants["event42"]
    assert (t42.headend, t42.vrf, t42.tunnel, t42.tunnel_key, t42.nhrp_network_id) == (
        "hub1",
        "VRF-EVENT42",
        42,
        42,
        42,
    )
    assert t42.tunnel_subnet == IPv4Network("172.16.42.0/24")
    assert t42.hub_tunnel_ip == IPv4Address("172.16.42.1")
    assert (t42.eigrp_as, t42.ikev2_domain, t42.multicast) == (42, "event42.example.net", True)
    assert (t42.psk, t42.nhrp_key) == ("test-psk-event42", "tnhrp42")
    assert t42.spokes == ["e42-spoke1", "e42-spoke2", "e42-spoke3"]
    assert intent.tenants["event43"].spokes == ["e43-spoke1", "e43-spoke2"]
    hub = intent.hosts["hub1"]
    assert (hub.role, hub.model, hub.tenants) == ("headend", "ISR4331", ["event42", "event43"])
    assert str(hub.wan.address) == "192.0.2.10/24" and hub.mgmt is not None
    spoke = intent.hosts["e43-spoke2"]
    assert (spoke.role, spoke.tenant, spoke.wan.dhcp) == ("spoke", "event43", True)
    assert spoke.tunnel_ip == IPv4Address("172.16.43.12")
    assert spoke.settings.tunnel.ip_mtu == 1400 and spoke.settings.timers.nhrp_holdtime == 300


def test_hosts_for_puts_the_headend_first(
    example_config: Path, example_secrets: dict[str, str]
) -> None:
    intent = load_intent(example_config)
    assert intent.hosts_for("event43") == ["hub1", "e43-spoke1", "e43-spoke2"]
    with pytest.raises(IntentError) as raised:
        intent.hosts_for("event44")
    assert (
        str(raised.value)
        == "command line: --tenant: tenant: unknown tenant 'event44' (known: event42, event43)"
    )


def test_problem_is_one_line() -> None:
    problem = Problem("inventory/hosts.yaml", "e42-spoke1", "data.tunnel_ip", "bad")
    assert str(problem) == "inventory/hosts.yaml: e42-spoke1: data.tunnel_ip: bad"
    assert str(IntentError([problem, problem])).count("\n") == 1


def test_environment_wins_over_secrets_file(
    inventory_copy: Path, example_secrets: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVENT43_PSK")
    secrets = inventory_copy.parent / "secrets.yaml"  # the default place, next to config.yaml
    secrets.write_text("EVENT42_PSK: from-file-42\nEVENT43_PSK: from-file-43\n")
    intent = load_intent(inventory_copy)
    assert intent.tenants["event42"].psk == "test-psk-event42"
    assert intent.tenants["event43"].psk == "from-file-43"


def test_secrets_file_option(
    inventory_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("EVENT42_PSK", "EVENT42_NHRP_KEY", "EVENT43_PSK", "EVENT43_NHRP_KEY"):
        monkeypatch.delenv(name, raising=False)
    demo = Path(__file__).resolve().parents[1] / "secrets.example.yaml"
    intent = load_intent(inventory_copy, demo)
    assert intent.tenants["event43"].nhrp_key == "demo43"
    with pytest.raises(IntentError, match=r"nowhere\.yaml: -: -: cannot read file"):
        load_intent(inventory_copy, tmp_path / "nowhere.yaml")


def test_require_secrets(inventory_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENT42_PSK", "p42")
    monkeypatch.setenv("EVENT42_NHRP_KEY", "k42")
    for name in ("EVENT43_PSK", "EVENT43_NHRP_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert load_intent(inventory_copy, require_secrets=False).tenants["event43"].psk == ""
    assert load_intent(inventory_copy, require_secrets=["event42"]).tenants["event42"].psk == "p42"
    with pytest.raises(IntentError) as raised:
        load_intent(inventory_copy)
    assert [p.field for p in raised.value.problems] == ["data.tenant.psk", "data.tenant.nhrp_key"]


def test_credentials_are_checked_only_when_asked(
    example_config: Path, example_secrets: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    intent = load_intent(example_config)
    with pytest.raises(IntentError) as raised:
        intent.check_credentials(["hub1", "e42-spoke1"])
    assert str(raised.value).endswith(  # one line: both hosts inherit the same credentials
        "defaults.yaml: defaults: data.credentials: "
        "not set: DMVPN_USERNAME, DMVPN_PASSWORD, DMVPN_ENABLE (environment or secrets file)"
    )
    assert "\n" not in str(raised.value)
    monkeypatch.setenv("DMVPN_USERNAME", "netops")
    monkeypatch.setenv("DMVPN_PASSWORD", "pw-secret")
    monkeypatch.setenv("DMVPN_ENABLE", "en-secret")
    intent = load_intent(example_config)
    intent.check_credentials(intent.hosts)
    assert intent.hosts["e42-spoke1"].credentials.username == "netops"
    assert {"pw-secret", "en-secret", "test-psk-event43"} <= set(intent.secret_values())


def test_mask_takes_values_or_an_intent(
    example_config: Path, example_secrets: dict[str, str]
) -> None:
    intent = load_intent(example_config)
    text = "pre-shared-key test-psk-event42\n ip nhrp authentication tnhrp43"
    assert mask(text, intent) == "pre-shared-key <masked>\n ip nhrp authentication <masked>"
    prose = "psk test-psk-event42, nhrp key tnhrp43"
    assert mask(prose, ["tnhrp43"]) == "psk test-psk-event42, nhrp key <masked>"
    # A value after an IOS secret keyword is masked even when no intent knows it.
    assert mask("  pre-shared-key old-psk", []) == "  pre-shared-key <masked>"


def test_group_values_override_defaults_like_nornir(
    inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    groups = inventory_copy.parent / "inventory" / "groups.yaml"
    groups.write_text(
        groups.read_text().replace(
            "tenant-event43:\n  groups: [spoke]\n  data:\n",
            "tenant-event43:\n  groups: [spoke]\n  data:\n    timers: {nhrp_holdtime: 120}\n",
        )
    )
    intent = load_intent(inventory_copy)
    assert intent.hosts["e43-spoke1"].settings.timers.nhrp_holdtime == 120
    assert intent.hosts["e42-spoke1"].settings.timers.nhrp_holdtime == 300
    assert intent.hosts["hub1"].settings.timers.nhrp_holdtime == 300


def test_missing_config_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(IntentError) as raised:
        load_intent(tmp_path / "config.yaml")
    assert raised.value.problems[0].message.startswith("cannot read file")
