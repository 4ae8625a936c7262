"""IOS command-line grammar engine: patterns -> graphs -> parse with IOS's error rules.

A grammar is data: each mode lists `Cmd`s whose `pattern` is a small DSL
(`keyword`, `WORD`, `LINE`, `A.B.C.D`, `A.B.C.D/M`, `X:X::X`, `X:X::X/M`, `<lo-hi>`,
`IFNAME`, `IFREF`, `[optional]`, `{alt|alt}`; exec modes add `NUMBER`, `INTERFACE`, `SOURCE`,
`FLASHFILE`). One engine serves every mode, exec included (lab/cli/exec_table.py).
Parsing reproduces what the IOS parser tells a user: keyword abbreviation (unique prefix),
`% Ambiguous command:`, `% Incomplete command.` and `% Invalid input detected at '^' marker.`
with the column of the first token that does not fit.

>>> g = Grammar([Cmd("ip address A.B.C.D A.B.C.D", key=2), Cmd("ip mtu <68-9216>", key=2)])
>>> g.parse("ip add 10.0.0.1 255.0.0.0").text
'ip address 10.0.0.1 255.0.0.0'
>>> g.parse("ip m 20").error.column
5
>>> Grammar([Cmd("a [b|c] {d|e f}")]).parse("a c e f").text
'a c e f'
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from lab.hardware.interfaces import canonical_interface

ErrorKind = Literal["invalid", "incomplete", "ambiguous", "refused"]

INVALID = "% Invalid input detected at '^' marker."
INCOMPLETE = "% Incomplete command."


@dataclass
class IosError:
    """An IOS refusal: `column` is the 0-based offset of the caret in the line as typed
    (after leading spaces are stripped); `text` the message lines without the caret line.
    `kind` "refused" is a semantic refusal (dangling reference, object in use): no caret."""

    kind: ErrorKind
    column: int
    text: str


def invalid(column: int) -> IosError:
    return IosError("invalid", column, INVALID)


@dataclass(frozen=True)
class Cmd:
    """One command of a mode.

    pattern: the DSL pattern.  key: how many leading tokens (after a leading `no`) name
    the setting the line occupies (a new line with the same key replaces the old one);
    0 = the whole line (list entries).  enters: mode id entered (a block).
    store: "set" keep the line; "remove" drop the setting (`no shutdown`); "exit" pop one
    level; "end" leave config mode; "noop" accept, keep nothing.
    canon: rewrite the normalised tokens the way IOS prints them.
    slot: a fixed setting name shared by alternative commands (`inspect`/`pass`/`drop`).
    """

    pattern: str
    key: int = 0
    enters: str | None = None
    store: Literal["set", "remove", "exit", "end", "noop"] = "set"
    canon: Callable[[list[str]], list[str]] | None = None
    slot: str | None = None
    handler: Any = None  # exec modes: the function that runs the command (None: not modelled)
    privilege: int = 1  # exec modes: the lowest privilege level that has the command


class Context(Protocol):
    """What parameter matchers need to know about the device."""

    def interface_name(self, text: str, create: bool) -> str | None: ...


@dataclass
class Token:
    text: str
    column: int


def tokenize(line: str) -> list[Token]:
    """Split on blanks, keeping each token's column."""
    tokens: list[Token] = []
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i].isspace():
            i += 1
        start = i
        while i < n and not line[i].isspace():
            i += 1
        if i > start:
            tokens.append(Token(line[start:i], start))
    return tokens


# ---------------------------------------------------------------- parameters
Matcher = Callable[[list[Token], int, str, "Context | None"], "tuple[int, str] | None"]


def _ipv4(tokens: list[Token], i: int, line: str, ctx: Context | None) -> tuple[int, str] | None:
    text = tokens[i].text
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 for p in parts):
        return None
    try:
        return 1, str(ipaddress.IPv4Address(".".join(str(int(p)) for p in parts)))
    except ValueError:
        return None


def _ipv4_prefix(
    tokens: list[Token], i: int, line: str, ctx: Context | None
) -> tuple[int, str] | None:
    """`A.B.C.D/nn` (prefix lists)."""
    address, _, length = tokens[i].text.partition("/")
    if not length.isdigit() or int(length) > 32:
        return None
    got = _ipv4([Token(address, 0)], 0, line, ctx)
    return (1, f"{got[1]}/{int(length)}") if got else None


def _ipv6(tokens: list[Token], i: int, line: str, ctx: Context | None) -> tuple[int, str] | None:
    """An IPv6 address, kept as typed (IOS prints it upper-case, as typed in a real config)."""
    text = tokens[i].text
    if ":" not in text:
        return None
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return None
    return 1, text.upper()


def _ipv6_prefix(
    tokens: list[Token], i: int, line: str, ctx: Context | None
) -> tuple[int, str] | None:
    """`X:X::X/nn`."""
    address, _, length = tokens[i].text.partition("/")
    if not length.isdigit() or int(length) > 128:
        return None
    got = _ipv6([Token(address, 0)], 0, line, ctx)
    return (1, f"{got[1]}/{int(length)}") if got else None


