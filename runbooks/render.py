"""Print (or write, a file per host) the intended config of a tenant's devices, in push order.

    python runbooks/render.py --tenant event42 [--host hub1] [--out DIR] [--show-secrets]

Secret values are masked unless --show-secrets is given. Exit 0, or 2 for an invalid inventory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runbooks.common import EXIT_INVALID, EXIT_OK, add_common_args, runbook
from tasks.intent import Intent, IntentError, Problem, load_intent
from tasks.render import render_host
from tasks.secrets import mask


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", help="tenant to render (default: every tenant)")
    parser.add_argument("--host", action="append", default=[], help="only this host (repeatable)")
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="write DIR/<host>.cfg instead of printing"
    )
    parser.add_argument("--show-secrets", action="store_true", help="print secret values unmasked")
    add_common_args(parser, lab=False)
    return parser.parse_args(argv)


def host_text(intent: Intent, host: str, tenant: str | None) -> str:
    """One host's config with a `!` header per section (the header is for people, not devices)."""
    h = intent.hosts[host]
    scope = f"tenant {tenant}" if tenant else f"tenants {', '.join(h.tenants or [h.tenant or ''])}"
    lines = [f"! host: {host} ({h.role}, {scope})\n"]
    for section, text in render_host(intent, host, tenant).items():
        lines.append(f"! section: {section}\n{text}")
    return "".join(lines)


def selected_hosts(intent: Intent, tenant: str | None, only: list[str]) -> list[str]:
    hosts = intent.hosts_for(tenant) if tenant else list(intent.hosts)
    unknown = [h for h in only if h not in hosts]
    if unknown:
        scope = f"tenant {tenant}" if tenant else "the inventory"
        raise IntentError(
            [
                Problem("command line", "--host", "host", f"{h!r} is not a host of {scope}")
                for h in unknown
            ]
        )
    return [h for h in hosts if not only or h in only]


@runbook
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Rendering one tenant needs that tenant's secrets only.
    needed = [args.tenant] if args.tenant else True
    intent = load_intent(args.config, args.secrets, require_secrets=needed)
    if args.tenant:
        intent.check_tenant(args.tenant)
    for host in selected_hosts(intent, args.tenant, args.host):
        text = host_text(intent, host, args.tenant)
        if not args.show_secrets:
            text = mask(text, intent)
        if args.out is None:
            sys.stdout.write(text)
            continue
        path = args.out / f"{host}.cfg"
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if args.show_secrets:
                path.chmod(0o600)  # holds secrets: owner only
        except OSError as err:
            print(f"{path}: cannot write: {err.strerror or err}", file=sys.stderr)
            return EXIT_INVALID
        print(path)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
