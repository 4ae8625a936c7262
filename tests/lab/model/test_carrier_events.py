"""Spokes behind carrier NAT: a new NBMA address (lease / NAT rebinding) and a hub reload.

`ip nhrp registration no-unique` lets the hub replace a spoke's entry at once; without it the
hub refuses the new address until the old entry expires. On-demand DPD clears a spoke's SA once
the hub reloaded; without it the stale SA holds the tunnel down until its lifetime ends.
"""

from __future__ import annotations

import time
from pathlib import Path

from netmodel_helpers import dmvpn_peers, edit, ikev2_sas, lab_configs, network, run

from lab.model.network import Network
from lab.model.world import build_world
from lab.show.crypto import show_ikev2_sa
from lab.show.dmvpn import show_dmvpn, show_ip_nhrp
from tasks.parse import parse

SPOKE = "e42-spoke1"
SPOKE_IP = "172.16.42.11"
TUNNEL = " ip nhrp shortcut\n"


def no_unique(configs: dict[str, str]) -> None:
    edit(configs, SPOKE, TUNNEL, TUNNEL + " ip nhrp registration no-unique\n")


def with_dpd(configs: dict[str, str]) -> None:
    keyring = " keyring local IKEv2-KEYRING-EVENT42\n"
    edit(configs, SPOKE, keyring, keyring + " dpd 10 2 on-demand\n")


def hub_row(rows: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    (row,) = [r for r in rows["Tunnel42"] if r["peer_tunnel"] == SPOKE_IP]
    return row


def at(net: Network, configs: dict[str, str], later: float, device: str, show: str) -> str:
    """A show command as it would answer ``later`` seconds from now (no waiting in tests)."""
    net.state.load()
    world = build_world(configs, net.state, time.time() + later)
    if show == "show dmvpn":
        return show_dmvpn(world, device)
    if show == "show ip nhrp":
        return show_ip_nhrp(world, device)
    return show_ikev2_sa(world, device)


def test_no_unique_reregisters_at_once_with_the_new_address(tmp_path: Path) -> None:
    configs = lab_configs()
    no_unique(configs)
    net = network(configs, tmp_path)
    before = hub_row(dmvpn_peers(net, "hub1"))["peer_nbma"]
    assert "Flags: registered used nhop" in run(net, "hub1", "show ip nhrp")
    new = net.change_nbma(SPOKE)
    assert new != before
    row = hub_row(dmvpn_peers(net, "hub1"))
    assert (row["peer_nbma"], row["state"]) == (new, "UP")
    spoke = dmvpn_peers(net, SPOKE)["Tunnel42"]
    assert [r["state"] for r in spoke] == ["UP"]
    assert net.dhcp_lease(SPOKE, "GigabitEthernet0/0/0") == ("100.64.1.3", "255.255.255.0")


def test_without_no_unique_the_hub_refuses_until_the_old_entry_expires(tmp_path: Path) -> None:
    configs = lab_configs()
    net = network(configs, tmp_path)
    old = hub_row(dmvpn_peers(net, "hub1"))["peer_nbma"]
    new = net.change_nbma(SPOKE)
    # the hub still answers for the old address; the spoke is not registered
    row = hub_row(dmvpn_peers(net, "hub1"))
    assert (row["peer_nbma"], row["state"]) == (old, "UP")
    assert [r["state"] for r in dmvpn_peers(net, SPOKE)["Tunnel42"]] == ["NHRP"]
    nhrp = run(net, "hub1", "show ip nhrp")
    entry = nhrp.split(f"{SPOKE_IP}/32")[1].split("/32")[0]
    assert "Flags: unique registered used" in entry and f"NBMA address: {old}" in entry
    # the spoke's holdtime (300 s) later the old entry is gone and the new address registers
    later = at(net, configs, 301, "hub1", "show dmvpn")
    rows = {r["peer_tunnel"]: r for r in parse("show dmvpn", later)}
    assert (rows[SPOKE_IP]["peer_nbma"], rows[SPOKE_IP]["state"]) == (new, "UP")


def test_dpd_clears_the_stale_sa_after_the_hub_reloads(tmp_path: Path) -> None:
    configs = lab_configs()
    with_dpd(configs)
    net = network(configs, tmp_path)
    assert "DPD configured for 10 seconds, retry 2" in run(
        net, SPOKE, "show crypto ikev2 sa detail"
    )
    net.reloaded("hub1")
    # the hub forgot every SA; the spoke still holds its side, so it cannot register
    assert ikev2_sas(net, "hub1") == []
    assert len(ikev2_sas(net, SPOKE)) == 1
    assert [r["state"] for r in dmvpn_peers(net, SPOKE)["Tunnel42"]] == ["NHRP"]
    # interval 10 s + 5 retries 2 s apart: DPD declares the hub dead and the spoke renegotiates
    rows = parse("show dmvpn", at(net, configs, 21, SPOKE, "show dmvpn"))
    assert [r["state"] for r in rows] == ["UP"]
    hub_rows = {
        r["peer_tunnel"]: r["state"]
        for r in parse("show dmvpn", at(net, configs, 21, "hub1", "show dmvpn"))
    }
    assert hub_rows[SPOKE_IP] == "UP"


def test_without_dpd_the_stale_sa_holds_the_tunnel_down(tmp_path: Path) -> None:
    configs = lab_configs()
    net = network(configs, tmp_path)
    assert [r["state"] for r in dmvpn_peers(net, SPOKE)["Tunnel42"]] == ["UP"]
    net.reloaded("hub1")
    rows = parse("show dmvpn", at(net, configs, 600, SPOKE, "show dmvpn"))
    assert [r["state"] for r in rows] == ["NHRP"]
    # only when the IPsec SA lifetime (3600 s) ends does the spoke negotiate again
    rows = parse("show dmvpn", at(net, configs, 3601, SPOKE, "show dmvpn"))
    assert [r["state"] for r in rows] == ["UP"]
