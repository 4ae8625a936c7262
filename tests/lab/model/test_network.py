"""The lab network model on hand-written configs: the good path, convergence, phase 3, isolation."""

from __future__ import annotations

import json
import time
from pathlib import Path

from netmodel_helpers import (
    SPOKES_42,
    SPOKES_43,
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
from ntc_templates.parse import parse_output

from tasks.parse import parse


def test_good_path_two_tenants_hub_sees_every_spoke(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path)
    peers = dmvpn_peers(net, "hub1")
    assert {r["peer_tunnel"] for r in peers["Tunnel42"]} == {
        "172.16.42.11",
        "172.16.42.12",
        "172.16.42.13",
    }
    assert {r["peer_tunnel"] for r in peers["Tunnel43"]} == {"172.16.43.11", "172.16.43.12"}
    assert all(
        r["state"] == "UP" and r["attribute"] == "D" and r["type"] == "Hub"
        for rows in peers.values()
        for r in rows
    )
    # carrier NAT: the hub sees each spoke's translated address, stable per device
    assert {r["peer_nbma"] for r in peers["Tunnel42"]} <= {f"203.0.113.{n}" for n in range(11, 20)}
    sas = ikev2_sas(net, "hub1")
    assert len(sas) == 5
    assert {(s["local_ip"], s["local_port"], s["fvrf"], s["status"]) for s in sas} == {
        ("192.0.2.10", "4500", "VRF-FRONT", "READY")
    }
    assert eigrp_neighbors(net, "hub1", "VRF-EVENT42") == {
        "172.16.42.11",
        "172.16.42.12",
        "172.16.42.13",
    }
    assert eigrp_neighbors(net, "hub1", "VRF-EVENT43") == {"172.16.43.11", "172.16.43.12"}


def test_spoke_view_nat_t_and_routes(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path)
    spoke_rows = dmvpn_peers(net, "e42-spoke2")["Tunnel42"]
    assert [
        (r["peer_nbma"], r["peer_tunnel"], r["state"], r["attribute"], r["type"])
        for r in spoke_rows
    ] == [("192.0.2.10", "172.16.42.1", "UP", "S", "Spoke")]
    (sa,) = ikev2_sas(net, "e42-spoke2")
    assert (sa["local_ip"], sa["local_port"], sa["remote_ip"], sa["remote_port"]) == (
        "100.64.2.2",
        "4500",
        "192.0.2.10",
        "4500",
    )
    hub_routes = routes(net, "hub1", "VRF-EVENT42")
    for n, spoke in enumerate(SPOKES_42, start=1):
        r = hub_routes[f"10.42.{n}.0/24"]
        assert (r["protocol"], r["nexthop_ip"], r["nexthop_if"]) == (
            "D",
            f"172.16.42.{10 + n}",
            "Tunnel42",
        ), spoke
    # no split-horizon on the hub: a spoke learns the other spokes' LANs via the hub
    spoke_routes = routes(net, "e42-spoke1", None)
    assert spoke_routes["10.42.2.0/24"]["nexthop_ip"] == "172.16.42.1"
    assert "10.43.1.0/24" not in spoke_routes
    front = routes(net, "e42-spoke1", "VRF-FRONT")
    assert front["0.0.0.0/0"]["distance"] == "254"
    assert net.dhcp_lease("e42-spoke1", "GigabitEthernet0/0/0") == ("100.64.1.2", "255.255.255.0")
    assert net.dhcp_lease("hub1", "GigabitEthernet0/0/0") is None


def test_split_horizon_on_hub_hides_other_spokes(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(
        configs,
        "hub1",
        "   no passive-interface\n   no split-horizon\n  exit-af-interface\n"
        "  !\n  topology base\n  exit-af-topology\n  network 172.16.42.0",
        "   no passive-interface\n  exit-af-interface\n  !\n  topology base\n"
        "  exit-af-topology\n  network 172.16.42.0",
    )
    net = network(configs, tmp_path)
    assert "10.42.2.0/24" not in routes(net, "e42-spoke1", None)
    assert "10.42.2.0/24" in routes(net, "hub1", "VRF-EVENT42")


def test_convergence_delay_then_visible_and_persisted(tmp_path: Path) -> None:
    configs = lab_configs()
    net = network(configs, tmp_path, delay=0.3)
    assert up_peers(net, "hub1", "Tunnel42") == set()
    assert ikev2_sas(net, "hub1") == []
    state = json.loads((tmp_path / "network.json").read_text())
    assert any(k.startswith("sa|e42-spoke1|") for k in state["adjacencies"])
    assert "psk-event42-secret" not in (tmp_path / "network.json").read_text()
    deadline = time.time() + 5
    while time.time() < deadline and not eigrp_neighbors(net, "hub1", "VRF-EVENT42"):
        time.sleep(0.1)
    assert len(eigrp_neighbors(net, "hub1", "VRF-EVENT42")) == 3
    # a new process (new Network on the same state dir) sees the same converged state
    other = network(configs, tmp_path, delay=0.3)
    assert up_peers(other, "hub1", "Tunnel43") == {"172.16.43.11", "172.16.43.12"}


def test_phase3_shortcut_after_first_traffic(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path, delay=0.2)
    deadline = time.time() + 5
    while time.time() < deadline and "10.42.2.0/24" not in routes(net, "e42-spoke1", None):
        time.sleep(0.1)
    cmd = "traceroute 10.42.2.1 source GigabitEthernet0/0/1"
    first = parse("traceroute", run(net, "e42-spoke1", cmd))
    assert [h["ip_address"] for h in first] == ["172.16.42.1", "10.42.2.1"]
    time.sleep(0.5)
    later = parse("traceroute", run(net, "e42-spoke1", cmd))
    assert [h["ip_address"] for h in later] == ["10.42.2.1"]
    for me, other, nbma in (
        ("e42-spoke1", "172.16.42.12", "203.0.113.12"),
        ("e42-spoke2", "172.16.42.11", "203.0.113.11"),
    ):
        rows = {r["peer_tunnel"]: r for r in dmvpn_peers(net, me)["Tunnel42"]}
        assert rows[other]["attribute"].startswith("D") and rows[other]["state"] == "UP"
        assert rows[other]["peer_nbma"] == nbma
        assert len(ikev2_sas(net, me)) == 2
    assert "10.42.2.0/24 via 172.16.42.12" in run(net, "e42-spoke1", "show ip nhrp")
    # the hub carries no spoke-to-spoke state
    assert len(ikev2_sas(net, "hub1")) == 5


def test_tenant_isolation(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path)
    ok = parse("ping", run(net, "hub1", "ping vrf VRF-EVENT43 10.43.1.1"))[0]
    assert ok["success_pct"] == "100"
    for device, cmd in (
        ("hub1", "ping vrf VRF-EVENT42 10.43.1.1"),
        ("e42-spoke1", "ping 10.43.1.1 source GigabitEthernet0/0/1"),
        ("e43-spoke2", "ping 10.42.3.1"),
    ):
        out = run(net, device, cmd)
        assert "....." in out
        assert parse("ping", out)[0]["success_pct"] == "0", (device, cmd)


def test_underlay_ping_and_nat(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path)
    assert "!!!!!" in run(net, "e42-spoke1", "ping vrf VRF-FRONT 192.0.2.10")
    # nothing on the internet initiates towards a carrier-NATed address
    assert "....." in run(net, "hub1", "ping vrf VRF-FRONT 203.0.113.11")


def test_unmodelled_command_and_unknown_vrf(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path)
    assert "does not exist" in run(net, "hub1", "show ip route vrf NOPE")
    assert "Zone-pair name ZONE-OUTSIDE-TO-SELF" in run(net, "hub1", "show zone-pair security")


def test_sa_survives_psk_change_until_cleared(tmp_path: Path) -> None:
    configs = lab_configs()
    net = network(configs, tmp_path)
    assert "172.16.42.11" in up_peers(net, "hub1", "Tunnel42")
    edit(configs, "e42-spoke1", "pre-shared-key psk-event42-secret", "pre-shared-key changed")
    assert "172.16.42.11" in up_peers(net, "hub1", "Tunnel42")
    assert len(ikev2_sas(net, "e42-spoke1")) == 1
    assert run(net, "e42-spoke1", "clear crypto session") == ""
    for _ in range(3):
        assert ikev2_sas(net, "e42-spoke1") == []
        assert "172.16.42.11" not in up_peers(net, "hub1", "Tunnel42")
    assert "Session status: DOWN" in run(net, "e42-spoke1", "show crypto session")
    edit(configs, "e42-spoke1", "pre-shared-key changed", "pre-shared-key psk-event42-secret")
    assert "172.16.42.11" in up_peers(net, "hub1", "Tunnel42")
    assert up_peers(net, "hub1", "Tunnel43") == {"172.16.43.11", "172.16.43.12"}


def test_clear_ip_nhrp_reregisters_after_delay(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path, delay=0.2)
    deadline = time.time() + 5
    while time.time() < deadline and len(up_peers(net, "hub1", "Tunnel43")) < 2:
        time.sleep(0.1)
    run(net, "hub1", "clear ip nhrp")
    assert up_peers(net, "hub1", "Tunnel43") == set()
    time.sleep(0.3)
    assert up_peers(net, "hub1", "Tunnel43") == {"172.16.43.11", "172.16.43.12"}


def test_spoke_count_scales_cheaply(tmp_path: Path) -> None:
    configs = lab_configs()
    base = configs["e43-spoke2"]
    for n in range(3, 41):
        configs[f"e43-spoke{n}"] = (
            base.replace("172.16.43.12", f"172.16.43.{10 + n}")
            .replace("10.43.2.", f"10.43.{n}.")
            .replace("spoke2.", f"spoke{n}.")
        )
    net = network(configs, tmp_path)
    start = time.perf_counter()
    assert len(up_peers(net, "hub1", "Tunnel43")) == 40
    for device in list(configs)[:10]:
        run(net, device, "show dmvpn")
    assert time.perf_counter() - start < 5
    assert SPOKES_43[0] in configs


def test_public_real_phase3_configs_come_up(tmp_path: Path) -> None:
    """The real hub/spoke pair in tests/fixtures/real-configs (classic EIGRP, no FVRF, no NAT)."""
    real = Path(__file__).resolve().parents[2] / "fixtures" / "real-configs"
    configs = {
        "Hub": (real / "phase3_ikev2_hub.cfg").read_text(),
        "Spoke1": (real / "phase3_ikev2_spoke.cfg").read_text(),
    }
    net = network(configs, tmp_path)
    assert up_peers(net, "Hub", "Tunnel0") == {"172.13.67.2"}
    (sa,) = ikev2_sas(net, "Spoke1")
    assert (sa["local_ip"], sa["local_port"], sa["remote_ip"], sa["fvrf"]) == (
        "200.13.67.6",
        "500",
        "200.13.67.2",
        "none",
    )
    assert (sa["encryption"], sa["keysize"], sa["prf"], sa["dh_group"]) == (
        "AES-CBC",
        "256",
        "SHA256",
        "14",
    )
    text = run(net, "Hub", "show ip eigrp neighbors")
    assert text.startswith("EIGRP-IPv4 Neighbors for AS(100)\n")
    assert eigrp_neighbors(net, "Hub", None) == {"172.13.67.2"}
    assert routes(net, "Hub", None)["10.13.67.0/25"]["nexthop_ip"] == "172.13.67.2"
    assert "!!!!!" in run(net, "Spoke1", "ping 172.13.67.1")


def test_route_entry_crypto_detail_and_reset(tmp_path: Path) -> None:
    net = network(lab_configs(), tmp_path)
    entry = run(net, "hub1", "show ip route vrf VRF-EVENT42 10.42.3.7")
    assert "Routing entry for 10.42.3.0/24" in entry and '"eigrp 42"' in entry
    assert "% Network not in table" in run(net, "hub1", "show ip route vrf VRF-EVENT42 10.9.9.9")
    rows = parse_output(
        platform="cisco_ios",
        command="show crypto session detail",
        data=run(net, "e43-spoke2", "show crypto session detail"),
    )
    assert [(r["session_status"], r["peer"], r["port"], r["fvrf"]) for r in rows] == [
        ("UP-ACTIVE", "192.0.2.10", "4500", "VRF-FRONT")
    ]
    assert "!!!!!" in run(net, "e43-spoke2", "ping 10.43.1.1 source gi0/0/1")
    net.reset("e43-spoke2")
    assert up_peers(net, "hub1", "Tunnel43") == {"172.16.43.11", "172.16.43.12"}
    state = json.loads((tmp_path / "network.json").read_text())
    assert all("e43-spoke1" not in k or "e43-spoke2" not in k for k in state["shortcuts"])


def test_hub_summary_and_nhrp_route_after_shortcut(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(
        configs,
        "hub1",
        "   hold-time 60\n   no passive-interface\n   no split-horizon\n"
        "  exit-af-interface\n  !\n  topology base\n  exit-af-topology\n  network 172.16.42.0",
        "   hold-time 60\n   no passive-interface\n   no split-horizon\n"
        "   summary-address 10.42.0.0 255.255.0.0\n"
        "  exit-af-interface\n  !\n  topology base\n  exit-af-topology\n  network 172.16.42.0",
    )
    net = network(configs, tmp_path)
    spoke = routes(net, "e42-spoke1", None)
    assert spoke["10.42.0.0/16"]["nexthop_ip"] == "172.16.42.1"
    assert "10.42.2.0/24" not in spoke
    assert "is a summary" in run(net, "hub1", "show ip route vrf VRF-EVENT42")
    assert "!!!!!" in run(net, "e42-spoke1", "ping 10.42.2.1 source GigabitEthernet0/0/1")
    after = routes(net, "e42-spoke1", None)["10.42.2.0/24"]
    assert (after["protocol"], after["nexthop_ip"], after["distance"]) == (
        "H",
        "172.16.42.12",
        "250",
    )


def test_show_ip_route_address_in_the_global_table_is_answered(tmp_path: Path) -> None:
    """Declared once (a row of the exec table): the CLI no longer refuses what the model knows."""
    net = network(lab_configs(), tmp_path)
    entry = run(net, "e42-spoke1", "sh ip ro 10.42.1.5")
    assert entry.startswith("Routing entry for 10.42.1.0/24\n")
    assert "directly connected, via GigabitEthernet0/0/1" in entry
