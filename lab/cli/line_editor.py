"""Keystrokes in, echo out: the line editing of an IOS vty (what a PTY echoes, Ctrl-U,
backspace, arrow keys ignored, CR LF as one Enter, `[confirm]` read as one key)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

CTRL_Z = "\x1a"
CTRL_C = "\x03"


class SessionClosed(Exception):
    """The client went away or the session was dropped."""


class LineEditor:
    """Reads typed characters in arrival order; echo is buffered until the next output."""

    def __init__(self, read: Callable[[], Awaitable[str]], write: Callable[[str], None]) -> None:
        self._read = read
        self._write = write
        self._pending = ""
        self._echo: list[str] = []

    def flush_echo(self) -> None:
        if self._echo:
            self._write("".join(self._echo))
            self._echo.clear()

    async def _next_char(self) -> str:
        if not self._pending:
            self.flush_echo()
            data = await self._read()
            if not data:
                raise SessionClosed
            self._pending = data
        ch, self._pending = self._pending[0], self._pending[1:]
        if ch == "\r" and self._pending.startswith("\n"):
            self._pending = self._pending[1:]  # CR LF typed together: one Enter
        return ch

    async def read_line(self, echo: bool = True) -> str:
        """The next line typed, echoing as a PTY does; Ctrl-Z / Ctrl-C come back alone."""
        chars: list[str] = []
        while True:
            ch = await self._next_char()
            if ch in "\r\n":
                self._echo.append("\r\n")
                return "".join(chars)
            if ch in (CTRL_Z, CTRL_C):
                self._echo.append("^Z\r\n" if ch == CTRL_Z else "^C\r\n")
                return ch
            if ch in "\x7f\x08":
                if chars:
                    chars.pop()
                    if echo:
                        self._echo.append("\b \b")
            elif ch == "\x15":  # Ctrl-U: erase the line
                if echo:
                    self._echo.append("\b \b" * len(chars))
                chars.clear()
            elif ch == "\x1b":  # drop an escape sequence (arrow keys)
                match = re.match(r"\[[0-9;]*[A-Za-z~]?", self._pending)
                self._pending = self._pending[match.end() if match else 0 :]
            elif ch >= " " or ch == "\t":
                chars.append(" " if ch == "\t" else ch)
                if echo:
                    self._echo.append(ch)

    async def read_key(self) -> str:
        """One keystroke, as IOS reads a `[confirm]` (Enter gives "")."""
        ch = await self._next_char()
        self._echo.append("\r\n")
        return "" if ch in "\r\n" else ch

    async def drain(self) -> None:
        """Swallow input until the client gives up (a stalled session)."""
        self.flush_echo()
        while await self._read():
            pass
        raise SessionClosed
