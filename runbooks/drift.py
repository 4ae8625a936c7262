"""Nightly drift check: what devices lack of the intent, and what they hold that no intent knows.

    python runbooks/drift.py [--tenant NAME] [--lab] [--json FILE] [--html FILE] [--remediate]

Per host, the lines that would restore intent and, separately, config on the device the intent
does not know (reported, never removed). --remediate pushes the restoring lines through the
deploy path (backup, rollback on failure, save). Exit 0 no drift, 1 drift, 2 invalid input or
a device unreachable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console

from runbooks.common import (
    EXIT_FAILED,
    EXIT_INVALID,
    EXIT_OK,
    add_common_args,
    open_devices,
    runbook,
)
from tasks.connect import ConnectError
from tasks.drift import HostDrift, any_drift, drift_hosts, host_drift
from tasks.html_report import write_drift_page
from tasks.intent import load_intent
from tasks.owned_diff import Remediation
from tasks.push import HostOutcome, HostPlan, Status, describe, plan_host, push_host
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
        help="push the restoring lines (backup, rollback, save); unexpected config stays",
    )
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
    console, errors = Console(highlight=False), Console(stderr=True, highlight=False)

    def hide(text: str) -> str:
        return mask(text, intent)

    found: dict[str, HostDrift] = {}

    def compute(host: str, running: str) -> Remediation:
        found[host] = host_drift(intent, host, running, args.tenant)
        return found[host].restore

    outcomes: dict[str, HostOutcome] = {}
    try:
        with open_devices(intent, hosts, args.config, args.lab, args.lab_state) as nr:
            result = nr.run(task=plan_host, compute=compute, name="drift")
            broken = {h: describe(m[0].exception) for h, m in result.items() if m.failed}
            if broken:
                for host, reason in broken.items():
                    errors.print(hide(f"unreachable: {host}: {reason}"))
                return EXIT_INVALID
            drift = {h: found[h] for h in hosts}
            for table in drift_tables(drift, hide):
                console.print(table)
            if args.remediate:
                plans: dict[str, HostPlan] = {h: result[h][0].result for h in hosts}
                outcomes = remediate(nr, plans, args.tenant or "drift", args.config, console)
    except ConnectError as err:
        errors.print(hide(f"unreachable: {err}"))
        return EXIT_INVALID
    data = drift_json(drift, hide)
    for host, outcome in outcomes.items():
        data["hosts"][host]["remediation"] = outcome.status
        data["hosts"][host]["remediation_error"] = hide(outcome.error or "") or None
    if args.json:
        write_json(args.json, data)
    if args.html:
        write_drift_page(args.html, data, hide, args.tenant)
    return EXIT_FAILED if any_drift(drift) else EXIT_OK


def remediate(
    nr: object, plans: dict[str, HostPlan], label: str, config: Path, console: Console
) -> dict[str, HostOutcome]:
    """Push each drifting host's restoring lines through the deploy path, in parallel."""
    wave = [h for h, plan in plans.items() if plan.remediation]
    if not wave:
        return {}
    group = nr.filter(filter_func=lambda host: host.name in wave)  # type: ignore[attr-defined]
    result = group.run(
        task=push_host,
        plans=plans,
        tenant=label,
        backup_root=config.parent / "backups",
        save=True,
        on_section=lambda host, section, lines: console.print(
            f"{host}: restored {section} ({lines} lines)"
        ),
        name="remediate",
        on_failed=True,
    )
    outcomes: dict[str, HostOutcome] = {}
    for host in wave:
        outcome = result[host][0].result
        if not isinstance(outcome, HostOutcome):  # the backup failed: nothing was changed
            outcome = HostOutcome(Status.FAILED, error=describe(result[host][0].exception))
        outcomes[host] = outcome
        console.print(
            f"{host}: remediation {outcome.status}"
            + (f": {outcome.error}" if outcome.error else "")
        )
    return outcomes


if __name__ == "__main__":
    sys.exit(main())
