"""SSH host keys: a device must present the key recorded for it before any password is sent.

Keys live in an OpenSSH-format known_hosts file: by default `known_hosts` next to config.yaml,
a project file the team can review and commit (host keys are public). An unknown key is refused
unless trust on first use is asked for, which records it; a key that differs from the recorded
one is always refused, naming both fingerprints.

`check_host_keys` checks every host at once. Where the file decides, the check is the session
itself: netmiko connects with `ssh_strict` against the file (`netmiko_options`), so paramiko
refuses a key that is not the recorded one before any password goes out; a key met for the
first time, trusted on first use, is taken from the session and recorded (OpenSSH's
`accept-new`). A bare SSH handshake (`scan_host_key`) reads a key only to explain a refusal
(an unknown key without trust on first use, a changed one), so a run does one SSH handshake
per device, not two. The lab (``--lab``) is ours: its key is
trusted on first use and pinned in ``<lab state>/known_hosts`` under ``[127.0.0.1]:*`` (one key
serves every lab device, and the lab's ports change from run to run).
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paramiko

from tasks.connect import LAB_ADDRESS, ConnectError, Target

KNOWN_HOSTS_FILE = "known_hosts"
LAB_PIN = f"[{LAB_ADDRESS}]:*"  # OpenSSH pattern: any port of the lab's address
SCAN_TIMEOUT = 10.0
# A recorded ssh-rsa key is offered by servers under these signature names (RFC 8332).
_RSA_SIGNATURES = ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")


class HostKeyError(ConnectError):
    """Host keys that do not match (or are not known); one line per host."""


@dataclass(frozen=True)
class HostKeyPolicy:
    """Where keys are recorded and what an unknown key gets."""

    known_hosts: Path
    trust_on_first_use: bool = False
    pins: tuple[str, ...] = ()  # extra names every host's key must match (the lab's pin)
    on_change: str = ""  # what to do when a change is expected; default: ssh-keygen -R
    keep_only: frozenset[str] | None = None  # names to keep in the file, the rest dropped

    @classmethod
    def for_lab(cls, lab_state: Path, ports: Iterable[int] = ()) -> HostKeyPolicy:
        """The lab's own file, trusted on first use, one pinned key for every port; lines
        of ports the lab no longer serves (`ports`: all it serves now) are dropped."""
        path = Path(lab_state) / KNOWN_HOSTS_FILE
        keep = frozenset(known_name(LAB_ADDRESS, port) for port in ports)
        on_change = f"if the lab's key was recreated on purpose, delete {path}"
        return cls(path, True, (LAB_PIN,), on_change, keep)


def known_name(address: str, port: int) -> str:
    """The host's name in known_hosts, as OpenSSH and paramiko write it.

    >>> known_name("198.51.100.10", 22), known_name("127.0.0.1", 50022)
    ('198.51.100.10', '[127.0.0.1]:50022')
    """
    return address if port == 22 else f"[{address}]:{port}"


def fingerprint(key: paramiko.PKey) -> str:
    """OpenSSH's SHA256 fingerprint (what `ssh-keygen -lf` prints)."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def describe(key: paramiko.PKey) -> str:
    return f"{fingerprint(key)} ({key.get_name()})"


