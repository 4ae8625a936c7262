"""A dropped session ends at once for the client (TCP FIN: it reads EOF); a stalled one is the
silent kind and only a client timeout ends it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from netmiko.exceptions import ReadTimeout

from lab.api import Fault, Lab


def test_dropped_session_reaches_the_client_as_eof(lab: Lab, enabled_terminal: Any) -> None:
    lab.inject("hub1", Fault(drop_after_config_lines=1))
    term = enabled_terminal(lab)
    term.command("configure terminal", prompt=r"\(config\)#")
    term.command("interface Loopback9", prompt=r"\(config-if\)#")
    started = time.monotonic()
    term.send(" description never-applied\r")
    with pytest.raises(EOFError):
        term.read_until(r"\(config-if\)#", timeout=5)
    assert time.monotonic() - started < 1.0
    transport = term.client.get_transport()
    deadline = time.monotonic() + 2
    while transport is not None and transport.is_active() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert transport is not None and not transport.is_active()
    # the TCP stream ended with a FIN (paramiko saw end-of-file, not a reset)
    assert isinstance(transport.saved_exception, EOFError), transport.saved_exception


def test_netmiko_sees_a_dropped_session_as_dead_and_a_stalled_one_as_alive(
    lab: Lab, ios: Any
) -> None:
    lab.inject("hub1", Fault(drop_after_config_lines=1))
    dropped = ios(lab)
    dropped.enable()
    with pytest.raises((ReadTimeout, OSError)):  # netmiko waits for an echo that never comes
        dropped.send_config_set(["interface Loopback9", " description a"], read_timeout=1)
    assert not dropped.is_alive()  # the connection is gone, not silent
    assert "description a" not in lab.running_config("hub1")
    lab.inject("hub1", Fault(stall_pattern=r"^show clock"))
    stalled = ios(lab)
    stalled.enable()
    with pytest.raises(ReadTimeout):
        stalled.send_command("show clock", read_timeout=1)
    assert stalled.is_alive()


def test_stall_stays_silent_until_the_client_gives_up(lab: Lab, enabled_terminal: Any) -> None:
    lab.inject("hub1", Fault(stall_pattern=r"^show clock"))
    term = enabled_terminal(lab)
    term.send("show clock\r")
    with pytest.raises(TimeoutError):
        term.read_until("hub1#", timeout=0.5)
    transport = term.client.get_transport()
    assert transport is not None and transport.is_active()
