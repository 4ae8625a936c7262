"""Exclusive configuration lock over real SSH: `configuration mode exclusive`, `configure
terminal lock`, the refusal another session gets, release on end/exit/session loss."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from lab.api import Lab

CONFIG = r"hub1\(config\)#"
EXEC = r"hub1#"
LOCKED = (
    "Configuration mode locked exclusively. The lock will be cleared once you exit out of "
    "configuration mode using end/exit"
)
REFUSED = (
    r"Configuration mode locked exclusively by user 'admin' process '\d+' from terminal "
    r"'(\d+)'\. Please try later\."
)


def set_policy(lab: Lab, policy: str) -> None:
    assert lab.configure("hub1", [f"configuration mode exclusive {policy}"]) == []


@pytest.mark.parametrize("policy", [None, "auto"])
def test_lock_keyword_is_refused_unless_the_policy_is_manual(
    lab: Lab, enabled_terminal: Any, policy: str | None
) -> None:
    if policy:
        set_policy(lab, policy)
    term = enabled_terminal(lab)
    out = term.command("configure terminal lock", prompt=EXEC)
    caret_line = out.splitlines()[1]
    assert caret_line == " " * len("hub1#configure terminal ") + "^"
    assert "% Invalid input detected at '^' marker." in out


def test_manual_lock_refuses_a_second_session_until_the_holder_ends(
    lab: Lab, enabled_terminal: Any
) -> None:
    set_policy(lab, "manual")
    holder, other = enabled_terminal(lab), enabled_terminal(lab)
    entered = holder.command("configure terminal lock", prompt=CONFIG)
    assert LOCKED in entered
    refused = other.command("configure terminal", prompt=EXEC)
    match = re.search(REFUSED, refused)
    assert match, refused
    lock = other.command("show configuration lock", prompt=EXEC)
    assert "Type : EXCLUSIVE" in lock and "State : LOCKED" in lock
    assert f"TTY : {match.group(1)}" in lock
    assert "User debug info : configure terminal lock" in lock
    assert "Remote ip address : 127.0.0.1" in lock
    # exec commands run with `do` keep the lock
    holder.command("do show clock", prompt=CONFIG)
    assert "Please try later" in other.command("configure terminal", prompt=EXEC)
    holder.command("end", prompt=EXEC)
    assert "State : FREE" in other.command("show configuration lock", prompt=EXEC)
    assert "Enter configuration commands" in other.command("configure terminal", prompt=CONFIG)


def test_manual_policy_leaves_plain_configure_terminal_unlocked(
    lab: Lab, enabled_terminal: Any
) -> None:
    set_policy(lab, "manual")
    first, second = enabled_terminal(lab), enabled_terminal(lab)
    assert LOCKED not in first.command("configure terminal", prompt=CONFIG)
    assert "Enter configuration" in second.command("configure terminal", prompt=CONFIG)


def test_auto_lock_is_released_when_the_holding_session_is_lost(
    lab: Lab, enabled_terminal: Any
) -> None:
    set_policy(lab, "auto")
    holder, other = enabled_terminal(lab), enabled_terminal(lab)
    assert LOCKED in holder.command("configure terminal", prompt=CONFIG)
    assert "Please try later" in other.command("configure terminal", prompt=EXEC)
    holder.close()  # the SSH session goes away while in configuration mode
    deadline = time.monotonic() + 3
    while "State : FREE" not in other.command("show configuration lock", prompt=EXEC):
        assert time.monotonic() < deadline, "the lock outlived its session"
        time.sleep(0.05)
    assert LOCKED in other.command("configure terminal", prompt=CONFIG)


def test_netmiko_cannot_enter_configuration_mode_while_another_session_holds_the_lock(
    lab: Lab, enabled_terminal: Any, ios: Any
) -> None:
    set_policy(lab, "auto")
    holder = enabled_terminal(lab)
    holder.command("configure terminal", prompt=CONFIG)
    conn = ios(lab)
    conn.enable()
    with pytest.raises(ValueError, match="Failed to enter configuration mode"):
        conn.send_config_set(["interface Loopback5"])
    holder.command("exit", prompt=EXEC)
    conn.send_config_set(["interface Loopback5"])
    assert "interface Loopback5\n" in lab.running_config("hub1")
