"""A vty's input buffer: what the client typed or pasted and the CLI has not read yet.

The transport reads the SSH channel as fast as data comes and ``feed``s it here; the CLI takes
one line at a time as it gets to it (after each command's processing time). The buffer is
finite: what arrives while it is full is lost, the way pasting a long configuration into an
IOS vty faster than the router takes it loses lines. netmiko's author on devices with small
input buffers dropping pasted config (and netmiko's answer: one command in flight, each
echoed before the next): https://github.com/ktbyers/netmiko/issues/1058 and the rate limiter
proposed for it, https://github.com/ktbyers/netmiko/pull/1085 (which cites
https://blog.ipspace.net/2019/01/not-so-fast-ansible-cisco-ios-cant-keep.html). How large the
buffer is differs by platform and release and is not documented; here it is the lab setting
``vty_buffer`` (bytes), 8 KB by default: a headend's whole configuration pasted at once
overflows it; one tclsh line writing an ownership manifest (about 400 bytes per tenant) fits.
"""

from __future__ import annotations

import asyncio

DEFAULT_VTY_BUFFER = 8192


class VtyInput:
    """Bounded input of one vty session; ``read`` hands the CLI one line at a time."""

    def __init__(self, capacity: int = DEFAULT_VTY_BUFFER) -> None:
        self.capacity = capacity
        self.dropped = 0  # characters lost to a full buffer
        self._buffer = ""
        self._eof = False
        self._ready = asyncio.Event()
        self._after_cr = False

    def feed(self, data: str) -> None:
        """Data from the channel; what does not fit is lost."""
        room = max(0, self.capacity - len(self._buffer))
        if len(data) > room:
            self.dropped += len(data) - room
            data = data[:room]
        if data:
            self._buffer += data
            self._ready.set()

    def close(self) -> None:
        """The client went away: ``read`` returns what is left, then "" for good."""
        self._eof = True
        self._ready.set()

    @property
    def waiting(self) -> int:
        """Characters received and not yet read by the CLI."""
        return len(self._buffer)

    async def read(self) -> str:
        """The next line (up to and with its Enter), or what there is of one; "" at the end."""
        while True:
            if self._after_cr and self._buffer.startswith("\n"):
                self._buffer = self._buffer[1:]  # CR LF split over two reads: one Enter
            self._after_cr = False
            if self._buffer:
                break
            if self._eof:
                return ""
            self._ready.clear()
            await self._ready.wait()
        ends = [i for i in (self._buffer.find("\r"), self._buffer.find("\n")) if i >= 0]
        cut = min(ends) + 1 if ends else len(self._buffer)
        if self._buffer[cut - 1 : cut + 1] == "\r\n":
            cut += 1
        line, self._buffer = self._buffer[:cut], self._buffer[cut:]
        self._after_cr = line.endswith("\r")
        return line
