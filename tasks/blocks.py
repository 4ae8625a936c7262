"""How config lines are grouped into writes: a round trip per object, not per line.

netmiko's ``send_config_set`` writes one line, waits for its echo, then for the prompt: one
round trip per line (plus its 10 ms polling). Here a write carries many lines at once and is
read back line by line (each echo, IOS's answer, the prompt), so refusals stay per line. What
keeps that as safe as one line at a time:

- a mode-entering line (a line whose next line is indented deeper: ``interface Tunnel42``,
  `` address-family ...``) ends its write: its children go out only after IOS accepted it and
  the prompt shows a configuration sub-mode, so a refused parent never lets its children land
  in the object before it;
- every line's answer is checked for IOS's refusal texts and every prompt must still be a
  configuration prompt before the next write;
- a line IOS may answer with a question (``tasks.config_questions``) ends its write too: the push
  answers the question before anything else is typed;
- a write stays within ``BLOCK_BYTES``, well inside a vty's input buffer (what a router takes
  beyond its buffer while still busy is lost: ``lab/cli/vty_input.py``).

>>> lines = ["ip route 0.0.0.0 0.0.0.0 192.0.2.1", "interface Tunnel42", " tunnel key 42",
...          " ip mtu 1400", "interface Gi0/0/1", " description LAN"]
>>> for write in plan_writes(lines):
...     print([line.text for line in write])
['ip route 0.0.0.0 0.0.0.0 192.0.2.1', 'interface Tunnel42']
['tunnel key 42', 'ip mtu 1400', 'interface Gi0/0/1']
['description LAN']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tasks.config_questions import Question, question_for

# Bytes written at once: an eighth of the lab's default vty buffer (lab/cli/vty_input.py);
# IOS does not document its own, so stay small. One object's children rarely reach it.
BLOCK_BYTES = 1024


@dataclass(frozen=True)
class Line:
    """One config line as it is typed: its text (no indent), depth, whether it enters a
    sub-mode (the next line is indented deeper), and the question IOS may ask after it."""

    text: str
    depth: int
    enters: bool
    asks: Question | None = None


def structure(lines: Iterable[str]) -> list[Line]:
    """Lines with their depth and mode-entering flag; blank lines are dropped."""
    raw = [line.rstrip() for line in lines if line.strip()]
    depths = [len(line) - len(line.lstrip()) for line in raw]
    return [
        Line(
            text.strip(),
            depth,
            i + 1 < len(raw) and depths[i + 1] > depth,
            question_for(text.strip()),
        )
        for i, (text, depth) in enumerate(zip(raw, depths, strict=True))
    ]


def plan_writes(lines: Iterable[str], block_bytes: int = BLOCK_BYTES) -> list[list[Line]]:
    """The writes for ``lines`` in order: each ends at a mode-entering line, at a line IOS may
    answer with a question, or before it would pass ``block_bytes`` (a single longer line goes
    alone)."""
    writes: list[list[Line]] = []
    current: list[Line] = []
    size = 0
    for line in structure(lines):
        length = len(line.text) + 1
        if current and size + length > block_bytes:
            writes.append(current)
            current, size = [], 0
        current.append(line)
        size += length
        if line.enters or line.asks is not None:
            writes.append(current)
            current, size = [], 0
    if current:
        writes.append(current)
    return writes
