"""The baseline's migration of live tenants, as pure planning: which tunnels move, which legacy
profiles go (and leave the manifest), which stay because something else still uses them."""

from __future__ import annotations

import pytest

from tasks.intent import Intent, load_intent
from tasks.manifest import Claim
from tasks.migration import Impact, shared_impact, tenant_moves, without_pruned

OLD_HUB = """\
crypto ipsec transform-set TS-SECURE-CIPHERS esp-aes 256 esp-sha-hmac
 mode transport
crypto ipsec profile IPSEC-PROFILE-EVENT42
 set transform-set TS-SECURE-CIPHERS
crypto ipsec profile IPSEC-PROFILE-EVENT43
 set transform-set TS-SECURE-CIPHERS
interface Tunnel42
 tunnel protection ipsec profile IPSEC-PROFILE-EVENT42
interface Tunnel43
 tunnel protection ipsec profile IPSEC-PROFILE-WAN shared
interface Tunnel99
 tunnel protection ipsec profile IPSEC-PROFILE-EVENT43
"""


@pytest.fixture
def intent(example_config, example_secrets) -> Intent:
    return load_intent(example_config)


def test_only_tunnels_off_the_shared_profile_move(intent: Intent) -> None:
    impact = Impact()
    lines, pruned = tenant_moves(intent, "hub1", OLD_HUB, impact)
    assert lines["tunnel"] == [
        "interface Tunnel42",
        " tunnel protection ipsec profile IPSEC-PROFILE-WAN shared",
    ]
    assert lines["prune"] == ["no crypto ipsec profile IPSEC-PROFILE-EVENT42"]
    assert pruned == {"event42": "crypto ipsec profile IPSEC-PROFILE-EVENT42"}
    texts = impact.lines()
    assert any(
        t.startswith("event42: Tunnel42: tunnel protection IPSEC-PROFILE-EVENT42") for t in texts
    )
    # Tunnel99 (no tenant of the intent) still uses event43's old profile: it stays
    assert (
        "event43: keeps crypto ipsec profile IPSEC-PROFILE-EVENT43: "
        "still used by interface Tunnel99" in texts
    )


def test_a_tenant_on_its_own_source_keeps_its_own_profile(intent: Intent) -> None:
    """The sharing rule is per tunnel source: event42 on its own loopback is not moved onto the
    WAN's shared profile, and its own profile is not pruned."""
    from ipaddress import IPv4Address

    from tasks.intent import TunnelSource

    source = TunnelSource(interface="Loopback42", address=IPv4Address("203.0.113.142"))
    intent.tenants["event42"].tunnel_source = source
    lines, pruned = tenant_moves(intent, "hub1", OLD_HUB, Impact())
    assert lines == {} and pruned == {}


def test_spokes_keep_their_own_tenant_profile(intent: Intent) -> None:
    assert tenant_moves(intent, "e42-spoke1", OLD_HUB, Impact()) == ({}, {})


def test_a_pruned_legacy_profile_leaves_the_tenants_claim() -> None:
    claim = Claim(
        frozenset({("interface Tunnel42",), ("crypto ipsec profile IPSEC-PROFILE-EVENT42",)})
    )
    after = without_pruned(
        {"event42": claim}, {"event42": "crypto ipsec profile IPSEC-PROFILE-EVENT42"}
    )
    assert after["event42"].paths == frozenset({("interface Tunnel42",)})


def test_a_suite_change_is_an_impact_for_every_tenant(intent: Intent) -> None:
    remediation = {
        "ipsec": ["crypto ipsec transform-set TS-SECURE-CIPHERS esp-gcm 256", " mode transport"]
    }
    texts = shared_impact(remediation, OLD_HUB, intent, "hub1").lines()
    assert [t.split(":")[0] for t in texts] == ["event42", "event43"]
    assert all("deploy event4" in t for t in texts)
    fresh = shared_impact(remediation, "hostname hub1\n", intent, "hub1")
    assert fresh.lines() == []  # no tenant deployed yet: nothing re-keys
