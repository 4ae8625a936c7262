"""The grammar engine: abbreviations, caret columns, incomplete and ambiguous input."""

from __future__ import annotations

import doctest

import pytest

from lab.config import tree as config_tree
from lab.grammar import engine
from lab.grammar.engine import Cmd, Grammar
from lab.grammar.modes import MODES
from lab.grammar.modes import grammar as mode_grammar

SMALL = Grammar(
    [
        Cmd("ip address A.B.C.D A.B.C.D", key=2),
        Cmd("ip mtu <68-9216>", key=2),
        Cmd("ip nat {inside|outside}", key=2),
        Cmd("ip nhrp holdtime <1-65535>", key=3),
        Cmd("tunnel key <0-4294967295>", key=2),
        Cmd("description LINE", key=1),
        Cmd("service timestamps {debug|log} [datetime [msec] | uptime]", key=3),
    ]
)


def test_doctests_of_the_engine_and_the_config_tree() -> None:
    for module in (engine, config_tree):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("ip add 10.0.0.1 255.255.255.0", "ip address 10.0.0.1 255.255.255.0"),
        ("IP ADDR 10.0.0.1 255.255.255.0", "ip address 10.0.0.1 255.255.255.0"),
        ("ip nat out", "ip nat outside"),
        ("ip nh h 300", "ip nhrp holdtime 300"),
        ("tun k 4294967295", "tunnel key 4294967295"),
        ("desc ** WAN  link **", "description ** WAN  link **"),
        ("serv time log datetime msec", "service timestamps log datetime msec"),
        ("serv time log upt", "service timestamps log uptime"),
    ],
)
def test_unique_prefixes_expand_to_the_full_keyword(typed: str, normalised: str) -> None:
    result = SMALL.parse(typed)
    assert result.error is None
    assert result.text == normalised


@pytest.mark.parametrize(
    ("typed", "column"),
    [
        ("ip adress 10.0.0.1 255.255.255.0", 3),  # misspelled keyword
        ("ip address 10.0.0.300 255.255.255.0", 11),  # bad value
        ("ip address 10.0.0.1 255.255.255.0 extra", 34),  # extra token
        ("ip mtu 67", 7),  # below the range
        ("tunnel key 4294967296", 11),  # above the range
        ("ip nat sideways", 7),
        ("zzz", 0),
    ],
)
def test_invalid_input_points_at_the_first_token_that_does_not_fit(typed: str, column: int) -> None:
    error = SMALL.parse(typed).error
    assert error is not None
    assert error.kind == "invalid"
    assert error.column == column
    assert error.text == "% Invalid input detected at '^' marker."


@pytest.mark.parametrize("typed", ["ip", "ip address 10.0.0.1", "tunnel key", "service timestamps"])
def test_missing_tokens_are_incomplete(typed: str) -> None:
    error = SMALL.parse(typed).error
    assert error is not None and error.kind == "incomplete"
    assert error.text == "% Incomplete command."


def test_a_prefix_shared_by_two_keywords_is_ambiguous() -> None:
    error = SMALL.parse("ip n inside").error
    assert error is not None and error.kind == "ambiguous"
    assert engine.ambiguous_text("ip n inside") == '% Ambiguous command:  "ip n inside"'


def test_a_no_form_may_stop_once_it_names_the_setting() -> None:
    assert SMALL.parse("ip address", negate=True).negated
    assert SMALL.parse("ip", negate=True).error is not None  # names nothing yet


@pytest.mark.parametrize(
    ("typed", "ok"),
    [("a b d", True), ("a c d", True), ("a d", True), ("a b c d", False), ("a e", False)],
)
def test_optionals_and_alternatives(typed: str, ok: bool) -> None:
    assert (Grammar([Cmd("a [b|c] d")]).parse(typed).error is None) is ok


def test_every_mode_compiles_and_knows_exit_and_end() -> None:
    for mode in MODES:
        g = mode_grammar(mode)
        assert g.parse("end").cmd is not None, mode
        assert g.parse("exit").cmd is not None, mode


@pytest.mark.parametrize(
    "ace",
    [
        "permit udp any eq bootps any eq bootpc",
        "permit udp any any range 33434 33463 ttl eq 1",
        "permit tcp any any eq 22",
        "permit icmp any any port-unreachable",
        "deny ip host 10.0.0.1 10.1.0.0 0.0.255.255 log",
        "10 permit esp any any",
    ],
)
def test_extended_acl_entries(ace: str) -> None:
    assert mode_grammar("ext-nacl").parse(ace).error is None


def test_extended_acl_rejects_a_port_on_icmp() -> None:
    error = mode_grammar("ext-nacl").parse("permit icmp any eq 22 any").error
    assert error is not None and error.kind == "invalid" and error.column == 16
