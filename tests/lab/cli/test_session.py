"""The IOS CLI over a raw SSH shell: prompts, echo, enable, modes, do, Ctrl-Z, pasted config."""

from __future__ import annotations

from typing import Any

import pytest

from lab.api import Lab

INVALID = "% Invalid input detected at '^' marker."


def test_login_lands_in_user_exec_and_privileged_commands_are_refused(terminal: Any) -> None:
    out = terminal.command("show running-config")
    # echo, then the caret under "running-config" counted from the start of "hub1>"
    assert out == "show running-config\r\n" + " " * 10 + "^\r\n" + INVALID + "\r\n\r\nhub1>"


def test_enable_asks_for_the_secret_without_echoing_it(terminal: Any) -> None:
    terminal.send("enable\r")
    assert terminal.read_until("Password: ") == "enable\r\nPassword: "
    terminal.send("wrong\r")
    assert terminal.read_until("Password: ") == "\r\nPassword: "
    terminal.send("admin\r")
    assert terminal.read_until("hub1#") == "\r\nhub1#"
    terminal.command("disable")
    terminal.send("enable\r")
    for _ in range(3):
        terminal.read_until("Password: ")
        terminal.send("nope\r")
    assert terminal.read_until("hub1>").endswith("% Bad secrets\r\n\r\nhub1>")


@pytest.fixture
def enabled(terminal: Any) -> Any:
    terminal.send("enable\r")
    terminal.read_until("Password: ")
    terminal.send("admin\r")
    terminal.read_until("hub1#")
    return terminal


def test_configure_terminal_prompts_and_ctrl_z(enabled: Any) -> None:
    out = enabled.command("conf t")
    assert (
        out == "conf t\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\n"
        "hub1(config)#"
    )
    assert enabled.command("interface Loopback0").endswith("hub1(config-if)#")
    enabled.send("\x1a")
    assert enabled.read_until("hub1#") == "^Z\r\nhub1#"


def test_nested_modes_show_the_store_s_prompts(enabled: Any) -> None:
    enabled.command("configure terminal")
    assert enabled.command("vrf definition VRF-T").endswith("hub1(config-vrf)#")
    assert enabled.command(" address-family ipv4").endswith("hub1(config-vrf-af)#")
    assert enabled.command(" exit-address-family").endswith("hub1(config-vrf)#")
    assert enabled.command("crypto ikev2 keyring KR").endswith("hub1(config-ikev2-keyring)#")
    assert enabled.command(" peer ANY").endswith("hub1(config-ikev2-keyring-peer)#")
    assert enabled.command("exit").endswith("hub1(config-ikev2-keyring)#")
    assert enabled.command("exit").endswith("hub1(config)#")
    assert enabled.command("exit").endswith("hub1#")


def test_invalid_config_line_caret_counts_the_prompt(enabled: Any, lab: Lab) -> None:
    enabled.command("conf t")
    before = lab.running_config("hub1")
    out = enabled.command("interfce Loopback0")
    assert (
        out
        == "interfce Loopback0\r\n"
        + " " * len("hub1(config)#")
        + "^\r\n"
        + INVALID
        + "\r\n\r\nhub1(config)#"
    )
    out = enabled.command("   interfce Loopback0")  # pasted indent: the caret follows the echo
    assert out.splitlines()[1] == " " * (len("hub1(config)#") + 3) + "^"
    assert lab.running_config("hub1") == before


def test_pasted_indented_block_lands_in_the_right_modes(enabled: Any, lab: Lab) -> None:
    enabled.command("conf t")
    block = [
        "interface Loopback7",
        " description pasted",
        " ip address 10.7.7.7 255.255.255.255",
        "hostname hub1",  # a top-level command leaves the sub-mode
    ]
    prompts = [enabled.command(line) for line in block]
    assert prompts[0].endswith("(config-if)#") and prompts[2].endswith("(config-if)#")
    assert prompts[3].endswith("hub1(config)#")
    enabled.command("end")
    running = lab.running_config("hub1")
    assert (
        "interface Loopback7\n description pasted\n ip address 10.7.7.7 255.255.255.255\n"
        in running
    )


def test_do_runs_exec_commands_in_config_mode(enabled: Any) -> None:
    enabled.command("conf t")
    enabled.command("interface Loopback8")
    enabled.command(" ip address 10.8.8.8 255.255.255.255")
    out = enabled.command("do show running-config | include 10.8.8.8")
    assert (
        out == "do show running-config | include 10.8.8.8\r\n"
        " ip address 10.8.8.8 255.255.255.255\r\nhub1(config-if)#"
    )
    assert INVALID in enabled.command("do show nothing")


def test_backspace_edits_the_line(enabled: Any) -> None:
    out = enabled.command("show verx\x7fsion")
    assert out.startswith("show verx\b \bsion\r\n")
    assert "Cisco IOS XE Software" in out


def test_show_running_config_interface_and_unknown_interface(enabled: Any) -> None:
    out = enabled.command("sh run int g0/0/0")
    assert "interface GigabitEthernet0/0/0\r\n" in out and out.rstrip("hub1#").endswith("end\r\n")
    out = enabled.command("sh run int Tunnel999")
    assert INVALID in out


def test_exit_from_exec_closes_the_session(enabled: Any) -> None:
    enabled.send("exit\r")
    assert enabled.closed()


def test_configure_alone_asks_where_from(enabled: Any) -> None:
    enabled.send("configure\r")
    assert enabled.read_until(r"\[terminal\]\? ").endswith(
        "Configuring from terminal, memory, or network [terminal]? "
    )
    enabled.send("\r")
    assert enabled.read_until(r"hub1\(config\)#").endswith(
        "Enter configuration commands, one per line.  End with CNTL/Z.\r\nhub1(config)#"
    )


def test_ambiguous_and_incomplete_exec_commands(enabled: Any) -> None:
    assert enabled.command("s") == 's\r\n% Ambiguous command:  "s"\r\n\r\nhub1#'
    assert enabled.command("show ip") == "show ip\r\n% Incomplete command.\r\n\r\nhub1#"
