"""Nightly drift check: what devices lack of the intent, and what they hold that no intent knows.

    python runbooks/drift.py [--tenant NAME] [--lab] [--json FILE] [--html FILE] [--remediate]
        [--revert-minutes N] [--lease-wait S]

Per host, the lines that would restore intent; config inside a tenant's own objects that its
intent does not have (a `shutdown` typed on its tunnel: remediation removes it); config outside
owned objects that no intent knows (reported, never removed); and objects the devices' ownership
manifests record for tenants the inventory no longer has (orphans, named). --remediate sends the
restoring lines through the change pipeline (lease, backup, lock, revert timer, rollback, save).
Exit 0 no drift, 1 drift, 2 invalid input or a device unreachable.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console

from runbooks.common import (
    EXIT_FAILED,
    EXIT_INVALID,
    EXIT_OK,
    add_change_args,
    add_common_args,
    host_key_options,
    interruptible,
    open_devices,
    runbook,
)
from tasks.change import REMEDIATE, ChangeSpec, HostReport, run_change
from tasks.connect import ConnectError
from tasks.drift import HostDrift, any_drift, drift_hosts, host_drift
from tasks.host_plan import HostPlan
from tasks.html_report import write_drift_page
from tasks.intent import load_intent
from tasks.manifest import Claim, recorded_paths
from tasks.plans import judged_running, remediate_planner
from tasks.push import Status
from tasks.report import drift_json, drift_tables, write_json
from tasks.secrets import mask


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tenant", help="only this tenant's hosts and objects (default: all)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the result as JSON")
    parser.add_argument("--html", type=Path, metavar="FILE", help="write a self-contained page")
    parser.add_argument(
        "--remediate",
        action="store_true",
        help="push the restoring lines (lease, backup, rollback, save); unknown config stays",
    )
    add_change_args(parser)
    add_common_args(parser)
    return parser.parse_args(argv)


@runbook
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    needed: list[str] | bool = [args.tenant] if args.tenant else True
    intent = load_intent(args.config, args.secrets, require_secrets=needed)
    if args.tenant:
        intent.check_tenant(args.tenant)
    hosts = drift_hosts(intent, args.tenant)
    roles = {h: intent.hosts[h].role for h in hosts}
    console, errors = Console(highlight=False), Console(stderr=True, highlight=False)

    secret_values = intent.secret_values()  # once: thousands of lines are masked

    def hide(text: str) -> str:
        return mask(text, secret_values)

    found: dict[str, HostDrift] = {}

    computing = threading.Lock()

    def read_only(host: str, running: str, claims: dict[str, Claim]) -> HostPlan:
        # one diff at a time: it is pure computing, and 200 threads taking turns on the
        # interpreter lock cost more than the diffs themselves
        with computing:
            view, _ = judged_running(intent, host, running, claims, args.tenant)  # type-6 keys
            found[host] = host_drift(intent, host, view, args.tenant, recorded_paths(claims))
        return HostPlan(running, found[host].restore, claims)

    label = args.tenant or "drift"
    check = ChangeSpec(REMEDIATE, label, hosts, args.config.parent / "backups", dry_run=True)
    fixes: list[HostReport] = []
    try:
        with open_devices(
            intent, hosts, args.config, args.lab, args.lab_state, **host_key_options(args)
        ) as nr:
            reports = run_change(nr, check, roles, read_only, lambda *_: None, lambda *_: None)
            broken = {r.host: r.outcome.error for r in reports if r.host not in found}
            if broken:
                for host, reason in broken.items():
                    errors.print(hide(f"unreachable: {host}: {reason}"))
                return EXIT_INVALID
            drift = {h: found[h] for h in hosts}
            for table in drift_tables(drift, hide):
                console.print(table)
            if args.remediate:
                fixes = remediate(nr, args, intent, hosts, roles, console)
    except ConnectError as err:
        errors.print(hide(f"unreachable: {err}"))
        return EXIT_INVALID
    data = drift_json(drift, hide)
    for fix in fixes:
        data["hosts"][fix.host]["remediation"] = fix.outcome.status
        data["hosts"][fix.host]["remediation_error"] = hide(fix.outcome.error or "") or None
    if args.json:
        write_json(args.json, data)
    if args.html:
        write_drift_page(args.html, data, hide, args.tenant)
    return EXIT_FAILED if any_drift(drift) else EXIT_OK


def remediate(
    nr: object,
    args: argparse.Namespace,
    intent: object,
    hosts: list[str],
    roles: dict[str, str],
    console: Console,
) -> list[HostReport]:
    """Send each drifting host's restoring lines through the change pipeline."""
    spec = ChangeSpec(
        REMEDIATE,
        args.tenant or "drift",
        hosts,
        args.config.parent / "backups",
        revert_minutes=args.revert_minutes,
        lease_wait=args.lease_wait,
    )

    def say(host: str, text: str) -> None:
        console.print(mask(f"{host}: {text}", intent))  # type: ignore[arg-type]

    def section(host: str, name: str, lines: int) -> None:
        console.print(f"{host}: restored {name} ({lines} lines)")

    with interruptible(spec.abort):
        planner = remediate_planner(intent, args.tenant)  # type: ignore[arg-type]
        reports = run_change(nr, spec, roles, planner, say, section)  # type: ignore[arg-type]
    for report in reports:
        if report.outcome.status != Status.UNCHANGED:
            detail = f": {report.outcome.error}" if report.outcome.error else ""
            say(report.host, f"remediation {report.outcome.status}{detail}")
    return [r for r in reports if r.outcome.status != Status.UNCHANGED]


if __name__ == "__main__":
    sys.exit(main())
