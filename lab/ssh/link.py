"""The network between the automation host and a device: round-trip time, jitter and loss.

The lab serves every device on 127.0.0.1, where a round trip costs microseconds; a spoke behind
LTE and carrier NAT pays 60-150 ms. ``DelayedTransport`` holds each write of the device's
side of the SSH connection for one round trip before it goes out, so every exchange that has to
wait for the device's answer (TCP and SSH handshakes, a command's echo and prompt) pays the
link's RTT once, and bytes the client sends without waiting (a pasted block) pay it once for
the whole block. The TCP handshake is one more round trip before the first byte of the device.

- jitter: each write waits ``rtt + uniform(0, jitter)``; writes never overtake each other
  (TCP delivers in order), so a late one holds back those after it.
- loss: the chance that a write's segment is lost; TCP retransmits it after its retransmission
  timeout, at least 200 ms on Linux (RFC 6298 §2.4 recommends 1 s, Linux uses ``TCP_RTO_MIN``
  = 200 ms: https://www.rfc-editor.org/rfc/rfc6298#section-2), or twice the RTT when that is
  longer; the segments behind it wait too (head-of-line blocking). A loss either way costs the
  same wait, so ``loss`` is the chance an exchange pays it.

This is a model for benchmarks and tests, not a network emulator: bandwidth is unlimited.
"""

from __future__ import annotations

import asyncio
import random
from collections import deque
from dataclasses import dataclass
from typing import Any

MIN_RTO = 0.2  # Linux TCP_RTO_MIN


@dataclass(frozen=True)
class Link:
    """One device's link: round-trip time and jitter in seconds, loss as a probability."""

    rtt: float = 0.0
    jitter: float = 0.0
    loss: float = 0.0

    @property
    def idle(self) -> bool:
        return self.rtt <= 0 and self.jitter <= 0 and self.loss <= 0

    def retransmission_timeout(self) -> float:
        return max(MIN_RTO, 2 * self.rtt)


LINK_FIELDS = ("rtt", "jitter", "loss")


def link_problems(where: str, fields: dict[str, Any]) -> list[str]:
    """What is wrong with a mapping of link fields (empty when it is a valid link)."""
    problems = [f"{where}: unknown link field {k!r}" for k in fields if k not in LINK_FIELDS]
    for name in LINK_FIELDS:
        value = fields.get(name, 0.0)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(f"{where}: {name} must be a number >= 0, not {value!r}")
        elif name == "loss" and value > 0.5:
            problems.append(f"{where}: loss is a probability of at most 0.5, not {value!r}")
    return problems


class DelayedTransport:
    """An asyncio transport whose writes reach the peer one link round trip later, in order.

    Everything but writing and closing goes to the wrapped transport, so asyncssh sees its own
    socket, peer and flow control as before."""

    def __init__(self, inner: asyncio.Transport, link: Link, seed: str) -> None:
        self._inner = inner
        self._link = link
        self._random = random.Random(seed)
        self._loop = asyncio.get_running_loop()
        # the TCP handshake: the client's SYN, the device's SYN-ACK, one round trip
        self._last = self._loop.time() + link.rtt
        self._queue: deque[tuple[float, bytes]] = deque()
        self._close_when_sent = False

    def _delay(self) -> float:
        link = self._link
        delay = link.rtt + (self._random.uniform(0, link.jitter) if link.jitter else 0.0)
        if link.loss and self._random.random() < link.loss:
            delay += link.retransmission_timeout()
        return delay

    def write(self, data: bytes) -> None:
        if not data:
            return
        self._last = max(self._last, self._loop.time() + self._delay())
        self._queue.append((self._last, bytes(data)))
        if len(self._queue) == 1:
            self._loop.call_at(self._last, self._deliver)

    def writelines(self, chunks: Any) -> None:
        self.write(b"".join(chunks))

    def _deliver(self) -> None:
        """Send every write that is due, in order (timers with equal times may run in any
        order, so one timer at a time walks the queue)."""
        now = self._loop.time()
        while self._queue and self._queue[0][0] <= now:
            _, data = self._queue.popleft()
            if not self._inner.is_closing():
                self._inner.write(data)
        if self._queue:
            self._loop.call_at(self._queue[0][0], self._deliver)
        elif self._close_when_sent:
            self._inner.close()

    def close(self) -> None:
        """A polite close waits for what is still on the wire."""
        if self._queue:
            self._close_when_sent = True
        else:
            self._inner.close()

    def abort(self) -> None:
        self._queue.clear()
        self._inner.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def delay_link(conn: Any, link: Link, seed: str) -> None:
    """Put ``link`` between ``conn`` (an asyncssh connection just made) and its peer.

    asyncssh writes every byte through the connection's ``_transport``; wrapping it there is the
    one place that sees the handshake and the session alike."""
    inner = getattr(conn, "_transport", None)
    if link.idle or inner is None:
        return
    conn._transport = DelayedTransport(inner, link, seed)
