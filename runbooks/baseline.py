"""Prepare devices for safe changes: the host-wide settings no tenant's deploy may push.

    python runbooks/baseline.py (--host H ... | --all) [--lab] [--dry-run] [--json FILE]
        [--source ADDRESS ...] [-c config.yaml] [--secrets FILE]

Adds: IOS's exclusive configuration lock (`configuration mode exclusive auto`) and a
configuration archive on flash (which the revert timer of every later change restores from),
type-6 key storage (`key config-key password-encrypt` + `password encryption aes`), the
management ACLs and vty lines, and on a headend the crypto suite and the shared IPsec profile.
Deploy, teardown and drift --remediate refuse a device that lacks the lock and archive.

Moves live tenants onto it as a planned change (tasks/migration.py): tenant tunnels onto the
shared IPsec profile, their old per-tenant profiles removed, stray management ACL lines pruned.
`--dry-run` prints the lines and the impact per tenant (whose SAs flap or re-key, what is
pruned). A plan that would cut the automation's own management path is refused; `--source`
names the address(es) the devices see the automation come from (default: the local address
towards each host; none with --lab). Exit 0 all ok, 1 a host failed or was refused, 2 invalid
input.
"""

from __future__ import annotations

import argparse
import socket
import sys
from ipaddress import ip_address
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console

from runbooks.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_common_args,
    host_key_options,
    interruptible,
    open_devices,
    runbook,
)
from runbooks.deploy import row
from tasks.change import REMEDIATE, ChangeSpec, HostReport, all_ok, run_change
from tasks.connect import ConnectError
from tasks.deploy_report import Progress, print_plan, summary_json, summary_table
from tasks.intent import IntentError, Problem, load_intent
from tasks.migration import Impact
from tasks.plans import baseline_planner
from tasks.push import HostOutcome, Status
from tasks.report import write_json
from tasks.secrets import mask


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--host", nargs="+", metavar="HOST", help="these hosts")
    target.add_argument("--all", action="store_true", help="every host of the inventory")
    parser.add_argument("--dry-run", action="store_true", help="print the lines, push nothing")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the result as JSON")
    parser.add_argument(
        "--source",
        nargs="+",
        metavar="ADDRESS",
        help="the address(es) the devices see this run come from (SSH must stay allowed)",
    )
    add_common_args(parser)
    return parser.parse_args(argv)


@runbook
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    intent = load_intent(args.config, args.secrets, require_secrets=False)
    hosts = list(intent.hosts) if args.all else list(args.host)
    unknown = [h for h in hosts if h not in intent.hosts]
    if unknown:
        raise IntentError(
            Problem("command line", "--host", "host", f"unknown host {h!r}") for h in unknown
        )
    bad = [a for a in args.source or [] if not _is_address(a)]
    if bad:
        raise IntentError(
            Problem("command line", "--source", "source", f"not an IP address: {a!r}") for a in bad
        )
    console = Console(highlight=False)

    def hide(text: str) -> str:
        return mask(text, intent)

    progress = Progress(console, hide)
    roles = {h: intent.hosts[h].role for h in hosts}
    spec = ChangeSpec(
        REMEDIATE,
        "baseline",
        hosts,
        args.config.parent / "backups",
        dry_run=args.dry_run,
        safe=False,
    )

    impacts: dict[str, Impact] = {}

    def done(report: HostReport) -> None:
        if args.dry_run:
            print_plan(console, report.host, report.outcome.remediation, hide)
        for line in impacts[report.host].lines() if report.host in impacts else []:
            console.print(hide(f"{report.host}: impact: {line}"), highlight=False, markup=False)
        if not args.dry_run:
            progress.host_done(row(report))

    try:
        with (
            interruptible(spec.abort),
            open_devices(
                intent, hosts, args.config, args.lab, args.lab_state, **host_key_options(args)
            ) as nr,
        ):
            sources = {h: _sources(args, intent.hosts[h].hostname) for h in hosts}
            planner = baseline_planner(intent, impacts, sources)
            reports = run_change(nr, spec, roles, planner, progress.say, progress.section, done)
    except ConnectError as exc:
        error = f"cannot reach the devices: {exc}"
        reports = [HostReport(h, roles[h], HostOutcome(Status.FAILED, error=error)) for h in hosts]
        print(hide(error), file=sys.stderr)
    rows = [row(r) for r in reports]
    console.print(summary_table("baseline" + (" (dry run)" if args.dry_run else ""), rows, hide))
    if args.json:
        data = summary_json("baseline", rows, hide)
        for host, impact in impacts.items():  # per host: {tenant or "shared": [what happens]}
            if host in data["hosts"]:
                data["hosts"][host]["impact"] = {
                    tenant or "shared": [hide(text) for text in texts]
                    for tenant, texts in impact.tenants.items()
                }
        write_json(args.json, data)
    return EXIT_OK if all_ok(reports) else EXIT_FAILED


def _is_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True


def _sources(args: argparse.Namespace, target: str | None) -> list[str]:
    """Where the device sees this run come from: --source, else the local address the system
    would use towards ``target`` (no packet is sent; behind NAT give --source). None in the lab,
    which listens on 127.0.0.1 and filters no SSH."""
    if args.source:
        return list(args.source)
    if args.lab or target is None:
        return []
    try:
        ip_address(target)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 22))
            return [str(probe.getsockname()[0])]
    except (OSError, ValueError):
        return []


if __name__ == "__main__":
    sys.exit(main())
