"""Point a runbook's Nornir at the devices: the inventory cut down to the wanted hosts, each with
how to reach it — the real device with the inventory's credentials, or (``--lab``) the emulated
one on 127.0.0.1 with the lab's credentials.

One netmiko connection per host is opened by the first task and reused by the next ones
(``task.host.get_connection("netmiko", ...)``); ``close_all`` ends them. ``guard_session``, called
right after connecting, makes a lost session fail fast instead of after netmiko's read timeout.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

from nornir.core import Nornir
from nornir.core.inventory import ConnectionOptions

LAB_ADDRESS = "127.0.0.1"
PLATFORM = "cisco_ios"
# Passed to netmiko's ConnectHandler: passwords only (no local keys or agent), bounded waits.
NETMIKO_EXTRAS: dict[str, Any] = {
    "use_keys": False,
    "allow_agent": False,
    "conn_timeout": 10,
    "auth_timeout": 15,
    "banner_timeout": 15,
}


@dataclass(frozen=True)
class Target:
    """How to reach one host."""

    address: str
    port: int
    username: str
    password: str = field(repr=False)
    secret: str = field(default="", repr=False)
    platform: str = PLATFORM


class ConnectError(Exception):
    """The wanted hosts cannot be reached as asked (the message is for people)."""


def lab_targets(
    hosts: Iterable[str],
    ports: Mapping[str, int],
    username: str = "admin",
    password: str = "admin",
    secret: str = "admin",
) -> dict[str, Target]:
    """Targets in the emulated lab: 127.0.0.1, the device's lab port, the lab's credentials."""
    missing = [h for h in hosts if h not in ports]
    if missing:
        raise ConnectError(
            f"not in the lab: {', '.join(missing)} (restart the lab after changing the inventory)"
        )
    return {h: Target(LAB_ADDRESS, ports[h], username, password, secret) for h in hosts}


def device_targets(
    intent: Any, hosts: Iterable[str], nornir_hosts: Mapping[str, Any]
) -> dict[str, Target]:
    """Targets on real devices: inventory hostname/port, credentials resolved by the intent."""
    intent.check_credentials(list(hosts))
    targets = {}
    for name in hosts:
        creds = intent.hosts[name].credentials
        inv = nornir_hosts[name]
        targets[name] = Target(
            address=str(inv.hostname or name),
            port=int(inv.port or 22),
            username=str(creds.username),
            password=str(creds.password),
            secret=str(creds.enable or creds.password),
            platform=str(intent.hosts[name].platform or PLATFORM),
        )
    return targets


def attach_targets(
    nr: Nornir, targets: Mapping[str, Target], netmiko_extras: Mapping[str, Any] | None = None
) -> Nornir:
    """Keep only the hosts in ``targets`` and set how each one is reached (``netmiko_extras``:
    more ConnectHandler settings, e.g. ``tasks.host_keys.netmiko_options``)."""
    unknown = [name for name in targets if name not in nr.inventory.hosts]
    if unknown:
        raise ConnectError(f"not in the inventory: {', '.join(unknown)}")
    wanted = nr.filter(filter_func=lambda host: host.name in targets)
    for name, target in targets.items():
        host = wanted.inventory.hosts[name]
        host.hostname = target.address
        host.port = target.port
        host.username = target.username
        host.password = target.password
        host.platform = target.platform
        host.connection_options["netmiko"] = ConnectionOptions(
            extras={**NETMIKO_EXTRAS, **(netmiko_extras or {}), "secret": target.secret}
        )
    return wanted


def close_all(nr: Nornir) -> None:
    """Close every open connection, all at once (errors while closing a dead session are
    ignored). A netmiko session is told ``exit`` and its SSH connection closed right away:
    netmiko's own ``disconnect`` first probes for configuration mode and waits for the
    channel to stay quiet (about a second per session)."""
    hosts = list(nr.inventory.hosts.values())
    if hosts:
        with ThreadPoolExecutor(max_workers=min(64, len(hosts))) as pool:
            list(pool.map(_close, hosts))


def _close(host: Any) -> None:
    plugin = host.connections.get("netmiko")
    conn = getattr(plugin, "connection", None)
    try:
        if conn is not None and getattr(conn, "remote_conn", None) is not None:
            conn.write_channel("exit" + conn.RETURN)  # the device frees the vty at once
            conn.paramiko_cleanup()  # netmiko's disconnect below then finds it closed
        host.close_connections()
    except Exception:  # a dropped session may fail to close cleanly
        return


# ---------------------------------------------------------------- session liveness


@dataclass(frozen=True)
class Liveness:
    """TCP keepalive on a session's socket, so a silently dropped path (carrier NAT, LTE) ends
    the session after about ``bound`` seconds instead of the kernel's ~15 minutes.

    After ``idle`` quiet seconds the kernel probes every ``interval`` seconds; ``count``
    unanswered probes close the connection. ``TCP_USER_TIMEOUT`` gives data in flight (a
    command sent, its answer awaited) the same bound; Linux lets it "overtake keepalive to
    determine when to close a connection due to keepalive failure"
    (https://github.com/torvalds/linux/commit/dca43c75e7e545694a9dd6288553f55c53e2a3a3).
    The probes also keep the carrier NAT's mapping of an idle session alive.
    """

    idle: int = 5
    interval: int = 2
    count: int = 3

    @property
    def bound(self) -> int:
        """Seconds from the last answer heard to the session's end on a silent drop."""
        return self.idle + self.interval * self.count

    def options(self) -> list[tuple[int, int, int]]:
        """``(level, option, value)`` for setsockopt; options this OS lacks are left out."""
        wanted = [
            (socket.SOL_SOCKET, "SO_KEEPALIVE", 1),
            (socket.IPPROTO_TCP, "TCP_KEEPIDLE", self.idle),
            (socket.IPPROTO_TCP, "TCP_KEEPINTVL", self.interval),
            (socket.IPPROTO_TCP, "TCP_KEEPCNT", self.count),
            (socket.IPPROTO_TCP, "TCP_USER_TIMEOUT", self.bound * 1000),
        ]
        return [(lvl, getattr(socket, name), v) for lvl, name, v in wanted if hasattr(socket, name)]


LIVENESS = Liveness()


class _CloseAwareChannel:
    """The session's paramiko channel as netmiko reads it, but "ready" once the channel has
    closed or seen EOF: netmiko then reads the empty end of stream and raises its own
    ``ReadException("Channel stream closed by remote device.")`` at once.

    Unwrapped, ``recv_ready()`` stays False on a closed channel, so netmiko polls on until its
    read timeout (30 s and more) before saying anything.
    """

    def __init__(self, channel: Any) -> None:
        self.channel = channel

    def recv_ready(self) -> bool:
        chan = self.channel
        return bool(chan.recv_ready() or chan.closed or chan.eof_received)

    def __getattr__(self, name: str) -> Any:  # everything else is the channel's own
        return getattr(self.channel, name)


def guard_session(conn: Any, liveness: Liveness | None = LIVENESS) -> None:
    """Make a netmiko SSH session fail fast when it is lost; call it right after connecting.

    A session closed by the device raises on netmiko's next read (within its 10 ms poll);
    with ``liveness`` (default ``LIVENESS``: about 11 s) a silently dropped one is closed
    by the kernel and then raises the same way. Calling it again does nothing more.
    """
    session = getattr(conn, "channel", None)
    chan = getattr(session, "remote_conn", None)
    if chan is None or isinstance(chan, _CloseAwareChannel):
        return
    cast(Any, session).remote_conn = _CloseAwareChannel(chan)
    transport = chan.get_transport() if hasattr(chan, "get_transport") else None
    sock = getattr(transport, "sock", None)
    if liveness is not None and isinstance(sock, socket.socket):  # not a ProxyCommand pipe
        for level, option, value in liveness.options():
            sock.setsockopt(level, option, value)
