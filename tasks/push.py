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
from collections.abc import Callable, Iterable, Iterator, Sequence
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

from tasks.blocks import BLOCK_BYTES, Line, ObjectPath, plan_writes
from tasks.channel import ChannelReader
from tasks.connect import guard_session
from tasks.exchange import Step, body, exchange, exec_prompt
from tasks.owned_diff import Remediation, count_lines
from tasks.session import ENABLED, enable

# A config line's output matching this is a refusal (IOS's error texts, as data).
IOS_ERRORS: tuple[str, ...] = (
    r"% Invalid input",
    r"% Incomplete command",
    r"% Ambiguous command",
    r"% Unknown command",
    r"%\s?Error",
    r"% .*(does not exist|not found|in use|is not configured|failed)",
    r"%Dynamic [Mm]apping in [Uu]se, [Cc]annot remove",  # a NAT rule IOS kept (Tech Note 13779)
)
ERROR_PATTERN = "|".join(f"(?:^{p})" for p in IOS_ERRORS)

# How a change enters and leaves configuration mode. With `configuration mode exclusive auto`
# (the baseline) entering configuration mode takes IOS's exclusive lock; the revert timer makes
# the device restore the configuration from before the change unless it is confirmed in time,
# so a change cut off by a lost session or a dead automation host undoes itself.
ENTER_CHANGE = "configure terminal revert timer {minutes}"
CONFIRM_CHANGE = "configure confirm"
REVERT_NOW = "configure revert now"
SHOW_RUNNING = "show running-config"
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
    return session_of(task.host, task.nornir.config)


def session_of(host: Any, config: Any) -> Any:
    """A Nornir host's netmiko session (``open_session`` outside a task)."""
    conn = host.get_connection("netmiko", config)
    guard_session(conn)  # a closed session raises at once; TCP keepalives bound silent drops
    if conn not in ENABLED:
        enable(conn)
        ENABLED.add(conn)
    return conn


def reopen_session(task: Task) -> Any:
    """A fresh session: the old one may be dead or left in configuration mode."""
    try:
        task.host.close_connection("netmiko")
    except Exception:  # the old session may already be gone
        task.host.connections.pop("netmiko", None)
    return open_session(task)


def read_running(conn: Any, read_timeout: float = 60) -> str:
    """``show running-config`` of a session in enable mode, in one exchange (netmiko's
    ``send_command`` without an expect string first runs ``find_prompt``, an extra exchange
    whose 100 ms sleeps send more Enters on a slow link)."""
    (answer,) = exchange(conn, [Step(SHOW_RUNNING, until=exec_prompt(conn))], read_timeout)
    return body(answer, conn.base_prompt)


def enter_change(conn: Any, revert_minutes: int | None) -> None:
    """Enter configuration mode for a change: locked (baseline: ``configuration mode exclusive
    auto``) and with the revert timer running (None: plain ``configure terminal``, for the
    baseline itself). Raises DeviceBusy when another session holds the lock."""
    command = (
        "configure terminal"
        if revert_minutes is None
        else ENTER_CHANGE.format(minutes=revert_minutes)
    )
    # one exchange: the command, then IOS's answer up to the next prompt, whichever mode
    conn.write_channel(command + conn.RETURN)
    try:
        output = str(conn.read_until_pattern(config_prompt(conn), read_timeout=30))
    except ReadTimeout as exc:
        raise DeviceBusy(f"cannot enter configuration mode: {exc}") from exc
    if LOCKED.search(output) or not prompt_mode(output):
        raise DeviceBusy(f"configuration mode is locked: {output.strip().splitlines()[-2:]}")
    if re.search(ERROR_PATTERN, output, flags=re.M):
        raise DeviceBusy(f"{command}: {output.strip().splitlines()[-2:]}")


