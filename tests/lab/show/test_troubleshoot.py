"""The DMVPN troubleshooting commands: what the model knows, in the layout of Cisco's command
reference sample output, parsed by ntc-templates where it has a template for the command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from netmodel_helpers import SPOKES_42, edit, lab_configs, network, run
from ntc_templates.parse import parse_output

from lab.model.network import Network

PLATFORM = Path(__file__).parents[2] / "fixtures" / "platform-outputs"


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


def test_show_ip_nhrp_nhs_expects_replies_from_an_unreachable_hub(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "hub1", "interface Tunnel42\n", "interface Tunnel42\n shutdown\n")
    text = run(network(configs, tmp_path), "e42-spoke1", "show ip nhrp nhs")
    assert text.splitlines()[2].split()[:2] == ["172.16.42.1", "E"]


def _shape(text: str) -> list[tuple[int, str]]:
    """Each line's indentation and first word (numbers as N): the layout, whatever the values."""
    return [
        (len(line) - len(line.lstrip()), re.sub(r"\d+", "N", line.split()[0]))
        for line in text.splitlines()
        if line.strip()
    ]


def test_show_crypto_ipsec_sa_has_the_layout_of_a_real_hub(net: Network) -> None:
    real = (PLATFORM / "show_crypto_ipsec_sa" / "csr_hub_two_peers.txt").read_text()
    text = run(net, "hub1", "show crypto ipsec sa")
    tunnel43 = text[text.index("interface: Tunnel43") :]
    assert tunnel43.count("protected vrf:") == 2  # event43 has two spokes, as the capture
    assert _shape(tunnel43) == _shape(real)
    assert text.count("interface: Tunnel") == 2  # one block per tunnel, a section per peer
    assert "transform: esp-256-aes esp-sha256-hmac ," in text  # `esp-aes 256` as IOS names it


def test_show_crypto_ipsec_sa_detail_of_a_spoke_parses_with_ntc_templates(net: Network) -> None:
    rows = parse_output(
        platform="cisco_ios",
        command="show crypto ipsec sa detail",
        data=run(net, "e42-spoke1", "show crypto ipsec sa detail"),
    )
    assert {r["interface"] for r in rows} == {"Tunnel42"}
    assert {r["current_peer"] for r in rows} == {"192.0.2.10"}
    assert {r["sa_orientation"] for r in rows} == {"inbound", "outbound"}
    assert all(r["sa_status"] == "ACTIVE(ACTIVE)" and r["protected_vrf"] for r in rows)
    assert all(r["sa_replay_window_size"] == "64" for r in rows)


def test_show_ip_eigrp_vrf_topology_has_the_layout_of_a_real_named_mode_hub(net: Network) -> None:
    real = (PLATFORM / "show_ip_eigrp_topology" / "csr_hub_named_vrf.txt").read_text()
    text = run(net, "hub1", "show ip eigrp vrf VRF-EVENT42 topology")
    assert _shape(text)[:4] == _shape(real)[:4]  # VR, Topology(base) ... VRF(X), codes
    assert text.splitlines()[1] == "           Topology(base) TID(0) VRF(VRF-EVENT42)"
    entries = dict(zip(text.splitlines()[5::2], text.splitlines()[6::2], strict=False))
    tunnel = "P 172.16.42.0/24, 1 successors, FD is 9830400000"  # wide metric, as the capture
    assert entries[tunnel] == "        via Connected, Tunnel42"
    for n in range(1, len(SPOKES_42) + 1):
        via = next(v for e, v in entries.items() if e.startswith(f"P 10.42.{n}.0/24,"))
        assert via.startswith(f"        via 172.16.42.1{n} (") and via.endswith("), Tunnel42")
        fd, rd = via.split("(")[1].split(")")[0].split("/")
        assert int(fd) > int(rd) > 0  # the spoke reports its own, shorter distance


def test_show_ip_eigrp_topology_of_a_classic_instance_parses_with_ntc(tmp_path: Path) -> None:
    from lab.config.store import ConfigStore  # a classic-mode hub from a real config

    real_hub = (PLATFORM.parent / "real-configs" / "phase3_ikev2_hub.cfg").read_text()
    store = ConfigStore.factory("Hub", "IOL")
    context: list[str] = []
    for line in real_hub.splitlines():
        result = store.apply(context, line)
        context = result.context if result.context is not None else []
    classic = network({"Hub": store.running_config()}, tmp_path)
    text = run(classic, "Hub", "show ip eigrp topology")
    rows = parse_output(platform="cisco_ios", command="show ip eigrp topology", data=text)
    assert rows and all(r["code"] == "P" and r["process_id"] for r in rows)
    assert any(r["adv_router"] == ["Connected"] for r in rows)


def _zone_pair_block(text: str, name: str) -> str:
    rest = text[text.index(f"policy exists on zp {name}") :]
    end = rest.find("policy exists on zp", 1)
    return rest if end < 0 else rest[:end]


def test_zone_pair_policy_has_the_layout_of_a_real_zbfw_router(net: Network) -> None:
    real = PLATFORM / "show_policy_map_type_inspect_zone_pair" / "r1_zbfw_two_pairs.txt"
    real_block = _zone_pair_block(real.read_text(), "OUTSIDE-TO-SELF")
    text = run(net, "hub1", "show policy-map type inspect zone-pair")
    block = _zone_pair_block(text, "ZONE-OUTSIDE-TO-SELF")
    # same classes, two ACLs in the inspect class and three in the pass class, as the capture
    assert _shape(block) == _shape(real_block)


def test_zone_pair_sessions_lists_each_policy_class_and_no_sessions(net: Network) -> None:
    text = run(net, "hub1", "show policy-map type inspect zone-pair sessions")
    zone_pairs = run(net, "hub1", "show zone-pair security")
    names = [line.split()[-1] for line in zone_pairs.splitlines() if "Zone-pair name" in line]
    for name in names:
        assert f"policy exists on zp {name}" in text
    assert text.count("Class-map: class-default (match-any)") == len(names)
    assert "Inspect" in text and "Session creations" not in text
