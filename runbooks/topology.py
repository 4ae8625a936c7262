"""Write a Cisco Modeling Labs 2.x rehearsal of a tenant: topology file, day-0 configs, overlay.

    python runbooks/topology.py --tenant T [--all] --cml FILE [--node-definition iosv|csr1000v|
        cat8000v] [--out DIR] [--headend-from-backup FILE] [--edition personal] [--show-day0]

The topology and the day-0 files hold the device credentials: they are written owner-only and
refused where git would commit them. `--all` adds every other tenant of the same headend.
Exit 0, or 2 for an invalid inventory or a lab CML could not run (nothing is written then).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runbooks.common import EXIT_INVALID, EXIT_OK, add_common_args, repo_root, runbook
from tasks.cml_files import day0_configs, topology_yaml, write_private
from tasks.cml_nodes import EDITIONS, ROUTER_DEFINITIONS
from tasks.cml_overlay import inventory_node_definitions, overlay_files
from tasks.cml_topology import CARRIER_POOL, LabOptions, LabPlan, check_limits, plan_lab
from tasks.intent import Intent, load_intent
from tasks.secrets import mask


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", required=True, help="tenant to rehearse")
    parser.add_argument(
        "--all", action="store_true", help="also every other tenant of the tenant's headend"
    )
    parser.add_argument("--cml", type=Path, required=True, metavar="FILE", help="topology to write")
    parser.add_argument(
        "--node-definition",
        choices=ROUTER_DEFINITIONS,
        help="CML node definition of every router (default: the inventory's, else iosv)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="overlay inventory (default: out/cml-<tenant>)"
    )
    parser.add_argument(
        "--headend-from-backup",
        type=Path,
        metavar="FILE",
        help="start the CML headend from this backup of the production headend",
    )
    parser.add_argument("--edition", choices=sorted(EDITIONS), default="personal")
    parser.add_argument("--mgmt-subnet", type=IPv4Network, metavar="CIDR")
    parser.add_argument("--mgmt-gateway", type=IPv4Address, metavar="IP")
    parser.add_argument("--carrier-pool", type=IPv4Network, default=CARRIER_POOL, metavar="CIDR")
    parser.add_argument(
        "--show-day0", action="store_true", help="print the day-0 configs (secrets masked)"
    )
    add_common_args(parser, lab=False)
    return parser.parse_args(argv)


def git_would_commit(path: Path) -> bool:
    """True when `path` lies in a git work tree and is not ignored there."""
    folder = path.parent if path.parent.exists() else Path.cwd()
    while not folder.exists():
        folder = folder.parent
    try:
        done = subprocess.run(
            ["git", "check-ignore", "-q", str(path.resolve())],
            cwd=folder,
            capture_output=True,
            check=False,
        )
    except OSError:  # no git here: nothing can commit it
        return False
    return done.returncode == 1  # 0: ignored, 128: not in a work tree


def summary(plan: LabPlan, cml: Path, out: Path) -> str:
    lines = [f"topology: {cml} ({len(plan.nodes)} nodes, {len(plan.links)} links)"]
    for name, host in plan.hosts.items():
        renamed = ", ".join(f"{a} -> {b}" for a, b in host.interfaces.items())
        lines.append(
            f"  {name}: {host.definition.id}, management {host.mgmt_address.ip} "
            f"on {host.mgmt_interface}; {renamed}"
        )
    for link in plan.spoke_links:
        lines.append(f"  carrier {link.carrier_interface}: DHCP {link.subnet} for {link.spoke}")
    lines.append(f"overlay: {out / 'config.yaml'} (run deploy.py -c with it)")
    return "\n".join(lines) + "\n"


def write_all(intent: Intent, plan: LabPlan, args: argparse.Namespace, out: Path) -> int:
    private = [args.cml, out / "day0" / "x.cfg"]
    exposed = [str(p.parent if p.name == "x.cfg" else p) for p in private if git_would_commit(p)]
    if exposed:
        print(
            f"{', '.join(exposed)}: git would commit this and it holds credentials; "
            "write under out/ (git-ignored) or ignore the path first",
            file=sys.stderr,
        )
        return EXIT_INVALID
    try:
        write_private(args.cml, topology_yaml(plan))
        for node in plan.nodes.values():
            if node.config:
                write_private(out / "day0" / f"{node.id}.cfg", node.config)
        for relative, text in overlay_files(args.config, intent, plan).items():
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as err:
        print(f"{err.filename or out}: cannot write: {err.strerror or err}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


@runbook
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    intent = load_intent(args.config, args.secrets, require_secrets=False)
    tenant = intent.check_tenant(args.tenant)
    tenants = [args.tenant]
    if args.all:
        tenants += [n for n in intent.hosts[tenant.headend].tenants if n != args.tenant]
    hosts = [tenant.headend, *(s for t in tenants for s in intent.tenants[t].spokes)]
    intent.check_credentials(hosts)
    options = LabOptions(
        node_definition=args.node_definition,
        host_definitions=inventory_node_definitions(args.config),
        mgmt_subnet=args.mgmt_subnet,
        mgmt_gateway=args.mgmt_gateway,
        carrier_pool=args.carrier_pool,
    )
    plan = plan_lab(intent, tenants, options)
    problems = check_limits(plan, args.edition)
    if problems:
        for problem in problems:
            print(f"topology: {problem}", file=sys.stderr)
        print("topology: nothing written", file=sys.stderr)
        return EXIT_INVALID
    backup = None
    if args.headend_from_backup is not None:
        try:
            backup = args.headend_from_backup.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            print(f"{args.headend_from_backup}: cannot read: {err}", file=sys.stderr)
            return EXIT_INVALID
    day0_configs(intent, plan, backup)
    secrets = [*intent.secret_values()]
    out = args.out or repo_root() / "out" / f"cml-{args.tenant}"
    status = write_all(intent, plan, args, out)
    if status != EXIT_OK:
        return status
    if args.show_day0:
        for node in plan.nodes.values():
            if node.config:
                sys.stdout.write(mask(f"! day-0: {node.id}\n{node.config}", secrets))
    sys.stdout.write(mask(summary(plan, args.cml, out), secrets))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
