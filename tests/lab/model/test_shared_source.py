"""Cisco's tunnel-protection rule on a shared tunnel source, as the lab enforces it.

DMVPN configuration guide, "Sharing IPsec with Tunnel Protection", Restrictions: all tunnels with
the same tunnel source must use the same IPsec profile with `shared`, or an SA lands in the wrong
tunnel's SADB and that tunnel's spokes never come up.
"""

from __future__ import annotations

import re
from pathlib import Path

from netmodel_helpers import SPOKES_43, edit, lab_configs, network, run, up_peers

TENANT_PROFILES = (
    "crypto ipsec profile IPSEC-PROFILE-WAN\n set transform-set TS-SECURE-CIPHERS\n!\n",
    "crypto ipsec profile IPSEC-PROFILE-EVENT42\n set transform-set TS-SECURE-CIPHERS\n"
    " set ikev2-profile IKEv2-PROFILE-EVENT42\n!\n"
    "crypto ipsec profile IPSEC-PROFILE-EVENT43\n set transform-set TS-SECURE-CIPHERS\n"
    " set ikev2-profile IKEv2-PROFILE-EVENT43\n!\n",
)
ALL_42 = {"172.16.42.11", "172.16.42.12", "172.16.42.13"}
ALL_43 = {"172.16.43.11", "172.16.43.12"}


def per_tenant_profiles(configs: dict[str, str]) -> None:
    """The layout the headend had before: one IPsec profile per tenant on one WAN source."""
    edit(configs, "hub1", *TENANT_PROFILES)
    text = configs["hub1"]
    for tunnel in ("42", "43"):
        text = re.sub(
            rf"(interface Tunnel{tunnel}\n(?: .*\n)*?) tunnel protection ipsec profile \S+ shared",
            rf"\1 tunnel protection ipsec profile IPSEC-PROFILE-EVENT{tunnel} shared",
            text,
        )
    configs["hub1"] = text


def test_one_shared_profile_brings_every_tenant_up(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path)
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42
    assert up_peers(net, "hub1", "Tunnel43") == ALL_43


def test_a_profile_per_tenant_on_one_source_leaves_the_second_tunnel_down(
    tmp_path: Path,
) -> None:
    configs = lab_configs()
    per_tenant_profiles(configs)
    assert "IPSEC-PROFILE-EVENT43 shared" in configs["hub1"]
    net = network(configs, tmp_path)
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42
    assert up_peers(net, "hub1", "Tunnel43") == set()
    for spoke in SPOKES_43:
        assert "UP" not in run(net, spoke, "show dmvpn").split("Type:Spoke")[-1]


