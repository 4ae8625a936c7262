"""Leaks between tenants on the headend, as the lab forwards them: a cross-VRF static route
redistributed to the tenant's spokes leaks one way only (the other tenant cannot answer), and NAT
between the VRFs (`ip nat inside source list … interface <other tenant's tunnel> vrf <VRF>
overload`) turns it into a two-way leak: the other tenant answers the translated address."""

from __future__ import annotations

from pathlib import Path

from netmodel_helpers import edit, lab_configs, network, routes, run

LEAK_ROUTE = "ip route vrf VRF-EVENT42 10.43.1.0 255.255.255.0 Tunnel43 172.16.43.11\n"
PROBE = "ping 10.43.1.1 source GigabitEthernet0/0/1 repeat 2 timeout 1"


def route_leak(configs: dict[str, str]) -> None:
    """The cross-VRF static route on hub1, redistributed into event42's EIGRP."""
    edit(
        configs, "hub1", "router eigrp EIGRP-EVENT42\n", LEAK_ROUTE + "router eigrp EIGRP-EVENT42\n"
    )
    topology = "  topology base\n  exit-af-topology\n"  # event42's af comes first
    edit(configs, "hub1", topology, "  topology base\n   redistribute static\n  exit-af-topology\n")


def nat_between_vrfs(configs: dict[str, str]) -> None:
    """event42's traffic translated to hub1's Tunnel43 address on its way into event43."""
    edit(
        configs,
        "hub1",
        "router eigrp EIGRP-EVENT42\n",
        "ip access-list extended ACL-LEAK\n permit ip any any\n!\n"
        "ip nat inside source list ACL-LEAK interface Tunnel43 vrf VRF-EVENT42 overload\n"
        "router eigrp EIGRP-EVENT42\n",
    )
    edit(configs, "hub1", "\ninterface Tunnel42\n", "\ninterface Tunnel42\n ip nat inside\n")
    edit(configs, "hub1", "\ninterface Tunnel43\n", "\ninterface Tunnel43\n ip nat outside\n")


def test_a_redistributed_cross_vrf_route_leaks_one_way(tmp_path: Path) -> None:
    configs = lab_configs()
    route_leak(configs)
    net = network(configs, tmp_path)
    leaked = routes(net, "e42-spoke1", None)["10.43.1.0/24"]
    assert (leaked["protocol"], leaked["nexthop_if"]) == ("D", "Tunnel42")
    # the request gets to e43-spoke1, whose reply has no way back to 10.42.1.1
    assert "Success rate is 0 percent" in run(net, "e42-spoke1", PROBE)


def test_nat_between_vrfs_makes_the_leak_answer(tmp_path: Path) -> None:
    configs = lab_configs()
    route_leak(configs)
    nat_between_vrfs(configs)
    net = network(configs, tmp_path)
    assert "Success rate is 100 percent (2/2)" in run(net, "e42-spoke1", PROBE)
    # NAT needs the route: without it nothing enters event43
    configs["hub1"] = configs["hub1"].replace(LEAK_ROUTE, "")
    assert "Success rate is 0 percent" in run(net, "e42-spoke1", PROBE)


def test_nat_for_another_vrf_does_not_touch_this_one(tmp_path: Path) -> None:
    """The rule's `vrf` names the inside table: event43's VRF rule leaves event42 one-way."""
    configs = lab_configs()
    route_leak(configs)
    nat_between_vrfs(configs)
    configs["hub1"] = configs["hub1"].replace(
        "interface Tunnel43 vrf VRF-EVENT42 overload", "interface Tunnel43 vrf VRF-EVENT43 overload"
    )
    net = network(configs, tmp_path)
    assert "Success rate is 0 percent" in run(net, "e42-spoke1", PROBE)
