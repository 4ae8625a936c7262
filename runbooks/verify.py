"""Prove a tenant's overlay works before the doors open: NHRP, IKEv2, EIGRP, routes, data plane.

    python runbooks/verify.py --tenant event42 [--lab] [--wait 60] [--poll 5]
                              [--json FILE] [--junit FILE] [--html FILE] [--no-dataplane]
                              [--no-internet-check]

Checks come from the intent and are polled until they all pass or --wait runs out.
Exit 0 every check passed, 1 a check failed, 2 invalid input or a device unreachable.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console

from runbooks.common import (
    EXIT_FAILED,
    EXIT_INVALID,
    EXIT_OK,
    add_common_args,
    host_key_options,
    open_devices,
    runbook,
)
from tasks.checks import CheckResult
from tasks.connect import ConnectError
from tasks.html_report import write_verify_page
from tasks.intent import load_intent
from tasks.report import verify_json, verify_junit, verify_table, write_json, write_text
from tasks.secrets import mask
from tasks.verify import DeviceUnreachable, plan_from_intent, verify


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
    parser.add_argument("--html", type=Path, metavar="FILE", help="write a self-contained page")
    parser.add_argument(
        "--no-dataplane", action="store_true", help="skip the pings and the phase-3 shortcut check"
    )
    parser.add_argument(
        "--no-internet-check",
        action="store_true",
        help="skip the spokes' LAN ping to the internet probe (inventory: internet.check)",
    )
    add_common_args(parser)
    return parser.parse_args(argv)


@runbook
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    intent = load_intent(args.config, args.secrets, require_secrets=False)
    plan = plan_from_intent(intent, args.tenant, internet_check=not args.no_internet_check)
    hosts = intent.hosts_for(args.tenant)
    console, errors = Console(), Console(stderr=True)

    def progress(number: int, results: list[CheckResult]) -> None:
        passed = sum(r.passed for r in results)
        errors.print(f"round {number}: {passed}/{len(results)} checks passed", highlight=False)

    started = time.monotonic()
    try:
        with open_devices(
            intent, hosts, args.config, args.lab, args.lab_state, **host_key_options(args)
        ) as nr:
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
    if args.html:
        write_verify_page(
            args.html, verify_json(args.tenant, results), plan, lambda t: mask(t, intent)
        )
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
