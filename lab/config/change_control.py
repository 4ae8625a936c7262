"""A device's change control: archive files, the confirmed-change revert timer, the
configuration lock holder and the syslog lines these print (mixed into `Device`).

IOS's texts and rules are cited in lab/config/archive.py, rollback.py and exclusive.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lab.config import rollback
from lab.config.archive import NOT_ENABLED, ArchiveList, ArchiveSettings, archive_settings
from lab.config.archive import archive_name as make_archive_name
from lab.config.exclusive import LockHolder, lock_policy
from lab.config.flash import Flash, FlashError
from lab.config.rollback import PendingRevert
from lab.config.syslog import SyslogBuffer


class ChangeRefused(Exception):
    """IOS refuses the change-control command; the message is its text."""


def flash_name(url: str) -> str:
    """`flash:/x`, `bootflash:x` -> `x` (the lab's flash is one flat directory)."""
    return url.split(":", 1)[-1].lstrip("/")


class ChangeControl:
    """Needs from its host: `name`, `hostname`, `store`, `flash`, `minute`, `running_config()`
    and `replace_running(text)`."""

    name: str
    store: Any
    flash: Flash
    minute: float
    syslog: SyslogBuffer
    archive: ArchiveList
    pending: PendingRevert | None
    config_lock: LockHolder | None
    listeners: dict[int, Callable[[str], None]]
    _pending_file: Path

    @property
    def hostname(self) -> str:  # overridden by Device
        raise NotImplementedError

    def running_config(self) -> str:  # overridden by Device
        raise NotImplementedError

    def replace_running(self, text: str) -> None:  # overridden by Device
        raise NotImplementedError

    # -- settings and messages -------------------------------------------------------------
    def archive_settings(self) -> ArchiveSettings:
        return archive_settings(self.store.root)

    def lock_policy(self) -> str | None:
        return lock_policy(self.store.root)

    def log(self, now: float, message: tuple[str, str], **values: object) -> None:
        mnemonic, text = message
        self.syslog.log(now, mnemonic, text.format(**values))

    def notify(self, session: int | None, text: str) -> None:
        """Print `text` on a session's terminal, as IOS does between prompts."""
        write = self.listeners.get(session) if session is not None else None
        if write is not None:
            with contextlib.suppress(Exception):
                write(text.rstrip("\n") + "\n")

    def session_gone(self, session: int) -> None:
        """A session ended: its lock is released; its revert timer runs on without it."""
        self.listeners.pop(session, None)
        if self.config_lock is not None and self.config_lock.session == session:
            self.config_lock = None
        if self.pending is not None and self.pending.owner == session:
            self.pending.owner = None

    # -- archive ---------------------------------------------------------------------------
    def archive_config(self, now: float) -> str:
        """`archive config`: the running config saved under the next archive name."""
        settings = self.archive_settings()
        if settings.path is None:
            raise ChangeRefused(NOT_ENABLED)
        name = make_archive_name(settings.path, self.hostname, now, self.archive.counter)
        try:
            self.flash.write(flash_name(name), self.running_config())
        except FlashError as exc:
            raise ChangeRefused(str(exc)) from None
        for old in self.archive.added(name, settings.maximum):
            with contextlib.suppress(FlashError):
                self.flash.delete(flash_name(old))
        return name

    # -- confirmed change ------------------------------------------------------------------
    def _save_pending(self) -> None:
        rollback.save_pending(self._pending_file, self.pending)

    def start_revert(self, minutes: int, idle: bool, user: str, owner: int, now: float) -> str:
        """`configure terminal revert timer [idle] N`: back up, then start the timer.

        A timer already pending keeps its backup (the state before the first change) and
        starts again with the new value."""
        if self.archive_settings().path is None:
            raise ChangeRefused(rollback.ARCHIVE_OFF)
        if self.pending is not None:
            self.pending.reset(minutes, idle, now, self.minute)
            self.pending.owner = owner
            self._save_pending()
            return ""
        backup = self.archive_config(now)
        self.pending = PendingRevert(backup, minutes, idle, user, owner, now, now)
        self.pending.reset(minutes, idle, now, self.minute)
        self._save_pending()
        self.log(now, rollback.LOG_BACKUP, file=backup)
        if not idle:  # the captures show the absolute timer's message only
            self.log(now, rollback.LOG_START, user=user, file=backup, minutes=minutes)
        return rollback.BACKING_UP.format(file=backup) + "\n\n"

    def confirm_revert(self) -> None:
        """`configure confirm`: keep the change."""
        self.pending = None
        self._save_pending()

    def reset_revert(self, minutes: int, idle: bool, now: float) -> str:
        """`configure revert timer [idle] N`."""
        if self.pending is None:
            return rollback.NO_PENDING + "\n"
        self.pending.reset(minutes, idle, now, self.minute)
        self._save_pending()
        return ""

    def revert_now(self, now: float) -> str:
        """`configure revert now`."""
        if self.pending is None:
            return rollback.NO_PENDING + "\n"
        self._roll_back(now)
        return ""

    def touch(self, session: int, now: float) -> None:
        if self.pending is not None and self.pending.owner == session:
            self.pending.touch(now, self.minute)

    def tick(self, now: float) -> None:
        """Warn one minute ahead; roll back when the timer runs out."""
        pending = self.pending
        if pending is None:
            return
        if now >= pending.deadline:
            self._roll_back(now)
        elif not pending.warned and pending.deadline - now <= self.minute:
            pending.warned = True
            self._save_pending()
            if not pending.idle:  # (the captured syslog is the absolute timer's)
                self.log(now, rollback.LOG_WARNING, file=pending.backup)
            self.notify(pending.owner, rollback.ONE_MINUTE)

    def _roll_back(self, now: float) -> None:
        pending = self.pending
        assert pending is not None
        self.pending = None
        self._save_pending()
        self.notify(pending.owner, rollback.ROLLING.format(file=pending.backup))
        self.log(now, rollback.LOG_ROLLBACK, file=pending.backup)
        try:
            self.replace_running(self.flash.read(flash_name(pending.backup)))
        except (FlashError, ValueError) as exc:  # the backup was deleted or is unreadable
            self.syslog.log(now, "ARCHIVE_DIFF-3-ROLLBK_FAILED", str(exc))
