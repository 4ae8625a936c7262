"""Indentation tree of running-config text: `parse_config(text) -> list[Node]`.

>>> nodes = parse_config("interface Tunnel42\\n ip mtu 1400\\n!\\nhostname R1\\n")
>>> [n.line for n in nodes], nodes[0].children[0].line
(['interface Tunnel42', 'hostname R1'], 'ip mtu 1400')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Node:
    line: str  # stripped text
    children: list[Node] = field(default_factory=list)
    indent: int = 0

    def child(self, prefix: str) -> Node | None:
        """First child whose line starts with `prefix`."""
        return next((c for c in self.children if c.line.startswith(prefix)), None)

    def children_with(self, prefix: str) -> list[Node]:
        return [c for c in self.children if c.line.startswith(prefix)]

    def walk(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.walk()


def parse_config(text: str) -> list[Node]:
    """Top-level nodes; `!` lines, blank lines and `end` are dropped; children are the
    following lines indented deeper than their parent."""
    roots: list[Node] = []
    stack: list[Node] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("!") or (stripped == "end" and raw == "end"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        node = Node(stripped, indent=indent)
        while stack and stack[-1].indent >= indent:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def find_blocks(nodes: list[Node], prefix: str) -> list[Node]:
    """Top-level blocks whose line starts with `prefix` (e.g. `interface Tunnel`)."""
    return [n for n in nodes if n.line.startswith(prefix)]


def find_block(nodes: list[Node], line: str) -> Node | None:
    """The top-level block with exactly this line."""
    return next((n for n in nodes if n.line == line), None)


@dataclass
class Block:
    """A line of the config store's tree; `mode` is the grammar id of the sub-mode the line
    opens (None for a plain setting), `slot` the setting it occupies in its parent."""

    line: str
    mode: str | None = None
    slot: str = ""
    children: list[Block] = field(default_factory=list)

    def find(self, line: str) -> Block | None:
        return next((c for c in self.children if c.line == line), None)

    def by_slot(self, slot: str) -> Block | None:
        return next((c for c in self.children if c.slot == slot), None)

    @property
    def words(self) -> list[str]:
        return self.line.split()
