"""Entering configuration mode: `configure terminal [lock | revert timer [idle] N]` and the
exclusive configuration lock (IOS's rules and texts: lab/config/exclusive.py, rollback.py).

`lock` is only offered under `configuration mode exclusive manual` (Cisco: "This keyword only
functions if the configuration mode exclusive command was previously enabled"; the command
reference example shows `configure terminal ?` without `lock` under the `auto` policy), so
elsewhere it is refused with a caret like any keyword IOS does not offer. Under `auto` every
form of `configure terminal` takes the lock, a revert timer included: that is how the two
combine on IOS (the command reference lists `[lock]` and `[revert ...]` as separate forms).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from lab.cli.base import ExecError, ExecMatch, format_error
from lab.config.change_control import ChangeRefused
from lab.config.device import Device
from lab.config.exclusive import LOCKED, LockHolder, refusal

ENTER_CONFIG = "Enter configuration commands, one per line.  End with CNTL/Z."


@dataclass(frozen=True)
class VtyLine:
    """Who a session is, as IOS names it in lock messages and `show configuration lock`."""

    session: int
    user: str
    tty: int  # IOS line number: vty 0 is tty 2 (con 0 is 0, aux 0 is 1)
    pid: int  # the exec process of the line
    address: str


def enter_configuration(
    dev: Device, line: VtyLine, m: ExecMatch, typed: str, prompt_len: int
) -> tuple[str, bool]:
    """IOS's output for the `configure terminal ...` in `m`, and whether config mode is entered."""
    words = m.words
    policy = dev.lock_policy()
    wants_lock = "lock" in words
    if wants_lock and policy != "manual":
        column = m.columns[words.index("lock")]
        return format_error(ExecError("invalid", column), typed, prompt_len), False
    holder = dev.config_lock
    if holder is not None and holder.session != line.session:
        return refusal(holder) + "\n", False
    now = time.time()
    out = ""
    if "revert" in words:
        minutes, idle = int(m.args["<1-120>"]), "idle" in words
        try:
            out += dev.start_revert(minutes, idle, line.user, line.session, now)
        except ChangeRefused as exc:
            return f"{exc}\n", False
    if wants_lock or policy == "auto":
        command = "configure terminal lock" if wants_lock else "configure terminal"
        dev.config_lock = LockHolder(
            line.session, line.user, line.tty, line.pid, line.address, command, now
        )
        out += LOCKED + "\n"
    return out + ENTER_CONFIG + "\n", True


def leave_configuration(device: Device, line: VtyLine) -> None:
    """Leaving configuration mode logs `%SYS-5-CONFIG_I` (the message every IOS prints,
    e.g. `Configured from console by admin on vty0 (10.1.1.10)`) and releases the lock this
    session holds."""
    vty = f"vty{line.tty - 2}" if line.tty >= 2 else "console"
    device.syslog.log(
        time.time(),
        "SYS-5-CONFIG_I",
        f"Configured from console by {line.user} on {vty} ({line.address})",
    )
    holder = device.config_lock
    if holder is not None and holder.session == line.session:
        device.config_lock = None
