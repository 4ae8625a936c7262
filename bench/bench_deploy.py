"""Deploy one tenant (1 headend + 40 spokes) to the lab, in two profiles, against its bound.

    python bench/bench_deploy.py [--spokes N] [--profile today|lte]... [--naive]

Profiles: ``today``: 20 ms of processing per command, no link delay; ``lte``: events on LTE,
2 ms per command, the headend 10 ms away, each spoke 100 ms with jitter and loss.

Each profile times two runs of ``runbooks/deploy.py`` (after an untimed ``baseline.py
--all``): the tenant's first deploy, then a key rotation (new PSK and NHRP key: objects the
devices already hold change, as in a change during an event). Each prints the wall time,
the bound (``bench/bound.py``: per host the device's processing of its lines plus the round
trips no push can avoid; the headend before the spokes, spokes in parallel) and the safe bound
(one more round trip per new object's mode-entering line: its answer before its children), their
ratios, where each host's time went (writes to the device against the safe minimum), and the
CPU time of the runbook (this process) and of the lab (its own process, ``python -m lab
serve``, as devices would be). Both share this machine's cores.
``--naive`` adds a sequential full-config push with ``send_config_set`` for comparison.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paramiko
from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection
from nornir.core.task import Task

from bench.bound import PIPELINE, SSH_SETUP, Profile, host_bound, ssh_round_trips
from runbooks import baseline, deploy
from tasks import change
from tasks.blocks import objects_of, structure, with_known_objects
from tasks.host_plan import HostPlan
from tasks.intent import load_intent
from tasks.render import render_host

REPO = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.3
SECRETS = {
    "EVENT42_PSK": "bench-psk-42",
    "EVENT42_NHRP_KEY": "bnhrp42",
    "DMVPN_MASTER_KEY": "bench-master-key",
}
ROTATED = {**SECRETS, "EVENT42_PSK": "bench-psk-42-rotated", "EVENT42_NHRP_KEY": "bnhrp43"}
PROFILES = {
    "today": Profile("today", latency=0.02, hub_rtt=0.0, spoke_rtt=0.0),
    "lte": Profile("lte", latency=0.002, hub_rtt=0.01, spoke_rtt=0.1, jitter=0.02, loss=0.005),
}


def write_inventory(root: Path, spokes: int) -> Path:
    """The example inventory with tenant event42 only and ``spokes`` spokes; returns config."""
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    shutil.copytree(REPO / "inventory", root / "inventory")
    inventory = root / "inventory"
    groups = yaml.safe_load((inventory / "groups.yaml").read_text())
    groups = {k: v for k, v in groups.items() if k != "tenant-event43"}
    hub = yaml.safe_load((inventory / "hosts.yaml").read_text())["hub1"]
    hosts = {"hub1": hub}
    for n in range(1, spokes + 1):
        hosts[f"e42-spoke{n}"] = {
            "hostname": f"10.42.{n}.1",
            "groups": ["tenant-event42"],
            "data": {
                "model": "ISR4321",
                "wan": {"interface": "GigabitEthernet0/0/0", "dhcp": True},
                "lan": {"interface": "GigabitEthernet0/0/1", "address": f"10.42.{n}.1/24"},
                "tunnel_ip": f"172.16.42.{10 + n}",
            },
        }
    (inventory / "groups.yaml").write_text(yaml.safe_dump(groups, sort_keys=False))
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    return root / "config.yaml"


def write_lab_settings(state: Path, profile: Profile, hosts: list[str]) -> None:
    """lab.yaml for the profile: processing time per command, and each device's link."""
    state.mkdir(parents=True, exist_ok=True)
    links = {
        h: {"rtt": profile.rtt(h), "jitter": profile.jitter_of(h), "loss": profile.loss_of(h)}
        for h in hosts
    }
    settings = {"latency": profile.latency, "convergence_delay": 1.0, "links": links}
    (state / "lab.yaml").write_text(yaml.safe_dump(settings))


@contextlib.contextmanager
def serve_lab(inventory: Path, state: Path) -> Iterator[tuple[dict[str, int], int]]:
    """``python -m lab serve`` in a child process; yields (host -> port, pid) once ready."""
    command = [sys.executable, "-m", "lab", "serve", "--inventory", str(inventory)]
    command += ["--state", str(state), "--port-base", "0"]
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        ports: dict[str, int] = {}
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "ready":
                break
            name, address = line.split()
            ports[name] = int(address.rsplit(":", 1)[1])
        else:
            raise RuntimeError("the lab exited before it was ready")
        yield ports, child.pid
    finally:
        child.terminate()
        child.wait(timeout=30)


