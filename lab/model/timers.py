"""Persisted timers of the network model (`<state_dir>/network.json`), wall-clock based.

An adjacency (IKEv2 SA, NHRP registration, EIGRP neighbor, shortcut) is recorded when its
preconditions first hold (`since`); it becomes visible `delay` seconds after both that moment
and the moment its upstream adjacency became visible. No secret is ever written here.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any


class NetState:
    """Adjacency timers and phase-3 shortcut requests, shared by every process of one lab."""

    def __init__(self, state_dir: Path | None, delay: float) -> None:
        self.path = state_dir / "network.json" if state_dir else None
        self.delay = delay
        self.adj: dict[str, dict[str, Any]] = {}
        self.shortcuts: dict[str, dict[str, Any]] = {}
        # what happened to a device outside its config: a new NBMA address (DHCP lease / NAT
        # rebinding: {"epoch", "at", "old_nbma"}) and the last reload (time)
        self.nbma: dict[str, dict[str, Any]] = {}
        self.reloads: dict[str, float] = {}
        self._dirty = False
        self._mtime: float | None = None

    def load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        mtime = self.path.stat().st_mtime
        if mtime == self._mtime:
            return
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return
        self.adj = data.get("adjacencies", {})
        self.shortcuts = data.get("shortcuts", {})
        self.nbma = data.get("nbma", {})
        self.reloads = data.get("reloads", {})
        self._mtime = mtime

    def save(self) -> None:
        if not self._dirty or self.path is None:
            self._dirty = False
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(
            {
                "adjacencies": self.adj,
                "shortcuts": self.shortcuts,
                "nbma": self.nbma,
                "reloads": self.reloads,
            },
            indent=1,
        )
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".network.")
        with os.fdopen(fd, "w") as fh:
            fh.write(body)
        os.replace(tmp, self.path)
        with contextlib.suppress(OSError):
            self._mtime = self.path.stat().st_mtime
        self._dirty = False

    def hold(
        self,
        key: str,
        upstream_visible: float | None = 0.0,
        now: float | None = None,
        since: float | None = None,
    ) -> float:
        """Preconditions hold now (or since `since`): the time the adjacency is visible."""
        now = time.time() if now is None else now
        entry = self.adj.get(key)
        if entry is None:
            entry = {"since": min(now, since) if since is not None else now}
            self.adj[key] = entry
            self._dirty = True
        start = max(entry["since"], upstream_visible or 0.0)
        return start + self.delay

    def visible_at(self, key: str) -> float | None:
        entry = self.adj.get(key)
        return entry.get("visible") if entry else None

    def mark(self, key: str, visible: float) -> None:
        entry = self.adj[key]
        if entry.get("visible") != visible:
            entry["visible"] = visible
            self._dirty = True

    def drop(self, key: str) -> None:
        if self.adj.pop(key, None) is not None:
            self._dirty = True

    def drop_matching(self, predicate: Any) -> None:
        for key in [k for k in self.adj if predicate(k)]:
            self.drop(key)
        for key in [k for k in self.shortcuts if predicate(k)]:
            del self.shortcuts[key]
            self._dirty = True

    def epochs(self) -> dict[str, int]:
        """How many times each device's NBMA address changed (0 when never)."""
        return {device: int(entry.get("epoch", 0)) for device, entry in self.nbma.items()}

    def touch(self) -> None:
        self._dirty = True

    def request_shortcut(self, key: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        entry = self.shortcuts.setdefault(key, {"requested": now})
        entry["used"] = now
        self._dirty = True
