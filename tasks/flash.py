"""Small text files on a device's flash (the lease and the ownership manifest), over netmiko.

Reading is ``more flash:NAME``; writing goes through IOS's Tcl shell the way netmiko's
``InLineTransfer`` does (``tclsh``, ``puts [open "flash:NAME" w+] {...}``, ``tclquit``), then
``verify /md5`` proves the file holds what was sent. ``InLineTransfer`` itself is not used: it
sleeps a fixed 4 s before reading the Tcl prompt and 3 s around entering and leaving the shell,
about 7 s per file where the device answers in milliseconds; the same four commands here go
out in one write and each answer is read back to its prompt (``tasks.exchange``).

Cisco IOS Scripting with Tcl: https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/ios_tcl/configuration/15-mt/ios-tcl-15-mt-book/nm-script-tcl.html
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from tasks.exchange import Step, exchange, mode_of

FILE_SYSTEM = "flash:"
MISSING = re.compile(r"%Error opening|No such file|File not found|Path does not exist")
MD5 = re.compile(r"=\s*([0-9a-f]{32})")
UNSAFE = re.compile(r"[{}]|\\$", re.M)


class FlashError(Exception):
    """A flash file could not be read or written as asked (the message is for people)."""


def flash_text(command: str, output: str) -> str | None:
    """What ``more flash:NAME`` answered: the text, or None when there is no such file."""
    if MISSING.search(output):
        return None
    if output.lstrip().startswith("%"):
        raise FlashError(f"{command}: {output.strip().splitlines()[0]}")
    return output


def read_flash(conn: Any, name: str, in_config: bool = False) -> str | None:
    """Text of ``flash:NAME``, or None when there is no such file (``do more`` when the session
    is in configuration mode)."""
    command = f"{'do ' if in_config else ''}more {FILE_SYSTEM}{name}"
    output = str(conn.send_command(command, expect_string=r"[>#]\s*$", read_timeout=30))
    return flash_text(command, output)


def write_steps(name: str, text: str) -> list[Step]:
    """``tclsh``, the ``puts`` of the file, ``tclquit``, ``verify /md5``: typed at once, since
    each is harmless when the one before failed (outside tclsh, ``puts`` and ``tclquit`` are
    refused by the exec parser; a file not written fails its MD5)."""
    if UNSAFE.search(text):
        raise FlashError(f"cannot write flash:{name}: braces or a trailing backslash")
    # Tcl ends a statement at a newline, so lines travel as \r and are written as \n.
    puts = f'puts [open "{FILE_SYSTEM}{name}" w+] {{' + text.rstrip("\n").replace("\n", "\r")
    return [
        Step("tclsh"),
        Step(puts + "}"),
        Step("tclquit"),
        Step(f"verify /md5 {FILE_SYSTEM}{name}"),
    ]


def check_written(name: str, text: str, answers: list[str]) -> None:
    """Raise FlashError unless the answers to ``write_steps`` show the file holds ``text``."""
    entered, written, _, check = answers
    if mode_of(entered) != "tcl":
        raise FlashError(f"writing flash:{name}: tclsh did not start: {entered.strip()[-80:]!r}")
    if "error" in written.lower() and "%" in written:
        raise FlashError(f"writing flash:{name} failed: {written.strip().splitlines()[-2:]}")
    want = hashlib.md5((text.rstrip("\n") + "\n").encode(), usedforsecurity=False).hexdigest()
    found = MD5.search(check)
    if found is None or found.group(1) != want:
        raise FlashError(f"flash:{name} does not hold what was written (verify /md5)")


def write_flash(conn: Any, name: str, text: str) -> None:
    """Write ``text`` to ``flash:NAME`` through tclsh and check its MD5 on the device, in one
    round trip (``write_steps``)."""
    steps = write_steps(name, text)
    check_written(name, text, exchange(conn, steps, read_timeout=60))


def delete_flash(conn: Any, name: str, in_config: bool = False) -> None:
    """``delete /force flash:NAME``; a file that is already gone is fine."""
    command = f"{'do ' if in_config else ''}delete /force {FILE_SYSTEM}{name}"
    output = str(conn.send_command(command, expect_string=r"[>#]\s*$", read_timeout=30))
    if output.strip().startswith("%") and not MISSING.search(output):
        raise FlashError(f"{command}: {output.strip().splitlines()[0]}")
