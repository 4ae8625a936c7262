"""How config lines are grouped into writes: a round trip per object, not per line.

netmiko's ``send_config_set`` writes one line, waits for its echo, then for the prompt: one
round trip per line (plus its 10 ms polling). Here a write carries many lines at once and is
read back line by line (each echo, IOS's answer, the prompt), so refusals stay per line. What
keeps that as safe as one line at a time:

- a mode-entering line (a line whose next line is indented deeper: ``interface Tunnel42``,
  `` address-family ...``) ends its write: its children go out only after IOS accepted it and
  the prompt shows a configuration sub-mode, so a refused parent never lets its children land
  in the object before it (IOS stays in the mode it was in after a refused line);
- unless the parent re-enters an object the running config shows (read under the change
  lease, with configuration mode locked): IOS accepts its own header line back, so its
  children go in the same write. That holds only while nothing before it in the change
  removed an object or a global line (``no``/``default`` at the top, or of a nested object):
  from the first such line on every parent waits for its answer again;
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
>>> known = objects_of("interface Gi0/0/1\\n no ip address\\n!")
>>> for write in plan_writes(lines, known=known):
...     print([line.text for line in write])
['ip route 0.0.0.0 0.0.0.0 192.0.2.1', 'interface Tunnel42']
['tunnel key 42', 'ip mtu 1400', 'interface Gi0/0/1', 'description LAN']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from tasks.config_questions import Question, question_for

# Bytes written at once: an eighth of the lab's default vty buffer (lab/cli/vty_input.py);
# IOS does not document its own, so stay small. One object's children rarely reach it.
BLOCK_BYTES = 1024


@dataclass(frozen=True)
class Line:
    """One config line as it is typed: its text (no indent), depth, whether it enters a
    sub-mode (the next line is indented deeper), the question IOS may ask after it, and
    whether it re-enters an object IOS is certain to accept (see the module doc)."""

    text: str
    depth: int
    enters: bool
    asks: Question | None = None
    known: bool = False

    @property
    def waits(self) -> bool:
        """Its answer must come back before anything after it is typed."""
        return (self.enters and not self.known) or self.asks is not None


ObjectPath = tuple[str, ...]
REMOVALS = ("no ", "default ")


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


def objects_of(running: str) -> frozenset[ObjectPath]:
    """The paths (header lines from the top) of the objects in a running config: every line
    with deeper-indented lines under it, or closed by an ``exit-…`` line of its own depth (IOS
    prints an empty ``address-family ipv4`` of a VRF that way)."""
    lines = structure(text for text in running.splitlines() if text.strip() != "!")
    return frozenset(
        (*parents, line.text)
        for (parents, line), after in zip(with_parents(lines), [*lines[1:], None], strict=True)
        if line.enters
        or (after is not None and after.depth == line.depth and after.text[:5] == "exit-")
    )


def with_parents(lines: Iterable[Line]) -> Iterator[tuple[ObjectPath, Line]]:
    """Each line with the header lines it sits under (by indent)."""
    stack: list[Line] = []
    for line in lines:
        while stack and stack[-1].depth >= line.depth:
            stack.pop()
        yield tuple(parent.text for parent in stack), line
        stack.append(line)


def with_known_objects(lines: list[Line], known: frozenset[ObjectPath]) -> Iterator[Line]:
    """``lines``, the parents that re-enter one of the ``known`` objects marked ``known``, up
    to the first line that removes a top-level line or a known object (see the module doc)."""
    trusted = True
    for here, line in with_parents(lines):
        if trusted and line.text.startswith(REMOVALS):
            removed = line.text.split(" ", 1)[1] if " " in line.text else ""
            trusted = line.depth > 0 and not any(
                path[:-1] == here and (path[-1] + " ").startswith(removed + " ") for path in known
            )
        if trusted and line.enters and (*here, line.text) in known:
            yield replace(line, known=True)
        else:
            yield line


def plan_writes(
    lines: Iterable[str],
    block_bytes: int = BLOCK_BYTES,
    known: frozenset[ObjectPath] = frozenset(),
) -> list[list[Line]]:
    """The writes for ``lines`` in order: each ends at a line that ``waits`` (a mode-entering
    line that is not a ``known`` object's, or a line IOS may answer with a question), or
    before it would pass ``block_bytes`` (a single longer line goes alone)."""
    writes: list[list[Line]] = []
    current: list[Line] = []
    size = 0
    for line in with_known_objects(structure(lines), known):
        length = len(line.text) + 1
        if current and size + length > block_bytes:
            writes.append(current)
            current, size = [], 0
        current.append(line)
        size += length
        if line.waits:
            writes.append(current)
            current, size = [], 0
    if current:
        writes.append(current)
    return writes
