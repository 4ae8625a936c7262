"""Several exec commands in one write, each answer read back up to its own prompt.

netmiko's ``send_command`` pays a round trip per command (and, without an expect string, a
``find_prompt`` first: an Enter and its 100 ms sleeps). Commands whose order alone makes them
safe go out together here: the device takes them one after the other from its vty input as
typed ahead, and each answer is read back and checked by the caller afterwards. A command is
only put in the same write as the ones before it when it does no harm if one of those failed
(an exec command typed at a configuration prompt is refused, a ``do`` command at the exec
prompt too); whatever depends on an answer waits for it.

>>> body("more flash:x\\nline 1\\nline 2\\nhub1#", "hub1")
'line 1\\nline 2'
>>> body("more flash:x\\nhub1#", "hub1")
''
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tasks.channel import ChannelReader


@dataclass(frozen=True)
class Step:
    """What to type (``command``; ``answers``: Enters for IOS's questions, typed ahead) and
    the pattern its answer ends with (default: the next prompt, any mode)."""

    command: str
    until: str | None = None
    answers: int = 0


def any_prompt(conn: Any) -> str:
    """The session's prompt in any mode (exec, configuration, tclsh), at a line's start."""
    return r"(?m)^" + re.escape(conn.base_prompt) + r"(?:\([\w.\-]+\))?[>#]"


def exec_prompt(conn: Any) -> str:
    """The privileged exec prompt, at a line's start."""
    return r"(?m)^" + re.escape(conn.base_prompt) + "#"


def exchange(conn: Any, steps: Sequence[Step], read_timeout: float = 30.0) -> list[str]:
    """Type every step at once, then read each answer (echo, output, prompt) in order."""
    enter = conn.RETURN
    conn.write_channel("".join(s.command + enter + enter * s.answers for s in steps))
    reader = ChannelReader(conn)
    try:
        default = re.compile(any_prompt(conn))
        echo = ""
        first = steps[0].command.split("\r", 1)[0].strip() if steps else ""
        if first:  # what came before the first echo is stale (a prompt netmiko did not read)
            echo = reader.until(re.compile(re.escape(first) + r"[ \t]*\n"), read_timeout)
            echo = echo[echo.rfind("\n", 0, len(echo) - 1) + 1 :]
        answers = [
            reader.until(re.compile(s.until) if s.until else default, read_timeout) for s in steps
        ]
        return [echo + answers[0], *answers[1:]] if answers else []
    finally:
        reader.close()


def body(answer: str, base_prompt: str) -> str:
    """An answer without the command's echo (first line) and the prompt that ends it."""
    lines = answer.split("\n")[1:]
    if lines and lines[-1].startswith(base_prompt):
        lines = lines[:-1]
    return "\n".join(lines).strip("\n")


def mode_of(answer: str) -> str:
    """The mode of the prompt ending ``answer``: ``config``, ``tcl``, ``config-if``; "" at
    the exec prompt."""
    found = re.search(r"(?:\(([\w.\-]+)\))?[>#]\s*$", answer)
    return (found.group(1) or "") if found else ""
