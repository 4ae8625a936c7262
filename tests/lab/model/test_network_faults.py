"""One classic DMVPN misconfiguration per test, asserting what a real ISR would show."""

from __future__ import annotations

from pathlib import Path

from netmodel_helpers import (
    dmvpn_peers,
    edit,
    eigrp_neighbors,
    ikev2_sas,
    lab_configs,
    network,
    routes,
    run,
    up_peers,
)

from lab.model.network import Network

ALL_42 = {"172.16.42.11", "172.16.42.12", "172.16.42.13"}
ALL_43 = {"172.16.43.11", "172.16.43.12"}


def spoke_state(net: Network, device: str) -> str:
    (row,) = dmvpn_peers(net, device)[f"Tunnel{device[1:3]}"]
    return str(row["state"])


def test_psk_mismatch_no_sa_no_registration(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "e42-spoke1", "pre-shared-key psk-event42-secret", "pre-shared-key wrong-key")
    net = network(configs, tmp_path)
    assert ikev2_sas(net, "e42-spoke1") == []
    assert spoke_state(net, "e42-spoke1") == "IKE"
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42 - {"172.16.42.11"}
    assert {s["remote_ip"] for s in ikev2_sas(net, "hub1")} == {
        "203.0.113.12",
        "203.0.113.13",
        "203.0.113.14",
        "203.0.113.15",
    }
    assert "Session status: DOWN" in run(net, "e42-spoke1", "show crypto session")


def test_tunnel_key_mismatch_sa_up_but_no_registration(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "e42-spoke2", "tunnel key 42", "tunnel key 420")
    net = network(configs, tmp_path)
    assert [s["status"] for s in ikev2_sas(net, "e42-spoke2")] == ["READY"]
    assert spoke_state(net, "e42-spoke2") == "NHRP"
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42 - {"172.16.42.12"}


def test_nhrp_authentication_mismatch(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "e42-spoke3", "ip nhrp authentication nhrp42", "ip nhrp authentication wrong42")
    net = network(configs, tmp_path)
    assert len(ikev2_sas(net, "e42-spoke3")) == 1
    assert spoke_state(net, "e42-spoke3") == "NHRP"
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42 - {"172.16.42.13"}
    assert "172.16.42.13" not in eigrp_neighbors(net, "hub1", "VRF-EVENT42")


def test_wrong_nhs_address(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "e43-spoke1", "ip nhrp nhs 172.16.43.1 ", "ip nhrp nhs 172.16.43.2 ")
    net = network(configs, tmp_path)
    assert spoke_state(net, "e43-spoke1") == "NHRP"
    assert up_peers(net, "hub1", "Tunnel43") == {"172.16.43.12"}


def test_missing_fvrf_default_route_on_hub_isolates_it(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "hub1", "ip route vrf VRF-FRONT 0.0.0.0 0.0.0.0 192.0.2.1\n", "")
    net = network(configs, tmp_path)
    assert ikev2_sas(net, "hub1") == []
    assert up_peers(net, "hub1", "Tunnel42") == set()
    assert spoke_state(net, "e42-spoke1") == "IKE"
    assert "....." in run(net, "e42-spoke1", "ping vrf VRF-FRONT 192.0.2.10")


def test_transform_set_mismatch(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "e43-spoke2", "esp-aes 256 esp-sha256-hmac", "esp-aes 128 esp-sha-hmac")
    net = network(configs, tmp_path)
    assert ikev2_sas(net, "e43-spoke2") == []
    assert up_peers(net, "hub1", "Tunnel43") == {"172.16.43.11"}


def test_transform_mode_mismatch(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "e43-spoke2", " mode transport", " mode tunnel")
    net = network(configs, tmp_path)
    assert ikev2_sas(net, "e43-spoke2") == []


def test_overlapping_ikev2_profiles_between_tenants(tmp_path: Path) -> None:
    """Both hub profiles match any address in VRF-FRONT: the first one wins for every spoke."""
    configs = lab_configs()
    for t in ("42", "43"):
        edit(
            configs,
            "hub1",
            f" match identity remote fqdn domain event{t}.example.net",
            " match identity remote address 0.0.0.0",
        )
        edit(configs, "hub1", f"  identity fqdn domain event{t}.example.net\n", "")
    for spoke in ("e42-spoke1", "e42-spoke2", "e42-spoke3", "e43-spoke1", "e43-spoke2"):
        t, n = spoke[1:3], spoke[-1]
        edit(configs, spoke, f" identity local fqdn spoke{n}.event{t}.example.net\n", "")
        edit(
            configs,
            spoke,
            f" match identity remote fqdn domain event{t}.example.net",
            " match identity remote fqdn domain example.net",
        )
    net = network(configs, tmp_path)
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42
    assert up_peers(net, "hub1", "Tunnel43") == set()
    assert ikev2_sas(net, "e43-spoke1") == []


