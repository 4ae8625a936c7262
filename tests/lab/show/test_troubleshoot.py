"""The DMVPN troubleshooting commands: what the model knows, in the layout of Cisco's command
reference sample output, parsed by ntc-templates where it has a template for the command."""

from __future__ import annotations

import pytest
from netmodel_helpers import SPOKES_42, edit, lab_configs, network, run
from ntc_templates.parse import parse_output

from lab.model.network import Network


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Network:
    return network(lab_configs(), tmp_path_factory.mktemp("troubleshoot"))


def test_show_ip_nhrp_nhs_shows_each_spoke_registered_with_its_hub(net: Network) -> None:
    text = run(net, "e42-spoke1", "show ip nhrp nhs")
    lines = text.splitlines()
    assert lines[0] == "Legend: E=Expecting replies, R=Responding, W=Waiting"
    assert lines[1] == "Tunnel42:"
    assert lines[2].split()[:2] == ["172.16.42.1", "RE"]
    assert "NBMA Address: 192.0.2.10" in lines[2]


def test_show_ip_nhrp_nhs_expects_replies_from_an_unreachable_hub(tmp_path) -> None:  # type: ignore[no-untyped-def]
    configs = lab_configs()
    edit(configs, "hub1", "interface Tunnel42\n", "interface Tunnel42\n shutdown\n")
    text = run(network(configs, tmp_path), "e42-spoke1", "show ip nhrp nhs")
    assert text.splitlines()[2].split()[:2] == ["172.16.42.1", "E"]


def test_show_crypto_ipsec_sa_detail_parses_with_ntc_templates(net: Network) -> None:
    rows = parse_output(
        platform="cisco_ios",
        command="show crypto ipsec sa detail",
        data=run(net, "hub1", "show crypto ipsec sa detail"),
    )
    peers = {r["current_peer"] for r in rows}
    ikev2 = run(net, "hub1", "show crypto ikev2 sa")
    assert peers and all(peer in ikev2 for peer in peers)
    assert {r["interface"] for r in rows} == {"Tunnel42", "Tunnel43"}
    assert {r["sa_orientation"] for r in rows} == {"inbound", "outbound"}
    assert all(r["sa_status"] == "ACTIVE(ACTIVE)" and r["protected_vrf"] for r in rows)
    plain = run(net, "hub1", "show crypto ipsec sa")
    assert "#send errors 0, #recv errors 0" in plain and plain.count("interface: Tunnel") == len(
        peers
    )


def test_show_ip_eigrp_vrf_topology_lists_spoke_lans_via_the_tunnel(net: Network) -> None:
    text = run(net, "hub1", "show ip eigrp vrf VRF-EVENT42 topology")
    rows = parse_output(platform="cisco_ios", command="show ip eigrp topology", data=text)
    by_prefix = {f"{r['network']}/{r['prefix_length']}": r for r in rows}
    for n in range(1, len(SPOKES_42) + 1):
        route = by_prefix[f"10.42.{n}.0/24"]
        assert route["code"] == "P" and route["out_interface"] == ["Tu42"]
        assert route["adv_router"] == [f"172.16.42.1{n}"]
    assert by_prefix["172.16.42.0/24"]["adv_router"] == ["Connected"]
    assert text.startswith("EIGRP-IPv4 VR(") and "VRF(VRF-EVENT42)" in text.splitlines()[0]


def test_zone_pair_sessions_lists_each_policy_class_and_no_sessions(net: Network) -> None:
    text = run(net, "hub1", "show policy-map type inspect zone-pair sessions")
    zone_pairs = run(net, "hub1", "show zone-pair security")
    names = [line.split()[-1] for line in zone_pairs.splitlines() if "Zone-pair name" in line]
    for name in names:
        assert f"policy exists on zp {name}" in text
    assert text.count("Class-map: class-default (match-any)") == len(names)
    assert "Inspect" in text and "Session ID" not in text
