"""The lab's files in its state folder: ``lab.yaml`` (settings), ``serve.json`` (who serves it).

``serve.json`` is ``{"pid": ..., "ports": {name: port}}``, written by a started lab and removed on
stop, so a runbook with ``--lab`` attaches to ``python -m lab serve`` instead of starting its own.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from lab.cli.vty_input import DEFAULT_VTY_BUFFER
from lab.ssh.link import Link, link_problems

SERVE_FILE = "serve.json"
SETTINGS_FILE = "lab.yaml"
FAULTS_FILE = "faults.yaml"
LOCK_FILE = "lab.lock"  # held while a process decides to start a lab or attach to one
USERS_FILE = "lab.users"  # every process using the lab holds it shared; the owner waits


class LabError(Exception):
    """The lab cannot start; the message says why in one line."""


@dataclass(frozen=True)
class LabSettings:
    """Lab-wide knobs: control-plane convergence delay; `latency`, each device's processing
    time per command line; the network to every device (`rtt`, `jitter` in seconds, `loss` a
    probability: ``lab.ssh.link``) and per device in `links` (``{device: {rtt: .., jitter: ..,
    loss: ..}}``, over the lab-wide values); `vty_buffer`, the bytes a vty holds of input the
    CLI has not read yet (``lab.cli.vty_input``); credentials; and `minute`: seconds per IOS
    minute for revert timers (`configure terminal revert timer N`), 60 on a real device; tests
    and benchmarks shorten it."""

    convergence_delay: float = 8.0
    latency: float = 0.0
    username: str = "admin"
    password: str = "admin"
    enable_secret: str = "admin"
    minute: float = 60.0
    rtt: float = 0.0
    jitter: float = 0.0
    loss: float = 0.0
    links: dict[str, dict[str, float]] = field(default_factory=dict, hash=False, compare=True)
    vty_buffer: int = DEFAULT_VTY_BUFFER

    def link(self, device: str) -> Link:
        """The link to ``device``: the lab-wide values with its own entry in `links` over them."""
        own = self.links.get(device, {})
        return Link(
            rtt=own.get("rtt", self.rtt),
            jitter=own.get("jitter", self.jitter),
            loss=own.get("loss", self.loss),
        )


def settings_problems(path: Path, data: dict[str, Any]) -> list[str]:
    """What is wrong with the settings read from ``path`` (empty: none)."""
    lab_wide: dict[str, Any] = {k: data[k] for k in ("rtt", "jitter", "loss") if k in data}
    problems = link_problems(str(path), lab_wide)
    links = data.get("links", {})
    if not isinstance(links, dict):
        return [*problems, f"{path}: links: expected {{device: {{rtt: .., jitter: .., loss: ..}}}}"]
    for device, entry in links.items():
        if not isinstance(entry, dict):
            problems.append(f"{path}: links: {device}: expected a mapping of rtt, jitter, loss")
        else:
            problems += link_problems(f"{path}: links: {device}", entry)
    buffer = data.get("vty_buffer", DEFAULT_VTY_BUFFER)
    if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 80:
        problems.append(f"{path}: vty_buffer must be a whole number of bytes >= 80")
    return problems


def _open_lock(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


@contextmanager
def state_lock(state_dir: Path) -> Iterator[None]:
    """The state folder's start-or-attach lock (fcntl, released when the process dies)."""
    fd = _open_lock(Path(state_dir) / LOCK_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def hold_shared(state_dir: Path) -> int:
    """Mark this process as using the lab of ``state_dir`` (until the fd is closed)."""
    fd = _open_lock(Path(state_dir) / USERS_FILE)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def others_using(state_dir: Path) -> bool:
    """True while another process holds the lab of ``state_dir`` (call with yours released)."""
    fd = _open_lock(Path(state_dir) / USERS_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def read_settings(state_dir: Path) -> LabSettings:
    """Settings from ``<state_dir>/lab.yaml`` (fields of ``LabSettings``) or defaults; raises
    ValueError naming what is wrong."""
    path = Path(state_dir) / SETTINGS_FILE
    if not path.exists():
        return LabSettings()
    data = yaml.safe_load(path.read_text()) or {}
    known = {f.name for f in fields(LabSettings)}
    if not isinstance(data, dict) or set(data) - known:
        raise ValueError(f"{path}: expected a mapping of {', '.join(sorted(known))}")
    problems = settings_problems(path, data)
    if problems:
        raise ValueError("; ".join(problems))
    return LabSettings(**data)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def running_lab(state_dir: Path) -> dict[str, int] | None:
    """Ports of the live lab serving ``state_dir``, or None."""
    try:
        serve = json.loads((Path(state_dir) / SERVE_FILE).read_text())
        pid, ports = int(serve["pid"]), {str(k): int(v) for k, v in serve["ports"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if ports and _pid_alive(pid) and all(_accepts(port) for port in ports.values()):
        return ports
    return None
