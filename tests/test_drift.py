"""Drift as a pure function: intended (rendered from the example inventory) vs running text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.drift import HostDrift, drift_hosts, host_drift, split_remediation
from tasks.intent import Intent, load_intent
from tasks.ownership import Ownership
from tasks.render import render_host
from tasks.secrets import mask

ROOT = Path(__file__).resolve().parents[1]
SECRETS = {
    "EVENT42_PSK": "psk42-Secret",
    "EVENT42_NHRP_KEY": "nhrp42",
    "EVENT43_PSK": "psk43-Secret",
    "EVENT43_NHRP_KEY": "nhrp43",
    "DMVPN_USERNAME": "netops",
    "DMVPN_PASSWORD": "pw-Secret",
    "DMVPN_ENABLE": "en-Secret",
}
# Config every device has that no intent renders: never drift.
BASE = """hostname {host}
!
username admin privilege 15 secret 9 $9$abcdefgh
!
interface GigabitEthernet0/0/2
 no ip address
 shutdown
!
ip ssh version 2
!
line vty 0 4
 login local
 transport input ssh
!
"""


@pytest.fixture(scope="module")
def intent() -> Intent:
    return load_intent(ROOT / "config.yaml", None, env=SECRETS)


def deployed(intent: Intent, host: str) -> str:
    """The running config of a host holding exactly its intent (every tenant it serves)."""
    return BASE.format(host=host) + "\n".join(render_host(intent, host, None).values()) + "end\n"


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize("host", ["hub1", "e42-spoke1", "e43-spoke2"])
def test_device_holding_its_intent_is_clean(intent: Intent, host: str) -> None:
    running = deployed(intent, host)
    assert host_drift(intent, host, running) == HostDrift()
    tenants = intent.hosts[host].tenants or [intent.hosts[host].tenant]
    for tenant in tenants:
        assert host_drift(intent, host, running, tenant) == HostDrift()


def test_changed_and_removed_lines_are_restored(intent: Intent) -> None:
    running = edit(deployed(intent, "hub1"), " tunnel key 42\n", " tunnel key 99\n")
    running = edit(
        running,
        "\ninterface Tunnel42\n",
        "\ninterface Tunnel42\n ip nhrp map 10.9.9.9 203.0.113.99\n",
    )
    running = edit(running, " ip mtu 1400\n", "\n")
    drift = host_drift(intent, "hub1", running)
    assert drift.drift
    assert drift.missing == ["interface Tunnel42", " ip mtu 1400", " tunnel key 42"]
    # inside the tenant's own tunnel the intent is authoritative: the stray map goes too
    assert drift.restore == {
        "tunnel": [
            "interface Tunnel42",
            " no ip nhrp map 10.9.9.9 203.0.113.99",
            " ip mtu 1400",
            " tunnel key 42",
        ]
    }
    assert drift.removes == ["interface Tunnel42", " ip nhrp map 10.9.9.9 203.0.113.99"]
    assert drift.unexpected == ["interface Tunnel42", " tunnel key 99"]
    assert drift == host_drift(intent, "hub1", running, "event42")
    assert host_drift(intent, "hub1", running, "event43") == HostDrift()


def test_shutdown_on_a_tenant_tunnel_is_repaired(intent: Intent) -> None:
    """A `shutdown` typed on the tenant's own tunnel is drift that remediation removes."""
    running = edit(
        deployed(intent, "hub1"), "\ninterface Tunnel43\n", "\ninterface Tunnel43\n shutdown\n"
    )
    drift = host_drift(intent, "hub1", running)
    assert drift.removes == ["interface Tunnel43", " shutdown"]
    assert drift.restore == {"tunnel": ["interface Tunnel43", " no shutdown"]}
    assert drift.missing == [] and drift.unexpected == []
    # the same line on a shared interface is reported, never removed
    running = edit(
        deployed(intent, "hub1"),
        " description WAN FRONT-DOOR\n",
        " description WAN FRONT-DOOR\n ip nat outside\n",
    )
    assert host_drift(intent, "hub1", running).restore == {}


def test_objects_of_a_tenant_gone_from_the_inventory_are_named(intent: Intent) -> None:
    orphan = "interface Tunnel77\n description DMVPN TENANT OLD\n!\n"
    running = deployed(intent, "hub1") + orphan
    drift = host_drift(intent, "hub1", running, None, {"old": [("interface Tunnel77",)]})
    assert drift.orphans == {"old": ["interface Tunnel77"]}
    assert drift.restore == {} and drift.unexpected == []
    assert drift.drift


