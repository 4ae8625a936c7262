"""A netmiko session made ready for the pipeline in as few round trips as the device allows.

netmiko's own preparation (``ConnectHandler``) is an Enter and a 100 ms sleep, ``terminal
width 511``, ``terminal length 0`` and a ``find_prompt`` (an Enter, sleeps, and a second Enter
when the first answer is slow), each waiting for its answer: five round trips before anything
else, then ``enable`` (netmiko checks the prompt before and after it: five more). ``prepare``
types ``terminal width 511``, ``terminal length 0`` and ``enable`` at once (each harmless when
the one before failed), takes the base prompt from the line that echoes the first, and answers
the enable secret: two round trips. It runs on a connection opened with netmiko's
``auto_connect=False`` after ``establish_connection()`` (``runbooks.common.session_opener``);
any other session gets netmiko's preparation and ``enable`` below.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from netmiko.exceptions import NetmikoAuthenticationException

from tasks.channel import ChannelReader

PREPARE = ("terminal width 511", "terminal length 0", "enable")
READ_TIMEOUT = 30.0

# Sessions this run has taken to enable mode (a session stays there: nothing here disables).
ENABLED: weakref.WeakSet[Any] = weakref.WeakSet()


def prepare(conn: Any) -> None:
    """Terminal settings, base prompt and enable mode on a freshly established session."""
    conn.write_channel("".join(command + conn.RETURN for command in PREPARE))
    reader = ChannelReader(conn)
    try:
        echo = reader.until(re.compile(rf"(?m)^(\S+?)[>#]{PREPARE[0]}[ \t]*\n"), READ_TIMEOUT)
        found = re.search(rf"(?m)^(\S+?)[>#]{PREPARE[0]}[ \t]*\n", echo)
        assert found is not None
        # netmiko's cisco_ios keeps 16 characters (IOS abbreviates long names in some modes)
        conn.base_prompt = found.group(1)[:16]
        prompt = re.compile(rf"^{re.escape(conn.base_prompt)}[>#]", re.M)
        reader.until(prompt, READ_TIMEOUT)  # the answer to `terminal width`
        paging = reader.until(prompt, READ_TIMEOUT)  # to `terminal length 0`
        if re.search(r"^%", paging, re.M):
            raise NetmikoAuthenticationException(f"terminal length 0 refused: {paging!r}")
        _enable(conn, reader, prompt)
    finally:
        reader.close()
    ENABLED.add(conn)


def enable(conn: Any) -> None:
    """``enable`` and its secret in two exchanges (netmiko's ``enable`` checks the prompt
    before and after: five); raises NetmikoAuthenticationException when IOS does not go to
    ``#``. At ``#`` already, ``enable`` just prints the prompt again. What the channel holds
    before the echo of ``enable`` is stale (a prompt netmiko's ``find_prompt`` asked for
    twice) and is skipped."""
    prompt = re.compile(rf"^{re.escape(conn.base_prompt)}[>#]", re.M)
    conn.write_channel("enable" + conn.RETURN)
    reader = ChannelReader(conn)
    try:
        _enable(conn, reader, prompt)
    finally:
        reader.close()


def _enable(conn: Any, reader: ChannelReader, prompt: re.Pattern[str]) -> None:
    """Read the answer to a typed ``enable``; give the secret if asked."""
    reader.until(re.compile(r"enable[ \t]*\n"), READ_TIMEOUT)
    asked = re.compile(rf"[Pp]assword:[ \t]*|{prompt.pattern}", re.M)
    output = reader.until(asked, READ_TIMEOUT)
    if re.search(r"[Pp]assword:[ \t]*$", output):
        conn.write_channel(conn.secret + conn.RETURN)
        output = reader.until(prompt, READ_TIMEOUT)
    if not output.rstrip().endswith("#"):
        raise NetmikoAuthenticationException("enable failed: the secret was not accepted")
