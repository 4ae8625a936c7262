"""The lab's files in its state folder: ``lab.yaml`` (settings), ``serve.json`` (who serves it).

``serve.json`` is ``{"pid": ..., "ports": {name: port}}``, written by a started lab and removed on
stop, so a runbook with ``--lab`` attaches to ``python -m lab serve`` instead of starting its own.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

SERVE_FILE = "serve.json"
SETTINGS_FILE = "lab.yaml"
FAULTS_FILE = "faults.yaml"


class LabError(Exception):
    """The lab cannot start; the message says why in one line."""


@dataclass(frozen=True)
class LabSettings:
    """Lab-wide knobs: control-plane convergence delay, per-command latency, credentials."""

    convergence_delay: float = 8.0
    latency: float = 0.0
    username: str = "admin"
    password: str = "admin"
    enable_secret: str = "admin"


def read_settings(state_dir: Path) -> LabSettings:
    """Settings from ``<state_dir>/lab.yaml`` (``convergence_delay``, ``latency``) or defaults."""
    path = Path(state_dir) / SETTINGS_FILE
    if not path.exists():
        return LabSettings()
    data = yaml.safe_load(path.read_text()) or {}
    known = {f.name for f in fields(LabSettings)}
    if not isinstance(data, dict) or set(data) - known:
        raise ValueError(f"{path}: expected a mapping of {', '.join(sorted(known))}")
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
