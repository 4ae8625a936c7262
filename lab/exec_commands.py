"""Exec dispatch: parse a line (with an optional ``| filter``), run its handler, place carets.

The handlers live by topic: ``exec_show.py`` (the lab's own show commands), ``exec_files.py``
(save, flash, configure replace, reload); the control plane answers the rest (lab/network.py).
"""

from __future__ import annotations

from collections.abc import Callable

from lab import exec_files, exec_show
from lab.exec_base import (
    INVALID,
    NO_LOOKUP,
    SESSION_HANDLERS,
    UNKNOWN,
    Ask,
    ExecContext,
    Handler,
    Reply,
    format_error,
)
from lab.exec_grammar import ExecError, ExecMatch, PipeFilter, parse_exec, parse_pipe
from lab.pipes import apply_filter

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


def network_command(ctx: ExecContext, m: ExecMatch) -> Handler:
    network = ctx.network()
    output = network.exec(ctx.device.name, m.canonical) if network is not None else None
    if output is None:
        return Reply(refused_word=len(m.words) - 1)
    return Reply(output if output.endswith("\n") or not output else output + "\n")
    yield  # pragma: no cover


HANDLERS: dict[str, Callable[[ExecContext, ExecMatch], Handler]] = {
    "show_running_config": exec_show.show_running_config,
    "show_running_config_interface": exec_show.show_running_config_interface,
    "show_startup_config": exec_show.show_startup_config,
    "show_version": exec_show.show_version,
    "show_clock": exec_show.show_clock,
    "show_vrf": exec_show.show_vrf,
    "show_ip_interface_brief": exec_show.show_ip_interface_brief,
    "write_memory": exec_files.write_memory,
    "copy_running_to_flash": exec_files.copy_running_to_flash,
    "dir": exec_files.dir_flash,
    "delete": exec_files.delete,
    "more": exec_files.more,
    "configure_replace": exec_files.configure_replace,
    "reload": exec_files.reload,
    "network": network_command,
}


def run_exec(ctx: ExecContext, line: str, privilege: int, prompt_len: int) -> Handler:
    """Parse and run one exec line; errors come back as IOS prints them."""
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
    if match.handler in SESSION_HANDLERS:
        return Reply(session=match.handler, match=match)
    reply = yield from HANDLERS[match.handler](ctx, match)
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
