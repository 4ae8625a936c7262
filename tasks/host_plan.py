"""What a host's change is planned from, and the plan: the device's state read in one write (the
running config and the ownership manifest), the checks on that state before anything is sent,
and the ``HostPlan`` the planners (``tasks.plans``) return for the pipeline (``tasks.change``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tasks.backup import VOLATILE_LINES
from tasks.exchange import Step, body, exchange, exec_prompt
from tasks.flash import FILE_SYSTEM, flash_text
from tasks.lease import me
from tasks.manifest import MANIFEST_FILE, Claim, parse_manifest
from tasks.owned_diff import Remediation, count_lines
from tasks.push import SHOW_RUNNING

# Lines of the running config a change needs before it can be made safely (the baseline).
PREREQUISITES: tuple[tuple[str, str], ...] = (
    ("configuration mode exclusive", "IOS's exclusive configuration lock"),
    ("archive", "a configuration archive (the revert timer needs its path)"),
)


@dataclass
class HostPlan:
    """What one host holds, what it will be sent, and what its manifest will say after."""

    running: str = field(repr=False)
    remediation: Remediation = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    new_claims: dict[str, Claim] | None = None  # None: the manifest stays as it is
    # type-6 keys pushed: the claims to record, from the running config after the push
    # (the device's salted strings are only known then; tasks.sealed_keys)
    seal: Callable[[str], dict[str, Claim]] | None = None

    @property
    def lines(self) -> int:
        return count_lines(self.remediation)

    @property
    def manifest_changes(self) -> bool:
        return self.new_claims is not None and self.new_claims != self.claims


# host, running config, claims read from its manifest -> the plan
Planner = Callable[[str, str, dict[str, Claim]], HostPlan]


def missing_prerequisites(running: str) -> list[str]:
    """The baseline lines a safe change needs and ``running`` lacks."""
    lines = running.splitlines()
    return [
        why
        for start, why in PREREQUISITES
        if not any(line.startswith(start) for line in lines)
        or (start == "archive" and not any(line.startswith(" path ") for line in lines))
    ]


# What a plan is made from, read in one write: the running config and the manifest.
STATE_READS = (SHOW_RUNNING, f"more {FILE_SYSTEM}{MANIFEST_FILE}")


def read_state(conn: Any) -> tuple[str, dict[str, Claim]]:
    """The running config and the device's ownership manifest (none yet: no claims)."""
    done = exec_prompt(conn)
    answers = exchange(conn, [Step(command, until=done) for command in STATE_READS], 60)
    return state_of([body(answer, conn.base_prompt) for answer in answers])


def state_of(outputs: Sequence[str]) -> tuple[str, dict[str, Claim]]:
    """(running config, claims) from the outputs of ``STATE_READS``."""
    running, manifest = outputs
    return running, parse_manifest(flash_text(STATE_READS[1], manifest) or "")


def unvaried(running: str) -> list[str]:
    """The running config without the lines IOS varies on its own (``VOLATILE_LINES``: the
    last change's time, the size, the NTP clock period); secrets stay as they are.

    >>> unvaried("Current configuration : 9 bytes\\n! Last configuration change at 1\\nhostname r")
    ['hostname r']
    """
    return [line for line in running.splitlines() if not VOLATILE_LINES.match(line.strip())]


def stamp(
    claims: Mapping[str, Claim], tenant: str, paths: frozenset[tuple[str, ...]]
) -> dict[str, Claim]:
    """``claims`` with ``tenant``'s entry set to ``paths`` (removed when empty), stamped now."""
    updated = dict(claims)
    if paths:
        when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        old = claims.get(tenant)
        if old is None or old.paths != paths:
            updated[tenant] = Claim(paths, when, me())
    else:
        updated.pop(tenant, None)
    return updated
