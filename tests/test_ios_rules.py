"""IOS rules the render follows (issue 11), checked on the example inventory's renders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tasks.intent import Intent, load_intent
from tasks.ownership import rendered_ownership
from tasks.render import intended_config, render_baseline, render_host


@pytest.fixture
def intent(example_config: Path, example_secrets: dict[str, str]) -> Intent:
    return load_intent(example_config)


def protections(text: str) -> dict[str, str]:
    """Tunnel -> its `tunnel protection` line."""
    found = {}
    for block in re.split(r"\n(?=interface )", text):
        name = re.match(r"interface (Tunnel\d+)", block)
        line = re.search(r"^ tunnel protection .*$", block, re.M)
        if name and line:
            found[name.group(1)] = line.group(0).strip()
    return found


def test_every_headend_tunnel_shares_one_ipsec_profile(intent: Intent) -> None:
    text = intended_config(render_host(intent, "hub1", None))
    assert protections(text) == {
        "Tunnel42": "tunnel protection ipsec profile IPSEC-PROFILE-WAN shared",
        "Tunnel43": "tunnel protection ipsec profile IPSEC-PROFILE-WAN shared",
    }
    assert re.findall(r"^crypto ipsec profile (\S+)", text, re.M) == ["IPSEC-PROFILE-WAN"]
    # the tunnel source is named by interface, never by address (same guide, Restrictions)
    assert set(re.findall(r"^ tunnel source (\S+)", text, re.M)) == {"GigabitEthernet0/0/0"}


def test_shared_profile_names_no_tenant_ikev2_profile(intent: Intent) -> None:
    """A shared profile could name one tenant's IKEv2 profile only: it names none, and the
    headend responds with the profile its match statements select (docs/ios-rules.md)."""
    ipsec = render_host(intent, "hub1", None)["ipsec"]
    assert "set ikev2-profile" not in ipsec
    ikev2 = render_host(intent, "hub1", None)["ikev2"]
    for tenant in intent.tenants.values():
        assert f" match identity remote fqdn domain {tenant.ikev2_domain}\n" in ikev2
        assert f" keyring local {tenant.keyring}\n" in ikev2


def test_shared_profile_is_headend_wide_not_a_tenants(intent: Intent) -> None:
    base = render_host(intent, "hub1", None, shared_only=True)["ipsec"]
    assert "crypto ipsec profile IPSEC-PROFILE-WAN\n" in base
    for tenant in intent.tenants:
        assert render_host(intent, "hub1", tenant)["ipsec"] == base
    owned = rendered_ownership(intent, "hub1")
    for paths in owned.values():
        assert not any(p[0].startswith("crypto ipsec") for p in paths)
    baseline = render_baseline(intent, "hub1")
    assert baseline["ipsec"] == base
    assert "ipsec" not in render_baseline(intent, "e42-spoke1")


def test_spoke_keeps_its_own_profile_naming_its_ikev2_profile(intent: Intent) -> None:
    ipsec = render_host(intent, "e42-spoke1", None)["ipsec"]
    assert "crypto ipsec profile IPSEC-PROFILE-EVENT42\n" in ipsec
    assert " set ikev2-profile IKEv2-PROFILE-EVENT42\n" in ipsec


def test_modern_suite_by_default_on_hub_and_spokes(intent: Intent) -> None:
    for host in ("hub1", "e42-spoke1"):
        text = intended_config(render_host(intent, host, None))
        assert "crypto ipsec transform-set TS-SECURE-CIPHERS esp-gcm 256\n" in text
        assert " set pfs group20\n" in text
        assert " group 20 19\n" in text and " proposal IKEv2-PROPOSAL-DMVPN\n" in text
    base = render_baseline(intent, "hub1")
    assert "crypto ikev2 policy IKEv2-POLICY-DMVPN\n" in base["ikev2"]


def test_article_suite_is_selected_per_headend_and_spokes_follow(
    inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    groups = inventory_copy.parent / "inventory" / "groups.yaml"
    groups.write_text(
        groups.read_text().replace(
            "headend:\n  data:\n    role: headend\n",
            "headend:\n  data:\n    role: headend\n    crypto: {suite: article}\n",
        )
    )
    intent = load_intent(inventory_copy)
    for host in ("hub1", "e42-spoke1", "e43-spoke2"):
        text = intended_config(render_host(intent, host, None))
        assert "transform-set TS-SECURE-CIPHERS esp-aes 256 esp-sha-hmac\n" in text, host
        assert "crypto ikev2 proposal" not in text and "set pfs" not in text, host