class KnownHosts:
    """One known_hosts file, appended to under a lock (threads share it); parsed once and
    again only when the file changed (a lookup per host would otherwise parse it per host)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._parsed: tuple[tuple[int, int, int], paramiko.HostKeys] | None = None

    def keys_for(self, name: str) -> list[paramiko.PKey]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ConnectError(f"cannot read {self.path}: {exc}") from exc
        version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        parsed = self._parsed
        if parsed is None or parsed[0] != version:
            try:
                parsed = (version, paramiko.HostKeys(str(self.path)))
            except (OSError, paramiko.SSHException) as exc:
                raise ConnectError(f"cannot read {self.path}: {exc}") from exc
            self._parsed = parsed
        found = parsed[1].lookup(name)
        return list(found.values()) if found else []

    def add(self, name: str, key: paramiko.PKey) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = f"{name} {key.get_name()} {key.get_base64()}\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        with os.fdopen(fd, "a", encoding="ascii") as handle:
            handle.write(line)
        parsed, self._parsed = self._parsed, None
        stat = self.path.stat()
        if parsed is not None and parsed[0][2] + len(line) == stat.st_size:
            parsed[1].add(name, key.get_name(), key)  # the file as parsed plus this line
            self._parsed = ((stat.st_ino, stat.st_mtime_ns, stat.st_size), parsed[1])

    def keep_only(self, names: set[str]) -> None:
        """Drop the lines naming none of `names` (atomically: readers see old or new)."""
        if not self.path.exists():
            return
        lines = self.path.read_text(encoding="ascii").splitlines(keepends=True)
        kept = [line for line in lines if line.split(" ", 1)[0] in names]
        if len(kept) != len(lines):
            spare = self.path.with_name(f"{self.path.name}.{os.getpid()}.new")
            spare.write_text("".join(kept), encoding="ascii")
            os.replace(spare, self.path)

    def lock(self) -> threading.Lock:
        return self._lock


def scan_host_key(
    address: str, port: int, prefer: list[str], timeout: float = SCAN_TIMEOUT
) -> paramiko.PKey:
    """The key the SSH server at address:port presents (key exchange only, no login)."""
    sock = socket.create_connection((address, port), timeout=timeout)
    transport = paramiko.Transport(sock)
    try:
        options = transport.get_security_options()
        offered = [t for name in prefer for t in _signatures(name) if t in options.key_types]
        if offered:  # ask for the recorded key's type, as paramiko's SSHClient does
            options.key_types = [*offered, *(t for t in options.key_types if t not in offered)]
        transport.start_client(timeout=timeout)
        return transport.get_remote_server_key()
    finally:
        transport.close()


def _signatures(key_type: str) -> tuple[str, ...]:
    return _RSA_SIGNATURES if key_type == "ssh-rsa" else (key_type,)


# Opens the host's session under its known_hosts name with the keys it must present (paramiko
# refusing any other before a password goes out), or with none (a key met for the first time,
# trusted on first use, taken as presented); returns the netmiko connection.
Connect = Callable[[str, list[paramiko.PKey]], Any]


def key_file(folder: Path, name: str, keys: list[paramiko.PKey]) -> Path:
    """A known_hosts file holding only ``name``'s ``keys``, for one session: paramiko parses
    the file it is given on every connect, and the project's file grows with every device."""
    path = Path(folder) / hashlib.sha256(name.encode()).hexdigest()[:16]
    path.write_text("".join(f"{name} {k.get_name()} {k.get_base64()}\n" for k in keys), "ascii")
    return path


def check_host_key(
    host: str,
    target: Target,
    policy: HostKeyPolicy,
    store: KnownHosts,
    connect: Connect | None = None,
) -> str | None:
    """Check (and, trusting on first use, record) one host's key; the problem as one line, or
    None when the key is the recorded one or was just recorded. An unreachable host is None
    too: netmiko reports it, and would refuse its unknown key on its own.

    With ``connect``, the session itself is the check whenever the file decides it: a
    recorded key (a lab port new to the file gets the lab's pinned key first) is verified by
    paramiko before any password is sent, and a key met for the first time, trusted on first
    use, is read from the session and recorded, as OpenSSH's ``accept-new`` does. The bare
    handshake (``scan_host_key``) is left for what needs the key to explain a refusal."""
    names = [known_name(target.address, target.port), *policy.pins]
    with store.lock():
        port_keys = store.keys_for(names[0])
        pinned = [key for name in policy.pins for key in store.keys_for(name)]
        if connect is not None and pinned and not port_keys:
            for key in {key.asbytes(): key for key in pinned}.values():
                store.add(names[0], key)
            port_keys = store.keys_for(names[0])
    within_pins = not pinned or all(_among(key, pinned) for key in port_keys)
    if connect is not None and within_pins and (port_keys or policy.trust_on_first_use):
        try:
            conn = connect(names[0], port_keys)
        except Exception as exc:  # unreachable: the task says so; a refused key: scan it
            if not _refused_key(exc):
                return None
        else:
            transport = conn.remote_conn_pre.get_transport()
            return _judge(host, target, policy, store, names, transport.get_remote_server_key())
    with store.lock():
        prefer = [key.get_name() for name in names for key in store.keys_for(name)]
    try:
        presented = scan_host_key(target.address, target.port, prefer)
    except (OSError, EOFError, paramiko.SSHException):
        return None
    return _judge(host, target, policy, store, names, presented)


