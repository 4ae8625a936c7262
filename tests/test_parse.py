"""TextFSM templates on real captures (ntc-templates' test layout) and parse() error handling."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ntc_templates.parse import parse_output

from tasks.parse import ParseError, find_template, parse

ROOT = Path(__file__).parent
CASES = sorted((ROOT / "textfsm" / "cisco_ios").glob("*/*.raw"))
REAL = sorted((ROOT / "fixtures" / "real-outputs").glob("*/*.txt"))
PROJECT_COMMANDS = ("show dmvpn", "show ip eigrp neighbors", "show crypto ikev2 sa", "show ip nhrp")


def _command(case: Path) -> str:
    return case.parent.name.replace("_", " ")


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_template_parses_case_as_expected(case: Path) -> None:
    expected = yaml.safe_load(case.with_suffix(".yml").read_text())["parsed_sample"]
    assert parse(_command(case), case.read_text()) == expected


def test_every_real_capture_is_a_template_case() -> None:
    raws = {case.read_bytes() for case in CASES}
    missing = [str(capture) for capture in REAL if capture.read_bytes() not in raws]
    assert REAL and not missing


@pytest.mark.parametrize("capture", REAL, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_real_captures_parse_with_project_templates(capture: Path) -> None:
    command = capture.parent.name.replace("_", " ")
    if command in PROJECT_COMMANDS:
        assert find_template(command).source == "project"
        rows = parse(command, capture.read_text())
        assert rows and all(all(row[key] for key in _key_fields(command)) for row in rows)


def _key_fields(command: str) -> tuple[str, ...]:
    return {
        "show dmvpn": ("interface", "peer_nbma", "peer_tunnel", "state"),
        "show ip eigrp neighbors": ("as", "ip_address", "interface"),
        "show crypto ikev2 sa": ("local_ip", "remote_ip", "remote_port", "status"),
        "show ip nhrp": ("protocol_address", "interface", "type", "nbma_address"),
    }[command]


def test_dmvpn_rows_keep_their_tunnel() -> None:
    case = ROOT / "textfsm/cisco_ios/show_dmvpn/hub_two_tunnels_two_fvrfs.raw"
    rows = parse("show dmvpn", case.read_text())
    by_tunnel = {(row["interface"], row["peer_tunnel"]) for row in rows}
    # The same spoke NBMA address registers on both tunnels; only the interface separates them.
    assert ("Tunnel100", "10.64.0.4") in by_tunnel and ("Tunnel200", "10.65.0.4") in by_tunnel


@pytest.mark.parametrize(
    "command",
    [
        "show ip eigrp vrf VRF-EVENT42 neighbors",
        "sh ip eig vrf VRF-EVENT42 nei",
        "show eigrp address-family ipv4 vrf VRF-EVENT42 neighbors",
        "show eigrp address-family ipv4 vrf VRF-EVENT42 42 neighbors",
        "show ip eigrp neighbors",
    ],
)
def test_eigrp_vrf_commands_use_project_template(command: str) -> None:
    case = ROOT / "textfsm/cisco_ios/show_ip_eigrp_neighbors/project_named_mode_vrf.raw"
    assert find_template(command).name == "cisco_ios_show_ip_eigrp_neighbors.textfsm"
    assert {row["vrf"] for row in parse(command, case.read_text())} == {"VRF-EVENT42"}


def test_detail_form_is_left_to_ntc_templates() -> None:
    assert find_template("show ip eigrp neighbors detail").source == "ntc-templates"


# --- why the project has its own templates: the shortfalls of ntc-templates 9.x ---


def test_ntc_dmvpn_template_drops_the_interface() -> None:
    case = ROOT / "textfsm/cisco_ios/show_dmvpn/hub_two_tunnels_two_fvrfs.raw"
    rows = parse_output(platform="cisco_ios", command="show dmvpn", data=case.read_text())
    assert rows and "interface" not in rows[0]


def test_ntc_eigrp_template_errors_on_named_mode_vrf_header() -> None:
    case = ROOT / "textfsm/cisco_ios/show_ip_eigrp_neighbors/project_named_mode_vrf.raw"
    with pytest.raises(Exception, match="State Error"):
        parse_output(platform="cisco_ios", command="show ip eigrp neighbors", data=case.read_text())


@pytest.mark.parametrize("command", ["show ip eigrp vrf X neighbors", "show crypto ikev2 sa"])
def test_ntc_has_no_template(command: str) -> None:
    with pytest.raises(Exception, match="No template found"):
        parse_output(platform="cisco_ios", command=command, data="x")


# --- parse() refuses what it cannot read ---


def test_unparseable_line_names_command_and_template() -> None:
    output = "Interface: Tunnel42, IPv4 NHRP Details\nsomething IOS never prints\n"
    with pytest.raises(ParseError) as err:
        parse("show dmvpn", output)
    assert "show dmvpn" in str(err.value) and "cisco_ios_show_dmvpn.textfsm" in str(err.value)


def test_ios_refusal_is_an_error() -> None:
    output = (
        "show ip eigrp vrf NOPE neighbors\n        ^\n% Invalid input detected at '^' marker.\n"
    )
    with pytest.raises(ParseError, match="Invalid input"):
        parse("show ip eigrp vrf NOPE neighbors", output)


def test_ping_ios_cannot_send_names_the_reason() -> None:
    """A ping from a source that is down is IOS's answer, not a template failure."""
    output = "% Invalid source interface - GigabitEthernet0/0/1\n"
    with pytest.raises(ParseError, match="answered '% Invalid source interface - Gigabit"):
        parse("ping 172.16.42.1 source GigabitEthernet0/0/1", output)


def test_output_without_rows_where_rows_expected_is_an_error() -> None:
    with pytest.raises(ParseError, match="no rows"):
        parse("show ip route vrf VRF-EVENT42", "% IP routing table VRF-EVENT42 does not exist\n")


def test_unknown_command_is_an_error() -> None:
    with pytest.raises(ParseError, match="no TextFSM template"):
        parse("show frobnicate", "whatever")


def test_blank_output_and_header_only_output_are_empty() -> None:
    case = ROOT / "textfsm/cisco_ios/show_ip_eigrp_neighbors/project_named_mode_vrf_empty.raw"
    assert parse("show dmvpn", "") == []
    assert parse("show ip eigrp vrf VRF-EVENT43 neighbors", case.read_text()) == []
