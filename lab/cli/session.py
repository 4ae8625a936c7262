"""The IOS CLI session over one SSH channel: modes, prompts, echo, line editing, dispatch.

Layers (as scrapli draws them): SSH transport (lab/ssh) → this session (modes, prompts, echo,
``enable``, ``configure terminal`` and its lock, ``do``, ``tclsh``, Ctrl-Z) → the config store
(config modes and their grammar) and the exec rows with their handlers (lab/cli/exec_table.py)
→ the control plane.
Characters are processed in order as they arrive; each is echoed like a real PTY would.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from lab.cli.config_questions import (
    NAT_IN_USE_QUESTION,
    NAT_IN_USE_REFUSAL,
    YES,
    removes_nat_rule,
)
from lab.cli.configure import VtyLine, enter_configuration, leave_configuration
from lab.cli.dispatch import (
    Ask,
    ExecContext,
    Handler,
    Reply,
    format_error,
    run_exec,
)
from lab.cli.faults import Fault
from lab.cli.line_editor import CTRL_C, CTRL_Z, LineEditor, SessionClosed
from lab.cli.tclsh import CONTINUE_PROMPT, EXIT_WORDS, TclShell
from lab.config.change_control import flash_name
from lab.config.flash import FlashError

CONFIGURE_FROM = "Configuring from terminal, memory, or network [terminal]? "
CONFIGURE_SOURCES = ("terminal", "memory", "network")
ENABLE_TRIES = 3

# Prompt per privilege in exec mode (config modes take the store's mode name).
EXEC_PROMPT_END = {1: ">", 15: "#"}


class CliSession:
    """One vty session on one device."""

    def __init__(
        self,
        ctx: ExecContext,
        read: Callable[[], Awaitable[str]],
        write: Callable[[str], None],
        drop: Callable[[bool], None],
        fault: Fault,
        latency: float,
        enable_secret: str,
        line: VtyLine | None = None,
    ) -> None:
        self.ctx = ctx
        self.line = line or VtyLine(0, "admin", 2, 300, "127.0.0.1")
        self._write = write
        self._drop = drop
        self.fault = fault
        self.latency = latency + fault.latency
        self.enable_secret = enable_secret
        self.privilege = 1
        self.context: list[str] | None = None  # None = exec mode, [] = global config
        self.mode = "config"
        self.config_lines = 0
        self.keys = LineEditor(read, write)
        self.closed = False
        self.tcl: TclShell | None = None  # in tclsh

    # -- output ------------------------------------------------------------------------------
    def out(self, text: str) -> None:
        self.keys.flush_echo()
        if text:
            self._write(text.replace("\r\n", "\n").replace("\n", "\r\n"))

    def notice(self, text: str) -> None:
        """A message IOS prints on this terminal unasked (a revert timer's warning)."""
        if not self.closed:
            self.out(text)

    def prompt(self) -> str:
        host = self.ctx.device.hostname
        if self.tcl is not None:
            return CONTINUE_PROMPT if self.tcl.continuing else f"{host}(tcl)#"
        if self.context is None:
            return host + EXEC_PROMPT_END[self.privilege]
        return f"{host}({self.mode})#"

    # -- input -------------------------------------------------------------------------------
    async def read_line(self, echo: bool = True) -> str:
        return await self.keys.read_line(echo)

    async def read_answer(self, prompt: str) -> str:
        self.out(prompt)
        return await self.read_line()

    async def drive(self, handler: Handler) -> Reply:
        """Run an exec handler, asking the user its questions."""
        try:
            ask: Ask = next(handler)
            while True:
                self.out(ask.prompt)
                confirm = ask.prompt.rstrip().endswith("[confirm]")
                answer = await (self.keys.read_key() if confirm else self.read_line())
                ask = handler.send(answer)
        except StopIteration as stop:
            return stop.value

    # -- main loop ---------------------------------------------------------------------------
    async def run(self) -> None:
        """Serve the session until the client leaves, ``exit``, a drop or a reload."""
        device = self.ctx.device
        device.listeners[self.line.session] = self.notice
        try:
            self.out("\n" + self.prompt())
            while not self.closed:
                line = await self.read_line()
                await self.handle(line)
                if not self.closed:
                    self.out(self.prompt())
        except SessionClosed:
            pass
        finally:
            self.keys.flush_echo()
            self._write_tcl_files()
            device.session_gone(self.line.session)
            device.flush()

    async def handle(self, line: str) -> None:
        if line not in (CTRL_Z, CTRL_C) and self.fault.stalls(line):
            await self.keys.drain()  # never answer again
        # a line that continues an open Tcl word (a file's text inside `puts {...}`) is text
        # the Tcl reader buffers, not a command the device processes
        continuing = self.tcl is not None and self.tcl.continuing
        if self.latency > 0 and not continuing:
            self.keys.flush_echo()
            await asyncio.sleep(self.latency)
        self.ctx.device.touch(self.line.session, time.time())  # idle revert timers restart
        if self.tcl is not None:
            await self.tcl_line(line)
        elif self.context is None:
            if line not in (CTRL_Z, CTRL_C):
                await self.exec_line(line, len(self.prompt()))
        else:
            await self.config_line(line)

    async def exec_line(self, line: str, prompt_len: int) -> None:
        if not line.strip():
            return
        reply = await self.drive(run_exec(self.ctx, line, self.privilege, prompt_len, self.line))
        if reply.session:
            await self.session_command(reply, line, prompt_len)
            return
        self.out(reply.output)
        if reply.close:  # reload: every session to the device goes down with it
            self.close(abort=True, everyone=True)

    async def session_command(self, reply: Reply, typed: str, prompt_len: int) -> None:
        """Commands that change the session rather than the device."""
        action = reply.session
        if action == "enable":
            await self.enable()
        elif action == "disable":
            self.privilege = 1
        elif action == "exit":
            if self.context is None:
                self.close()
        elif action == "configure_terminal" and self.context is None and reply.match:
            if reply.match.words == ["configure"]:
                answer = (await self.read_answer(CONFIGURE_FROM)).strip().lower() or "terminal"
                source = [s for s in CONFIGURE_SOURCES if s.startswith(answer)]
                if source != ["terminal"]:
                    self.out('?Must be "terminal", "memory" or "network"\n' if not source else "")
                    return
            text, entered = enter_configuration(
                self.ctx.device, self.line, reply.match, typed, prompt_len
            )
            self.out(text)
            if entered:
                self.context, self.mode = [], "config"
        elif action == "privilege":
            self.out(f"Current privilege level is {self.privilege}\n")
        elif action == "tclsh" and self.context is None:
            self.tcl = TclShell()
        # "terminal length/width": accepted; the lab never pages and never wraps

    async def enable(self) -> None:
        if self.privilege >= 15:
            return
        for _ in range(ENABLE_TRIES):
            self.out("Password: ")
            secret = await self.read_line(echo=False)
            if secret == self.enable_secret:
                self.privilege = 15
                return
        self.out("% Bad secrets\n\n")

    async def config_line(self, line: str) -> None:
        assert self.context is not None
        if line in (CTRL_Z, CTRL_C):
            self.context = None
            leave_configuration(self.ctx.device, self.line)
            self.ctx.device.flush()
            return
        limit = self.fault.drop_after_config_lines
        if limit is not None and self.config_lines >= limit:
            self.close(abort=True)
            return
        self.config_lines += 1
        text = line.lstrip()
        indent = len(line) - len(text)
        if not text or text.startswith("!"):
            return
        prompt_len = len(self.prompt())
        first = text.split()[0].lower()
        if first == "do" and len(text.split()) > 1:
            # blank out "do" so carets still count from the start of the typed line
            await self.exec_line(" " * (indent + 2) + text[2:], prompt_len)
            return
        if self.fault.refuses(text):
            self.out(" " * (prompt_len + indent) + "^\n% Invalid input detected at '^' marker.\n\n")
            return
        if not await self.nat_rule_may_go(text):
            return
        result = self.ctx.device.apply(self.context, text.rstrip())
        if result.error is not None:
            error = _shifted(result.error, indent)
            self.out(format_error(error, line, prompt_len))
            return
        for message in result.messages:
            self.out(message.rstrip("\n") + "\n")
        self.context = result.context
        if result.context is not None:
            self.mode = result.mode
        else:
            leave_configuration(self.ctx.device, self.line)

    async def nat_rule_may_go(self, text: str) -> bool:
        """False when IOS keeps a NAT rule with live translations (lab/cli/config_questions)."""
        network: Any = self.ctx.network()
        device = self.ctx.device.name
        if not removes_nat_rule(text) or network is None or not network.nat_translations(device):
            return True
        answer = await self.read_answer(NAT_IN_USE_QUESTION)
        if answer.strip().lower() not in YES:
            self.out(NAT_IN_USE_REFUSAL)
            return False
        network.clear(device, "nat")
        return True

    async def tcl_line(self, line: str) -> None:
        """A line typed in tclsh: file writes, `tclquit`, or an exec command for IOS."""
        assert self.tcl is not None
        if line in (CTRL_Z, CTRL_C):
            return
        if not self.tcl.continuing and line.strip() in EXIT_WORDS:
            self._write_tcl_files()
            self.tcl = None
            return
        command = self.tcl.feed(line)
        if command is not None and command.strip():
            await self.exec_line(command, len(self.prompt()))

    def _write_tcl_files(self) -> None:
        """Files opened with `puts [open ...]` are written when tclsh ends."""
        if self.tcl is None:
            return
        for path, text in self.tcl.files.items():
            if not path.lower().startswith(("flash:", "bootflash:")):
                self.out(f'couldn\'t open "{path}": no such file or directory\n')
                continue
            try:
                self.ctx.device.flash.write(flash_name(path), text)
            except FlashError as exc:
                with contextlib.suppress(Exception):
                    self.out(f"{exc}\n")
        self.tcl.files.clear()

    def close(self, abort: bool = False, everyone: bool = False) -> None:
        """End the session; ``abort`` drops the TCP connection as a failing link would
        (``everyone``: every session to the device, as a reload does)."""
        self.closed = True
        self.keys.flush_echo()
        if abort:
            self._drop(everyone)


class _Shifted:
    def __init__(self, error: Any, indent: int) -> None:
        self.kind = error.kind
        self.column = error.column + indent
        self.text = getattr(error, "text", "")


def _shifted(error: Any, indent: int) -> Any:
    """The store counts columns in the stripped line; the echo shows the indent too."""
    return _Shifted(error, indent)
