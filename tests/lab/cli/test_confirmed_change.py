"""Configuration archive and Rollback Confirmed Change over real SSH (an IOS minute lasts
`FAST.minute` = 0.5 s here): the timer restores the configuration from before the change
unless `configure confirm` comes first, also when the session that started it is gone."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from lab.api import Lab

ARCHIVE = ["archive", " path flash:archive", " maximum 3"]
CHANGE = ["interface Loopback77", " description confirmed-change"]
EXEC = r"hub1#"
CONFIG = r"hub1\(config\)#"


def wait_for(check: Callable[[], bool], seconds: float = 4.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def with_archive(lab: Lab) -> Lab:
    assert lab.configure("hub1", ARCHIVE) == []
    return lab


def test_revert_timer_needs_an_archive_path(lab: Lab, enabled_terminal: Any, ios: Any) -> None:
    term = enabled_terminal(lab)
    out = term.command("configure terminal revert timer 5", prompt=EXEC)
    assert "%Please turn config archive on" in out
    assert "Archive feature not enabled" in term.command("show archive", prompt=EXEC)
    conn = ios(lab)
    conn.enable()
    with pytest.raises(ValueError, match="Failed to enter configuration mode"):
        conn.config_mode(config_command="configure terminal revert timer 5")


def test_unconfirmed_change_is_rolled_back_when_the_timer_runs_out(lab: Lab, ios: Any) -> None:
    with_archive(lab)
    before = lab.running_config("hub1")
    conn = ios(lab)
    conn.enable()
    entered = conn.config_mode(config_command="configure terminal revert timer 1")
    assert "Rollback Confirmed Change: Backing up current running config to flash:archive-" in (
        entered
    )
    conn.send_config_set(CHANGE, exit_config_mode=True)
    assert "confirmed-change" in lab.running_config("hub1")
    timer = conn.send_command("show archive config rollback timer")
    assert "Timer type: absolute timer" in timer and "Timer value: 1 min" in timer
    assert "User: admin" in timer
    assert wait_for(lambda: "confirmed-change" not in lab.running_config("hub1"))
    assert lab.running_config("hub1") == before
    log = conn.send_command("show logging | include ARCHIVE_DIFF")
    assert "%ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_ROLLBACK_START: Start rolling to: flash:archive-" in (
        log
    )
    assert "%No Rollback Confirmed Change pending" in conn.send_command(
        "show archive config rollback timer"
    )


def test_configure_confirm_keeps_the_change(lab: Lab, ios: Any) -> None:
    with_archive(lab)
    conn = ios(lab)
    conn.enable()
    conn.config_mode(config_command="configure terminal revert timer 1")
    conn.send_config_set(CHANGE, exit_config_mode=True)
    conn.send_command("configure confirm", expect_string=EXEC)
    time.sleep(1.0)  # two IOS minutes in this lab
    assert "confirmed-change" in lab.running_config("hub1")


def test_the_timer_rolls_back_after_its_session_is_lost(lab: Lab, enabled_terminal: Any) -> None:
    with_archive(lab)
    before = lab.running_config("hub1")
    term = enabled_terminal(lab)
    term.command("configure terminal revert timer 2", prompt=CONFIG)
    term.command("interface Loopback77", prompt=r"\(config-if\)#")
    term.command(" description confirmed-change", prompt=r"\(config-if\)#")
    term.close()  # the link goes down mid-change
    assert "confirmed-change" in lab.running_config("hub1")
    assert wait_for(lambda: lab.running_config("hub1") == before)


def test_the_owner_sees_the_warning_and_the_rollback(lab: Lab, enabled_terminal: Any) -> None:
    with_archive(lab)
    term = enabled_terminal(lab)
    term.command("configure terminal revert timer 1", prompt=CONFIG)
    seen = term.read_until(r"rolling to:flash:archive-\S+", timeout=4)
    assert "Rollback Confirmed Change: Rollback will begin in one minute." in seen
    assert 'Enter "configure confirm" if you wish to keep what you\'ve configured' in seen


def test_revert_now_and_timer_reset(lab: Lab, enabled_terminal: Any) -> None:
    with_archive(lab)
    before = lab.running_config("hub1")
    term = enabled_terminal(lab)
    assert "%No Rollback Confirmed Change pending" in term.command(
        "configure revert now", prompt=EXEC
    )
    term.command("configure terminal revert timer 1", prompt=CONFIG)
    term.command("interface Loopback77", prompt=r"\(config-if\)#")
    term.command("end", prompt=EXEC)
    term.command("configure revert timer 100", prompt=EXEC)
    time.sleep(1.0)
    assert "interface Loopback77" in lab.running_config("hub1")  # the reset timer runs
    assert "Timer value: 100 min" in term.command("show archive config rollback timer", prompt=EXEC)
    term.command("configure revert now", prompt=EXEC)
    assert lab.running_config("hub1") == before


def test_idle_timer_waits_for_the_owner_to_stop_typing(lab: Lab, enabled_terminal: Any) -> None:
    with_archive(lab)
    term = enabled_terminal(lab)
    term.command("configure terminal revert timer idle 2", prompt=CONFIG)  # 1 s idle
    term.command("interface Loopback77", prompt=r"\(config-if\)#")
    for _ in range(5):  # 1.5 s of activity, each line restarting the idle timer
        time.sleep(0.3)
        term.command(" description still-typing", prompt=r"\(config-if\)#")
    assert "interface Loopback77" in lab.running_config("hub1")
    assert "Timer type: idle timer" in term.command(
        "do show archive config rollback timer", prompt=r"\(config-if\)#"
    )
    assert wait_for(lambda: "interface Loopback77" not in lab.running_config("hub1"))


def test_archive_keeps_at_most_maximum_files(lab: Lab, enabled_terminal: Any) -> None:
    with_archive(lab)
    term = enabled_terminal(lab)
    for _ in range(4):
        assert term.command("archive config", prompt=EXEC).strip().endswith("hub1#")
    listing = term.command("show archive", prompt=EXEC)
    assert "There are currently 3 archive configurations saved." in listing
    assert "The next archive file will be named flash:archive-<timestamp>-4" in listing
    rows = [line.split() for line in listing.splitlines()]
    names = [row[1] for row in rows if len(row) > 1 and row[0].isdigit()]
    assert [n.rsplit("-", 1)[1] for n in names] == ["1", "2", "3"]
    files = term.command("dir", prompt=EXEC).split()
    assert len([name for name in files if name.startswith("archive-")]) == 3


def test_a_timer_left_by_a_stopped_lab_runs_out_in_the_next_one(
    tmp_path: Any, make_small_lab: Any, fast_settings: Any, enabled_terminal: Any
) -> None:
    with make_small_lab(tmp_path) as first:
        with_archive(first)
        before = first.running_config("hub1")
        term = enabled_terminal(first)
        term.command("configure terminal revert timer 2", prompt=CONFIG)
        term.command("interface Loopback77", prompt=r"\(config-if\)#")
        term.command("end", prompt=EXEC)
    with make_small_lab(tmp_path) as second:
        assert "interface Loopback77" in second.running_config("hub1")
        assert wait_for(lambda: second.running_config("hub1") == before)


def test_configure_replace_with_a_timer_is_undone_unless_confirmed(lab: Lab, ios: Any) -> None:
    conn = ios(lab)
    conn.enable()
    assert lab.configure("hub1", CHANGE) == []
    conn.send_command("copy running-config flash:candidate.cfg", expect_string=r"\?")
    conn.send_command("", expect_string=r"hub1#")
    assert lab.configure("hub1", ["no interface Loopback77"]) == []
    without_archive = conn.send_command("configure replace flash:candidate.cfg force time 1")
    assert without_archive.strip() == "%Please turn config archive on"
    with_archive(lab)
    before = lab.running_config("hub1")
    out = conn.send_command("configure replace flash:candidate.cfg force revert timer 1")
    assert out.startswith("Rollback Confirmed Change: Backing up current running config to")
    assert "Rollback Done" in out
    assert "confirmed-change" in lab.running_config("hub1")
    assert wait_for(lambda: lab.running_config("hub1") == before)
