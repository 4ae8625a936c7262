"""Exec handlers for change control: archive, confirmed-change timers, the configuration lock
and the logging buffer (the texts are cited in lab/config/archive.py, rollback.py,
exclusive.py)."""

from __future__ import annotations

import time

from lab.cli.base import ExecContext, ExecMatch, Handler, Reply
from lab.config.change_control import ChangeRefused
from lab.config.exclusive import show_configuration_lock
from lab.config.rollback import NO_PENDING

# `show logging` header, as a real IOS (IOL) capture prints it with buffered logging on
LOGGING_HEADER = """\
Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, \
xml disabled, filtering disabled)

No Active Message Discriminator.



No Inactive Message Discriminator.


    Console logging: disabled
    Monitor logging: level debugging, 0 messages logged, xml disabled,
                     filtering disabled
    Buffer logging:  level debugging, {count} messages logged, xml disabled,
                    filtering disabled
    Exception Logging: size (4096 bytes)
    Count and timestamp logging messages: disabled
    Persistent logging: disabled
    Trap logging: level informational, {count} message lines logged
        Logging Source-Interface:       VRF Name:

Log Buffer (4096 bytes):
"""


def _minutes(m: ExecMatch) -> tuple[int, bool]:
    """`timer 5` / `timer idle 5`: the minutes and whether the timer is an idle one."""
    return int(m.args["<1-120>"]), "idle" in m.words


def archive_config(ctx: ExecContext, m: ExecMatch) -> Handler:
    try:
        ctx.device.archive_config(time.time())
    except ChangeRefused as exc:
        return Reply(f"{exc}\n% Error caught by command handler\n")
    return Reply("")
    yield  # pragma: no cover


def show_archive(ctx: ExecContext, m: ExecMatch) -> Handler:
    device = ctx.device
    return Reply(device.archive.show(device.archive_settings()))
    yield  # pragma: no cover


def show_rollback_timer(ctx: ExecContext, m: ExecMatch) -> Handler:
    pending = ctx.device.pending
    return Reply(pending.show() if pending else NO_PENDING + "\n")
    yield  # pragma: no cover


def configure_confirm(ctx: ExecContext, m: ExecMatch) -> Handler:
    ctx.device.confirm_revert()
    return Reply("")
    yield  # pragma: no cover


def configure_revert_now(ctx: ExecContext, m: ExecMatch) -> Handler:
    return Reply(ctx.device.revert_now(time.time()))
    yield  # pragma: no cover


def configure_revert_timer(ctx: ExecContext, m: ExecMatch) -> Handler:
    minutes, idle = _minutes(m)
    return Reply(ctx.device.reset_revert(minutes, idle, time.time()))
    yield  # pragma: no cover


def show_configuration_lock_cmd(ctx: ExecContext, m: ExecMatch) -> Handler:
    return Reply(show_configuration_lock(ctx.device.config_lock, time.time()))
    yield  # pragma: no cover


def show_logging(ctx: ExecContext, m: ExecMatch) -> Handler:
    lines = list(ctx.device.syslog.lines)
    body = "".join(line + "\n" for line in lines)
    return Reply(LOGGING_HEADER.format(count=len(lines)) + ("\n" + body if body else ""))
    yield  # pragma: no cover