def _word(tokens: list[Token], i: int, line: str, ctx: Context | None) -> tuple[int, str] | None:
    return 1, tokens[i].text


def _line(tokens: list[Token], i: int, line: str, ctx: Context | None) -> tuple[int, str] | None:
    return len(tokens) - i, line[tokens[i].column :].rstrip()


def _word_max(limit: int) -> Matcher:
    def match(
        tokens: list[Token], i: int, line: str, ctx: Context | None
    ) -> tuple[int, str] | None:
        return (1, tokens[i].text) if len(tokens[i].text) <= limit else None

    return match


def _range(lo: int, hi: int) -> Matcher:
    def match(
        tokens: list[Token], i: int, line: str, ctx: Context | None
    ) -> tuple[int, str] | None:
        text = tokens[i].text
        if text.isdigit() and lo <= int(text) <= hi:
            return 1, str(int(text))
        return None

    return match


def _interface(create: bool) -> Matcher:
    def match(
        tokens: list[Token], i: int, line: str, ctx: Context | None
    ) -> tuple[int, str] | None:
        if ctx is None:
            return None
        name = ctx.interface_name(tokens[i].text, create)
        if name is not None:
            return 1, name
        # `interface GigabitEthernet 0/0/0`: type and number as two tokens
        if i + 1 < len(tokens) and not any(c.isdigit() for c in tokens[i].text):
            name = ctx.interface_name(tokens[i].text + tokens[i + 1].text, create)
            if name is not None:
                return 2, name
        return None

    return match


def _any_interface(
    tokens: list[Token], i: int, line: str, ctx: Context | None
) -> tuple[int, str] | None:
    """Any IOS interface name (exec commands), from the one interface table."""
    name = canonical_interface(tokens[i].text)
    if name is not None:
        return 1, name
    if i + 1 < len(tokens) and tokens[i].text.isalpha():  # `GigabitEthernet 0/0/0`
        name = canonical_interface(tokens[i].text + tokens[i + 1].text)
        if name is not None:
            return 2, name
    return None


def _source(tokens: list[Token], i: int, line: str, ctx: Context | None) -> tuple[int, str] | None:
    return _ipv4(tokens, i, line, ctx) or _any_interface(tokens, i, line, ctx)


def _number(tokens: list[Token], i: int, line: str, ctx: Context | None) -> tuple[int, str] | None:
    return (1, tokens[i].text) if tokens[i].text.isdigit() else None


_FLASH = re.compile(r"^(?:flash|bootflash):/?([A-Za-z0-9._+-]+)$", re.IGNORECASE)


def _flash_file(
    tokens: list[Token], i: int, line: str, ctx: Context | None
) -> tuple[int, str] | None:
    """`flash:NAME` (`bootflash:` is the same file system on an ISR4k)."""
    match = _FLASH.match(tokens[i].text)
    return (1, f"flash:{match.group(1)}") if match else None


NAMED_PARAMS: dict[str, Matcher] = {
    "A.B.C.D": _ipv4,
    "A.B.C.D/M": _ipv4_prefix,
    "X:X::X": _ipv6,
    "X:X::X/M": _ipv6_prefix,
    "WORD": _word,
    "WORD8": _word_max(8),
    "LINE": _line,
    "IFNAME": _interface(create=True),
    "IFREF": _interface(create=False),
    "INTERFACE": _any_interface,
    "SOURCE": _source,
    "FLASHFILE": _flash_file,
    "NUMBER": _number,
}
# when several parameters fit a token, the more specific wins
PARAM_PRIORITY = [
    "A.B.C.D", "A.B.C.D/M", "X:X::X/M", "X:X::X", "<", "IFNAME", "IFREF", "INTERFACE", "SOURCE",
    "FLASHFILE", "NUMBER", "WORD8", "WORD", "LINE",
]  # fmt: skip


def param_matcher(spec: str) -> Matcher | None:
    if spec in NAMED_PARAMS:
        return NAMED_PARAMS[spec]
    if spec.startswith("<") and spec.endswith(">") and "-" in spec:
        lo, hi = spec[1:-1].split("-", 1)
        return _range(int(lo), int(hi))
    return None


def _priority(spec: str) -> int:
    key = "<" if spec.startswith("<") else spec
    return PARAM_PRIORITY.index(key) if key in PARAM_PRIORITY else len(PARAM_PRIORITY)


# ---------------------------------------------------------------- graph
@dataclass(eq=False)
class Node:
    """A state of a command's pattern graph (optional parts share their continuation)."""

    owner: Cmd
    keywords: dict[str, list[Node]] = field(default_factory=dict)
    params: list[tuple[str, Matcher, Node]] = field(default_factory=list)
    accepting: bool = False


@dataclass
class ParseResult:
    cmd: Cmd | None = None
    tokens: list[str] = field(default_factory=list)
    error: IosError | None = None
    negated: bool = False  # parsed as the part after `no`: remove what it names
    columns: list[int] = field(default_factory=list)  # where each token starts in the line
    args: dict[str, str] = field(default_factory=dict)  # parameter spec -> value (last wins)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _symbols(pattern: str) -> list[str]:
    spaced = pattern
    for ch in "[]{}|":
        spaced = spaced.replace(ch, f" {ch} ")
    return spaced.split()