class Counter:
    """Counts the config lines that really went out to the device, so a refusal or a lost
    session reports exactly that: ``feed`` counts each line as it is pulled for writing;
    ``send_lines`` counts a write's lines once the device has answered them (on a lost
    session: the lines it answered and the one it was on)."""

    def __init__(self, abort: threading.Event | None = None) -> None:
        self.sent = 0
        self.abort = abort

    def check(self) -> None:
        """Raise Aborted when the operator interrupted the run."""
        if self.abort is not None and self.abort.is_set():
            raise Aborted("interrupted by the operator")

    def feed(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            self.check()
            self.sent += 1
            yield line.strip()


class ModeError(Exception):
    """After a line the session is not in the configuration mode the plan needs."""


def config_prompt(conn: Any) -> str:
    """The session's prompt in any mode (no capturing group: netmiko splits on it)."""
    return re.escape(conn.base_prompt) + r"(?:\([\w.\-]+\))?[>#]"


def prompt_mode(output: str) -> str:
    """The mode of the last prompt in ``output`` (``config-if``; "" in exec mode)."""
    found = re.findall(r"(?:\(([\w.\-]+)\))?[>#]\s*$", output)
    return found[-1] if found else ""


def send_lines(
    conn: Any,
    lines: Iterable[str],
    counter: Counter,
    read_timeout: float,
    block_bytes: int = BLOCK_BYTES,
    on_write: Callable[[int], None] = lambda _: None,
    known: frozenset[ObjectPath] = frozenset(),
) -> None:
    """Send config lines in the current configuration mode, a write per object (``plan_writes``:
    a mode-entering line ends its write unless it re-enters one of the ``known`` objects of the
    running config), each line's answer read back and checked before the next write: a refusal
    raises ConfigInvalidException naming the line with IOS's caret answer; a parent that did
    not enter a sub-mode, or a prompt outside configuration mode, raises ModeError.
    ``on_write(counter.sent)`` after each write the device took."""
    prompt = re.compile(config_prompt(conn))
    for write in plan_writes(lines, block_bytes, known):
        counter.check()
        conn.write_channel("".join(line.text + conn.RETURN for line in write))
        outputs: list[str] = []
        reader = ChannelReader(conn)  # netmiko would lose the answers that came with an EOF
        try:
            for line in write:
                outputs.append(_answer(conn, reader, line, prompt, read_timeout))
        except SESSION_ERRORS:
            # the lines the device answered, and the one it was on
            counter.sent += min(len(outputs) + 1, len(write))
            raise
        finally:
            reader.close()
        counter.sent += len(write)  # every line of the write was answered
        for line, output in zip(write, outputs, strict=True):
            refused = _refusal(line, output)
            if refused is not None:
                text, answer = refused
                raise ConfigInvalidException(
                    f"Invalid input detected at command: {text}, matched error: "
                    f"{answer.splitlines()[0] if answer else ''}\n{answer}"
                )
            _check_mode(line, prompt_mode(output))
        on_write(counter.sent)


def _answer(
    conn: Any, reader: ChannelReader, line: Line, prompt: re.Pattern[str], read_timeout: float
) -> str:
    """A line's output up to the next prompt; a question IOS asks after it (always the last
    line of its write) is answered first (``tasks.config_questions``)."""
    if line.asks is None:
        return reader.until(prompt, read_timeout)
    asked = re.compile(rf"(?:{prompt.pattern})|(?:{line.asks.asked})", re.M)
    output = reader.until(asked, read_timeout)
    if re.search(line.asks.asked, output, flags=re.M):
        conn.write_channel(line.asks.answer + conn.RETURN)
        output += reader.until(prompt, read_timeout)
    return output


def _refusal(line: Line, output: str) -> tuple[str, str] | None:
    """(the line, IOS's answer with its caret) when IOS refused the line."""
    body = output.split("\n", 1)[1] if "\n" in output else ""
    if not line.text or line.text not in output.split("\n", 1)[0]:
        return line.text, f"the echo of the line did not come back: {output.strip()[:80]!r}"
    found = re.search(ERROR_PATTERN, body, flags=re.M)
    if found is None:
        return None
    answer = "\n".join(t for t in body.splitlines()[:-1] if t.strip())
    return line.text, answer or found.group(0)


def _check_mode(line: Line, mode: str) -> None:
    """A parent must have entered a sub-mode; every line must leave the session configuring."""
    if not mode:  # a configuration prompt always has its mode in parentheses
        raise ModeError(f"after `{line.text}` the session left configuration mode")
    if line.enters and mode == "config":
        raise ModeError(f"`{line.text}` did not enter its sub-mode; its lines were not sent")


def finish_change(conn: Any, confirm: bool, then: Sequence[Step] = ()) -> list[str]:
    """Leave configuration mode (``end``), ``configure confirm`` when ``confirm``, and the
    exec commands ``then``, in one write; returns the answers to ``then``. Raises ModeError
    when the session did not get back to the exec prompt, ConfigInvalidException when IOS
    refused the confirm (the change then stays unconfirmed: the revert timer runs on)."""
    done = exec_prompt(conn)
    steps = [Step("end", until=done), *([Step(CONFIRM_CHANGE, until=done)] if confirm else [])]
    answers = exchange(conn, [*steps, *then], read_timeout=60)
    if prompt_mode(answers[0]):
        raise ModeError(f"`end` did not leave configuration mode: {answers[0].strip()[-80:]!r}")
    if confirm and re.search(ERROR_PATTERN, body(answers[1], conn.base_prompt), flags=re.M):
        raise ConfigInvalidException(f"{CONFIRM_CHANGE}: {answers[1].strip().splitlines()[-2:]}")
    return answers[len(steps) :]


def cancel_revert(conn: Any) -> None:
    """Stop a pending revert timer after this run restored the device itself (IOS answers with
    an error when none is pending, which is fine here)."""
    conn.send_command(CONFIRM_CHANGE, expect_string=r"#\s*$", read_timeout=30)


def save(conn: Any) -> None:
    """``write memory`` in one exchange; raises unless IOS reports [OK]."""
    done = re.escape(conn.base_prompt) + r"#\s*$|\[confirm\]\s*$"
    output = str(conn.send_command("write memory", expect_string=done, read_timeout=120))
    if "[confirm]" in output:  # "Overwrite the previous NVRAM configuration?"
        output += str(conn.send_command("", expect_string=done, cmd_verify=False, read_timeout=120))
    if re.search(ERROR_PATTERN, output, flags=re.M) or "[OK]" not in output:
        raise ConfigInvalidException(f"write memory failed: {output.strip().splitlines()[-1:]}")