@contextlib.contextmanager
def counting_parents() -> Iterator[dict[str, int]]:
    """Each host's mode-entering lines for new objects in the change it applies (each one a
    round trip for a push that waits for a new parent's answer before its children; a known
    object's parent need not wait, ``tasks.blocks``). Instrumentation only."""
    found: dict[str, int] = {}
    original = change._apply

    def counted(task: Task, conn: object, spec: object, plan: HostPlan, *rest: object) -> object:
        flat = [line for lines in plan.remediation.values() for line in lines]
        lines = with_known_objects(structure(flat), objects_of(plan.running))
        found[task.host.name] = sum(line.enters and not line.known for line in lines)
        return original(task, conn, spec, plan, *rest)  # type: ignore[arg-type]

    change._apply = counted  # type: ignore[assignment]
    try:
        yield found
    finally:
        change._apply = original


@contextlib.contextmanager
def counting_writes() -> Iterator[collections.Counter[int]]:
    """Count netmiko's writes to each device (by port) while deploy runs: each is one exchange
    the device answers. Instrumentation only: the call goes on to netmiko unchanged."""
    writes: collections.Counter[int] = collections.Counter()
    original = BaseConnection.write_channel

    def counted(self: BaseConnection, out_data: str) -> None:
        writes[int(self.port)] += 1
        original(self, out_data)

    BaseConnection.write_channel = counted  # type: ignore[method-assign]
    try:
        yield writes
    finally:
        BaseConnection.write_channel = original  # type: ignore[method-assign]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ssh_setup_seconds(port: int) -> float:
    """The best of three SSH logins up to the first prompt (paramiko, as netmiko uses it)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        client.connect(
            "127.0.0.1", port=port, username="admin", password="admin",
            look_for_keys=False, allow_agent=False,
        )  # fmt: skip
        channel = client.invoke_shell()
        data = b""
        while not data.rstrip().endswith((b">", b"#")):
            data += channel.recv(4096)
        best = min(best, time.perf_counter() - started)
        client.close()
    return best


def connect(ports: dict[str, int], host: str) -> ConnectHandler:
    return ConnectHandler(
        device_type="cisco_ios", host="127.0.0.1", port=ports[host],
        username="admin", password="admin", secret="admin", use_keys=False, allow_agent=False,
    )  # fmt: skip


def naive(ports: dict[str, int], config: Path) -> tuple[float, dict[str, int]]:
    """Sequential full-config push, one device after the other; returns (seconds, lines)."""
    intent = load_intent(config)
    lines: dict[str, int] = {}
    started = time.perf_counter()
    for host in ports:
        text = "\n".join(render_host(intent, host, "event42").values())
        commands = [c.strip() for c in text.splitlines() if c.strip() and c.strip() != "!"]
        conn = connect(ports, host)
        conn.enable()
        conn.send_config_set(commands, read_timeout=60)
        conn.disconnect()
        lines[host] = len(commands)
    return time.perf_counter() - started, lines


def run_profile(root: Path, config: Path, profile: Profile, spokes: int) -> int:
    """The first deploy of the tenant, then a key rotation (a new PSK and NHRP key: every
    device changes objects it already holds), each against its bounds."""
    hosts = ["hub1", *(f"e42-spoke{n}" for n in range(1, spokes + 1))]
    state = root / f"state-{profile.name}"
    write_lab_settings(state, profile, hosts)
    with serve_lab(root / "inventory", state) as (ports, lab_pid):
        setup_local = ssh_setup_seconds(ports["hub1"]) - ssh_round_trips() * profile.hub_rtt
        lab_args = ["--lab", "--lab-state", str(state), "-c", str(config)]
        with contextlib.redirect_stdout(io.StringIO()):  # once per device, not timed
            prepared = baseline.main(["--all", *lab_args])
        if prepared != 0:
            print(f"[{profile.name}] baseline failed (exit {prepared}): the deploy would refuse")
            return 1
        print(
            f"[{profile.name}] {profile.describe()}; {spokes} spokes",
        )
        failed = 0
        for scenario, secrets in (("deploy", SECRETS), ("rotate keys", ROTATED)):
            os.environ.update(secrets)
            run = timed_deploy(root / f"{profile.name}-{scenario}.json", lab_args, lab_pid)
            failed += report(profile, scenario, run, ports, setup_local)
    return failed


@dataclass
class Run:
    """One measured ``deploy.py`` run: its exit code and report, wall and CPU times, and
    what the instrumentation counted (writes per port, new objects' parents per host)."""

    code: int
    result: dict[str, Any]
    wall: float
    cpu: float
    lab_cpu: float
    writes: collections.Counter[int]
    parents: dict[str, int]


def timed_deploy(report_file: Path, lab_args: list[str], lab_pid: int) -> Run:
    lab_cpu, cpu, started = cpu_seconds(lab_pid), time.process_time(), time.perf_counter()
    with (
        contextlib.redirect_stdout(io.StringIO()),
        counting_writes() as writes,
        counting_parents() as parents,
    ):
        code = deploy.main(["--tenant", "event42", *lab_args, "--json", str(report_file)])
    wall = time.perf_counter() - started
    cpu, lab_cpu = time.process_time() - cpu, cpu_seconds(lab_pid) - lab_cpu
    result = json.loads(report_file.read_text())["hosts"] if report_file.exists() else {}
    return Run(code, result, wall, cpu, lab_cpu, writes, parents)


def report(
    profile: Profile, scenario: str, run: Run, ports: dict[str, int], setup_local: float
) -> int:
    """Print one run against its bound and safe bound; 1 when the run failed."""
    tag = f"[{profile.name}] {scenario}"
    result, parents, wall = run.result, run.parents, run.wall
    if run.code != 0:
        print(f"{tag} failed (exit {run.code}): {result}")
        return 1
    bounds = {h: host_bound(profile, h, r["lines_pushed"], setup_local) for h, r in result.items()}
    safe = {
        h: host_bound(profile, h, r["lines_pushed"], setup_local, parents.get(h, 0))
        for h, r in result.items()
    }
    slowest = max((h for h in result if h != "hub1"), key=lambda h: safe[h].total)
    bound = bounds["hub1"].total + max(bounds[h].total for h in result if h != "hub1")
    safe_bound = safe["hub1"].total + safe[slowest].total
    ratio, safe_ratio = wall / bound, wall / safe_bound
    verdict = "ok" if ratio <= TARGET_RATIO else f"above the {TARGET_RATIO}x aim"
    print(
        f"{tag}: headend {result['hub1']['lines_pushed']} lines, spokes up to "
        f"{max(r['lines_pushed'] for h, r in result.items() if h != 'hub1')}"
    )
    print(
        f"{tag} wall {wall:6.2f}s  bound {bound:5.2f}s  "
        f"ratio {ratio:4.2f}x ({verdict}); with a round trip per new object's parent "
        f"{safe_bound:5.2f}s, ratio {safe_ratio:4.2f}x"
    )
    latest = max((h for h in result if h != "hub1"), key=lambda h: result[h]["seconds"])
    for host in ("hub1", latest):
        b = safe[host]
        took = result[host]["seconds"]
        rtt = profile.round_trip(host)
        paid = f", ~{(took - b.processing) / rtt:.0f} round trips paid" if rtt else ""
        paid += (
            f"; {run.writes[ports[host]]} writes to the device (at least "
            f"{b.round_trips - SSH_SETUP}: {b.round_trips - SSH_SETUP - parents.get(host, 0)}"
            f" + {parents.get(host, 0)} new objects' parents)"
        )
        print(
            f"{tag}   {host:<12} took {took:5.2f}s after its SSH login, safe bound "
            f"{b.total:5.2f}s = {b.round_trips} round trips x {rtt * 1000:.0f} ms + "
            f"{b.commands} commands and {b.lines} lines x {profile.latency * 1000:.0f} ms + "
            f"{setup_local:.2f}s SSH CPU{paid}"
        )
    print(
        f"{tag}   CPU: runbook {run.cpu:.2f}s, lab {run.lab_cpu:.2f}s over {wall:.2f}s wall "
        f"on {os.cpu_count()} cores ({(run.cpu + run.lab_cpu) / wall:.2f} cores busy on average)"
    )
    print(f"{tag}   dominates: {dominant(wall, safe_bound, run.cpu, run.lab_cpu)}")
    return 0


def dominant(wall: float, bound: float, cpu: float, lab_cpu: float) -> str:
    """One sentence on where the time beyond the bound goes."""
    cores = os.cpu_count() or 1
    if (cpu + lab_cpu) / wall > 0.8 * cores:
        return "CPU: runbook and lab together keep every core busy"
    return (
        f"waiting: {wall - bound:.2f}s above the safe bound with the cores"
        f" {100 * (cpu + lab_cpu) / wall / cores:.0f}% busy (the runbook's start and the"
        " SSH logins before the headend's change, exchanges queued behind others', jitter, loss)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spokes", type=int, default=40)
    parser.add_argument("--profile", action="append", choices=sorted(PROFILES))
    parser.add_argument("--naive", action="store_true", help="also time a naive full push")
    args = parser.parse_args()
    os.environ.update(SECRETS)
    print("bound per host, round trips no push can avoid:", ", ".join(
        f"{name} {count}" for name, count in PIPELINE))  # fmt: skip
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = write_inventory(root, args.spokes)
        for name in args.profile or ["today", "lte"]:
            failed += run_profile(root, config, PROFILES[name], args.spokes)
        if args.naive:
            profile = PROFILES["today"]
            state = root / "naive-state"
            write_lab_settings(state, profile, [])
            with serve_lab(root / "inventory", state) as (ports, _):
                seconds, lines = naive(ports, config)
            total = sum(lines.values())
            print(f"[naive] {total} lines, one device after the other: {seconds:.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
