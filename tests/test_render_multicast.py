"""Multicast in the render (docs/ios-rules.md, rule 7): what each role gets, per platform, who
owns which line, and what a teardown removes."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path

import pytest

from lab.hardware.models import MODELS
from tasks.intent import CLASSIC_IOS_MODELS, Intent, load_intent
from tasks.owned_diff import owned_remediation, teardown_remediation
from tasks.ownership import Owner, host_ownership
from tasks.render import intended_config, render_host

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def intent() -> Intent:
    return load_intent(ROOT / "config.yaml", None, require_secrets=False, env={})


def text(intent: Intent, host: str, tenant: str | None = None) -> str:
    return intended_config(render_host(intent, host, tenant))


def test_hub_multicast_lines_only_for_the_multicast_tenant(intent: Intent) -> None:
    hub = text(intent, "hub1")
    assert "ip multicast-routing vrf VRF-EVENT42 distributed\n" in hub
    assert "ip pim vrf VRF-EVENT42 rp-address 172.16.42.1\n" in hub
    assert "VRF-EVENT43 distributed" not in hub and "ip pim vrf VRF-EVENT43" not in hub
    tunnel42 = hub.split("interface Tunnel42\n")[1].split("!\n")[0]
    tunnel43 = hub.split("interface Tunnel43\n")[1].split("!\n")[0]
    assert " ip pim nbma-mode\n ip pim sparse-mode\n" in tunnel42
    assert "ip pim" not in tunnel43
    assert " ip nhrp map multicast dynamic\n" in tunnel42


def test_spoke_gets_routing_rp_mroute_and_pim_on_tunnel_and_lan(intent: Intent) -> None:
    spoke = text(intent, "e42-spoke1")
    for line in (
        "ip multicast-routing distributed",
        "ip pim rp-address 172.16.42.1",
        "ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1",
    ):
        assert f"{line}\n" in spoke
    assert " ip pim sparse-mode\n" in spoke.split("interface Tunnel42\n")[1].split("!\n")[0]
    lan = spoke.split("interface GigabitEthernet0/0/1\n")[1].split("!\n")[0]
    assert " ip pim sparse-mode\n" in lan and " ip nat inside\n" in lan
    assert "pim" not in text(intent, "e43-spoke1") and "mroute" not in text(intent, "e43-spoke1")


def test_classic_ios_has_no_distributed_keyword(intent: Intent) -> None:
    intent.hosts["e42-spoke1"].model = "IOSv"
    intent.hosts["hub1"].model = "IOSv"
    assert "ip multicast-routing\n" in text(intent, "e42-spoke1")
    assert "ip multicast-routing vrf VRF-EVENT42\n" in text(intent, "hub1")
    assert "distributed" not in text(intent, "hub1") + text(intent, "e42-spoke1")


def test_an_rp_override_is_rendered_on_both_ends(intent: Intent) -> None:
    intent.tenants["event42"].multicast_rp = IPv4Address("10.42.255.1")
    assert "ip pim vrf VRF-EVENT42 rp-address 10.42.255.1\n" in text(intent, "hub1")
    spoke = text(intent, "e42-spoke2")
    assert "ip pim rp-address 10.42.255.1\n" in spoke
    assert "ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1\n" in spoke  # RPF still via the hub


def test_ownership_hub_lines_are_the_tenants(intent: Intent) -> None:
    e42 = host_ownership(intent, "hub1", "event42")
    e43 = host_ownership(intent, "hub1", "event43")
    for line in (
        "ip multicast-routing vrf VRF-EVENT42 distributed",
        "ip pim vrf VRF-EVENT42 rp-address 172.16.42.1",
    ):
        assert e42.owner_of((line,)) is Owner.OWNED
        assert e43.owner_of((line,)) is Owner.FOREIGN


def test_spoke_multicast_routing_is_shared_the_rest_is_the_tenants(intent: Intent) -> None:
    owner = host_ownership(intent, "e42-spoke1", "event42")
    assert owner.owner_of(("ip multicast-routing distributed",)) is Owner.NEUTRAL
    assert owner.owner_of(("ip pim rp-address 172.16.42.1",)) is Owner.OWNED
    assert owner.owner_of(("ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1",)) is Owner.OWNED
    lan_pim = ("interface GigabitEthernet0/0/1", "ip pim sparse-mode")
    assert owner.owner_of(lan_pim) is Owner.OWNED
    assert owner.owner_of(("interface GigabitEthernet0/0/1",)) is Owner.NEUTRAL


def test_redeploy_is_empty_and_teardown_keeps_the_shared_routing(intent: Intent) -> None:
    sections = render_host(intent, "e42-spoke1", "event42")
    running = intended_config(sections)
    owner = host_ownership(intent, "e42-spoke1", "event42")
    assert owned_remediation(sections, running, owner) == {}
    removal = [line for lines in teardown_remediation(sections, running, owner).values()
               for line in lines]  # fmt: skip
    assert "no ip pim rp-address 172.16.42.1" in removal
    assert "no ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1" in removal
    assert " no ip pim sparse-mode" in removal  # on the LAN, a shared interface
    assert not any("multicast-routing" in line for line in removal)


def test_classic_models_agree_with_the_lab_catalogue() -> None:
    """The render's list of classic IOS models is the lab's (`Family.classic`)."""
    assert {name for name, m in MODELS.items() if m.software.classic} == CLASSIC_IOS_MODELS
