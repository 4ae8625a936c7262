"""Indentation tree of IOS running-config text, for the network model.

A small own parser (the config store's tree is another room's module): each
line becomes a node whose children are the more-indented lines below it.

>>> root = parse_tree("interface Tunnel1\\n ip address 10.0.0.1 255.255.255.0\\n!\\n")
>>> [(n.text, [c.text for c in n.children]) for n in root]
[('interface Tunnel1', ['ip address 10.0.0.1 255.255.255.0'])]
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    """One config line and the lines indented under it."""

    text: str
    children: list[Node] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def child_lines(self) -> list[str]:
        return [c.text for c in self.children]


def parse_tree(text: str) -> list[Node]:
    """Parse config text into top-level nodes (comments, `!` and `end` dropped)."""
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("!") or stripped == "end":
            continue
        if stripped.startswith(("Building configuration", "Current configuration")):
            continue
        indent = len(line) - len(line.lstrip(" "))
        node = Node(stripped)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            stack[-1][1].children.append(node)
        else:
            roots.append(node)
        stack.append((indent, node))
    return roots
