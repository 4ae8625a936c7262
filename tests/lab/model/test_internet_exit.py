"""A spoke's local internet exit, as the lab's carrier answers it: NAT overload of the LAN out of
the WAN interface in VRF-FRONT, and a default route in the global table whose exit interface is
that WAN (inter-VRF NAT). Without either, the LAN's ping to the internet goes unanswered."""

from __future__ import annotations

from pathlib import Path

from netmodel_helpers import edit, lab_configs, network, routes, run

WAN_DHCP_ROUTE = "ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/0/0 dhcp\n"
NAT_RULE = "ip nat inside source list ACL-NAT-LAN interface GigabitEthernet0/0/0 overload\n"
NAT_ACL = "ip access-list extended ACL-NAT-LAN\n permit ip 10.42.1.0 0.0.0.255 any\n!\n"
LAN_PING = "ping 8.8.8.8 source GigabitEthernet0/0/1"


def internet_exit(configs: dict[str, str], route: bool = True, nat: bool = True) -> None:
    """e42-spoke1 with the render's internet lines (or without the route / the NAT rule)."""
    lines = (NAT_ACL if nat else "") + (NAT_RULE if nat else "") + (WAN_DHCP_ROUTE if route else "")
    edit(
        configs,
        "e42-spoke1",
        "router eigrp EIGRP-EVENT42\n",
        lines + "router eigrp EIGRP-EVENT42\n",
    )


def test_the_lan_reaches_the_internet_through_nat_and_the_global_default(tmp_path: Path) -> None:
    configs = lab_configs()
    internet_exit(configs)
    net = network(configs, tmp_path)
    default = routes(net, "e42-spoke1", None)["0.0.0.0/0"]
    # installed the way IOS shows a static route via the DHCP gateway out of a VRF interface
    assert (default["protocol"], default["nexthop_if"]) == ("S", "GigabitEthernet0/0/0")
    assert default["nexthop_ip"].startswith("100.64.")
    assert "Success rate is 100 percent" in run(net, "e42-spoke1", LAN_PING)
    translations = run(net, "e42-spoke1", "show ip nat translations").splitlines()
    header = "Pro Inside global Inside local Outside local Outside global"
    assert translations[0].split() == header.split()
    pro, inside_global, inside_local, outside_local, _ = translations[1].split()
    assert (pro, inside_local, outside_local) == ("icmp", "10.42.1.1:1", "8.8.8.8:1")
    assert inside_global.startswith("100.64.")  # the WAN's lease; the carrier NATs it again
    # the overlay is untouched: the tenant's own LANs still go through the tunnel
    assert "Success rate is 100 percent" in run(
        net, "e42-spoke1", "ping 10.42.2.1 source GigabitEthernet0/0/1"
    )


def test_without_the_nat_rule_the_carrier_drops_the_private_source(tmp_path: Path) -> None:
    configs = lab_configs()
    internet_exit(configs, nat=False)
    net = network(configs, tmp_path)
    assert "0.0.0.0/0" in routes(net, "e42-spoke1", None)
    assert "Success rate is 0 percent" in run(net, "e42-spoke1", LAN_PING)


def test_without_the_global_default_route_the_lan_has_no_way_out(tmp_path: Path) -> None:
    configs = lab_configs()
    internet_exit(configs, route=False)
    net = network(configs, tmp_path)
    assert "0.0.0.0/0" not in routes(net, "e42-spoke1", None)
    assert "Success rate is 0 percent" in run(net, "e42-spoke1", LAN_PING)


def test_the_wan_itself_reaches_the_internet_without_any_of_it(tmp_path: Path) -> None:
    """The router's own traffic in VRF-FRONT leaves as its lease (the carrier's NAT)."""
    net = network(lab_configs(), tmp_path)
    assert "Success rate is 100 percent" in run(net, "e42-spoke1", "ping vrf VRF-FRONT 8.8.8.8")
    # a private destination is not on the internet
    assert "Success rate is 0 percent" in run(net, "e42-spoke1", "ping vrf VRF-FRONT 10.43.1.1")


def test_a_static_wan_names_its_gateway(tmp_path: Path) -> None:
    """`ip route 0.0.0.0 0.0.0.0 <WAN> <gateway>` for a statically addressed WAN."""
    configs = lab_configs()
    internet_exit(configs, route=False)
    edit(configs, "e42-spoke1", " ip address dhcp\n", " ip address 192.0.2.50 255.255.255.0\n")
    static = "ip route vrf VRF-FRONT 0.0.0.0 0.0.0.0 192.0.2.1\n"
    edit(configs, "e42-spoke1", "router eigrp", static + "router eigrp")
    net = network(configs, tmp_path)
    assert "Success rate is 0 percent" in run(net, "e42-spoke1", LAN_PING)
    edit(
        configs,
        "e42-spoke1",
        "router eigrp",
        "ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/0/0 192.0.2.1\nrouter eigrp",
    )
    assert "Success rate is 100 percent" in run(net, "e42-spoke1", LAN_PING)
