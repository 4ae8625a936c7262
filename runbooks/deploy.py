"""Deploy one tenant: tenant-scoped, diff-only push in section order, with backup and rollback.

    python runbooks/deploy.py --tenant event42 [--lab] [--lab-state DIR] [--dry-run]
        [--limit HOST ...] [--json FILE] [--no-save] [--revert-minutes N] [--lease-wait S]
        [-c config.yaml] [--secrets FILE]

Validate the whole intent (exit 2, nothing touched), then the change pipeline (tasks/change.py):
per host, plan against the running config and the ownership manifest, take the device's change
lease, back up, push section by section under IOS's configuration lock and revert timer, roll
back on any failure, record ownership, save. Headend first, spokes once it succeeded. Exit 0 all
ok, 1 a host failed (rolled back), 2 invalid input, 130 interrupted (rolled back).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console

from runbooks.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    add_change_args,
    add_common_args,
    host_key_options,
    interruptible,
    open_devices,
    runbook,
)
from tasks.change import DEPLOY, TEARDOWN, ChangeSpec, HostReport, all_ok, run_change
from tasks.connect import ConnectError
from tasks.deploy_report import HostLine, Progress, print_plan, summary_json, summary_table
from tasks.host_plan import Planner
from tasks.intent import Intent, IntentError, Problem, load_intent
from tasks.plans import deploy_planner, teardown_hosts, teardown_planner
from tasks.push import HostOutcome, Status
from tasks.report import write_json
from tasks.secrets import mask


@dataclass
class Change:
    """One run of deploy or teardown, as asked on the command line."""

    mode: str
    tenant: str
    config: Path
    secrets: Path | None
    lab: bool
    lab_state: Path
    dry_run: bool = False
    limit: list[str] = field(default_factory=list)
    json_file: Path | None = None
    save: bool = True
    revert_minutes: int = 5
    lease_wait: float = 120.0
    host_keys: dict[str, Any] = field(default_factory=dict)  # known_hosts, trust_on_first_use
    orphan: bool = False  # teardown of a tenant the inventory no longer has (by manifest)


def parse_args(argv: list[str] | None) -> Change:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tenant", required=True, help="tenant to deploy")
    parser.add_argument("--dry-run", action="store_true", help="print the lines, push nothing")
    parser.add_argument("--limit", nargs="+", default=[], metavar="HOST", help="only these hosts")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the result as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not write memory")
    add_change_args(parser)
    add_common_args(parser)
    args = parser.parse_args(argv)
    return Change(
        DEPLOY,
        args.tenant,
        args.config,
        args.secrets,
        args.lab,
        args.lab_state,
        args.dry_run,
        args.limit,
        args.json,
        not args.no_save,
        args.revert_minutes,
        args.lease_wait,
        host_key_options(args),
    )


def selected_hosts(hosts: Sequence[str], tenant: str, limit: Sequence[str]) -> list[str]:
    """The tenant's hosts (headend first), cut down to ``--limit``."""
    unknown = [h for h in limit if h not in hosts]
    if unknown:
        raise IntentError(
            Problem("command line", "--limit", "host", f"{h!r} is not a host of tenant {tenant}")
            for h in unknown
        )
    return [h for h in hosts if not limit or h in limit]


def plan_for(change: Change, intent: Intent) -> tuple[list[str], Planner]:
    """The hosts to visit and the pure planner, all rendered before any device is touched."""
    if change.mode == DEPLOY:
        intent.check_tenant(change.tenant)
        hosts = selected_hosts(intent.hosts_for(change.tenant), change.tenant, change.limit)
        return hosts, deploy_planner(intent, change.tenant, hosts)
    if change.tenant in intent.tenants and change.orphan:
        raise IntentError(
            [
                Problem(
                    "command line", "--orphan", "tenant", f"{change.tenant!r} is in the inventory"
                )
            ]
        )
    if change.tenant not in intent.tenants and not change.orphan:
        intent.check_tenant(change.tenant)  # a typo: one message naming the known tenants, exit 2
    hosts = selected_hosts(teardown_hosts(intent, change.tenant), change.tenant, change.limit)
    return hosts, teardown_planner(intent, change.tenant, hosts)


def run(change: Change) -> int:
    """The whole flow of a deploy or a teardown; returns the exit code."""
    console = Console(highlight=False)
    needed: list[str] | bool = [change.tenant] if change.mode == DEPLOY else False
    intent = load_intent(change.config, change.secrets, require_secrets=needed)
    if change.mode == TEARDOWN and change.tenant not in intent.tenants:
        console.print(
            f"{change.tenant} is not in the inventory: removing what the devices' ownership"
            " manifests record for it"
        )
    hosts, planner = plan_for(change, intent)

    def hide(text: str) -> str:
        return mask(text, intent)

    progress = Progress(console, hide)
    roles = {h: intent.hosts[h].role for h in hosts}
    spec = ChangeSpec(
        change.mode,
        change.tenant,
        hosts,
        change.config.parent / "backups",
        save=change.save,
        dry_run=change.dry_run,
        revert_minutes=change.revert_minutes,
        lease_wait=change.lease_wait,
    )

    def done(report: HostReport) -> None:
        if change.dry_run:
            print_plan(console, report.host, report.outcome.remediation, hide)
        else:
            progress.host_done(row(report))

    try:
        with (
            interruptible(spec.abort),
            open_devices(
                intent, hosts, change.config, change.lab, change.lab_state, **change.host_keys
            ) as nr,
        ):
            reports = run_change(nr, spec, roles, planner, progress.say, progress.section, done)
    except ConnectError as exc:  # no lab, bad lab.yaml, host not in the lab or inventory
        error = f"cannot reach the devices: {exc}"
        reports = [HostReport(h, roles[h], HostOutcome(Status.FAILED, error=error)) for h in hosts]
        print(hide(error), file=sys.stderr)
    code = EXIT_OK if all_ok(reports) else EXIT_FAILED
    if spec.abort.is_set():
        code = EXIT_INTERRUPTED
    return finish(change, console, reports, hide, code)


def row(report: HostReport) -> HostLine:
    """A report as a row of the summary (notes appended to the error column)."""
    outcome = report.outcome
    detail = "; ".join([*([outcome.error] if outcome.error else []), *outcome.notes]) or None
    return HostLine(
        report.host, report.role, outcome.status, outcome.lines_pushed, detail, outcome.seconds
    )


def finish(
    change: Change,
    console: Console,
    reports: list[HostReport],
    hide: Callable[[str], str],
    code: int,
) -> int:
    """Print the summary, write the JSON, return ``code``."""
    rows = [row(r) for r in reports]
    title = f"{change.mode} {change.tenant}" + (" (dry run)" if change.dry_run else "")
    console.print(summary_table(title, rows, hide))
    if change.json_file is not None:
        data = summary_json(change.tenant, rows, hide)
        for r in reports:
            data["hosts"][r.host]["lines_planned"] = r.outcome.planned
        write_json(change.json_file, data)
    return code


@runbook
def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
