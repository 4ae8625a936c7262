"""``python -m lab serve``: the emulated lab in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path

from lab.api import Lab, LabError, read_settings
from lab.config.device import DeviceStateError
from lab.serve.inventory import InventoryError, load_hosts

DEFAULT_PORT_BASE = 2200


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve one emulated ISR per inventory host")
    serve.add_argument("--inventory", type=Path, default=Path("inventory"))
    serve.add_argument("--state", type=Path, default=Path(".lab"))
    serve.add_argument(
        "--port-base",
        type=int,
        default=DEFAULT_PORT_BASE,
        help="first port, then one per host in inventory order (0: any free ports)",
    )
    serve.add_argument("--convergence-delay", type=float, default=None, metavar="S")
    serve.add_argument("--latency", type=float, default=None, metavar="S")
    serve.add_argument(
        "--minute", type=float, default=None, metavar="S", help="seconds per IOS minute"
    )
    return parser


def serve(args: argparse.Namespace) -> int:
    try:
        settings = read_settings(args.state)
        hosts = load_hosts(args.inventory)
    except (InventoryError, ValueError, OSError) as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 2
    if args.convergence_delay is not None:
        settings = replace(settings, convergence_delay=args.convergence_delay)
    if args.latency is not None:
        settings = replace(settings, latency=args.latency)
    if args.minute is not None:
        settings = replace(settings, minute=args.minute)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        lab = Lab(hosts, args.state, args.port_base, settings)
        lab.start()
    except (OSError, DeviceStateError, LabError) as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 2
    try:
        for host in hosts:
            print(f"{host.name} 127.0.0.1:{lab.ports[host.name]}")
        print("ready", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        lab.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
