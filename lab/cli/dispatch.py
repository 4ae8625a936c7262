"""Exec dispatch: parse a line (with an optional ``| filter``), run its handler, place carets.

Each row of lab/cli/exec_table.py carries its handler: ``device_show.py`` (the device's own show
commands), ``files.py`` (save, flash, configure replace, reload), ``exec_network.py`` (the control
plane's commands); session commands (enable, configure terminal, ...) go back to the session.
"""

from __future__ import annotations

from typing import Any

from lab.cli.base import (
    INVALID,
    NO_LOOKUP,
    UNKNOWN,
    Ask,
    ExecContext,
    ExecError,
    Handler,
    Reply,
    format_error,
)
from lab.cli.exec_table import parse_exec
from lab.cli.pipes import PipeFilter, apply_filter, parse_pipe

__all__ = [
    "INVALID",
    "UNKNOWN",
    "Ask",
    "ExecContext",
    "Handler",
    "Reply",
    "apply_filter",
    "format_error",
    "run_exec",
    "run_to_completion",
]


def run_exec(
    ctx: ExecContext, line: str, privilege: int, prompt_len: int, caller: Any = None
) -> Handler:
    """Parse and run one exec line; errors come back as IOS prints them. ``caller`` is the
    session's VtyLine (who starts a revert timer), None from the in-process API."""
    command, pipe_text = line, None
    if "|" in line:
        index = line.index("|")
        command, pipe_text = line[:index], line[index + 1 :]
    match = parse_exec(command, privilege)
    if isinstance(match, ExecError):
        text = format_error(match, line, prompt_len)
        if match.kind == "unknown" and not NO_LOOKUP.search(ctx.device.running_config()):
            # IOS takes an unknown word for a host name and tries to resolve it first
            text = f'Translating "{match.text}"...domain server (255.255.255.255)\n' + text
        return Reply(text)
    pipe: PipeFilter | None = None
    if pipe_text is not None:
        if match.words[0] not in ("show", "more"):
            return Reply(format_error(ExecError("invalid", line.index("|")), line, prompt_len))
        parsed = parse_pipe(pipe_text, line.index("|") + 1)
        if isinstance(parsed, ExecError):
            return Reply(format_error(parsed, line, prompt_len))
        pipe = parsed
    match.caller = caller
    reply = yield from match.handler(ctx, match)
    if reply.refused_word is not None:
        column = match.columns[reply.refused_word]
        reply.output = format_error(ExecError("invalid", column), line, prompt_len)
        return reply
    if pipe is not None:
        reply.output = apply_filter(reply.output, pipe)
    return reply


def run_to_completion(handler: Handler) -> Reply:
    """Drive a handler answering every question with its default (the in-process API)."""
    try:
        ask = next(handler)
        while True:
            ask = handler.send(ask.default)
    except StopIteration as stop:
        return stop.value
