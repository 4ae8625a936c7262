"""The one config tree: a `Block` per line, children indented under it.

The config store builds it line by line through the grammar (`mode` and `slot` set); the
control-plane model reads a device's running-config text into the same tree with
`parse_text` (plain lines: `mode` None, `slot` empty).

>>> root = parse_text("interface Tunnel1\\n ip address 10.0.0.1 255.255.255.0\\n!\\nend\\n")
>>> [(b.line, b.child_lines()) for b in root]
[('interface Tunnel1', ['ip address 10.0.0.1 255.255.255.0'])]
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """A line of the config; `mode` is the grammar id of the sub-mode the line opens (None for
    a plain setting), `slot` the setting it occupies in its parent."""

    line: str
    mode: str | None = None
    slot: str = ""
    children: list[Block] = field(default_factory=list)

    def find(self, line: str) -> Block | None:
        return next((c for c in self.children if c.line == line), None)

    def by_slot(self, slot: str) -> Block | None:
        return next((c for c in self.children if c.slot == slot), None)

    def child_lines(self) -> list[str]:
        return [c.line for c in self.children]

    @property
    def words(self) -> list[str]:
        return self.line.split()


def parse_text(text: str) -> list[Block]:
    """Top-level blocks of config text (`!`, blank lines, `end` and the headers dropped)."""
    roots: list[Block] = []
    stack: list[tuple[int, Block]] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("!") or stripped == "end":
            continue
        if stripped.startswith(("Building configuration", "Current configuration")):
            continue
        indent = len(line) - len(line.lstrip(" "))
        block = Block(stripped)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(block)
        stack.append((indent, block))
    return roots
