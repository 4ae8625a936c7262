"""Backups before a push: on the device's flash (what ``configure replace`` restores from) and
locally under ``backups/<host>/<timestamp>.cfg`` (git-ignored, owner-only: configs hold PSKs).

The exec dialogue is IOS's own: ``copy running-config flash:NAME`` asks for the destination
file name (and whether to overwrite), ``configure replace flash:NAME force`` prints the
rollback log ending in ``Rollback Done``.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tasks.exchange import Step, exchange, exec_prompt

# What IOS varies in `show running-config` without a config change: comment and separator
# lines (`!`, `! Last configuration change ...`, `! NVRAM config last updated ...`), the banner
# of the command itself, and the NTP clock-period it keeps adjusting.
VOLATILE_LINES = re.compile(
    r"^(!.*|Building configuration.*|Current configuration.*|ntp clock-period .*)$"
)
# Salted secrets: the same secret reads differently each time IOS encrypts it (type 5/8/9
# hashes, type 6 AES and type 7 with their random salt), so only the keyword is compared.
SALTED = re.compile(r"\b(secret|password|key|pre-shared-key)( \S+)? [5-9] \S+")


ROLLBACK_DONE = "Rollback Done"


class BackupError(Exception):
    """A backup or restore step failed; the message is for people."""


def backup_name(tenant: str, when: datetime | None = None) -> str:
    """Flash file name of a backup taken before touching ``tenant``.

    >>> backup_name("event42", datetime(2026, 11, 25, 13, 5, 9, 120000, tzinfo=UTC))
    'pre-event42-20261125-130509-120.cfg'
    """
    when = when or datetime.now(UTC)
    return f"pre-{tenant}-{when:%Y%m%d-%H%M%S}-{when.microsecond // 1000:03d}.cfg"


def normalize(config: str) -> str:
    """Running config without what IOS varies on its own, for comparisons.

    >>> normalize("Building configuration...\\n\\nCurrent configuration : 9 bytes\\n!\\nhostname r")
    'hostname r'
    >>> normalize(" ! Last configuration change at 10:01:02 UTC\\nusername a secret 9 $9$x$y")
    'username a secret 9 <salted>'
    """
    kept = [
        SALTED.sub(lambda m: m.group(0).rsplit(" ", 1)[0] + " <salted>", line.rstrip())
        for line in config.splitlines()
        if line.strip() and not VOLATILE_LINES.match(line.strip())
    ]
    return "\n".join(kept)


def save_local(root: Path, host: str, config: str, when: datetime | None = None) -> Path:
    """Write ``config`` to ``root/<host>/<timestamp>.cfg``: directory 0700, file 0600."""
    when = when or datetime.now(UTC)
    folder = Path(root) / host
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for directory in (Path(root), folder):
        os.chmod(directory, 0o700)
    path = folder / f"{when:%Y%m%dT%H%M%S}-{when.microsecond:06d}Z.cfg"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(config)
    return path


def _prompt(conn: Any) -> str:
    return re.escape(conn.base_prompt) + r"[>#]"


def read_running(conn: Any, read_timeout: float = 60) -> str:
    """``show running-config`` of a netmiko connection in enable mode."""
    return str(conn.send_command("show running-config", read_timeout=read_timeout))


def backup_to_flash(conn: Any, name: str, read_timeout: float = 60) -> str:
    """``copy running-config flash:<name>`` with the Enter for IOS's file-name question typed
    ahead (one round trip; a second only if IOS asks to overwrite); returns its output."""
    done = exec_prompt(conn)
    overwrite = r"over ?write\? \[confirm\]"
    step = Step(f"copy running-config flash:{name}", until=f"{done}|{overwrite}", answers=1)
    (output,) = exchange(conn, [step], read_timeout)
    if re.search(overwrite, output):  # a file of that name is there already
        output += exchange(conn, [Step("", until=done)], read_timeout)[0]
    if "%Error" in output or "bytes copied" not in output:
        raise BackupError(f"copy to flash:{name} failed: {output.strip().splitlines()[-2:]}")
    return output


def restore_from_flash(conn: Any, name: str, read_timeout: float = 120) -> str:
    """``configure replace flash:<name> force``; raises unless IOS reports Rollback Done."""
    output = str(
        conn.send_command(
            f"configure replace flash:{name} force",
            expect_string=_prompt(conn),
            read_timeout=read_timeout,
        )
    )
    if ROLLBACK_DONE not in output:
        last = output.strip().splitlines()[-1] if output.strip() else "no output"
        raise BackupError(f"configure replace flash:{name} failed: {last}")
    return output
