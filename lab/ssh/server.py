"""SSH transport: one asyncssh listener per device on 127.0.0.1, password auth, a CLI session."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh

from lab.cli.configure import VtyLine
from lab.cli.dispatch import ExecContext
from lab.cli.faults import Fault
from lab.cli.session import CliSession
from lab.cli.vty_input import DEFAULT_VTY_BUFFER, VtyInput
from lab.ssh.link import Link, delay_link
from lab.ssh.scp import flash_sftp


def host_key(state_dir: Path) -> asyncssh.SSHKey:
    """The lab's SSH host key, created once (owner-only) so clients see a stable key."""
    path = Path(state_dir) / "ssh_host_key"
    if path.exists():
        try:
            return asyncssh.read_private_key(str(path))
        except (OSError, asyncssh.KeyImportError):
            pass
    key = asyncssh.generate_private_key("ssh-ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.export_private_key())
    return key


class DeviceEndpoint:
    """What a listener needs from the lab for one device."""

    def __init__(
        self,
        ctx: ExecContext,
        fault: Callable[[], Fault],
        username: str,
        password: str,
        enable_secret: str,
        latency: float,
        link: Link | None = None,
        vty_buffer: int = DEFAULT_VTY_BUFFER,
    ) -> None:
        self.ctx = ctx
        self.fault = fault
        self.username = username
        self.password = password
        self.enable_secret = enable_secret
        self.latency = latency  # the device's processing time per command line
        self.link = link or Link()  # the network between the client and the device
        self.vty_buffer = vty_buffer
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.vtys: set[int] = set()  # vty lines in use (vty 0 first, as IOS hands them out)

    def current_link(self) -> Link:
        """The lab's link for this device, with the fault file's rtt/jitter/loss over it."""
        fault = self.fault()
        return Link(
            rtt=self.link.rtt if fault.rtt is None else fault.rtt,
            jitter=self.link.jitter if fault.jitter is None else fault.jitter,
            loss=self.link.loss if fault.loss is None else fault.loss,
        )

    def take_vty(self) -> int:
        vty = next(n for n in itertools.count() if n not in self.vtys)
        self.vtys.add(vty)
        return vty


_SESSION_IDS = itertools.count(1)


def hang_up(conn: asyncssh.SSHServerConnection) -> None:
    """Drop the connection the way a dying session does: the TCP FIN goes out at once, so the
    client reads EOF instead of waiting on a silent socket (the `stall` fault is the silent
    kind); then the connection is torn down without an SSH goodbye."""
    sock = conn.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)
    conn.abort()


class _AuthServer(asyncssh.SSHServer):
    def __init__(self, endpoint: DeviceEndpoint) -> None:
        self.endpoint = endpoint
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.endpoint.connections.add(conn)
        delay_link(conn, self.endpoint.current_link(), f"{self.endpoint.ctx.device.name}")

    def connection_lost(self, exc: Exception | None) -> None:
        if self.conn is not None:
            self.endpoint.connections.discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self.endpoint.fault().refuse_login:
            return False
        return username == self.endpoint.username and password == self.endpoint.password


async def _serve_session(endpoint: DeviceEndpoint, process: asyncssh.SSHServerProcess) -> None:
    conn = process.get_extra_info("connection")
    gone = False  # the client closed or lost the connection: nothing more may be sent
    typed = VtyInput(endpoint.vty_buffer)

    async def pump() -> None:
        """The channel into the vty's buffer as fast as it comes (overflow is lost)."""
        while True:
            try:
                data = str(await process.stdin.read(65536))
            except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged, asyncssh.SignalReceived):
                typed.feed("\x00")  # ignored by the line editor: nothing typed
                continue
            except (asyncssh.DisconnectError, BrokenPipeError, ConnectionError):
                data = ""
            if not data:
                typed.close()
                return
            typed.feed(data)

    reader = asyncio.get_running_loop().create_task(pump())

    async def read() -> str:
        nonlocal gone
        data = await typed.read()
        gone = gone or not data
        return data

    # What the device writes while it handles input leaves together at the end of the event
    # loop's turn: a line's echo goes out before its processing time, its answer and the next
    # prompt in one SSH packet after it (as TCP's Nagle algorithm would coalesce them), not a
    # packet for each piece.
    pending: list[str] = []

    def flush() -> None:
        text = "".join(pending)
        pending.clear()
        if text and not gone:
            with contextlib.suppress(BrokenPipeError, ConnectionError, asyncssh.Error):
                process.stdout.write(text)

    def write(text: str) -> None:
        if gone:
            return
        if not pending:
            asyncio.get_running_loop().call_soon(flush)
        pending.append(text)

    def drop(everyone: bool) -> None:
        """Drop this session's connection, or (reload) every connection to the device."""
        flush()  # what the device wrote before it dropped the session was sent
        for target in list(endpoint.connections) if everyone else [conn]:
            hang_up(target)

    vty = endpoint.take_vty()
    peer = conn.get_extra_info("peername") or ("127.0.0.1", 0)
    line = VtyLine(
        session=next(_SESSION_IDS),
        user=str(conn.get_extra_info("username") or endpoint.username),
        tty=2 + vty,  # con 0 is line 0, aux 0 line 1, vty 0 line 2 (IOS `show users`)
        pid=300 + vty,
        address=str(peer[0]),
    )
    session = CliSession(
        endpoint.ctx,
        read,
        write,
        drop,
        endpoint.fault(),
        endpoint.latency,
        endpoint.enable_secret,
        line,
    )
    try:
        await session.run()
    except Exception as exc:  # a lab bug must not kill the listener; say it once
        print(f"lab: {endpoint.ctx.device.name}: session error: {exc!r}", file=sys.stderr)
    finally:
        flush()
        reader.cancel()
        endpoint.vtys.discard(vty)
        if gone:  # a polite close would write to a dead socket (asyncio warns of it)
            conn.abort()
        else:
            with contextlib.suppress(Exception):
                process.exit(0)
            with contextlib.suppress(Exception):
                conn.close()


async def listen(endpoint: DeviceEndpoint, port: int, key: asyncssh.SSHKey) -> Any:
    """Start the device's listener on 127.0.0.1:port (0 = any free port)."""

    async def handler(process: asyncssh.SSHServerProcess) -> None:
        await _serve_session(endpoint, process)

    # netmiko hangs up right after its `exit`, while the device is still saying goodbye:
    # asyncio then warns "socket.send() raised exception." on stderr. Harmless here.
    logging.getLogger("asyncio").setLevel(logging.ERROR)

    return await asyncssh.create_server(
        lambda: _AuthServer(endpoint),
        "127.0.0.1",
        port,
        server_host_keys=[key],
        process_factory=handler,
        line_editor=False,
        encoding="utf-8",
        keepalive_interval=0,
        allow_scp=True,
        sftp_factory=flash_sftp(
            lambda: endpoint.ctx.device.flash.directory, endpoint.ctx.device.running_config
        ),
    )
