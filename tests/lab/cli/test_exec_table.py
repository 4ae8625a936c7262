"""The exec grammar and pipe filters, as pure functions."""

from __future__ import annotations

import pytest

from lab.cli import exec_network
from lab.cli.base import ExecError, ExecMatch, format_error
from lab.cli.exec_table import EXEC_COMMANDS, parse_exec
from lab.cli.pipes import PipeFilter, apply_filter, parse_pipe
from lab.hardware.interfaces import canonical_interface


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("sh run", "show running-config"),
        ("sh run int g0/0/0", "show running-config interface GigabitEthernet0/0/0"),
        ("sh run in GigabitEthernet 0/0/1", "show running-config interface GigabitEthernet0/0/1"),
        ("conf t", "configure terminal"),
        ("wr", "write"),
        ("write mem", "write memory"),
        ("copy run start", "copy running-config startup-config"),
        ("copy run flash:pre.cfg", "copy running-config flash:pre.cfg"),
        ("conf replace bootflash:pre.cfg force", "configure replace flash:pre.cfg force"),
        ("del /force flash:pre.cfg", "delete /force flash:pre.cfg"),
        ("sh ip int br", "show ip interface brief"),
        ("term len 0", "terminal length 0"),
        ("terminal width 511", "terminal width 511"),
        ("sh dmvpn det", "show dmvpn detail"),
        ("sh cry ikev2 sa", "show crypto ikev2 sa"),
        ("sh ip eigrp vrf VRF-EVENT42 nei", "show ip eigrp vrf VRF-EVENT42 neighbors"),
        ("sh eigrp address-family ipv4 vrf VRF-EVENT42 nei",
         "show eigrp address-family ipv4 vrf VRF-EVENT42 neighbors"),
        ("sh ip route vrf VRF-EVENT42", "show ip route vrf VRF-EVENT42"),
        ("sh zone-pair sec", "show zone-pair security"),
        ("ping vrf VRF-EVENT42 10.42.2.1 so g0/0/1",
         "ping vrf VRF-EVENT42 10.42.2.1 source GigabitEthernet0/0/1"),
        ("ping 10.42.2.1 source 10.42.1.1", "ping 10.42.2.1 source 10.42.1.1"),
        ("trace vrf VRF-EVENT42 10.42.2.1", "traceroute vrf VRF-EVENT42 10.42.2.1"),
        ("clear crypto sess", "clear crypto session"),
        ("clear ip nhrp", "clear ip nhrp"),
    ],
)  # fmt: skip
def test_abbreviations_resolve_to_the_full_command(typed: str, canonical: str) -> None:
    match = parse_exec(typed)
    assert isinstance(match, ExecMatch), match
    assert match.canonical == canonical


def test_each_command_row_carries_its_handler() -> None:
    match = parse_exec("show crypto session")
    assert isinstance(match, ExecMatch)
    assert match.handler is exec_network.show_crypto_session_cmd
    assert all(row.handler is not None and row.privilege in (1, 15) for row in EXEC_COMMANDS)


def test_the_model_and_the_cli_share_one_declaration_of_show_ip_route() -> None:
    """The drift the issue names: the model answered `show ip route A.B.C.D`, the CLI refused."""
    match = parse_exec("sh ip ro 10.42.2.1")
    assert isinstance(match, ExecMatch)
    assert (match.canonical, match.args["A.B.C.D"]) == ("show ip route 10.42.2.1", "10.42.2.1")


@pytest.mark.parametrize(
    ("typed", "kind", "column"),
    [
        ("s", "ambiguous", 0),  # send, set, setup, show, ssh ... on a real ISR
        ("show i", "ambiguous", 5),  # interfaces, inventory, ip
        ("show", "incomplete", 4),
        ("show crypto ipsec", "incomplete", 17),  # sa, profile, ... follow on IOS
        ("show foo", "invalid", 5),
        ("show running-config interface Bogus0", "invalid", 30),
        ("ping vrf X 300.1.1.1", "invalid", 11),
        ("frobnicate", "unknown", 0),
    ],
)
def test_refusals_name_the_kind_and_column(typed: str, kind: str, column: int) -> None:
    error = parse_exec(typed)
    assert isinstance(error, ExecError)
    assert (error.kind, error.column) == (kind, column)


def test_user_exec_does_not_offer_privileged_commands() -> None:
    assert isinstance(parse_exec("show running-config", privilege=1), ExecError)
    assert isinstance(parse_exec("show version", privilege=1), ExecMatch)


def test_interface_abbreviations() -> None:
    assert canonical_interface("g0/0/0") == "GigabitEthernet0/0/0"
    assert canonical_interface("Tu42") == "Tunnel42"
    assert canonical_interface("lo0") == "Loopback0"
    assert canonical_interface("t42") is None  # Tunnel or TenGigabitEthernet


def test_caret_sits_under_the_offending_word_after_the_prompt() -> None:
    text = format_error(ExecError("invalid", 5), "show foo", len("hub1#"))
    assert text == " " * 10 + "^\n% Invalid input detected at '^' marker.\n\n"
    assert format_error(ExecError("incomplete", 4), "show", 5) == "% Incomplete command.\n\n"
    assert format_error(ExecError("ambiguous", 0, "s"), "s", 5) == '% Ambiguous command:  "s"\n\n'


CONFIG = """\
hostname hub1
!
interface GigabitEthernet0/0/0
 vrf forwarding VRF-FRONT
 ip address 192.0.2.10 255.255.255.0
!
interface Tunnel42
 ip nhrp network-id 42
 tunnel key 42
!
ip nat inside source list NAT interface GigabitEthernet0/0/0 overload
end
"""


@pytest.mark.parametrize(
    ("pipe", "expected"),
    [
        ("include tunnel", " tunnel key 42\n"),
        ("i ^interface", "interface GigabitEthernet0/0/0\ninterface Tunnel42\n"),
        ("begin Tunnel42", "interface Tunnel42\n ip nhrp network-id 42\n tunnel key 42\n!\n"
         "ip nat inside source list NAT interface GigabitEthernet0/0/0 overload\nend\n"),
        ("section Tunnel", "interface Tunnel42\n ip nhrp network-id 42\n tunnel key 42\n"),
        ("sec nhrp", " ip nhrp network-id 42\n"),
        ("exclude ^ |!", "hostname hub1\ninterface GigabitEthernet0/0/0\ninterface Tunnel42\n"
         "ip nat inside source list NAT interface GigabitEthernet0/0/0 overload\nend\n"),
    ],
)  # fmt: skip
def test_pipe_filters(pipe: str, expected: str) -> None:
    parsed = parse_pipe(pipe, 0)
    assert isinstance(parsed, PipeFilter)
    assert apply_filter(CONFIG, parsed) == expected


def test_pipe_needs_a_known_filter_and_a_regex() -> None:
    assert parse_pipe(" frob x", 10) == ExecError("invalid", 11, "frob")
    assert isinstance(parse_pipe(" include", 10), ExecError)
