"""`tclsh` as netmiko's InLineTransfer and NAPALM's inline transfer drive it.

netmiko (netmiko/cisco/cisco_ios.py, InLineTransfer.put_file) types
`puts [open "bootflash:NAME" w+] {` + the file with every newline sent as `\\r` + `}` + Enter,
then `tclquit`: "The file doesn't write until tclquit". Inside the braces each `\\r` is a new
line of the same Tcl word (Tcl turns it back into a newline) and `puts` adds a final newline,
which is why netmiko's md5 adds one ("Cisco IOS automatically adds this"). Any other line is
handed to the IOS exec parser, as IOS's Tcl shell does with commands Tcl does not know.
"""

from __future__ import annotations

import re

PUTS_OPEN = re.compile(r'^\s*puts\s+\[open\s+"([^"]+)"\s+(?:w\+?|a\+?)\]\s+\{(.*)$')
EXIT_WORDS = ("tclquit", "tclexit")
CONTINUE_PROMPT = "+>"


class TclShell:
    """Lines typed in tclsh: file writes are collected until `tclquit` flushes them."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}  # path as typed -> content, written at tclquit
        self._path: str | None = None
        self._parts: list[str] = []
        self._depth = 0

    @property
    def continuing(self) -> bool:
        """Inside `{ ... }`: the next line belongs to the same command."""
        return self._path is not None

    def feed(self, line: str) -> str | None:
        """Consume a typed line; return it when it is an exec command for IOS to run."""
        if self._path is not None:
            self._take(line)
            return None
        match = PUTS_OPEN.match(line)
        if match is None:
            return line
        self._path, self._parts, self._depth = match.group(1), [], 1
        self._take(match.group(2))
        return None

    def _take(self, text: str) -> None:
        for index, char in enumerate(text):
            self._depth += {"{": 1, "}": -1}.get(char, 0)
            if self._depth == 0:
                self._parts.append(text[:index])
                assert self._path is not None
                self.files[self._path] = "\n".join(self._parts) + "\n"  # puts adds one
                self._path = None
                return
        self._parts.append(text)