class Grammar:
    """The commands of one mode, compiled into one pattern graph per command; parsing
    runs all of them side by side, as the IOS parser does."""

    def __init__(self, cmds: Sequence[Cmd]) -> None:
        self.cmds = list(cmds)
        self.starts: list[Node] = []
        for cmd in self.cmds:
            start = Node(cmd)
            symbols = _symbols(cmd.pattern)
            ends, pos = self._compile(symbols, 0, {start}, cmd)
            if pos != len(symbols):
                raise ValueError(f"unbalanced pattern: {cmd.pattern}")
            for end in ends:
                end.accepting = True
            self.starts.append(start)
        # the first word against every command of the mode at once (what most of a line's
        # parse cost was): its exact targets in command order, and the words for abbreviations
        self._first: dict[str, list[Node]] = {}
        for start in self.starts:
            for word, targets in start.keywords.items():
                self._first.setdefault(word, []).extend(targets)
        self._first_words = sorted(self._first)

    def _compile(
        self, symbols: list[str], pos: int, frontier: set[Node], cmd: Cmd
    ) -> tuple[set[Node], int]:
        while pos < len(symbols) and symbols[pos] not in ("]", "}", "|"):
            sym = symbols[pos]
            if sym in ("[", "{"):
                closing = "]" if sym == "[" else "}"
                union: set[Node] = set(frontier) if sym == "[" else set()
                while True:
                    ends, pos = self._compile(symbols, pos + 1, frontier, cmd)
                    union |= ends
                    if symbols[pos] == closing:
                        pos += 1
                        break
                frontier = union
                continue
            target = Node(cmd)
            matcher = param_matcher(sym)
            for node in frontier:
                if matcher is None:
                    node.keywords.setdefault(sym, []).append(target)
                else:
                    node.params.append((sym, matcher, target))
            frontier = {target}
            pos += 1
        return frontier, pos

    def parse(
        self, line: str, ctx: Context | None = None, negate: bool = False, offset: int = 0
    ) -> ParseResult:
        """Parse `line` (leading blanks already stripped).  With `negate`, the line is the
        part after a `no` and may stop once it names a setting (`no ip address`)."""
        tokens = tokenize(line)
        states: list[Node] = list(self.starts)
        out: list[str] = []
        columns: list[int] = []
        args: dict[str, str] = {}
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            word = tok.text.lower()
            column = tok.column + offset
            columns.append(column)
            first = i == 0
            exact = (
                self._first.get(word, [])
                if first
                else [t for s in states for t in s.keywords.get(word, [])]
            )
            if exact:
                out.append(word)
                states, i = _dedupe(exact), i + 1
                continue
            hits = (
                self._first_abbreviated(word)
                if first
                else sorted({k for s in states for k in s.keywords if k.startswith(word)})
            )
            if len(hits) == 1:
                out.append(hits[0])
                states = _dedupe(
                    self._first[hits[0]]
                    if first
                    else [t for s in states for t in s.keywords.get(hits[0], [])]
                )
                i += 1
                continue
            step = self._param_step(states, tokens, i, line, ctx)
            if step is not None:
                used, text, states, spec = step
                out.append(text)
                args[spec] = text
                i += used
                continue
            if len(hits) > 1:
                return ParseResult(error=IosError("ambiguous", column, ""))
            return ParseResult(error=invalid(column))
        done = [s for s in states if s.accepting]
        if done:
            cmd = min((s.owner for s in done), key=self.cmds.index)
            words = cmd.canon(out) if cmd.canon else out
            return ParseResult(cmd, words, None, negate, columns, args)
        if negate and out:
            named = [s.owner for s in states if s.owner.key and len(out) >= s.owner.key]
            if named:
                cmd = min(named, key=self.cmds.index)
                return ParseResult(cmd, out, None, True, columns, args)
        return ParseResult(error=IosError("incomplete", len(line) + offset, INCOMPLETE))

    def _first_abbreviated(self, word: str) -> list[str]:
        """The mode's first words that ``word`` abbreviates, sorted."""
        words = self._first_words
        start = bisect.bisect_left(words, word)
        end = start
        while end < len(words) and words[end].startswith(word):
            end += 1
        return words[start:end]

    @staticmethod
    def _param_step(
        states: list[Node], tokens: list[Token], i: int, line: str, ctx: Context | None
    ) -> tuple[int, str, list[Node], str] | None:
        edges = sorted(
            ((spec, m, t) for s in states for spec, m, t in s.params),
            key=lambda e: _priority(e[0]),
        )
        for spec, matcher, _target in edges:
            got = matcher(tokens, i, line, ctx)
            if got is None:
                continue
            targets = [t for sp, m, t in edges if sp == spec]
            return got[0], got[1], _dedupe(targets), spec
        return None


def _dedupe(nodes: list[Node]) -> list[Node]:
    seen: dict[int, Node] = {}
    for n in nodes:
        seen.setdefault(id(n), n)
    return list(seen.values())


def ambiguous_text(line: str) -> str:
    return f'% Ambiguous command:  "{line.rstrip()}"'
