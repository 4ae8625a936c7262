"""What a deploy or teardown shows: progress per host and section while it runs, then a summary
table (host, role, lines pushed, result, time) and the same as JSON for scripts.

Everything printed or written goes through the ``mask`` handed in (secrets never leave).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from tasks.push import Status

Mask = Callable[[str], str]
GOOD = (Status.OK, Status.UNCHANGED, Status.PLANNED)
STYLE = {
    Status.OK: "green",
    Status.UNCHANGED: "dim",
    Status.PLANNED: "cyan",
    Status.ROLLED_BACK: "yellow",
    Status.FAILED: "bold red",
    Status.SKIPPED: "magenta",
}


@dataclass
class HostLine:
    """One row of the summary."""

    host: str
    role: str
    status: str
    lines_pushed: int = 0
    error: str | None = None
    seconds: float = 0.0


def all_ok(rows: Sequence[HostLine]) -> bool:
    """True when no host failed, was rolled back or skipped."""
    return all(row.status in GOOD for row in rows)


def summary_table(title: str, rows: Sequence[HostLine], mask: Mask) -> Table:
    """The summary: one row per host, in the order the hosts were handled."""
    table = Table(title=title)
    for column in ("host", "role", "lines pushed", "result", "time", "error"):
        table.add_column(column, justify="right" if column in ("lines pushed", "time") else "left")
    for row in rows:
        style = STYLE.get(row.status, "")
        table.add_row(
            row.host,
            row.role,
            str(row.lines_pushed),
            f"[{style}]{row.status}[/]" if style else row.status,
            f"{row.seconds:.1f}s",
            mask(row.error or ""),
        )
    return table


def summary_json(tenant: str, rows: Sequence[HostLine], mask: Mask) -> dict[str, Any]:
    """``{"tenant", "ok", "hosts": {NAME: {"role", "status", "lines_pushed", "error"}}}``."""
    return {
        "tenant": tenant,
        "ok": all_ok(rows),
        "hosts": {
            row.host: {
                "role": row.role,
                "status": row.status,
                "lines_pushed": row.lines_pushed,
                "error": mask(row.error) if row.error else None,
                "seconds": round(row.seconds, 3),
            }
            for row in rows
        },
    }


class Progress:
    """Prints one line per host event as it happens (safe to call from Nornir's threads)."""

    def __init__(self, console: Console, mask: Mask) -> None:
        self.console = console
        self.mask = mask
        self._lock = threading.Lock()

    def say(self, host: str, message: str, style: str = "") -> None:
        with self._lock:
            text = self.mask(message)
            self.console.print(
                f"[bold]{host:<14}[/] " + (f"[{style}]{text}[/]" if style else text),
                highlight=False,
            )

    def section(self, host: str, section: str, lines: int) -> None:
        self.say(host, f"{section:<7} {lines:>4} lines pushed", "green")

    def host_done(self, row: HostLine) -> None:
        detail = f" ({row.error})" if row.error else ""
        self.say(row.host, f"{row.status}{detail}", STYLE.get(row.status, ""))


def print_plan(
    console: Console, host: str, remediation: Mapping[str, Sequence[str]], mask: Mask
) -> None:
    """--dry-run: the exact lines a host would be sent, per section, secrets masked."""
    total = sum(len(lines) for lines in remediation.values())
    console.rule(f"{host}: {total} lines" if total else f"{host}: nothing to change")
    for section, lines in remediation.items():
        console.print(f"! section {section}", style="cyan", highlight=False)
        console.print(mask("\n".join(lines)), highlight=False, markup=False)
