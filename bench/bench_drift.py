"""Drift of 200 lab devices (1 headend + 199 spokes), and where its time goes.

    python bench/bench_drift.py [--devices N]

Times ``runbooks/drift.py --lab`` over a lab served by its own process (no link delay, no
processing time), with the CPU of the runbook and of the lab; then each stage on its own, all
hosts at once as the runbook does: the host-key scan (a bare SSH handshake per host,
``tasks.host_keys.check_host_keys``), netmiko sessions (SSH handshake + session preparation +
``enable``), the reads (``show running-config``, the manifest), and, in this process alone,
rendering (``render_host``) and the hier-config diff (``host_drift``).
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_deploy import SECRETS, connect, cpu_seconds, serve_lab, write_inventory
from runbooks import drift
from tasks.connect import LAB_ADDRESS, lab_targets
from tasks.drift import host_drift
from tasks.host_keys import HostKeyPolicy, KnownHosts, check_host_keys, known_name
from tasks.intent import load_intent
from tasks.render import render_host

TARGET_SECONDS = 10.0
T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float, float]:
    """(result, wall seconds, this process's CPU seconds)."""
    cpu, started = time.process_time(), time.perf_counter()
    result = call()
    return result, time.perf_counter() - started, time.process_time() - cpu


def all_at_once(hosts: list[str], work: Callable[[str], T]) -> dict[str, T]:
    with ThreadPoolExecutor(max_workers=len(hosts)) as pool:
        return dict(zip(hosts, pool.map(work, hosts), strict=True))


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
            hosts = list(ports)
            stages = measure_stages(hosts, ports, state)
        intent = load_intent(config)
        _, render_wall, _ = timed(lambda: [render_host(intent, h, None) for h in hosts])
        running = stages.pop("_running")
        _, diff_wall, _ = timed(
            lambda: [host_drift(intent, h, running[h]) for h in hosts]  # renders again inside
        )
    verdict = "ok" if wall <= TARGET_SECONDS else f"above the {TARGET_SECONDS:.0f}s aim"
    print(
        f"drift: {len(hosts)} devices in {wall:.2f}s ({verdict}; exit {code}); CPU: runbook "
        f"{cpu:.2f}s, lab {lab_cpu:.2f}s on {os.cpu_count()} cores"
    )
    print("where the time goes (each stage alone, every host at once):")
    for name, (seconds, stage_cpu) in stages.items():
        print(f"  {name:<44} {seconds:6.2f}s wall, runbook CPU {stage_cpu:5.2f}s")
    print(f"  {'render_host, every host (one thread)':<44} {render_wall:6.2f}s")
    print(f"  {'host_drift: render + hier-config diff':<44} {diff_wall:6.2f}s")
    print(
        "  (the scan is a second SSH handshake per host besides netmiko's, and each known_hosts"
        " lookup parses the whole file: quadratic in the number of devices)"
    )
    return 0


def measure_stages(hosts: list[str], ports: dict[str, int], state: Path) -> dict[str, Any]:
    """Wall and CPU seconds of each stage; ``_running`` holds the configs read."""
    targets = lab_targets(hosts, ports)
    policy = HostKeyPolicy.for_lab(state, ports.values())
    stages: dict[str, Any] = {}
    _, wall, cpu = timed(lambda: check_host_keys(targets, policy))
    stages["host-key scan (a bare SSH handshake each)"] = (wall, cpu)
    store, name = KnownHosts(policy.known_hosts), known_name(LAB_ADDRESS, ports[hosts[0]])
    _, wall, cpu = timed(lambda: store.keys_for(name))
    entries = len(policy.known_hosts.read_text().splitlines())
    lookups = 2 * len(hosts)  # its address and the lab's pin
    stages[f"  of it: {lookups} lookups, each parsing {entries} lines"] = (
        wall * lookups,
        cpu * lookups,
    )
    conns, wall, cpu = timed(lambda: all_at_once(hosts, lambda h: connect(ports, h)))
    stages["netmiko sessions (SSH + preparation)"] = (wall, cpu)
    _, wall, cpu = timed(lambda: all_at_once(hosts, lambda h: conns[h].enable()))
    stages["enable"] = (wall, cpu)

    def read(host: str) -> str:
        conns[host].send_command("more flash:dmvpn-owners.txt", expect_string=r"[>#]\s*$")
        return str(conns[host].send_command("show running-config", read_timeout=60))

    running, wall, cpu = timed(lambda: all_at_once(hosts, read))
    stages["reads (running config + manifest)"] = (wall, cpu)
    all_at_once(hosts, lambda h: conns[h].disconnect())
    stages["_running"] = running
    return stages


if __name__ == "__main__":
    sys.exit(main())