def test_eigrp_as_mismatch(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "e42-spoke1", "autonomous-system 42", "autonomous-system 4200")
    net = network(configs, tmp_path)
    assert "172.16.42.11" in up_peers(net, "hub1", "Tunnel42")
    assert eigrp_neighbors(net, "hub1", "VRF-EVENT42") == ALL_42 - {"172.16.42.11"}
    assert "10.42.1.0/24" not in routes(net, "hub1", "VRF-EVENT42")
    assert eigrp_neighbors(net, "e42-spoke1", None) == set()


def test_tunnel_left_passive_on_hub(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(
        configs,
        "hub1",
        "   hold-time 60\n   no passive-interface\n   no split-horizon\n"
        "  exit-af-interface\n  !\n  topology base\n  exit-af-topology\n  network 172.16.43.0",
        "   hold-time 60\n   no split-horizon\n  exit-af-interface\n  !\n  topology base\n"
        "  exit-af-topology\n  network 172.16.43.0",
    )
    net = network(configs, tmp_path)
    assert up_peers(net, "hub1", "Tunnel43") == ALL_43
    assert eigrp_neighbors(net, "hub1", "VRF-EVENT43") == set()
    assert eigrp_neighbors(net, "hub1", "VRF-EVENT42") == ALL_42
    assert "10.43.1.0/24" not in routes(net, "hub1", "VRF-EVENT43")


def test_zbfw_self_zone_policy_dropping_esp(tmp_path: Path) -> None:
    """ESP only matters without NAT: a statically addressed spoke loses its IPsec data path."""
    configs = lab_configs()
    edit(configs, "e42-spoke1", " ip address dhcp\n", " ip address 198.18.0.2 255.255.255.0\n")
    configs["e42-spoke1"] += "ip route vrf VRF-FRONT 0.0.0.0 0.0.0.0 198.18.0.1\n"
    edit(
        configs,
        "hub1",
        "ip access-list extended ACL-ESP\n permit esp any any",
        "ip access-list extended ACL-ESP\n deny esp any any",
    )
    net = network(configs, tmp_path)
    (sa,) = ikev2_sas(net, "e42-spoke1")
    assert (sa["local_ip"], sa["local_port"], sa["status"]) == ("198.18.0.2", "500", "READY")
    assert spoke_state(net, "e42-spoke1") == "NHRP"
    assert up_peers(net, "hub1", "Tunnel42") == {"172.16.42.12", "172.16.42.13"}  # NAT-T: UDP


def test_zbfw_dropping_ike_blocks_everything(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(
        configs,
        "hub1",
        " permit udp any any eq non500-isakmp\n permit udp any any eq isakmp",
        " permit udp any any eq ntp",
    )
    net = network(configs, tmp_path)
    assert ikev2_sas(net, "hub1") == []
    assert up_peers(net, "hub1", "Tunnel43") == set()


def test_shutdown_wan_on_spoke(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(
        configs,
        "e43-spoke1",
        " ip nat outside\n negotiation auto\n no shutdown\n",
        " ip nat outside\n negotiation auto\n shutdown\n",
    )
    net = network(configs, tmp_path)
    assert net.dhcp_lease("e43-spoke1", "GigabitEthernet0/0/0") is None
    assert up_peers(net, "hub1", "Tunnel43") == {"172.16.43.12"}


def test_tunnel_vrf_missing_on_spoke(tmp_path: Path) -> None:
    """Without `tunnel vrf VRF-FRONT` the spoke looks up its NBMA in the global table."""
    configs = lab_configs()
    edit(configs, "e42-spoke2", " tunnel vrf VRF-FRONT\n", "")
    net = network(configs, tmp_path)
    assert ikev2_sas(net, "e42-spoke2") == []
    assert spoke_state(net, "e42-spoke2") == "IKE"


def test_nhrp_network_id_missing_on_hub_tunnel(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "hub1", " ip nhrp network-id 43\n", "")
    net = network(configs, tmp_path)
    assert "Tunnel43" not in dmvpn_peers(net, "hub1")
    assert spoke_state(net, "e43-spoke1") == "NHRP"
    assert up_peers(net, "hub1", "Tunnel42") == ALL_42
