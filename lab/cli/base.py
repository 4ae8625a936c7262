"""Shared pieces of exec commands: the question/answer protocol, results and IOS error text.

A handler is a generator: it yields ``Ask(prompt)`` to get a line from the user (the SSH session
reads one; the in-process API answers with the default) and returns a ``Reply``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from lab.config.device import Device

INVALID = "% Invalid input detected at '^' marker."
UNKNOWN = "% Unknown command or computer name, or unable to find computer address"


@dataclass(frozen=True)
class ExecError:
    """A refused command: kind is ``invalid``, ``incomplete``, ``ambiguous`` or ``unknown``."""

    kind: str
    column: int = 0
    text: str = ""


@dataclass
class ExecMatch:
    """A recognised command: its row's handler, canonical full-word form and parameter values."""

    handler: Any
    canonical: str
    words: list[str]
    args: dict[str, str] = field(default_factory=dict)
    columns: list[int] = field(default_factory=list)  # where each word starts in the line
    caller: Any = None  # the session's VtyLine (lab/cli/configure.py); None from the API


@dataclass(frozen=True)
class Ask:
    """A question IOS prints and waits on; ``default`` is what the API answers."""

    prompt: str
    default: str = ""


@dataclass
class Reply:
    """A command's output; ``session`` names a session-level action for the CLI to perform."""

    output: str = ""
    session: str | None = None
    match: ExecMatch | None = None
    close: bool = False
    refused_word: int | None = None  # index of the word a handler refused (caret goes there)


@dataclass
class ExecContext:
    """What exec handlers may touch: the device, the control plane and the lab's start time."""

    device: Device
    network: Callable[[], Any] = field(default=lambda: None)
    booted: float = field(default_factory=time.time)


Handler = Generator[Ask, str, Reply]
NO_LOOKUP = re.compile(r"^no ip domain[ -]lookup$", re.MULTILINE)


def format_error(error: Any, line: str, prompt_len: int) -> str:
    """IOS's text for a refused line, caret counted from the start of the prompt.

    ``error`` is an exec ``ExecError`` or the config store's ``IosError`` (whose ``text`` is
    the message; kind ``refused`` is a semantic refusal printed without a caret).
    """
    kind = error.kind
    message = "" if isinstance(error, ExecError) else (error.text or "")
    if kind == "invalid":
        return " " * (prompt_len + error.column) + "^\n" + INVALID + "\n\n"
    if kind == "incomplete":
        return "% Incomplete command.\n\n"
    if kind == "ambiguous":
        return f'% Ambiguous command:  "{line.strip()}"\n\n'
    if kind == "refused":
        return message.rstrip("\n") + "\n"
    return UNKNOWN + "\n"
