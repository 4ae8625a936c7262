"""Small text files on a device's flash (the lease and the ownership manifest), over netmiko.

Reading is ``more flash:NAME``; writing goes through IOS's Tcl shell the way netmiko's
``InLineTransfer`` does (``tclsh``, ``puts [open "flash:NAME" w+] {...}``, ``tclquit``), then
``verify /md5`` proves the file holds what was sent. ``InLineTransfer`` itself is not used: it
sleeps a fixed 4 s before reading the Tcl prompt and 3 s around entering and leaving the shell,
about 7 s per file where the device answers in milliseconds; the same commands here wait for
their prompts instead.

Cisco IOS Scripting with Tcl: https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/ios_tcl/configuration/15-mt/ios-tcl-15-mt-book/nm-script-tcl.html
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

FILE_SYSTEM = "flash:"
TCL_PROMPT = r"\(tcl\)#"
MISSING = re.compile(r"%Error opening|No such file|File not found|Path does not exist")
MD5 = re.compile(r"=\s*([0-9a-f]{32})")
UNSAFE = re.compile(r"[{}]|\\$", re.M)


class FlashError(Exception):
    """A flash file could not be read or written as asked (the message is for people)."""


def _prompt(conn: Any) -> str:
    return re.escape(conn.base_prompt) + r"[>#]"


def read_flash(conn: Any, name: str, in_config: bool = False) -> str | None:
    """Text of ``flash:NAME``, or None when there is no such file (``do more`` when the session
    is in configuration mode)."""
    command = f"{'do ' if in_config else ''}more {FILE_SYSTEM}{name}"
    output = str(conn.send_command(command, expect_string=r"[>#]\s*$", read_timeout=30))
    if MISSING.search(output):
        return None
    if output.lstrip().startswith("%"):
        raise FlashError(f"{command}: {output.strip().splitlines()[0]}")
    return output


def write_flash(conn: Any, name: str, text: str) -> None:
    """Write ``text`` to ``flash:NAME`` through tclsh and check its MD5 on the device."""
    if UNSAFE.search(text):
        raise FlashError(f"cannot write flash:{name}: braces or a trailing backslash")
    body = text.rstrip("\n")
    conn.send_command("tclsh", expect_string=TCL_PROMPT, read_timeout=20)
    try:
        # Tcl ends a statement at a newline, so lines travel as \r and are written as \n.
        command = f'puts [open "{FILE_SYSTEM}{name}" w+] {{' + body.replace("\n", "\r") + "}"
        output = str(
            conn.send_command(command, expect_string=TCL_PROMPT, cmd_verify=False, read_timeout=30)
        )
    finally:
        conn.send_command("tclquit", expect_string=_prompt(conn), read_timeout=20)
    if "error" in output.lower() and "%" in output:
        raise FlashError(f"writing flash:{name} failed: {output.strip().splitlines()[-1]}")
    want = hashlib.md5((body + "\n").encode(), usedforsecurity=False).hexdigest()
    check = str(conn.send_command(f"verify /md5 {FILE_SYSTEM}{name}", read_timeout=60))
    found = MD5.search(check)
    if found is None or found.group(1) != want:
        raise FlashError(f"flash:{name} does not hold what was written (verify /md5)")


def delete_flash(conn: Any, name: str, in_config: bool = False) -> None:
    """``delete /force flash:NAME``; a file that is already gone is fine."""
    command = f"{'do ' if in_config else ''}delete /force {FILE_SYSTEM}{name}"
    output = str(conn.send_command(command, expect_string=r"[>#]\s*$", read_timeout=30))
    if output.strip().startswith("%") and not MISSING.search(output):
        raise FlashError(f"{command}: {output.strip().splitlines()[0]}")