def _among(key: paramiko.PKey, keys: list[paramiko.PKey]) -> bool:
    return any(known.asbytes() == key.asbytes() for known in keys)


def _refused_key(exc: BaseException) -> bool:
    """Whether a failed connect was paramiko refusing the host key."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, paramiko.BadHostKeyException) or "known_hosts" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _judge(
    host: str,
    target: Target,
    policy: HostKeyPolicy,
    store: KnownHosts,
    names: list[str],
    presented: paramiko.PKey,
) -> str | None:
    """The key ``presented`` against every name's recorded keys (under the lock: what another
    thread recorded meanwhile counts); records it under the names that have none yet."""
    where = f"{target.address}:{target.port}"
    with store.lock():
        known = {name: store.keys_for(name) for name in [*names[1:], names[0]]}  # pins first
        for name, keys in known.items():
            if keys and not _among(presented, keys):
                on_change = policy.on_change or (
                    "if the change is expected (device replaced, key regenerated), remove the "
                    f"old line: ssh-keygen -R '{name}' -f {store.path}"
                )
                return (
                    f"{host}: host key CHANGED for {where}: {store.path} has "
                    f"{', '.join(describe(k) for k in keys)} for {name}, the device presents "
                    f"{describe(presented)}; refusing to connect (the session could be "
                    f"intercepted); {on_change}"
                )
        if not any(known.values()) and not policy.trust_on_first_use:
            return (
                f"{host}: unknown host key for {where}: it presents {describe(presented)}, "
                f"not in {store.path}; compare it with the device's own key, then record it "
                f"with --trust-on-first-use (or add its line to the file, e.g. from ssh-keyscan)"
            )
        for name, keys in known.items():
            if not keys:
                store.add(name, presented)
    return None


def check_host_keys(
    targets: Mapping[str, Target],
    policy: HostKeyPolicy,
    connect: Callable[[str], Connect] | None = None,
) -> None:
    """Check every target's host key at once; raise HostKeyError listing each refused one.
    ``connect(host)``: how to open that host's session (see ``check_host_key``)."""
    store = KnownHosts(policy.known_hosts)

    def check(item: tuple[str, Target]) -> str | None:
        host, target = item
        return check_host_key(host, target, policy, store, connect(host) if connect else None)

    with ThreadPoolExecutor(max_workers=max(1, len(targets))) as pool:
        problems = [problem for problem in pool.map(check, targets.items()) if problem]
    if problems:
        raise HostKeyError("\n".join(problems))
    if policy.keep_only is not None:
        with store.lock():
            store.keep_only(set(policy.keep_only) | {*policy.pins})


def netmiko_options(policy: HostKeyPolicy) -> dict[str, Any]:
    """netmiko settings that make paramiko itself refuse any key not in the file
    (`ssh_strict`: RejectPolicy; `alt_key_file` is loaded only when it exists)."""
    return {
        "ssh_strict": True,
        "system_host_keys": False,
        "alt_host_keys": True,
        "alt_key_file": str(policy.known_hosts),
    }
