"""Reports of verify and drift runs: rich tables for people, JSON for scripts, JUnit XML for CI.

Writers take plain results and return text or renderables; the runbooks decide where they go.
Drift lines may quote config holding secrets, so every drift writer takes a `mask` function.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from tasks.checks import CheckResult
from tasks.drift import HostDrift

Mask = Callable[[str], str]


def _unmasked(text: str) -> str:
    return text


# --- verify -------------------------------------------------------------------------------


def verify_table(tenant: str, results: Sequence[CheckResult]) -> Table:
    """One row per host and check, failures in red with their detail."""
    passed = sum(r.passed for r in results)
    table = Table(title=f"verify {tenant}: {passed}/{len(results)} checks passed")
    for column in ("host", "check", "result", "detail"):
        table.add_column(column, overflow="fold")
    first = {host: i for i, host in reversed(list(enumerate(r.host for r in results)))}
    for r in sorted(results, key=lambda r: first[r.host]):  # hosts in plan order, hub first
        verdict = Text("PASS", style="green") if r.passed else Text("FAIL", style="bold red")
        table.add_row(r.host, r.check, verdict, r.detail)
    return table


def verify_json(tenant: str, results: Sequence[CheckResult]) -> dict[str, Any]:
    """`{"tenant", "passed", "checks": [{"host", "check", "passed", "detail"}]}`."""
    return {
        "tenant": tenant,
        "passed": all(r.passed for r in results),
        "checks": [
            {"host": r.host, "check": r.check, "passed": r.passed, "detail": r.detail}
            for r in results
        ],
    }


def verify_junit(tenant: str, results: Sequence[CheckResult], seconds: float = 0.0) -> str:
    """JUnit XML: one testsuite for the tenant, one testcase per check (classname = host)."""
    failures = sum(not r.passed for r in results)
    counts = {"tests": str(len(results)), "failures": str(failures), "errors": "0"}
    timing = {"time": f"{seconds:.3f}"}
    suites = ET.Element("testsuites", {"name": "dmvpn-verify", **counts, **timing})
    suite = ET.SubElement(
        suites, "testsuite", {"name": f"verify {tenant}", **counts, "skipped": "0", **timing}
    )
    for r in results:
        case = ET.SubElement(suite, "testcase", {"classname": r.host, "name": r.check, "time": "0"})
        if r.passed:
            ET.SubElement(case, "system-out").text = r.detail
        else:
            failure = ET.SubElement(case, "failure", {"message": r.detail, "type": "CheckFailed"})
            failure.text = f"{r.host}: {r.check}: {r.detail}"
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


# --- drift --------------------------------------------------------------------------------


def _masked(lines: list[str], mask: Mask) -> list[str]:
    """Each line masked, in one pass over them all (no secret pattern spans a line break).

    >>> _masked(["a k1", "b"], lambda text: text.replace("k1", "<masked>"))
    ['a <masked>', 'b']
    """
    return mask("\n".join(lines)).split("\n") if lines else []


def drift_json(hosts: Mapping[str, HostDrift], mask: Mask = _unmasked) -> dict[str, Any]:
    """`{"drift": bool, "orphaned_tenants": [...], "hosts": {NAME: {"drift", "missing",
    "unexpected", "removes", "orphans"}}}` (masked). `removes` are the unexpected lines inside
    objects a tenant owns (remediation takes them away); `orphans` the objects the device's
    manifest records for tenants the inventory no longer has."""
    return {
        "drift": any(d.drift for d in hosts.values()),
        "orphaned_tenants": sorted({t for d in hosts.values() for t in d.orphans}),
        "hosts": {
            name: {
                "drift": d.drift,
                "missing": _masked(d.missing, mask),
                "unexpected": _masked(d.unexpected, mask),
                "removes": _masked(d.removes, mask),
                "orphans": {t: _masked(lines, mask) for t, lines in d.orphans.items()},
            }
            for name, d in hosts.items()
        },
    }


def drift_tables(hosts: Mapping[str, HostDrift], mask: Mask = _unmasked) -> list[Table]:
    """A summary table, then per drifting host its restoring lines and its unexpected config."""
    summary = Table(title="drift")
    for column in ("host", "drift", "missing lines", "unexpected lines", "orphaned tenants"):
        summary.add_column(column)
    for name, d in hosts.items():
        verdict = Text("DRIFT", style="bold red") if d.drift else Text("clean", style="green")
        unexpected = len(d.unexpected) + len(d.removes)
        orphans = ", ".join(sorted(d.orphans)) or "-"
        summary.add_row(name, verdict, str(len(d.missing)), str(unexpected), orphans)
    tables = [summary]
    for name, d in hosts.items():
        for title, lines in (
            (f"{name}: lines that restore intent", d.missing),
            (
                f"{name}: inside a tenant's own objects, not in its intent (remediation removes)",
                d.removes,
            ),
            (f"{name}: on the device, unknown to the intent (left in place)", d.unexpected),
            *(
                (
                    f"{name}: owned by {tenant}, which the inventory no longer has"
                    f" (teardown.py --tenant {tenant} --orphan removes it)",
                    lines,
                )
                for tenant, lines in d.orphans.items()
            ),
        ):
            if lines:
                table = Table(title=title, show_header=False, min_width=len(title) + 4)
                table.add_column("config", overflow="fold", no_wrap=True)
                # one cell of many lines: drawn as a row per line (no row separators), at a
                # fraction of the cost of a row each (a drift of 200 devices prints thousands)
                table.add_row(Text("\n".join(_masked(lines, mask))))
                tables.append(table)
    return tables


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    write_text(path, json.dumps(data, indent=2) + "\n")
