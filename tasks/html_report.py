"""One self-contained HTML page of a verify or drift run, for an operator before an event.

Built from the same data as the JSON reports (`tasks.report.verify_json` / `drift_json`), so a
saved JSON renders the same page. The verify page draws the tenant's overlay in inline SVG: the
hub in the centre, spokes around it, each hub-spoke edge as three strands (NHRP registration,
IKEv2 SA, EIGRP adjacency) coloured by their checks, phase-3 shortcuts as dashed spoke-spoke
curves, the isolation check as a fenced-off box; the failed checks with their hints beside it.
CSS is inline, there is no script, and a Content-Security-Policy forbids fetching anything.
Every text goes through the caller's `mask`; Jinja2 autoescaping keeps `<masked>` literal.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tasks.overlay_drawing import BOX, EDGE_LAYERS, HUB_BOX, ISOLATION_BOX, Mask, overlay
from tasks.verify_plan import TenantPlan

TEMPLATES = Path(__file__).resolve().parents[1] / "report_templates"


def split_hint(detail: str) -> tuple[str, str]:
    """A judge's detail as (what was seen, the closing parenthesised hint on where to look).

    >>> split_hint("x is not a neighbor (NHRP is up, check EIGRP (passive-interface, AS))")
    ('x is not a neighbor', 'NHRP is up, check EIGRP (passive-interface, AS)')
    >>> split_hint("no registration for s2 (172.16.42.12) on Tunnel42")
    ('no registration for s2 (172.16.42.12) on Tunnel42', '')
    """
    if not detail.endswith(")"):
        return detail, ""
    depth = 0
    for i in range(len(detail) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(detail[i], 0)
        if depth == 0:
            if i == 0 or detail[i - 1] != " ":
                return detail, ""
            return detail[: i - 1], detail[i + 1 : -1]
    return detail, ""


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _stamp(generated: datetime | None) -> str:
    return (generated or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def verify_page(
    report: Mapping[str, Any],
    plan: TenantPlan,
    mask: Mask,
    generated: datetime | None = None,
) -> str:
    """The verify page from `verify_json(...)`'s dict and the tenant plan it was judged on."""
    checks = list(report["checks"])
    order = {host: i for i, host in enumerate([plan.hub, *(s.name for s in plan.spokes)])}
    failed = []
    for c in sorted(checks, key=lambda c: order.get(str(c["host"]), len(order))):
        if not c["passed"]:
            what, hint = split_hint(mask(str(c["detail"])))
            failed.append(
                {"host": mask(str(c["host"])), "check": mask(str(c["check"]))}
                | {"what": what, "hint": hint}
            )
    everything = [
        {**c, "host": mask(str(c["host"])), "detail": mask(str(c["detail"]))} for c in checks
    ]
    return (
        _environment()
        .get_template("verify.html.j2")
        .render(
            tenant=mask(str(report["tenant"])),
            plan=plan,
            generated=_stamp(generated),
            passed=bool(report["passed"]) and bool(checks),
            total=len(checks),
            failed=failed,
            checks=everything,
            layers=EDGE_LAYERS,
            box=BOX,
            hub_box=HUB_BOX,
            isolation_box=ISOLATION_BOX,
            **vars(overlay(plan, checks, mask)),
        )
    )


def drift_page(
    report: Mapping[str, Any],
    mask: Mask,
    tenant: str | None = None,
    generated: datetime | None = None,
) -> str:
    """The drift page from `drift_json(...)`'s dict (plus remediation outcomes when present)."""
    hosts = []
    for name, host in report["hosts"].items():
        hosts.append(
            {
                "name": mask(str(name)),
                "drift": bool(host["drift"]),
                "missing": [mask(str(line)) for line in host["missing"]],
                "unexpected": [mask(str(line)) for line in host["unexpected"]],
                "removes": [mask(str(line)) for line in host.get("removes", [])],
                "orphans": {
                    mask(str(tenant)): [mask(str(line)) for line in lines]
                    for tenant, lines in host.get("orphans", {}).items()
                },
                "remediation": mask(str(host.get("remediation") or "")),
                "remediation_error": mask(str(host.get("remediation_error") or "")),
            }
        )
    return (
        _environment()
        .get_template("drift.html.j2")
        .render(
            scope=f"tenant {mask(tenant)}" if tenant else "all tenants",
            generated=_stamp(generated),
            drift=bool(report["drift"]),
            hosts=hosts,
        )
    )


def write_page(path: Path, page: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")


def write_verify_page(path: Path, report: Mapping[str, Any], plan: TenantPlan, mask: Mask) -> None:
    """What `verify.py --html FILE` writes."""
    write_page(path, verify_page(report, plan, mask))


def write_drift_page(
    path: Path, report: Mapping[str, Any], mask: Mask, tenant: str | None = None
) -> None:
    """What `drift.py --html FILE` writes."""
    write_page(path, drift_page(report, mask, tenant))
