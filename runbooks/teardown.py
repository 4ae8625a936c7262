"""Tear one tenant down after its event: remove exactly its objects, nothing else.

    python runbooks/teardown.py --tenant event42 [--lab] [--lab-state DIR] [--dry-run]
        [--json FILE] [-c config.yaml] [--secrets FILE]

On the shared headend only the tenant's objects go (tunnel, IPsec and IKEv2 profiles, keyring,
zone, EIGRP, VRF), in reverse push order; on its spokes the overlay goes. Shared objects and other
tenants stay byte-identical. Hosts are handled in parallel, each backed up and rolled back on
failure like a deploy; a second run finds nothing to remove. The tenant's secrets are not
needed. Exit 0 all ok, 1 a host failed (rolled back), 2 invalid input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runbooks.common import add_common_args, runbook
from runbooks.deploy import TEARDOWN, Change, run_change


def parse_args(argv: list[str] | None) -> Change:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", required=True, help="tenant to remove")
    parser.add_argument("--dry-run", action="store_true", help="print the lines, remove nothing")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the result as JSON")
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
    )


@runbook
def main(argv: list[str] | None = None) -> int:
    return run_change(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
