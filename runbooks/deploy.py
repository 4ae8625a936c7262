"""Deploy one tenant: tenant-scoped, diff-only push in section order, with backup and rollback.

    python runbooks/deploy.py --tenant event42 [--lab] [--lab-state DIR] [--dry-run]
        [--limit HOST ...] [--json FILE] [--no-save] [-c config.yaml] [--secrets FILE]

Validate the whole intent (exit 2, nothing touched) -> connect in parallel -> read each running
config and compute the tenant's remediation -> (--dry-run prints it and stops) -> headend first:
back up (flash + local), push section by section, roll back on failure, save -> spokes in
parallel, only once the headend succeeded. Exit 0 all ok, 1 a host failed (rolled back),
2 invalid input.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nornir.core import Nornir
from rich.console import Console

from runbooks.common import EXIT_FAILED, EXIT_OK, add_common_args, open_devices, runbook
from tasks.connect import ConnectError
from tasks.deploy_report import HostLine, Progress, all_ok, print_plan, summary_json, summary_table
from tasks.intent import Intent, IntentError, Problem, load_intent
from tasks.owned_diff import Remediation, owned_remediation, teardown_remediation
from tasks.ownership import ownership_for
from tasks.push import HostOutcome, HostPlan, Status, describe, plan_host, push_host
from tasks.render import render_host
from tasks.report import write_json
from tasks.secrets import mask

DEPLOY, TEARDOWN = "deploy", "teardown"


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


def parse_args(argv: list[str] | None) -> Change:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", required=True, help="tenant to deploy")
    parser.add_argument("--dry-run", action="store_true", help="print the lines, push nothing")
    parser.add_argument("--limit", nargs="+", default=[], metavar="HOST", help="only these hosts")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the result as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not write memory")
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
    )


def selected_hosts(intent: Intent, tenant: str, limit: Sequence[str]) -> list[str]:
    """The tenant's hosts (headend first), cut down to ``--limit``."""
    hosts = intent.hosts_for(tenant)
    unknown = [h for h in limit if h not in hosts]
    if unknown:
        raise IntentError(
            [
                Problem(
                    "command line", "--limit", "host", f"{h!r} is not a host of tenant {tenant}"
                )
                for h in unknown
            ]
        )
    return [h for h in hosts if not limit or h in limit]


def planner(
    change: Change, intent: Intent, hosts: Sequence[str]
) -> Callable[[str, str], Remediation]:
    """The pure part: host + running config -> lines, rendered before any device is touched."""
    owner = ownership_for(intent.tenants.values(), change.tenant)
    rendered = {h: render_host(intent, h, change.tenant) for h in hosts}
    diff = owned_remediation if change.mode == DEPLOY else teardown_remediation

    def compute(host: str, running: str) -> Remediation:
        return diff(rendered[host], running, owner)

    return compute


def run_change(change: Change) -> int:
    """The whole flow of a deploy or a teardown; returns the exit code."""
    console = Console(highlight=False)
    needed: list[str] | bool = [change.tenant] if change.mode == DEPLOY else False
    intent = load_intent(change.config, change.secrets, require_secrets=needed)
    intent.check_tenant(change.tenant)
    hosts = selected_hosts(intent, change.tenant, change.limit)
    compute = planner(change, intent, hosts)

    def hide(text: str) -> str:
        return mask(text, intent)

    progress = Progress(console, hide)
    rows = {h: HostLine(h, intent.hosts[h].role, Status.SKIPPED) for h in hosts}
    try:
        with open_devices(intent, hosts, change.config, change.lab, change.lab_state) as nr:
            plans = plan_all(nr, rows, compute, progress)
            if change.dry_run:
                for host, plan in plans.items():
                    print_plan(console, host, plan.remediation, hide)
                    rows[host].status = Status.PLANNED if plan.remediation else Status.UNCHANGED
            else:
                push_all(change, nr, rows, plans, progress)
    except ConnectError as exc:  # no lab, bad lab.yaml, host not in the lab or inventory
        for row in rows.values():
            row.status, row.error = Status.FAILED, f"cannot reach the devices: {exc}"
        print(hide(f"cannot reach the devices: {exc}"), file=sys.stderr)
    code = EXIT_OK if all_ok(list(rows.values())) else EXIT_FAILED
    return finish(change, console, list(rows.values()), hide, code)


def plan_all(
    nr: Nornir,
    rows: dict[str, HostLine],
    compute: Callable[[str, str], Remediation],
    progress: Progress,
) -> dict[str, HostPlan]:
    """Connect to every host in parallel, read its running config, compute its lines."""
    started = time.monotonic()
    result = nr.run(task=plan_host, compute=compute, name="plan")
    plans: dict[str, HostPlan] = {}
    for host, row in rows.items():
        multi = result[host]
        row.seconds = time.monotonic() - started
        if multi.failed:
            row.status, row.error = Status.FAILED, describe(multi[0].exception)
            progress.host_done(row)
            continue
        plans[host] = multi[0].result
        progress.say(host, f"connected, {plans[host].lines} lines to push")
    return plans


def push_all(
    change: Change,
    nr: Nornir,
    rows: dict[str, HostLine],
    plans: dict[str, HostPlan],
    progress: Progress,
) -> None:
    """Deploy: headends first, spokes once every headend succeeded. Teardown: all at once."""
    headends = [h for h in plans if rows[h].role == "headend"]
    spokes = [h for h in plans if rows[h].role != "headend"]
    if change.mode == TEARDOWN:
        push_wave(change, nr, rows, plans, headends + spokes, progress)
        return
    push_wave(change, nr, rows, plans, headends, progress)
    failed = [
        h
        for h, row in rows.items()
        if row.role == "headend" and row.status not in (Status.OK, Status.UNCHANGED)
    ]
    if not failed:
        push_wave(change, nr, rows, plans, spokes, progress)
        return
    for host in spokes:
        rows[host].error = f"not attempted: headend {', '.join(failed)} did not succeed"
        progress.host_done(rows[host])


def push_wave(
    change: Change,
    nr: Nornir,
    rows: dict[str, HostLine],
    plans: dict[str, HostPlan],
    wave: list[str],
    progress: Progress,
) -> None:
    """Push one group of hosts in parallel and record what happened to each."""
    if not wave:
        return
    backup_root = change.config.parent / "backups"
    group = nr.filter(filter_func=lambda host: host.name in wave)
    result = group.run(
        task=push_host,
        plans=plans,
        tenant=change.tenant,
        backup_root=backup_root,
        save=change.save,
        on_section=progress.section,
        name=change.mode,
        on_failed=True,
    )
    for host in wave:
        row, multi = rows[host], result[host]
        outcome = multi[0].result
        if isinstance(outcome, HostOutcome):
            row.status, row.lines_pushed, row.error = (
                outcome.status,
                outcome.lines_pushed,
                outcome.error,
            )
            row.seconds += outcome.seconds
        else:  # the backup (before any line) failed: nothing was changed
            row.status, row.error = Status.FAILED, describe(multi[0].exception)
        progress.host_done(row)


def finish(
    change: Change, console: Console, rows: list[HostLine], hide: Callable[[str], str], code: int
) -> int:
    """Print the summary, write the JSON, return ``code``."""
    title = f"{change.mode} {change.tenant}" + (" (dry run)" if change.dry_run else "")
    console.print(summary_table(title, rows, hide))
    if change.json_file is not None:
        write_json(change.json_file, summary_json(change.tenant, rows, hide))
    return code


@runbook
def main(argv: list[str] | None = None) -> int:
    return run_change(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
