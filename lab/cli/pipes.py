"""``| include/exclude/begin/section/count``: IOS output filters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lab.cli.base import ExecError

PIPE_FILTERS = ["include", "exclude", "begin", "section", "count"]


@dataclass(frozen=True)
class PipeFilter:
    """``| include REGEX`` and friends, with the filter keyword in full."""

    kind: str
    regex: str


def parse_pipe(text: str, column: int) -> PipeFilter | ExecError:
    """Parse what follows ``|``; ``column`` is where ``text`` starts in the line."""
    spans = [(m.group(), m.start()) for m in re.finditer(r"\S+", text)]
    if not spans:
        return ExecError("incomplete", column + len(text), "")
    word, offset = spans[0]
    candidates = [f for f in PIPE_FILTERS if f.startswith(word.lower())]
    if len(candidates) > 1:
        return ExecError("ambiguous", column + offset, word)
    if not candidates:
        return ExecError("invalid", column + offset, word)
    regex = text[offset + len(word) :].strip()
    if not regex and candidates[0] != "count":
        return ExecError("incomplete", column + len(text), "")
    return PipeFilter(candidates[0], regex)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def apply_filter(output: str, pipe: PipeFilter) -> str:
    """``| include/exclude/begin/section/count`` over ``output``."""
    try:
        regex = re.compile(pipe.regex)
    except re.error:
        regex = re.compile(re.escape(pipe.regex))
    lines = output.split("\n")
    if output.endswith("\n"):
        lines.pop()
    if pipe.kind == "include":
        kept = [line for line in lines if regex.search(line)]
    elif pipe.kind == "exclude":
        kept = [line for line in lines if not regex.search(line)]
    elif pipe.kind == "begin":
        start = next((i for i, line in enumerate(lines) if regex.search(line)), len(lines))
        kept = lines[start:]
    elif pipe.kind == "count":
        count = sum(1 for line in lines if regex.search(line))
        return f"Number of lines which match regexp = {count}\n"
    else:  # section: a matching line and the lines indented under it
        kept, index = [], 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if line.strip() and regex.search(line):
                kept.append(line)
                depth = _indent(line)
                while index < len(lines) and lines[index].strip() and _indent(lines[index]) > depth:
                    kept.append(lines[index])
                    index += 1
    return "".join(line + "\n" for line in kept)
