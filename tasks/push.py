"""Nornir tasks of a deploy or teardown: plan a host, push its plan, roll it back on failure.

``plan_host`` reads the running config over the host's netmiko connection and computes the
remediation (a pure function handed in); ``push_host`` backs the device up (flash + local),
sends the remediation section by section over the same connection, restores the backup with
``configure replace`` when a line is refused, the session drops or the device stalls, checks
that the running config is the backup again, and saves only a fully applied change.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
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
from nornir.core.task import Result, Task

from tasks.backup import (
    BackupError,
    backup_name,
    backup_to_flash,
    normalize,
    read_running,
    restore_from_flash,
    save_local,
)
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

# Everything that means "this host's session is not usable": refused line, lost or stalled
# session, failed login.
SESSION_ERRORS = (NetmikoBaseException, ReadException, ReadTimeout, OSError, EOFError)

Compute = Callable[[str, str], Remediation]
OnSection = Callable[[str, str, int], None]


class Status:
    """Per-host results, as reported."""

    OK = "ok"
    UNCHANGED = "unchanged"
    ROLLED_BACK = "rolled back"
    FAILED = "failed"
    SKIPPED = "skipped"
    PLANNED = "planned"  # --dry-run: lines would be pushed


@dataclass
class HostPlan:
    """What one host holds and what it will be sent."""

    running: str = field(repr=False)
    remediation: Remediation = field(default_factory=dict)

    @property
    def lines(self) -> int:
        return count_lines(self.remediation)


@dataclass
class HostOutcome:
    """What happened to one host."""

    status: str
    lines_pushed: int = 0
    error: str | None = None
    seconds: float = 0.0
    backup: Path | None = None


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
    text = str(exc).strip().splitlines()
    return f"{exc.__class__.__name__}: {text[0] if text else ''}".strip()


def _connection(task: Task) -> Any:
    conn = task.host.get_connection("netmiko", task.nornir.config)
    if not conn.check_enable_mode():
        conn.enable()
    return conn


def plan_host(task: Task, compute: Compute) -> Result:
    """Connect, read the running config, compute what to send (the remediation)."""
    conn = _connection(task)
    running = read_running(conn)
    return Result(host=task.host, result=HostPlan(running, compute(task.host.name, running)))


def _reconnect(task: Task) -> Any:
    try:
        task.host.close_connection("netmiko")
    except Exception:  # the old session may already be dead
        task.host.connections.pop("netmiko", None)
    return _connection(task)


def rollback(task: Task, flash_file: str, before: str) -> None:
    """Restore ``flash_file`` on a fresh session and check running equals ``before``."""
    conn = _reconnect(task)
    restore_from_flash(conn, flash_file)
    after = read_running(conn)
    if normalize(after) != normalize(before):
        raise BackupError("running config differs from the backup after configure replace")


def push_host(
    task: Task,
    plans: Mapping[str, HostPlan],
    tenant: str,
    backup_root: Path,
    save: bool,
    on_section: OnSection,
    read_timeout: float = 30.0,
) -> Result:
    """Back up, push the host's plan section by section, roll back on failure, save."""
    started = time.monotonic()
    plan = plans[task.host.name]
    if not plan.remediation:
        return Result(host=task.host, result=HostOutcome(Status.UNCHANGED))
    conn = _connection(task)
    flash_file = backup_name(tenant)
    local = save_local(backup_root, task.host.name, plan.running)
    backup_to_flash(conn, flash_file)
    pushed = 0
    try:
        conn.config_mode()
        for section, lines in plan.remediation.items():
            conn.send_config_set(
                [line.strip() for line in lines],
                enter_config_mode=False,
                exit_config_mode=False,
                error_pattern=ERROR_PATTERN,
                read_timeout=read_timeout,
            )
            pushed += len(lines)
            on_section(task.host.name, section, len(lines))
        conn.exit_config_mode()
    except SESSION_ERRORS as exc:
        error = f"{describe(exc)} (after {pushed} lines)"
        try:
            rollback(task, flash_file, plan.running)
        except (BackupError, *SESSION_ERRORS) as again:
            error += f"; rollback FAILED: {describe(again)} (backup {local})"
            outcome = HostOutcome(Status.FAILED, pushed, error, time.monotonic() - started, local)
            return Result(host=task.host, result=outcome, failed=True)
        outcome = HostOutcome(Status.ROLLED_BACK, pushed, error, time.monotonic() - started, local)
        return Result(host=task.host, result=outcome, failed=True)
    if save:
        output = str(conn.save_config())
        if re.search(ERROR_PATTERN, output, flags=re.M) or "[OK]" not in output:
            error = f"write memory failed: {output.strip().splitlines()[-1:]}"
            outcome = HostOutcome(Status.FAILED, pushed, error, time.monotonic() - started, local)
            return Result(host=task.host, result=outcome, failed=True)
    outcome = HostOutcome(Status.OK, pushed, None, time.monotonic() - started, local)
    return Result(host=task.host, result=outcome)
