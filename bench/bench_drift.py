"""Drift of 200 lab devices (1 headend + 199 spokes), and where its time goes.

    python bench/bench_drift.py [--devices N]

Times ``runbooks/drift.py --lab`` over a lab served by its own process (no link delay, no
processing time), with the CPU of the runbook and of the lab; then each stage again on its own
with the runbook's own functions: Nornir and the SSH sessions, opened by the host-key check
(``runbooks.common.open_devices``: one handshake per device, paramiko verifying its key against
known_hosts); ``enable`` and the reads (the running config and the manifest in one write); the
render and hier-config diff of every host (``host_drift``, caches cold); the report.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nornir.core.task import Result, Task
from rich.console import Console

from bench.bench_deploy import SECRETS, cpu_seconds, serve_lab, write_inventory
from runbooks import drift
from runbooks.common import open_devices
from tasks.connect import close_all
from tasks.drift import drift_hosts, host_drift
from tasks.host_plan import read_state
from tasks.intent import load_intent
from tasks.ios_config import parse_shared
from tasks.manifest import recorded_paths
from tasks.ownership import section_paths
from tasks.push import open_session
from tasks.report import drift_json, drift_tables
from tasks.secrets import mask

TARGET_SECONDS = 10.0
T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float, float]:
    """(result, wall seconds, this process's CPU seconds)."""
    cpu, started = time.process_time(), time.perf_counter()
    result = call()
    return result, time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    args = parser.parse_args()
    os.environ.update(SECRETS)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = write_inventory(root, args.devices - 1)
        state = root / "state"
        state.mkdir()
        (state / "lab.yaml").write_text("convergence_delay: 1.0\n")
        with serve_lab(root / "inventory", state) as (ports, lab_pid):
            lab_cpu = cpu_seconds(lab_pid)
            argv = ["--lab", "--lab-state", str(state), "-c", str(config)]
            with contextlib.redirect_stdout(io.StringIO()):
                code, wall, cpu = timed(lambda: drift.main(argv))
            lab_cpu = cpu_seconds(lab_pid) - lab_cpu
            stages = measure_stages(config, state)
    verdict = "ok" if wall <= TARGET_SECONDS else f"above the {TARGET_SECONDS:.0f}s aim"
    print(
        f"drift: {len(ports)} devices in {wall:.2f}s ({verdict}; exit {code}: the lab's devices "
        f"hold none of the intent); CPU: runbook {cpu:.2f}s, lab {lab_cpu:.2f}s on "
        f"{os.cpu_count()} cores"
    )
    print("where the time goes (each stage again on its own, every host at once):")
    for name, (seconds, stage_cpu) in stages.items():
        print(f"  {name:<58} {seconds:6.2f}s wall, runbook CPU {stage_cpu:5.2f}s")
    return 0


def read_task(task: Task) -> Result:
    """What drift does on a device: enable, then the running config and the manifest."""
    return Result(host=task.host, result=read_state(open_session(task)))


def measure_stages(config: Path, state: Path) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of each stage of a drift run, the runbook's own functions."""
    intent = load_intent(config)
    hosts = drift_hosts(intent, None)
    stages: dict[str, tuple[float, float]] = {}
    devices = open_devices(intent, hosts, config, True, state)
    nr, wall, cpu = timed(devices.__enter__)
    stages["Nornir, SSH sessions checked against known_hosts (1 each)"] = (wall, cpu)
    try:
        result, wall, cpu = timed(lambda: nr.run(task=read_task))
        stages["enable + running config and manifest (1 write each)"] = (wall, cpu)
        _, wall, cpu = timed(lambda: close_all(nr))
        stages["closing the sessions"] = (wall, cpu)
    finally:
        devices.__exit__(None, None, None)
    parse_shared.cache_clear()  # cold, as in a fresh run
    section_paths.cache_clear()
    states = {h: result[h][0].result for h in hosts}
    found, wall, cpu = timed(
        lambda: {h: host_drift(intent, h, running, None, recorded_paths(claims))
                 for h, (running, claims) in states.items()}
    )  # fmt: skip
    stages["render + hier-config diff (host_drift), one thread"] = (wall, cpu)
    secret_values = intent.secret_values()

    def report() -> None:
        console = Console(file=io.StringIO(), highlight=False)
        for table in drift_tables(found, lambda t: mask(t, secret_values)):
            console.print(table)
        drift_json(found, lambda t: mask(t, secret_values))

    _, wall, cpu = timed(report)
    stages["tables and JSON of every host"] = (wall, cpu)
    return stages


if __name__ == "__main__":
    sys.exit(main())
