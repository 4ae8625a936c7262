"""Deploy one tenant (1 headend + 40 spokes) to the lab with 20 ms per-command latency.

    python bench/bench_deploy.py [--spokes N] [--latency S]

Prints the wall time of ``runbooks/deploy.py``, the lower bound (connect + headend lines x
latency + largest spoke's lines x latency: the headend must finish before any spoke starts,
spokes can all go at once) and the ratio; then the same for a naive baseline that connects to
each device in turn and sends its full rendered config with ``send_config_set``.

The lab runs as ``python -m lab serve`` in its own process, as devices would: its CPU is not
the runbook's. Both share this machine's cores, though, so with many spokes the ratio says
as much about the emulator's CPU as about the runbook.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netmiko import ConnectHandler

from runbooks import baseline, deploy
from tasks.intent import load_intent
from tasks.render import render_host

REPO = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.3
SECRETS = {"EVENT42_PSK": "bench-psk-42", "EVENT42_NHRP_KEY": "bnhrp42"}


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


@contextlib.contextmanager
def serve_lab(inventory: Path, state: Path, latency: float) -> Iterator[dict[str, int]]:
    """``python -m lab serve`` in a child process; yields host -> port once it says ready."""
    command = [sys.executable, "-m", "lab", "serve", "--inventory", str(inventory)]
    command += ["--state", str(state), "--port-base", "0", "--latency", str(latency)]
    command += ["--convergence-delay", "1"]
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
        yield ports
    finally:
        child.terminate()
        child.wait(timeout=30)


def connect(ports: dict[str, int], host: str) -> ConnectHandler:
    return ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=ports[host],
        username="admin",
        password="admin",
        secret="admin",
        use_keys=False,
        allow_agent=False,
    )


def connect_seconds(ports: dict[str, int]) -> float:
    """Time to open (and prepare) one netmiko session to the headend."""
    started = time.perf_counter()
    conn = connect(ports, "hub1")
    conn.enable()
    seconds = time.perf_counter() - started
    conn.disconnect()
    return seconds


def line_seconds(ports: dict[str, int], lines: int = 60) -> float:
    """What one config line costs through netmiko's ``send_config_set`` (echo + prompt
    verified per line, as the deploy sends them) on one idle session."""
    commands = ["interface Loopback100"] + [f"description bench line {i}" for i in range(lines)]
    conn = connect(ports, "hub1")
    conn.enable()
    conn.config_mode()
    started = time.perf_counter()
    conn.send_config_set(commands, enter_config_mode=False, exit_config_mode=False)
    seconds = (time.perf_counter() - started) / len(commands)
    conn.disconnect()
    return seconds


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


def report(label: str, wall: float, bound: float) -> None:
    ratio = wall / bound if bound else float("inf")
    verdict = "ok" if ratio <= TARGET_RATIO else f"above the {TARGET_RATIO}x aim"
    print(f"{label:<9} wall {wall:7.2f}s  bound {bound:6.2f}s  ratio {ratio:5.2f}x  ({verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spokes", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    os.environ.update(SECRETS)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = write_inventory(root, args.spokes)
        state = root / "lab-state"
        with serve_lab(root / "inventory", state, args.latency) as ports:
            connect_time = connect_seconds(ports)
            lab_args = ["--lab", "--lab-state", str(state), "-c", str(config)]
            with contextlib.redirect_stdout(io.StringIO()):  # once per device, not timed
                baseline.main(["--all", *lab_args])
            argv = ["--tenant", "event42", *lab_args]
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                code = deploy.main([*argv, "--json", str(root / "deploy.json")])
            wall = time.perf_counter() - started
        result = json.loads((root / "deploy.json").read_text())["hosts"]
        if code != 0:
            print(f"deploy failed (exit {code}): {result}")
            return 1
        hub_lines = result["hub1"]["lines_pushed"]
        spoke_lines = max(r["lines_pushed"] for h, r in result.items() if h != "hub1")
        bound = connect_time + (hub_lines + spoke_lines) * args.latency

        with serve_lab(root / "inventory", root / "naive-state", args.latency) as ports:
            per_line = line_seconds(ports)
            naive_wall, naive_lines = naive(ports, config)
        spoke_max = max(v for h, v in naive_lines.items() if h != "hub1")
        naive_bound = connect_time + (naive_lines["hub1"] + spoke_max) * args.latency

    print(
        f"1 headend + {args.spokes} spokes, {args.latency * 1000:.0f} ms per command, "
        f"connect {connect_time:.2f}s"
    )
    print(f"deploy: headend {hub_lines} lines, largest spoke {spoke_lines} lines")
    report("deploy", wall, bound)
    floor = connect_time + (hub_lines + spoke_lines) * per_line
    print(
        f"what dominates: a line costs {per_line * 1000:.1f} ms through netmiko on an idle"
        f" session ({per_line / args.latency:.2f}x the latency: echo and prompt are awaited"
        f" per line); at that cost the bound is {floor:.2f}s, and deploy is"
        f" {wall / floor:.2f}x of it (the rest: {args.spokes} sessions and the emulator"
        f" sharing {os.cpu_count()} cores, plus backup, save and reads)"
    )
    print(f"naive: headend {naive_lines['hub1']} lines, {sum(naive_lines.values())} lines in all")
    report("naive", naive_wall, naive_bound)
    return 0


if __name__ == "__main__":
    sys.exit(main())