def test_intended_negation_is_restored_not_unexpected(intent: Intent) -> None:
    running = edit(deployed(intent, "hub1"), " no ip redirects\n", "\n")
    drift = host_drift(intent, "hub1", running)
    assert " no ip redirects" in drift.missing and drift.unexpected == []


def test_hand_added_object_is_unexpected_and_never_in_restore(intent: Intent) -> None:
    rogue = (
        "crypto ikev2 keyring IKEv2-KEYRING-ROGUE\n peer ANY\n  address 0.0.0.0 0.0.0.0\n!\n"
        "interface Tunnel99\n ip address 10.99.0.1 255.255.255.0\n!\n"
    )
    running = deployed(intent, "hub1") + rogue
    drift = host_drift(intent, "hub1", running)
    assert drift.missing == [] and drift.restore == {}
    assert drift.unexpected == ["crypto ikev2 keyring IKEv2-KEYRING-ROGUE", "interface Tunnel99"]
    # a tenant-scoped run looks at that tenant's objects only
    assert host_drift(intent, "hub1", running, "event42") == HostDrift()


def test_extra_line_in_shared_object_is_unexpected(intent: Intent) -> None:
    running = edit(
        deployed(intent, "hub1"),
        " description WAN FRONT-DOOR\n",
        " description WAN FRONT-DOOR\n ip nat outside\n",
    )
    drift = host_drift(intent, "hub1", running)
    assert drift.unexpected == ["interface GigabitEthernet0/0/0", " ip nat outside"]
    assert drift.missing == []


def test_other_tenants_objects_on_a_spoke_are_unexpected(intent: Intent) -> None:
    foreign = "interface Tunnel43\n description DMVPN TENANT EVENT43\n!\n"
    drift = host_drift(intent, "e42-spoke1", deployed(intent, "e42-spoke1") + foreign)
    assert drift.unexpected == ["interface Tunnel43"]  # the whole object, never removed
    assert drift.restore == {}


def test_changed_psk_is_restored_and_masked(intent: Intent) -> None:
    running = deployed(intent, "hub1").replace("psk42-Secret", "guessed-by-hand")
    drift = host_drift(intent, "hub1", running)
    restoring = [line for line in drift.missing if "pre-shared-key" in line]
    assert restoring and "psk42-Secret" in restoring[0]
    assert "psk42-Secret" not in mask("\n".join(drift.missing), intent)
    # The value found on the device is reported (it is not the intent's) but never shown.
    assert any("pre-shared-key guessed-by-hand" in line for line in drift.unexpected)
    assert "guessed-by-hand" not in mask("\n".join(drift.unexpected), intent)


def test_split_keeps_exits_and_drops_emptied_parents() -> None:
    remediation = {
        "eigrp": [
            "router eigrp EIGRP-EVENT42",
            " address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42",
            "  af-interface Tunnel42",
            "   no passive-interface",
            "   no bandwidth-percent 80",
            "  exit-af-interface",
            " exit-address-family",
        ],
        "tunnel": ["interface Tunnel42", " no ip nhrp map 10.9.9.9 203.0.113.99"],
    }
    path = (
        "router eigrp EIGRP-EVENT42",
        " address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42".strip(),
        "af-interface Tunnel42",
        "no passive-interface",
    )
    restore, negated, removed, _ = split_remediation(
        remediation, {path}, Ownership("x", frozenset())
    )
    assert removed == []
    assert restore == {
        "eigrp": [
            "router eigrp EIGRP-EVENT42",
            " address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42",
            "  af-interface Tunnel42",
            "   no passive-interface",
            "  exit-af-interface",
            " exit-address-family",
        ]
    }
    assert negated == [
        (*path[:3], "bandwidth-percent 80"),
        ("interface Tunnel42", "ip nhrp map 10.9.9.9 203.0.113.99"),
    ]


def test_drift_hosts(intent: Intent) -> None:
    assert drift_hosts(intent, "event43") == ["hub1", "e43-spoke1", "e43-spoke2"]
    assert set(drift_hosts(intent, None)) == set(intent.hosts)
