"""Reading a netmiko session's SSH channel directly, for the push's block reads.

netmiko's ``read_channel`` raises ``ReadException("Channel stream closed by remote device.")``
when a read ends the stream, and the data that same read received is lost with it (it lives
in a local variable). One line at a time that never mattered: the answer to the line before
had been read already. With a block in flight, the answers the device gave before it dropped
the session arrive together with the end of the stream, and they are what says how many lines
the device took. So the push reads the paramiko channel itself: blocking reads with a timeout
instead of netmiko's 10 ms polling, linefeeds normalized (netmiko's rule, made idempotent),
and whatever is left after a match handed back to netmiko's own read buffer so its next call
sees it.
"""

from __future__ import annotations

import re
import time
from typing import Any

from netmiko.exceptions import ReadException, ReadTimeout

CHUNK = 65536
# netmiko's `\r+\n|\n\r` (normalize_linefeeds) made idempotent: every CR next to a LF goes,
# so a line break cut between two reads comes out as one read whole would give
LINEFEEDS = re.compile(r"\r*\n\r*")


class ChannelReader:
    """Reads ``conn``'s channel up to patterns; ``close()`` returns the rest to netmiko."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.channel = conn.remote_conn
        self.buffer = str(getattr(conn, "_read_buffer", "") or "")
        conn._read_buffer = ""
        self.closed = False

    def until(self, pattern: re.Pattern[str], read_timeout: float) -> str:
        """Everything up to and including the first match of ``pattern``; raises
        ReadException when the stream ends first (the text received stays in ``buffer``)
        and ReadTimeout when ``read_timeout`` passes."""
        deadline = time.monotonic() + read_timeout
        while True:
            found = pattern.search(self.buffer)
            if found:
                text, self.buffer = self.buffer[: found.end()], self.buffer[found.end() :]
                return text
            if self.closed:
                raise ReadException("Channel stream closed by remote device.")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReadTimeout(f"pattern not detected: {pattern.pattern!r}")
            self._receive(min(remaining, 1.0))

    def _receive(self, wait: float) -> None:
        before = self.channel.gettimeout()
        self.channel.settimeout(wait)
        try:
            data = self.channel.recv(CHUNK)
        except TimeoutError:
            return
        finally:
            self.channel.settimeout(before)
        if not data:
            self.closed = True
            return
        self.buffer = normalized(self.buffer, data.decode("utf-8", errors="replace"))

    def close(self) -> None:
        """Hand what was read beyond the last match back to netmiko."""
        self.conn._read_buffer = self.buffer + str(getattr(self.conn, "_read_buffer", "") or "")
        self.buffer = ""


def normalized(buffer: str, data: str) -> str:
    """``buffer`` (normalized already) + ``data`` with linefeeds normalized. Only the line
    breaks at the end of ``buffer`` can pair with ``data``'s, so the rest is not scanned again
    (a running config arrives in many chunks).

    >>> normalized("a\\r", "\\nb\\n") , normalized("a\\n", "\\rb")
    ('a\\nb\\n', 'a\\nb')
    """
    start = len(buffer.rstrip("\r\n"))
    return buffer[:start] + LINEFEEDS.sub("\n", buffer[start:] + data)
