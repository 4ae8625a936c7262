"""PIM over the DMVPN as IOS runs it: neighbours only where both ends run multicast routing and
PIM sparse mode over a registered tunnel with multicast mapping; RPF through the static mroute
after a phase-3 shortcut; the show formats read by the project's TextFSM templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from netmodel_helpers import SPOKES_42, edit, lab_configs, network, run

from lab.config.store import ConfigStore
from tasks.parse import parse

HUB_TUNNEL = (
    "interface Tunnel42\n vrf forwarding VRF-EVENT42\n ip address 172.16.42.1 255.255.255.0\n"
)
SPOKE_MTU = " ip mtu 1400\n"
LAN = "interface GigabitEthernet0/0/1\n"
SHORTCUT_SUMMARY = "   no split-horizon\n"
ALL_SPOKES = {"172.16.42.11", "172.16.42.12", "172.16.42.13"}


def multicast_configs() -> dict[str, str]:
    """The lab configs with event42's multicast as the render gives it."""
    configs = lab_configs()
    edit(configs, "hub1", HUB_TUNNEL, HUB_TUNNEL + " ip pim nbma-mode\n ip pim sparse-mode\n")
    # a summary toward the spokes, so a spoke-to-spoke ping installs an NHRP route (phase 3)
    edit(
        configs,
        "hub1",
        SHORTCUT_SUMMARY,
        SHORTCUT_SUMMARY + "   summary-address 10.42.0.0 255.255.0.0\n",
    )
    configs["hub1"] = configs["hub1"].replace(
        "\nend",
        "\nip multicast-routing vrf VRF-EVENT42 distributed\n"
        "ip pim vrf VRF-EVENT42 rp-address 172.16.42.1\nend",
    )
    for spoke in SPOKES_42:
        edit(configs, spoke, SPOKE_MTU, SPOKE_MTU + " ip pim sparse-mode\n")
        edit(configs, spoke, LAN, LAN + " ip pim sparse-mode\n")
        configs[spoke] = configs[spoke].replace(
            "\nend",
            "\nip multicast-routing distributed\nip pim rp-address 172.16.42.1\n"
            "ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1\nend",
        )
    return configs


def hub_neighbors(net) -> set[str]:
    cmd = "show ip pim vrf VRF-EVENT42 neighbor"
    return {row["neighbor"] for row in parse(cmd, run(net, "hub1", cmd))}


def test_every_registered_spoke_is_a_neighbor_of_the_hub_only(tmp_path: Path) -> None:
    net = network(multicast_configs(), tmp_path)
    assert hub_neighbors(net) == ALL_SPOKES
    rows = parse("show ip pim neighbor", run(net, "e42-spoke1", "show ip pim neighbor"))
    assert [(r["neighbor"], r["interface"], r["version"]) for r in rows] == [
        ("172.16.42.1", "Tunnel42", "v2")
    ]
    # highest address wins the DR election (every priority at 1): a spoke, on the hub's tunnel
    hub_rows = parse(
        "show ip pim vrf x neighbor", run(net, "hub1", "show ip pim vrf VRF-EVENT42 neighbor")
    )
    assert {r["neighbor"] for r in hub_rows if r["mode"].startswith("DR")} == {"172.16.42.13"}
    interfaces = parse(
        "show ip pim interface", run(net, "hub1", "show ip pim vrf VRF-EVENT42 interface")
    )
    assert [(r["interface"], r["neighbor_count"], r["mode"]) for r in interfaces] == [
        ("Tunnel42", "3", "S")
    ]
    # event43 runs no multicast: no PIM in its VRF
    assert (
        parse("show ip pim interface", run(net, "hub1", "show ip pim vrf VRF-EVENT43 interface"))
        == []
    )


