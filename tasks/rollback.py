"""The rollback of a change that failed once started (``tasks.change``): on a fresh session,
``configure replace`` the backup when the running config is the backup plus this run's own
objects, else undo only this run's objects; then compare the result with the backup, ignoring
what IOS varies. ``rolled back`` when equal, ``failed`` with the backup's path when not.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from nornir.core.task import Task

from tasks.backup import normalize, restore_from_flash
from tasks.flash import write_flash
from tasks.host_plan import HostPlan
from tasks.manifest import MANIFEST_FILE, format_manifest
from tasks.owned_diff import others_changed, undo_remediation
from tasks.push import (
    Counter,
    HostOutcome,
    Status,
    cancel_revert,
    describe,
    enter_change,
    read_running,
    reopen_session,
    send_lines,
)

if TYPE_CHECKING:
    from tasks.change import ChangeSpec


def roll_back(
    task: Task,
    spec: ChangeSpec,
    plan: HostPlan,
    flash_file: str,
    local: Path,
    sent: int,
    pushed: bool,
    manifest_written: bool,
    exc: BaseException,
) -> HostOutcome:
    """Restore the backup, or only this run's objects when the device changed meanwhile."""
    error = f"{describe(exc)} (after {sent} lines)"
    notes: list[str] = []
    for attempt in (1, 2):  # a second try on a fresh session outlives a transient fault
        try:
            after, replaced = _restore(
                task, spec, plan, flash_file, pushed, manifest_written, notes
            )
            break
        except Exception as again:
            if attempt == 1:
                time.sleep(1.0)
                continue
            revert = (
                f"; its revert timer restores it within {spec.revert_minutes} min" if pushed else ""
            )
            error += f"; rollback FAILED: {describe(again)}{revert} (backup {local})"
            return HostOutcome(Status.FAILED, sent, error, backup=local, notes=notes)
    back = (
        normalize(after) == normalize(plan.running)
        if replaced
        else not undo_remediation(plan.running, after, plan.remediation)
    )
    if not back:
        error += f"; rollback FAILED: the running config differs from the backup (backup {local})"
        return HostOutcome(Status.FAILED, sent, error, backup=local, notes=notes)
    return HostOutcome(Status.ROLLED_BACK, sent, error, backup=local, notes=notes)


def _restore(
    task: Task,
    spec: ChangeSpec,
    plan: HostPlan,
    flash_file: str,
    pushed: bool,
    manifest_written: bool,
    notes: list[str],
) -> tuple[str, bool]:
    """One rollback attempt on a fresh session: (running config after, whether it was a
    `configure replace` of the backup)."""
    conn = reopen_session(task)
    current = read_running(conn)
    replaced = not others_changed(plan.running, current, plan.remediation)
    if replaced:
        restore_from_flash(conn, flash_file)
    else:  # someone else's change is in there too: never replace it away
        note = "the device changed outside this run: only this run's lines undone"
        if note not in notes:
            notes.append(note)
        undo = undo_remediation(plan.running, current, plan.remediation)
        if undo:
            enter_change(conn, spec.revert_minutes if spec.safe else None)
            for lines in undo.values():
                send_lines(conn, lines, Counter(), spec.read_timeout)
            conn.exit_config_mode()
    if pushed:
        cancel_revert(conn)
    if manifest_written:
        write_flash(conn, MANIFEST_FILE, format_manifest(plan.claims))
    return read_running(conn), replaced
