"""Configuration Rollback Confirmed Change: the pending revert timer and IOS's texts.

Sources: Cisco "Configuration Rollback Confirmed Change" (https://www.cisco.com/c/en/us/td/
docs/ios-xml/ios/config-mgmt/configuration/xe-16/config-mgmt-xe-16-book/
cm-config-rollback-confirmed-change.html) and the command reference entries `configure
terminal` (`revert {timer minutes | idle minutes}`, 1-120), `configure revert {now | timer
{minutes | idle minutes}}`, `configure confirm` and `show archive config rollback timer`
(sample: `Time configured(or reconfigured): 22:50:48 UTC Sat Feb 21 2009` / `Timer type:
absolute timer` / `Timer value: 2 min` / `User: console`). Messages are real captures
(byteworks.com "Reload in X? There Is a Better Way", 2022): the backup line, `Rollback will
begin in one minute.`, `rolling to:` and the %ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_* syslogs.
`%No Rollback Confirmed Change pending` is a real capture (IOL, `show archive config
rollback timer`); `%Please turn config archive on` is what NAPALM's IOS driver expects when
no archive path is set (napalm/ios/ios.py, commit_config).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

NO_PENDING = "%No Rollback Confirmed Change pending"
ARCHIVE_OFF = "%Please turn config archive on"
BACKING_UP = "Rollback Confirmed Change: Backing up current running config to {file}"
ONE_MINUTE = (
    "Rollback Confirmed Change: Rollback will begin in one minute.\n"
    'Enter "configure confirm" if you wish to keep what you\'ve configured'
)
ROLLING = "Rollback Confirmed Change: rolling to:{file}"
# syslog mnemonic -> text (ARCHIVE_DIFF-5-...)
LOG_BACKUP = ("ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_BACKUP", BACKING_UP.split(": ", 1)[1])
LOG_START = (
    "ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_START_ABSTIMER",
    "User: {user}(Priv: 15, View: 0): Scheduled to rollback to config {file} in {minutes} minutes",
)
LOG_WARNING = (
    "ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_WARNING_ABSTIMER",
    "System will rollback to config {file} in one minute. "
    'Enter "configure confirm" if you wish to keep what you\'ve configured',
)
LOG_ROLLBACK = ("ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_ROLLBACK_START", "Start rolling to: {file}")


def ios_time(when: float) -> str:
    """`22:50:48 UTC Sat Feb 21 2009`."""
    moment = datetime.fromtimestamp(when, UTC)
    return f"{moment:%H:%M:%S} UTC {moment:%a %b} {moment.day} {moment.year}"


@dataclass
class PendingRevert:
    """A confirmed-change timer: roll back to `backup` at `deadline` unless confirmed.

    `idle` timers move their deadline on each line the owner types; `owner` is the session
    that started it (None once that session is gone: the timer runs on regardless).
    """

    backup: str
    minutes: int
    idle: bool
    user: str
    owner: int | None
    configured: float
    deadline: float
    warned: bool = False

    def reset(self, minutes: int, idle: bool, now: float, minute: float) -> None:
        self.minutes, self.idle, self.configured = minutes, idle, now
        self.deadline, self.warned = now + minutes * minute, False

    def touch(self, now: float, minute: float) -> None:
        """The owner typed a line: an idle timer starts again."""
        if self.idle:
            self.configured, self.deadline = now, now + self.minutes * minute

    def show(self) -> str:
        """`show archive config rollback timer`."""
        kind = "idle timer" if self.idle else "absolute timer"
        return (
            f"Time configured(or reconfigured): {ios_time(self.configured)}\n"
            f"Timer type: {kind}\nTimer value: {self.minutes} min\nUser: {self.user}\n"
        )


def load_pending(file: Path) -> PendingRevert | None:
    """The timer a previous lab process left running (its owner session is gone)."""
    try:
        data = json.loads(file.read_text())
        pending = PendingRevert(**data)
    except (OSError, ValueError, TypeError):
        return None
    pending.owner = None
    return pending


def save_pending(file: Path, pending: PendingRevert | None) -> None:
    if pending is None:
        file.unlink(missing_ok=True)
    else:
        file.write_text(json.dumps(asdict(pending)) + "\n")
