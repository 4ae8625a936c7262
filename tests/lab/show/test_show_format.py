"""The lab's `show` outputs against real IOS captures: same headers, same columns, same parse.

Each output goes through the same TextFSM template a real device's output goes through (the
project's templates via tasks.parse, ntc-templates where it has the command) and must yield
the same fields, filled the same way, as the real capture does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from netmodel_helpers import lab_configs, network, run
from ntc_templates.parse import parse_output

from lab.model.network import Network
from tasks.parse import parse

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real-outputs"

# Column anchors per table row: L = left-aligned (start fixed), R = right-aligned (end fixed).
ANCHORS = {
    "dmvpn": "RLRRRR",
    "ikev2": "LLLLL",
    "eigrp": "LLLRLRRLL",
}


def _spans(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]


def assert_same_columns(real_line: str, lab_line: str, anchors: str) -> None:
    real, lab = _spans(real_line), _spans(lab_line)
    assert len(real) == len(lab) == len(anchors), (real_line, lab_line)
    for kind, (rs, re_), (ls, le) in zip(anchors, real, lab, strict=True):
        assert (rs if kind == "L" else re_) == (ls if kind == "L" else le), (real_line, lab_line)


def filled(rows: list[dict[str, str]]) -> set[str]:
    return {k for row in rows for k, v in row.items() if v not in ("", [])}


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Network:
    lab = network(lab_configs(), tmp_path_factory.mktemp("fmt"))
    run(lab, "e42-spoke1", "ping 10.42.2.1 source GigabitEthernet0/0/1")  # phase-3 shortcut
    return lab


def test_show_dmvpn_hub_matches_real_multi_tunnel_hub(net: Network) -> None:
    real_text = (REAL / "show_dmvpn" / "hub_two_tunnels_two_fvrfs.txt").read_text()
    lab_text = run(net, "hub1", "show dmvpn")
    legend = (REAL / "show_dmvpn" / "hub_one_tunnel.txt").read_text().splitlines()[:8]
    assert lab_text.splitlines()[:8] == legend
    real_lines, lab_lines = real_text.splitlines(), lab_text.splitlines()
    for header in (
        " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb",
        " ----- --------------- --------------- ----- -------- -----",
    ):
        assert lab_lines.count(header) == real_lines.count(header) == 2
    assert "Interface: Tunnel42, IPv4 NHRP Details" in lab_lines
    assert "Type:Hub, NHRP Peers:3," in lab_lines and "Type:Hub, NHRP Peers:2," in lab_lines
    real_row = next(ln for ln in real_lines if ln.strip().startswith("1 89.109"))
    for row in (ln for ln in lab_lines if re.match(r"^\s+1 \d", ln)):
        assert_same_columns(real_row, row, ANCHORS["dmvpn"])
    real_rows, lab_rows = parse("show dmvpn", real_text), parse("show dmvpn", lab_text)
    assert filled(real_rows) == filled(lab_rows)
    assert [r["interface"] for r in lab_rows] == ["Tunnel42"] * 3 + ["Tunnel43"] * 2
    # ntc-templates reads it too, with the same fields as on the real capture
    ntc_real = parse_output(platform="cisco_ios", command="show dmvpn", data=real_text)
    ntc_lab = parse_output(platform="cisco_ios", command="show dmvpn", data=lab_text)
    assert filled(ntc_real) == filled(ntc_lab) and len(ntc_lab) == 5


def test_show_dmvpn_spoke_matches_real_spoke(net: Network) -> None:
    real_text = (REAL / "show_dmvpn" / "ntc_spoke_two_nhs.txt").read_text()
    lab_text = run(net, "e42-spoke1", "show dmvpn")
    assert "Type:Spoke, NHRP Peers:2," in lab_text
    real_row = real_text.splitlines()[15]
    for row in (ln for ln in lab_text.splitlines() if re.match(r"^\s+1 \d", ln)):
        assert_same_columns(real_row, row, ANCHORS["dmvpn"])
    assert filled(parse("show dmvpn", real_text)) == filled(parse("show dmvpn", lab_text))


def test_show_crypto_ikev2_sa_matches_real(net: Network) -> None:
    real_text = (REAL / "show_crypto_ikev2_sa" / "csr1_two_peers.txt").read_text()
    lab_text = run(net, "hub1", "show crypto ikev2 sa")
    real_lines = real_text.splitlines()
    header = real_lines[3]
    assert lab_text.splitlines().count(header) == 5
    for row in (ln for ln in lab_text.splitlines() if re.match(r"^\d+\s", ln)):
        assert_same_columns(real_lines[4], row, ANCHORS["ikev2"])
    real_rows, lab_rows = (
        parse("show crypto ikev2 sa", real_text),
        parse("show crypto ikev2 sa", lab_text),
    )
    assert filled(real_rows) == filled(lab_rows)
    # detail: the lines the NAT-T capture shows (CE id, SPIs) in the same format
    nat_text = (REAL / "show_crypto_ikev2_sa" / "r1_natt_with_spi.txt").read_text()
    kinds = {ln.split(":")[0].strip() for ln in nat_text.splitlines() if ":" in ln}
    detail_text = run(net, "e42-spoke1", "show crypto ikev2 sa detail")
    known = "\n".join(
        ln
        for ln in detail_text.splitlines()
        if not ln.startswith("      ") or ln.split(":")[0].strip() in kinds
    )
    detail = parse("show crypto ikev2 sa", known)
    assert filled(parse("show crypto ikev2 sa", nat_text)) <= filled(detail)
    assert len(detail) == 2  # hub SA + the phase-3 spoke-to-spoke SA
    assert "      NAT-T is detected inside" in detail_text


def test_show_eigrp_named_mode_in_vrf_matches_real(net: Network) -> None:
    real_text = (REAL / "show_ip_eigrp_neighbors" / "named_mode_dmvpn_hub.txt").read_text()
    lab_text = run(net, "hub1", "show ip eigrp vrf VRF-EVENT42 neighbors")
    real_lines, lab_lines = real_text.splitlines(), lab_text.splitlines()
    assert lab_lines[0] == "EIGRP-IPv4 VR(EIGRP-EVENT42) Address-Family Neighbors for AS(42)"
    assert lab_lines[1] == "           VRF(VRF-EVENT42)"
    assert lab_lines[2:4] == real_lines[1:3]
    for row in lab_lines[4:]:
        assert_same_columns(real_lines[3], row, ANCHORS["eigrp"])
    real_rows = parse("show ip eigrp neighbors", real_text)
    lab_rows = parse("show ip eigrp vrf VRF-EVENT42 neighbors", lab_text)
    assert filled(lab_rows) == filled(real_rows) | {"vrf"}
    assert [r["ip_address"] for r in lab_rows] == ["172.16.42.13", "172.16.42.12", "172.16.42.11"]
    same = run(net, "hub1", "show eigrp address-family ipv4 vrf VRF-EVENT42 neighbors")
    assert same.splitlines()[:4] == lab_lines[:4]
    spoke = parse("show ip eigrp neighbors", run(net, "e42-spoke1", "show ip eigrp neighbors"))
    assert [(r["ip_address"], r["interface"], r["vrf"]) for r in spoke] == [
        ("172.16.42.1", "Tu42", "")
    ]
    assert int(spoke[0]["hold"]) > 40  # the hub announces hold-time 60


def test_show_ip_nhrp_matches_real(net: Network) -> None:
    real_text = (REAL / "show_ip_nhrp" / "hub_dynamic_entries.txt").read_text()
    lab_rows = parse("show ip nhrp", run(net, "hub1", "show ip nhrp"))
    assert filled(parse("show ip nhrp", real_text)) | {"claimed_nbma_address"} == filled(lab_rows)
    assert {r["type"] for r in lab_rows} == {"dynamic"}
    spoke_rows = parse("show ip nhrp", run(net, "e42-spoke1", "show ip nhrp"))
    static = next(r for r in spoke_rows if r["type"] == "static")
    real_static = parse(
        "show ip nhrp", (REAL / "show_ip_nhrp" / "spoke_static_nhs.txt").read_text()
    )
    assert (static["expire"], static["flags"]) == (
        real_static[0]["expire"],
        real_static[0]["flags"],
    )


def test_show_ip_route_vrf_parses_with_ntc_templates(net: Network) -> None:
    text = run(net, "hub1", "show ip route vrf VRF-EVENT42")
    rows = parse_output(platform="cisco_ios", command="show ip route vrf VRF-EVENT42", data=text)
    assert {r["vrf"] for r in rows} == {"VRF-EVENT42"}
    by_net = {(r["network"], r["prefix_length"]): r for r in rows}
    d = by_net[("10.42.1.0", "24")]
    assert (d["protocol"], d["distance"], d["nexthop_ip"], d["nexthop_if"]) == (
        "D",
        "90",
        "172.16.42.11",
        "Tunnel42",
    )
    assert d["uptime"]
    assert by_net[("172.16.42.1", "32")]["protocol"] == "L"
    front = run(net, "e42-spoke1", "show ip route vrf VRF-FRONT")
    assert "Gateway of last resort is 100.64.1.1 to network 0.0.0.0" in front
    default = parse_output(platform="cisco_ios", command="show ip route vrf VRF-FRONT", data=front)[
        0
    ]
    assert (default["protocol"], default["type"], default["network"]) == ("S", "", "0.0.0.0")


def test_ping_and_traceroute_parse_with_ntc_templates(net: Network) -> None:
    ping = parse_output(
        platform="cisco_ios",
        command="ping",
        data=run(net, "hub1", "ping vrf VRF-EVENT43 10.43.2.1 source Tunnel43"),
    )
    assert (ping[0]["success_pct"], ping[0]["source"], ping[0]["response_stream"]) == (
        "100",
        "172.16.43.1",
        ["!!!!!"],
    )
    trace = parse_output(
        platform="cisco_ios",
        command="traceroute",
        data=run(net, "hub1", "traceroute vrf VRF-EVENT43 10.43.2.1"),
    )
    assert [t["ip_address"] for t in trace] == ["10.43.2.1"]
    assert trace[0]["rtt_response"] == ["1", "1", "1"]


def test_show_crypto_session_shape(net: Network) -> None:
    text = run(net, "e43-spoke1", "show crypto session")
    assert text.startswith("Crypto session current status\n\nInterface: Tunnel43\n")
    assert "Session status: UP-ACTIVE" in text
    assert "  IKEv2 SA: local 100.64.4.2/4500 remote 192.0.2.10/4500 Active " in text
