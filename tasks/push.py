"""The device-level steps of a change, over one netmiko session: open it, enter configuration
mode locked and with IOS's revert timer running, send lines (counting what really went out),
confirm, save, and the words for what went wrong.

The change pipeline (``tasks.change``) strings these together; nothing here decides what to
send or when to roll back.

Configuration Rollback Confirmed Change (``configure terminal revert timer``, ``configure
confirm``, ``configure revert now``): https://www.cisco.com/c/en/us/td/docs/routers/ios/config/17-x/syst-mgmt/b-system-management/m_cm-config-rollback-confirmed-change.html
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
    NetmikoBaseException,
    NetmikoTimeoutException,
    ReadException,
    ReadTimeout,
)
from nornir.core.task import Task

from tasks.connect import guard_session
from tasks.owned_diff import Remediation, count_lines

# A config line's output matching this is a refusal (IOS's error texts, as data).
IOS_ERRORS: tuple[str, ...] = (
    r"% Invalid input",
    r"% Incomplete command",
    r"% Ambiguous command",
    r"% Unknown command",
    r"%\s?Error",
    r"% .*(does not exist|not found|in use|is not configured|failed)",
)
ERROR_PATTERN = "|".join(f"(?:^{p})" for p in IOS_ERRORS)

# How a change enters and leaves configuration mode. With `configuration mode exclusive auto`
# (the baseline) entering configuration mode takes IOS's exclusive lock; the revert timer makes
# the device restore the configuration from before the change unless it is confirmed in time,
# so a change cut off by a lost session or a dead automation host undoes itself.
ENTER_CHANGE = "configure terminal revert timer {minutes}"
CONFIRM_CHANGE = "configure confirm"
REVERT_NOW = "configure revert now"
# What IOS answers when another session holds configuration mode exclusively.
# (On success IOS says "Configuration mode locked exclusively. The lock will be cleared ...".)
LOCKED = re.compile(
    r"locked exclusively by user|Please try later|is in exclusive configuration mode"
)


class Aborted(Exception):
    """The operator interrupted the run (Ctrl-C, SIGTERM): roll back and stop."""


class DeviceBusy(Exception):
    """Another session holds the device's configuration lock (the message names it)."""


class Status:
    """Per-host results, as reported."""

    OK = "ok"
    UNCHANGED = "unchanged"
    ROLLED_BACK = "rolled back"
    FAILED = "failed"
    SKIPPED = "skipped"
    PLANNED = "planned"  # --dry-run: lines would be pushed


@dataclass
class HostOutcome:
    """What happened to one host."""

    status: str
    lines_pushed: int = 0
    error: str | None = None
    seconds: float = 0.0
    backup: Path | None = None
    notes: list[str] = field(default_factory=list)
    remediation: Remediation = field(default_factory=dict, repr=False)

    @property
    def planned(self) -> int:
        return count_lines(self.remediation)


# Everything that means "this host's session is not usable".
SESSION_ERRORS = (NetmikoBaseException, ReadException, ReadTimeout, OSError, EOFError)


def describe(exc: BaseException | None) -> str:
    """One line for people (the caller masks secrets in it)."""
    if exc is None:
        return "failed"
    if isinstance(exc, NetmikoAuthenticationException):
        return "authentication failed"
    if isinstance(exc, ConfigInvalidException):
        return str(exc).strip().splitlines()[0]
    if isinstance(exc, ReadTimeout | NetmikoTimeoutException):
        return f"timed out: {str(exc).strip().splitlines()[0] if str(exc).strip() else 'no answer'}"
    if isinstance(exc, OSError | EOFError | ReadException):
        return f"session lost: {exc.__class__.__name__}: {str(exc).strip() or 'connection closed'}"
    if isinstance(exc, Aborted | DeviceBusy):
        return str(exc)
    text = str(exc).strip().splitlines()
    return f"{exc.__class__.__name__}: {text[0] if text else ''}".strip()


def open_session(task: Task) -> Any:
    """The host's netmiko session (opened by Nornir on first use), in enable mode."""
    conn = task.host.get_connection("netmiko", task.nornir.config)
    guard_session(conn)  # a closed session raises at once; TCP keepalives bound silent drops
    if not conn.check_enable_mode():
        conn.enable()
    return conn


def reopen_session(task: Task) -> Any:
    """A fresh session: the old one may be dead or left in configuration mode."""
    try:
        task.host.close_connection("netmiko")
    except Exception:  # the old session may already be gone
        task.host.connections.pop("netmiko", None)
    return open_session(task)


def read_running(conn: Any, read_timeout: float = 60) -> str:
    """``show running-config`` of a session in enable mode."""
    return str(conn.send_command("show running-config", read_timeout=read_timeout))


def enter_change(conn: Any, revert_minutes: int | None) -> None:
    """Enter configuration mode for a change: locked (baseline: ``configuration mode exclusive
    auto``) and with the revert timer running (None: plain ``configure terminal``, for the
    baseline itself). Raises DeviceBusy when another session holds the lock."""
    command = (
        "configure terminal"
        if revert_minutes is None
        else ENTER_CHANGE.format(minutes=revert_minutes)
    )
    try:
        output = str(conn.config_mode(config_command=command))
    except ValueError as exc:  # netmiko: the prompt never became (config)#
        raise DeviceBusy(f"cannot enter configuration mode: {exc}") from exc
    if LOCKED.search(output) or not conn.check_config_mode():
        raise DeviceBusy(f"configuration mode is locked: {output.strip().splitlines()[-1:]}")
    if re.search(ERROR_PATTERN, output, flags=re.M):
        raise DeviceBusy(f"{command}: {output.strip().splitlines()[-1:]}")


class Counter:
    """Counts the lines netmiko actually took from a section (it pulls them one by one, right
    before writing each), so a refusal or a lost session reports what really went out."""

    def __init__(self, abort: threading.Event | None = None) -> None:
        self.sent = 0
        self.abort = abort

    def feed(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            if self.abort is not None and self.abort.is_set():
                raise Aborted("interrupted by the operator")
            self.sent += 1
            yield line.strip()


def send_lines(conn: Any, lines: Iterable[str], counter: Counter, read_timeout: float) -> None:
    """Send config lines in the current mode, each checked for IOS's refusal texts."""
    conn.send_config_set(
        counter.feed(lines),
        enter_config_mode=False,
        exit_config_mode=False,
        error_pattern=ERROR_PATTERN,
        read_timeout=read_timeout,
        bypass_commands="",  # lets netmiko pull lines lazily (the count stays exact)
    )


def confirm_change(conn: Any) -> None:
    """``configure confirm``: the change is kept, the revert timer stops."""
    output = str(conn.send_command(CONFIRM_CHANGE, expect_string=r"#\s*$", read_timeout=30))
    if re.search(ERROR_PATTERN, output, flags=re.M):
        raise ConfigInvalidException(f"{CONFIRM_CHANGE}: {output.strip().splitlines()[-1:]}")


def cancel_revert(conn: Any) -> None:
    """Stop a pending revert timer after this run restored the device itself (IOS answers with
    an error when none is pending, which is fine here)."""
    conn.send_command(CONFIRM_CHANGE, expect_string=r"#\s*$", read_timeout=30)


def save(conn: Any) -> None:
    """``write memory``; raises unless IOS reports [OK]."""
    output = str(conn.save_config())
    if re.search(ERROR_PATTERN, output, flags=re.M) or "[OK]" not in output:
        raise ConfigInvalidException(f"write memory failed: {output.strip().splitlines()[-1:]}")
