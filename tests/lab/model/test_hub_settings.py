"""Headend-wide settings as IOS runs them: proposals only through a policy, PFS must agree,
an EIGRP summary toward the spokes."""

from __future__ import annotations

from pathlib import Path

from netmodel_helpers import SPOKES_42, SPOKES_43, edit, ikev2_sas, lab_configs, network, up_peers

HUB_PROFILE = "crypto ipsec profile IPSEC-PROFILE-WAN\n set transform-set TS-SECURE-CIPHERS\n"
SPOKE_SET = " set transform-set TS-SECURE-CIPHERS\n"
MODERN = (
    "crypto ikev2 proposal IKEv2-PROPOSAL-DMVPN\n encryption aes-cbc-256\n"
    " integrity sha512 sha384\n group 20 19\n!\n"
)
POLICY = (
    "crypto ikev2 policy IKEv2-POLICY-DMVPN\n match fvrf VRF-FRONT\n"
    " proposal IKEv2-PROPOSAL-DMVPN\n!\n"
)


def test_pfs_on_the_hub_needs_pfs_on_every_spoke(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "hub1", HUB_PROFILE, HUB_PROFILE + " set pfs group20\n")
    net = network(configs, tmp_path)
    assert ikev2_sas(net, "hub1") == []
    for spoke in SPOKES_42:
        edit(configs, spoke, SPOKE_SET, SPOKE_SET + " set pfs group20\n")
    assert up_peers(net, "hub1", "Tunnel42") == {"172.16.42.11", "172.16.42.12", "172.16.42.13"}
    assert up_peers(net, "hub1", "Tunnel43") == set()  # event43's spokes still offer no PFS


def test_a_proposal_counts_only_through_a_policy(tmp_path: Path) -> None:
    """Group 20/19 only on the hub: without a policy naming it IOS offers its default
    proposal, which the spokes' default proposal matches; with the policy the spokes (default
    groups 5/2) no longer agree."""
    configs = lab_configs()
    edit(configs, "hub1", HUB_PROFILE, HUB_PROFILE + "!\n" + MODERN)
    net = network(configs, tmp_path)
    assert len(ikev2_sas(net, "hub1")) == 5
    configs["hub1"] += POLICY
    net = network(configs, tmp_path / "b")
    assert ikev2_sas(net, "hub1") == []
    for spoke in SPOKES_42 + SPOKES_43:
        configs[spoke] += MODERN + POLICY
    (sa,) = ikev2_sas(net, "e42-spoke1")
    assert (sa["encryption"], sa["keysize"], sa["hash"], sa["dh_group"]) == (
        "AES-CBC",
        "256",
        "SHA512",
        "20",
    )
    assert len(ikev2_sas(net, "hub1")) == 5


def test_hub_summary_replaces_the_lans_and_phase3_still_shortcuts(tmp_path: Path) -> None:
    from netmodel_helpers import routes, run

    configs = lab_configs()
    edit(
        configs,
        "hub1",
        "   no split-horizon\n  exit-af-interface\n  !\n  topology base\n  exit-af-topology\n"
        "  network 172.16.42.0",
        "   no split-horizon\n   summary-address 10.42.0.0 255.255.0.0\n  exit-af-interface\n"
        "  !\n  topology base\n  exit-af-topology\n  network 172.16.42.0",
    )
    net = network(configs, tmp_path)
    spoke = routes(net, "e42-spoke1", None)
    assert spoke["10.42.0.0/16"]["nexthop_ip"] == "172.16.42.1"
    assert "10.42.2.0/24" not in spoke
    assert "10.42.2.0/24" in routes(net, "hub1", "VRF-EVENT42")  # the hub keeps the specifics
    run(net, "e42-spoke1", "ping 10.42.2.1 source GigabitEthernet0/0/1")
    run(net, "e42-spoke1", "ping 10.42.2.1 source GigabitEthernet0/0/1")
    assert routes(net, "e42-spoke1", None)["10.42.2.0/24"]["protocol"] == "H"
