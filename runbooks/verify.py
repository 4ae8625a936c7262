"""Prove a tenant's overlay works before the doors open: NHRP, IKEv2, EIGRP, routes, data plane.

    python runbooks/verify.py --tenant event42 [--lab] [--wait 60] [--poll 5]
                              [--json FILE] [--junit FILE] [--no-dataplane]

Checks come from the intent and are polled until they all pass or --wait runs out.
Exit 0 every check passed, 1 a check failed, 2 invalid input or a device unreachable.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml
from nornir.core import Nornir
from rich.console import Console

from runbooks.common import (
    EXIT_FAILED,
    EXIT_INVALID,
    EXIT_OK,
    add_common_args,
    init_nornir,
    runbook,
)
from tasks.checks import CheckResult
from tasks.connect import ConnectError, attach_targets, close_all, device_targets, lab_targets
from tasks.intent import Intent, load_intent
from tasks.report import verify_json, verify_junit, verify_table, write_json, write_text
from tasks.secrets import mask
from tasks.verify import DeviceUnreachable, plan_from_intent, verify


def inventory_dir(config: Path) -> Path:
    """Folder of the inventory's hosts file (what the lab is built from)."""
    raw = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    options = (raw.get("inventory") or {}).get("options") or {}
    return (config.parent / str(options.get("host_file", "hosts.yaml"))).parent


@contextmanager
def open_devices(
    intent: Intent, hosts: list[str], config: Path, lab: bool, lab_state: Path
) -> Iterator[Nornir]:
    """Nornir over `hosts`: the real devices, or (`lab`) the emulated lab serving `lab_state`
    (attached to `python -m lab serve` when one runs, else started here for the run)."""
    runner = {"plugin": "threaded", "options": {"num_workers": max(1, len(hosts))}}
    nr = init_nornir(config, logging={"enabled": False}, runner=runner)
    handle = None
    try:
        if lab:
            try:
                from lab.api import attach_or_start, read_settings  # only when asked for

                settings = read_settings(lab_state)
                handle = attach_or_start(inventory_dir(config), lab_state)
            except Exception as err:  # the lab's own errors, as one line for people
                raise ConnectError(f"cannot start the lab in {lab_state}: {err}") from err
            ports, creds = handle.ports, (settings.username, settings.password)
            targets = lab_targets(hosts, ports, *creds, settings.enable_secret)
        else:
            targets = device_targets(intent, hosts, nr.inventory.hosts)
        nr = attach_targets(nr, targets)
        yield nr
    finally:
        close_all(nr)
        if handle is not None:
            handle.close()


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more seconds")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tenant", required=True, help="tenant to verify")
    parser.add_argument(
        "--wait",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="keep polling until this many seconds have passed (default: 60)",
    )
    parser.add_argument(
        "--poll",
        type=_seconds,
        default=5.0,
        metavar="SECONDS",
        help="pause between poll rounds (default: 5)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    parser.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML for CI")
    parser.add_argument(
        "--no-dataplane", action="store_true", help="skip the pings and the phase-3 shortcut check"
    )
    add_common_args(parser)
    return parser.parse_args(argv)


@runbook
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    intent = load_intent(args.config, args.secrets, require_secrets=False)
    plan = plan_from_intent(intent, args.tenant)
    hosts = intent.hosts_for(args.tenant)
    console, errors = Console(), Console(stderr=True)

    def progress(number: int, results: list[CheckResult]) -> None:
        passed = sum(r.passed for r in results)
        errors.print(f"round {number}: {passed}/{len(results)} checks passed", highlight=False)

    started = time.monotonic()
    try:
        with open_devices(intent, hosts, args.config, args.lab, args.lab_state) as nr:
            results = verify(nr, plan, args.wait, args.poll, not args.no_dataplane, progress)
    except (DeviceUnreachable, ConnectError) as err:
        errors.print(f"unreachable: {mask(str(err), intent)}", highlight=False)
        return EXIT_INVALID
    elapsed = time.monotonic() - started
    results = [CheckResult(r.host, r.check, r.passed, mask(r.detail, intent)) for r in results]
    console.print(verify_table(args.tenant, results))
    if args.json:
        write_json(args.json, verify_json(args.tenant, results))
    if args.junit:
        write_text(args.junit, verify_junit(args.tenant, results, elapsed))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
