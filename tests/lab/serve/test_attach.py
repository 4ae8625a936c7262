"""Two runbooks started with --lab on one state folder share one lab: start-or-attach is one
step under an fcntl lock, and the lab's owner keeps serving until the other lets go."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from lab.api import running_lab

REPO = Path(__file__).resolve().parents[3]
RUNBOOK = """
import json, sys, time
from pathlib import Path
from lab.api import LabSettings, attach_or_start
inventory, state, release = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
handle = attach_or_start(inventory, state, LabSettings(convergence_delay=0.2))
print(json.dumps({"ports": handle.ports, "owner": handle.lab is not None}), flush=True)
while not release.exists():
    time.sleep(0.05)
handle.close()
print("closed", flush=True)
"""


def start_runbook(inventory: Path, state: Path, release: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", RUNBOOK, str(inventory), str(state), str(release)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_runbooks_started_at_once_share_one_lab(tmp_path: Path, make_inventory: Any) -> None:
    inventory = make_inventory(tmp_path / "inventory", ["hub1", "e42-spoke1"])
    state = tmp_path / "state"
    releases = [tmp_path / f"release-{n}" for n in range(3)]
    runbooks = [start_runbook(inventory, state, release) for release in releases]
    try:
        started = [json.loads(rb.stdout.readline()) for rb in runbooks]  # type: ignore[union-attr]
        assert all(s["ports"] == started[0]["ports"] for s in started)
        assert sorted(s["owner"] for s in started) == [False, False, True]
        assert running_lab(state) == started[0]["ports"]
        owner = next(i for i, s in enumerate(started) if s["owner"])
        # the owner finishes first: it keeps serving while the others still use the lab
        releases[owner].touch()
        time.sleep(1.0)
        assert runbooks[owner].poll() is None
        assert running_lab(state) == started[0]["ports"]
        for release in releases:
            release.touch()
        for runbook in runbooks:
            assert runbook.wait(timeout=20) == 0, runbook.stderr.read()  # type: ignore[union-attr]
        assert running_lab(state) is None
    finally:
        for release in releases:
            release.touch()
        for runbook in runbooks:
            if runbook.poll() is None:
                runbook.kill()
