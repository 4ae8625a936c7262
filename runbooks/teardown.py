"""Tear one tenant down after its event: remove exactly its objects, nothing else.

    python runbooks/teardown.py --tenant event42 [--orphan] [--lab] [--lab-state DIR] [--dry-run]
        [--json FILE] [--revert-minutes N] [--lease-wait S] [-c config.yaml] [--secrets FILE]

Removes what the tenant owns — by its render, and by what the devices' ownership manifests
record for it, so a tenant whose group already left the inventory can still be torn down with
`--orphan` (without it an unknown tenant is refused like any typo, exit 2) — in
reverse push order, through the same change pipeline as deploy (lease, backup, lock, revert
timer, rollback, save). Shared objects and other tenants stay byte-identical; a second run finds
nothing to remove. The tenant's secrets are not needed. Exit 0 all ok, 1 a host failed (rolled
back), 2 invalid input, 130 interrupted (rolled back).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runbooks.common import add_change_args, add_common_args, host_key_options, runbook
from runbooks.deploy import Change, run
from tasks.change import TEARDOWN


def parse_args(argv: list[str] | None) -> Change:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tenant", required=True, help="tenant to remove")
    parser.add_argument("--dry-run", action="store_true", help="print the lines, remove nothing")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the result as JSON")
    parser.add_argument(
        "--orphan",
        action="store_true",
        help="the tenant has left the inventory: remove what the devices' manifests record for it"
        " on every host (without this, an unknown tenant is refused as a typo)",
    )
    add_change_args(parser)
    add_common_args(parser)
    args = parser.parse_args(argv)
    return Change(
        TEARDOWN,
        args.tenant,
        args.config,
        args.secrets,
        args.lab,
        args.lab_state,
        dry_run=args.dry_run,
        json_file=args.json,
        revert_minutes=args.revert_minutes,
        lease_wait=args.lease_wait,
        host_keys=host_key_options(args),
        orphan=args.orphan,
    )


@runbook
def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
