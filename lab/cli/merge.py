"""Merging a flash file into the running config, as NAPALM's ios driver does it.

`copy flash:X running-config` applies the file's lines as if typed in configuration mode;
`show archive config incremental-diffs flash:X [ignorecase]` lists the file's lines the running
config lacks (Cisco IOS Configuration Replace and Configuration Rollback guide:
https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/config-mgmt/configuration/xe-16/config-mgmt-xe-16-book/cm-config-rollback.html).
`file prompt quiet` (global) suppresses the destination-file question of `copy`:
https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/fundamentals/command/fundamentals-cr-book/fundamentals-f1.html
"""

from __future__ import annotations

import re
import time

from lab.cli.base import Ask, ExecContext, ExecMatch, Handler, Reply, format_error
from lab.config.flash import FlashError

QUIET = re.compile(r"^file prompt quiet$", re.MULTILINE)


def prompts_quiet(ctx: ExecContext) -> bool:
    """`file prompt quiet` is configured: file commands ask nothing."""
    return bool(QUIET.search(ctx.device.running_config()))


def _flash_name(m: ExecMatch) -> str:
    return next(w for w in m.words if w.startswith("flash:")).split(":", 1)[1]


def copy_to_running(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`copy flash:X running-config`: each line applied in configuration mode, errors shown."""
    name = _flash_name(m)
    try:
        text = ctx.device.flash.read(name)
    except FlashError as exc:
        return Reply(f"{exc}\n")
    if not prompts_quiet(ctx):
        answer = (yield Ask("Destination filename [running-config]? ")).strip()
        if answer not in ("", "running-config"):
            return Reply("%Error: only running-config is a destination here\n")
    started = time.perf_counter()
    output: list[str] = []
    context: list[str] | None = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        result = ctx.device.apply(context or [], line)
        if result.error is not None:
            output.append(format_error(result.error, line, 0).rstrip("\n"))
            continue
        context = result.context
        if context is None:  # `end`
            break
    ctx.device.flush()
    size = len(text.encode())
    secs = max(time.perf_counter() - started, 0.001)
    output.append(f"{size} bytes copied in {secs:.3f} secs ({int(size / secs)} bytes/sec)")
    return Reply("\n".join(output) + "\n")


def _paths(text: str) -> list[tuple[str, ...]]:
    """Each line of a config text with its parents (by indentation), comments left out."""
    stack: list[tuple[int, str]] = []
    paths = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("!"):
            continue
        depth = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, line))
        paths.append(tuple(entry for _, entry in stack))
    return paths


def incremental_diffs(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`show archive config incremental-diffs flash:X`: the file's lines not in the running
    config, with the parent lines they need, then `end`."""
    try:
        text = ctx.device.flash.read(_flash_name(m))
    except FlashError as exc:
        return Reply(f"{exc}\n")
    fold = (lambda s: s.lower()) if "ignorecase" in m.words else (lambda s: s)
    running = {tuple(fold(p.strip()) for p in path) for path in _paths(ctx.device.running_config())}
    missing: list[str] = []
    printed: set[tuple[str, ...]] = set()
    for path in _paths(text):
        if path[-1].strip() == "end":
            continue
        if tuple(fold(p.strip()) for p in path) in running:
            continue
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in printed:
                printed.add(prefix)
                missing.append(prefix[-1])
    if not missing:
        return Reply("!List of Commands:\nend\n!No changes were found\n")
    return Reply("!List of Commands:\n" + "\n".join(missing) + "\nend\n")
    yield  # pragma: no cover


def _contextual(first: str, second: str) -> list[str]:
    """IOS's contextual diff of two configs: `+` lines only the second has, `-` lines only
    the first has, under their unprefixed parent lines (real output: `policy-map WAN` then
    ` +class mail`; a new top-level line: `+ntp server 10.1.1.10`)."""
    ours = {tuple(p.strip() for p in path) for path in _paths(first)}
    theirs = {tuple(p.strip() for p in path) for path in _paths(second)}
    lines: list[str] = []
    for sign, source, other in (("-", first, theirs), ("+", second, ours)):
        printed: set[tuple[str, ...]] = set()
        for path in (tuple(p.strip() for p in raw) for raw in _paths(source)):
            if path in other or path[-1] == "end":
                continue
            for depth in range(1, len(path) + 1):
                prefix = path[:depth]
                if prefix in printed:
                    continue
                printed.add(prefix)
                mark = "" if prefix in other else sign
                lines.append(" " * (depth - 1) + mark + prefix[-1])
    return lines


def archive_differences(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`show archive config differences A B` between the running config and a flash file."""
    texts = []
    for word in m.words[4:]:
        if word in ("system:running-config", "system:/running-config"):
            texts.append(ctx.device.running_config())
            continue
        try:
            texts.append(ctx.device.flash.read(word.split(":", 1)[1]))
        except FlashError as exc:
            return Reply(f"{exc}\n")
    lines = _contextual(texts[0], texts[1])
    body = "\n".join(lines) if lines else "!No changes were found"
    return Reply("!Contextual Config Diffs:\n" + body + "\n")
    yield  # pragma: no cover