def test_one_profile_without_shared_is_refused_the_same_way(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(
        configs,
        "hub1",
        " tunnel key 43\n tunnel vrf VRF-FRONT\n tunnel protection ipsec profile IPSEC-PROFILE-WAN "
        "shared",
        " tunnel key 43\n tunnel vrf VRF-FRONT\n tunnel protection ipsec profile IPSEC-PROFILE-WAN",
    )
    net = network(configs, tmp_path)
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42
    assert up_peers(net, "hub1", "Tunnel43") == set()


def test_the_headend_only_responds_and_picks_each_tenants_profile_by_identity(
    tmp_path: Path,
) -> None:
    """The shared profile names no IKEv2 profile: every SA on the hub is spoke-initiated, and
    the responder lands each spoke in its own tenant's IKEv2 profile (match identity)."""
    net = network(lab_configs(), tmp_path)
    detail = run(net, "hub1", "show crypto ikev2 sa detail")
    assert detail.count("Initiator of SA : No") == 5
    assert "Initiator of SA : Yes" not in detail
    session = run(net, "hub1", "show crypto session detail")
    blocks = [b for b in session.split("\n\n") if b.startswith("Interface: Tunnel")]
    profiles = {
        (b.split()[1], re.search(r"Profile: (\S+)", b).group(1))  # type: ignore[union-attr]
        for b in blocks
    }
    assert profiles == {
        ("Tunnel42", "IKEv2-PROFILE-EVENT42"),
        ("Tunnel43", "IKEv2-PROFILE-EVENT43"),
    }


def test_a_cross_vrf_static_route_is_installed_and_leaks_one_way(tmp_path: Path) -> None:
    """IOS installs a static route whose exit interface lies in another VRF: event42's VRF on
    the hub then forwards into event43's tunnel (the hub's own ping, sourced from Tunnel43's
    address, even gets its replies), while event42's spokes, which do not learn the static
    route, still cannot reach event43: only the hub's routing table shows the leak."""
    from netmodel_helpers import routes

    configs = lab_configs()
    configs["hub1"] = configs["hub1"].replace(
        "\nip route vrf VRF-FRONT",
        "\nip route vrf VRF-EVENT42 10.43.1.0 255.255.255.0 Tunnel43 172.16.43.11"
        "\nip route vrf VRF-FRONT",
        1,
    )
    assert "ip route vrf VRF-EVENT42 10.43.1.0" in configs["hub1"]
    net = network(configs, tmp_path)
    route = routes(net, "hub1", "VRF-EVENT42")["10.43.1.0/24"]
    assert (route["protocol"], route["nexthop_ip"], route["nexthop_if"]) == (
        "S",
        "172.16.43.11",
        "Tunnel43",
    )
    assert "Success rate is 100 percent" in run(net, "hub1", "ping vrf VRF-EVENT42 10.43.1.1")
    lan_ping = run(net, "e42-spoke1", "ping 10.43.1.1 source GigabitEthernet0/0/1")
    assert "Success rate is 0 percent" in lan_ping


def own_source_for_43(
    configs: dict[str, str], vrf_line: str = " vrf forwarding VRF-FRONT\n"
) -> None:
    """event43 moved onto its own source, Loopback43 (203.0.113.143), with its own IPsec profile
    (no `shared`); its spokes dial the loopback's address."""
    edit(
        configs,
        "hub1",
        "interface GigabitEthernet0/0/0\n",
        f"interface Loopback43\n{vrf_line} ip address 203.0.113.143 255.255.255.255\n!\n"
        "crypto ipsec profile IPSEC-PROFILE-EVENT43\n set transform-set TS-SECURE-CIPHERS\n"
        " set ikev2-profile IKEv2-PROFILE-EVENT43\n!\n"
        "interface GigabitEthernet0/0/0\n",
    )
    edit(
        configs,
        "hub1",
        " tunnel source GigabitEthernet0/0/0\n tunnel mode gre multipoint\n tunnel key 43\n"
        " tunnel vrf VRF-FRONT\n tunnel protection ipsec profile IPSEC-PROFILE-WAN shared",
        " tunnel source Loopback43\n tunnel mode gre multipoint\n tunnel key 43\n"
        " tunnel vrf VRF-FRONT\n tunnel protection ipsec profile IPSEC-PROFILE-EVENT43",
    )
    for spoke in SPOKES_43:
        configs[spoke] = configs[spoke].replace("192.0.2.10", "203.0.113.143")


def test_a_tenant_alone_on_its_own_loopback_source_may_have_its_own_profile(
    tmp_path: Path,
) -> None:
    """The rule is per source interface: Tunnel43 alone on Loopback43 with its own profile and
    Tunnel42 on the WAN's shared one both come up; the spokes see the loopback as NBMA."""
    configs = lab_configs()
    own_source_for_43(configs)
    net = network(configs, tmp_path)
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42
    assert up_peers(net, "hub1", "Tunnel43") == ALL_43
    assert "203.0.113.143" in run(net, "e43-spoke1", "show dmvpn")


def test_a_loopback_source_outside_the_front_door_vrf_is_not_reachable(tmp_path: Path) -> None:
    """In the global table the loopback is neither routed by the carrier nor the VRF that
    `tunnel vrf VRF-FRONT` names: event43's spokes stay down, event42's are untouched."""
    configs = lab_configs()
    own_source_for_43(configs, vrf_line="")
    net = network(configs, tmp_path)
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42
    assert up_peers(net, "hub1", "Tunnel43") == set()