@pytest.mark.parametrize(
    ("device", "old", "new"),
    [
        ("e42-spoke2", " ip pim sparse-mode\n", ""),
        ("e42-spoke2", "ip multicast-routing distributed\n", ""),
        ("e42-spoke2", "nbma 192.0.2.10 multicast\n", "nbma 192.0.2.10\n"),
        ("e42-spoke2", " tunnel key 42\n", " tunnel key 99\n"),  # not registered
        ("e42-spoke2", " ip pim sparse-mode\n", " ip pim dense-mode\n"),
    ],
    ids=["no-pim", "no-multicast-routing", "no-nhs-multicast", "not-registered", "dense-mode"],
)
def test_a_spoke_missing_a_piece_is_no_neighbor(tmp_path: Path, device, old, new) -> None:
    configs = multicast_configs()
    edit(configs, device, old, new)
    assert hub_neighbors(network(configs, tmp_path)) == ALL_SPOKES - {"172.16.42.12"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ip multicast-routing vrf VRF-EVENT42 distributed\n", ""),
        (" ip pim nbma-mode\n ip pim sparse-mode\n", " ip pim nbma-mode\n"),  # NBMA alone: nothing
        (" ip nhrp map multicast dynamic\n", ""),
    ],
    ids=["no-vrf-multicast-routing", "nbma-without-sparse", "no-map-multicast-dynamic"],
)
def test_a_hub_missing_a_piece_has_no_neighbor(tmp_path: Path, old, new) -> None:
    configs = multicast_configs()
    tunnel = configs["hub1"].split("interface Tunnel42\n")[1]
    if old.startswith(" ip nhrp"):
        assert old in tunnel
        configs["hub1"] = configs["hub1"].replace(tunnel, tunnel.replace(old, new, 1))
    else:
        edit(configs, "hub1", old, new)
    assert hub_neighbors(network(configs, tmp_path)) == set()


def test_rpf_stays_on_the_hub_after_a_shortcut_only_with_the_mroute(tmp_path: Path) -> None:
    configs = multicast_configs()
    net = network(configs, tmp_path)
    run(net, "e42-spoke1", "ping 10.42.2.1 source GigabitEthernet0/0/1")
    route = run(net, "e42-spoke1", "show ip route 10.42.2.1")
    assert "172.16.42.12" in route  # unicast now goes straight to e42-spoke2 (NHRP)
    rpf = parse("show ip rpf 10.42.2.1", run(net, "e42-spoke1", "show ip rpf 10.42.2.1"))
    assert (rpf[0]["neighbor"], rpf[0]["type"]) == ("172.16.42.1", "multicast (static)")
    # a source on the spoke's own LAN still RPFs to the LAN (connected beats distance 1)
    local = parse("show ip rpf 10.42.1.9", run(net, "e42-spoke1", "show ip rpf 10.42.1.9"))
    assert (local[0]["interface"], local[0]["type"]) == (
        "GigabitEthernet0/0/1",
        "unicast (connected)",
    )

    edit(configs, "e42-spoke1", "ip mroute 0.0.0.0 0.0.0.0 172.16.42.1 1\n", "")
    run(net, "e42-spoke1", "ping 10.42.2.1 source GigabitEthernet0/0/1")
    rpf = parse("show ip rpf 10.42.2.1", run(net, "e42-spoke1", "show ip rpf 10.42.2.1"))
    assert (rpf[0]["neighbor"], rpf[0]["type"]) == ("172.16.42.12", "unicast (nhrp)")


def _apply(model: str, lines: list[str]) -> list[str]:
    store, context, errors = ConfigStore(model), [], []
    for line in lines:
        result = store.apply(context, line)
        context = result.context or []
        if result.error is not None:
            errors.append(f"{line}: {result.error.text}")
    return errors


def test_distributed_is_ios_xe_only() -> None:
    vrf = ["vrf definition V", " address-family ipv4", " exit-address-family", "exit"]
    xe = ["ip multicast-routing distributed", "ip multicast-routing vrf V distributed"]
    assert _apply("ISR4331", vrf + xe) == []
    assert len(_apply("IOSv", vrf + xe)) == 2
    assert _apply("IOSv", [*vrf, "ip multicast-routing", "ip multicast-routing vrf V"]) == []
    # abbreviated, as people type it
    assert _apply("IOSv", ["ip multicast-rout dist"]) != []
    assert _apply("C8000V", ["ip mult dist"]) == []


def test_pim_lines_live_where_ios_takes_them() -> None:
    assert _apply("ISR4331", ["ip pim sparse-mode"]) != []  # an interface command
    # a global line typed in interface mode is taken by the global mode, as IOS does
    assert _apply("ISR4331", ["interface Tunnel1", " ip pim vrf V rp-address 1.1.1.1"]) == []
    assert (
        _apply("ISR4331", ["interface Tunnel1", " ip pim nbma-mode", " ip pim sparse-mode"]) == []
    )
    store = ConfigStore("ISR4331")
    context: list[str] = []
    for line in [
        "interface Tunnel1",
        " ip pim sparse-mode",
        " ip pim nbma-mode",
        " ip pim dense-mode",
    ]:
        context = store.apply(context, line).context or []
    shown = store.running_config().split("interface Tunnel1\n")[1].split("!\n")[0]
    assert shown.count("ip pim") == 2 and " ip pim nbma-mode\n ip pim dense-mode\n" in shown
