"""The device's logging buffer: what `show logging` prints after `Log Buffer`.

Lines are stamped as `service timestamps log datetime msec` prints them
(`*Feb 15 15:56:41.528: %FACILITY-SEVERITY-MNEMONIC: text`).
"""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime

BUFFER_LINES = 200


def ios_stamp(when: float) -> str:
    """`*Feb 15 15:56:41.528` (no clock set: IOS marks the time with `*`)."""
    moment = datetime.fromtimestamp(when, UTC)
    return f"*{moment:%b} {moment.day:>2} {moment:%H:%M:%S}.{moment.microsecond // 1000:03d}"


class SyslogBuffer:
    """The last `BUFFER_LINES` messages, oldest first."""

    def __init__(self) -> None:
        self.lines: deque[str] = deque(maxlen=BUFFER_LINES)

    def log(self, when: float, mnemonic: str, text: str) -> str:
        line = f"{ios_stamp(when)}: %{mnemonic}: {text}"
        self.lines.append(line)
        return line
