"""Validate + render 20 tenants x 100 spokes (one headend) and compare with a 2-second target.

python bench/bench_render.py [--tenants N] [--spokes N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.intent import load_intent
from tasks.render import render_host

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0


def write_inventory(root: Path, tenants: int, spokes: int) -> dict[str, str]:
    """A copy of the example inventory scaled up; returns the secrets to put in the environment."""
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    shutil.copytree(REPO / "inventory", root / "inventory")
    inventory = root / "inventory"
    groups = yaml.safe_load((inventory / "groups.yaml").read_text())
    hub = yaml.safe_load((inventory / "hosts.yaml").read_text())["hub1"]
    groups = {k: v for k, v in groups.items() if not k.startswith("tenant-")}
    hosts = {"hub1": hub}
    secrets = {}
    for t in range(1, tenants + 1):
        name, tag = f"ev{t}", f"EV{t}"
        groups[f"tenant-{name}"] = {
            "groups": ["spoke"],
            "data": {
                "tenant": {
                    "name": name,
                    "headend": "hub1",
                    "vrf": f"VRF-{tag}",
                    "tunnel": 100 + t,
                    "tunnel_key": 100 + t,
                    "nhrp_network_id": 100 + t,
                    "tunnel_subnet": f"172.16.{t}.0/24",
                    "hub_tunnel_ip": f"172.16.{t}.1",
                    "eigrp_as": 100 + t,
                    "ikev2_domain": f"{name}.example.net",
                    "psk": f"${{{tag}_PSK}}",
                    "nhrp_key": f"${{{tag}_NHRP}}",
                }
            },
        }
        secrets[f"{tag}_PSK"] = f"bench-psk-{t}"
        secrets[f"{tag}_NHRP"] = f"bn{t}"
        for s in range(1, spokes + 1):
            hosts[f"{name}-spoke{s}"] = {
                "groups": [f"tenant-{name}"],
                "data": {
                    "model": "ISR4321",
                    "wan": {"interface": "GigabitEthernet0/0/0", "dhcp": True},
                    "lan": {"interface": "GigabitEthernet0/0/1", "address": f"10.{t}.{s}.1/24"},
                    "tunnel_ip": f"172.16.{t}.{10 + s}",
                },
            }
    (inventory / "groups.yaml").write_text(yaml.safe_dump(groups, sort_keys=False))
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    return secrets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--spokes", type=int, default=100, help="spokes per tenant")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        secrets = write_inventory(Path(tmp), args.tenants, args.spokes)
        os.environ.update(secrets)
        start = time.perf_counter()
        intent = load_intent(Path(tmp) / "config.yaml")
        loaded = time.perf_counter()
        lines = sum(
            text.count("\n")
            for host in intent.hosts
            for text in render_host(intent, host, None).values()
        )
        done = time.perf_counter()
    total = done - start
    print(
        f"render: {len(intent.hosts)} hosts, {args.tenants} tenants, {lines} lines: "
        f"validate {loaded - start:.2f}s + render {done - loaded:.2f}s = {total:.2f}s "
        f"({total / TARGET_SECONDS:.2f} x the {TARGET_SECONDS:.0f}s target)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
