"""One lab per state folder: a runbook with ``--lab`` attaches to the lab serving the folder,
or starts one there, atomically (two runbooks started at once share one lab).

``state_lock`` (an fcntl lock on ``<state>/lab.lock``) makes look-then-start one step; every
process using the lab holds ``<state>/lab.users`` shared, and the process that started the
lab keeps serving until the others let go, so a runbook never loses the lab under it.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from lab.serve.lab import Lab
from lab.serve.state_files import (
    LabSettings,
    hold_shared,
    others_using,
    read_settings,
    running_lab,
    state_lock,
)

WAIT_STEP = 0.2


@dataclass
class LabHandle:
    """A lab to talk to: attached to ``python -m lab serve`` or another runbook's lab, or
    started in this process (``lab``)."""

    ports: dict[str, int]
    lab: Lab | None = None
    state_dir: Path | None = None
    _users_fd: int | None = field(default=None, repr=False)

    def close(self) -> None:
        """Let go of the lab; the process that started it stops it once nobody uses it."""
        if self._users_fd is not None:
            os.close(self._users_fd)
            self._users_fd = None
        if self.lab is None:
            return
        state_dir = self.state_dir or self.lab.state_dir
        with state_lock(state_dir):  # nobody attaches while we wait and stop
            told = False
            while others_using(state_dir):
                if not told:
                    print("lab: waiting for the runbooks attached to this lab", file=sys.stderr)
                    told = True
                time.sleep(WAIT_STEP)
            self.lab.stop()
        self.lab = None


def attach_or_start(
    inventory_dir: Path, state_dir: Path, settings: LabSettings | None = None
) -> LabHandle:
    """Attach to the lab serving ``state_dir`` if there is one, else start one here."""
    state_dir = Path(state_dir)
    with state_lock(state_dir):
        ports = running_lab(state_dir)
        if ports is not None:
            return LabHandle(ports, None, state_dir, hold_shared(state_dir))
        lab = Lab.from_inventory(inventory_dir, state_dir, 0, settings or read_settings(state_dir))
        lab.start_holding_lock()
        return LabHandle(dict(lab.ports), lab, state_dir, hold_shared(state_dir))
