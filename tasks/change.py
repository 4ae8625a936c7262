"""The one change pipeline: deploy, teardown and drift remediation all go through here, so every
safety property of a change on a shared device lives in one place.

Per host, in one Nornir task that never raises:

1. read the running config and the ownership manifest, plan the lines (a pure ``Planner``);
   ``--dry-run`` and hosts with nothing to do stop here, touching nothing;
2. take the device's change lease (``tasks.lease``; bounded wait, stale leases reported and
   taken over) and plan again under it: what another run did meanwhile is seen;
3. back up (flash + local), enter configuration mode locked by IOS with its revert timer
   running, send the lines section by section (refusals checked per line, lines counted as
   they really go out), leave, ``configure confirm``, record the manifest, ``write memory``;
4. on ANY failure (refused line, lost session, timeout, Ctrl-C/SIGTERM, a failed save):
   on a fresh session, if the running config is the backup plus this run's own objects,
   ``configure replace`` the backup; if something else changed meanwhile, undo only this
   run's objects. Then compare the result with the backup, ignoring what IOS varies:
   ``rolled back`` when equal, ``failed`` with the backup's path when not. If the device
   cannot be reached at all, its revert timer restores it and the report says when;
5. release the lease.

Hosts go in waves: headends first, spokes once every headend succeeded (deploy); teardown and
remediation take every host at once. While a wave changes its hosts, the next wave's step 1 (a
read and a pure plan: nothing is written) already runs on theirs, so a spoke starts at its
lease once the headend is done; step 2 still reads the device again under the lease.

The state a plan is made from and the plan itself live in ``tasks.host_plan``; step 4 in
``tasks.rollback``.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from tasks.backup import backup_name, backup_to_flash, save_local
from tasks.blocks import objects_of, structure
from tasks.exchange import Step, body, exchange, exec_prompt
from tasks.flash import check_written, write_flash, write_steps
from tasks.host_plan import (
    STATE_READS,
    HostPlan,
    Planner,
    missing_prerequisites,
    read_state,
    state_of,
    unvaried,
)
from tasks.lease import LeaseHold, acquire, lease_read_step, release, saw_lease
from tasks.manifest import MANIFEST_FILE, Claim, format_manifest
from tasks.push import (
    SHOW_RUNNING,
    Aborted,
    Counter,
    DeviceBusy,
    HostOutcome,
    Status,
    describe,
    enter_change,
    finish_change,
    open_session,
    reopen_session,
    save,
    send_lines,
    session_of,
)
from tasks.rollback import roll_back

DEPLOY, TEARDOWN, REMEDIATE = "deploy", "teardown", "remediate"

Say = Callable[[str, str], None]  # host, message
OnSection = Callable[[str, str, int], None]  # host, section, lines


@dataclass
class ChangeSpec:
    """One run of the pipeline, as the runbook asked for it."""

    mode: str
    label: str  # the tenant, or "drift" for a remediation of every tenant
    hosts: list[str]
    backup_root: Path
    save: bool = True
    dry_run: bool = False
    revert_minutes: int = 5
    lease_wait: float = 120.0
    lease_ttl: float | None = None  # default: the revert window plus two minutes
    read_timeout: float = 30.0
    safe: bool = True  # False only for the baseline, which installs what `safe` relies on
    abort: threading.Event = field(default_factory=threading.Event)

    @property
    def ttl(self) -> float:
        return self.lease_ttl if self.lease_ttl is not None else self.revert_minutes * 60 + 120


@dataclass
class HostReport:
    """One host's row: what was planned and what happened."""

    host: str
    role: str
    outcome: HostOutcome


Seen = tuple[str, dict[str, Claim]]  # a host's running config and manifest claims
ReadAhead = dict[str, tuple[Seen, HostPlan]]  # host -> what step 1 read and planned early


def change_host(
    task: Task,
    spec: ChangeSpec,
    planner: Planner,
    say: Say,
    on_section: OnSection,
    ahead: ReadAhead | None = None,
) -> Result:
    """The whole change of one host (see the module doc). Always returns a HostOutcome.
    ``ahead``: step 1 already done for some hosts (``EarlyReads``)."""
    started = time.monotonic()
    host = task.host.name
    hold: LeaseHold | None = None
    try:
        conn = open_session(task)
        if ahead is not None and host in ahead:
            seen, plan = ahead[host]
        else:
            seen = read_state(conn)
            plan = planner(host, *seen)
        if spec.dry_run or (not plan.remediation and not plan.manifest_changes):
            status = Status.PLANNED if plan.remediation else Status.UNCHANGED
            return _result(task, HostOutcome(status, remediation=plan.remediation), started)
        if spec.abort.is_set():
            skipped = HostOutcome(
                Status.SKIPPED, error="not attempted: interrupted by the operator"
            )
            return _result(task, skipped, started)
        missing = missing_prerequisites(plan.running) if spec.safe else []
        if missing:
            why = f"not prepared for safe changes: lacks {'; '.join(missing)}"
            fix = f"run `python runbooks/baseline.py --host {host}` first"
            return _result(task, HostOutcome(Status.FAILED, error=f"{why} ({fix})"), started)
        hold = acquire(
            conn,
            spec.label,
            spec.ttl,
            spec.lease_wait,
            say=lambda text: say(host, text),
            then_read=STATE_READS,
        )
        if hold.took_over is not None:
            say(host, f"took over a stale change lease of {hold.took_over.describe()}")
        # planned again on what the device holds under the lease (another run may have
        # changed it meanwhile). The planner is pure: the same config (but for what IOS
        # varies on its own, e.g. the last change's time the lease's lock just set) and the
        # same manifest give the same lines, so only the config read under the lease is kept.
        now = state_of(hold.reads)
        if now[1] == seen[1] and unvaried(now[0]) == unvaried(seen[0]):
            plan = dataclasses.replace(plan, running=now[0])
        else:
            plan = planner(host, *now)
        say(host, f"{plan.lines} lines to push")
        outcome = _apply(task, conn, spec, plan, on_section, hold)
        if hold.took_over is not None:
            outcome.notes.append(f"took over a stale lease of {hold.took_over.describe()}")
    except Exception as exc:  # nothing was changed yet: planning, lease or backup failed
        outcome = HostOutcome(Status.FAILED, error=describe(exc))
    finally:
        if hold is not None:
            outcome_release = _release(task, hold)
            if outcome_release:
                say(host, outcome_release)
    return _result(task, outcome, started)


def _result(task: Task, outcome: HostOutcome, started: float) -> Result:
    outcome.seconds = time.monotonic() - started
    failed = outcome.status in (Status.FAILED, Status.ROLLED_BACK)
    return Result(host=task.host, result=outcome, failed=failed)


def _release(task: Task, hold: LeaseHold) -> str | None:
    """Give the lease back, on a fresh session if the change's own one died."""
    try:
        release(open_session(task), hold)
    except Exception:
        try:
            release(reopen_session(task), hold)
        except Exception as exc:  # the lease expires on its own; say so
            return f"could not release the change lease ({describe(exc)}); it expires on its own"
    return None


def _apply(
    task: Task,
    conn: Any,
    spec: ChangeSpec,
    plan: HostPlan,
    on_section: OnSection,
    hold: LeaseHold,
) -> HostOutcome:
    """Backup, push, confirm, manifest, save; roll back on any failure."""
    host = task.host.name
    if not plan.remediation:  # the config holds the intent; only the manifest is behind
        if plan.new_claims is not None and plan.manifest_changes:
            write_flash(conn, MANIFEST_FILE, format_manifest(plan.new_claims))
            return HostOutcome(Status.UNCHANGED, notes=["ownership manifest recorded"])
        return HostOutcome(Status.UNCHANGED)
    local = save_local(spec.backup_root, host, plan.running)
    flash_file = backup_name(spec.label)
    backup_to_flash(conn, flash_file)
    counter = Counter(spec.abort)
    pushed = manifest_written = False
    try:
        enter_change(conn, spec.revert_minutes if spec.safe else None)
        pushed = spec.safe
        # every section in one stream of writes: a section's end does not wait for an answer
        # (its last lines share a write with the next section's first ones), and a section is
        # reported once the device took its last line
        ends: list[tuple[str, int, int]] = []
        for section, lines in plan.remediation.items():
            count = len(structure(lines))
            ends.append((section, (ends[-1][1] if ends else 0) + count, count))

        def progress(sent: int) -> None:
            while ends and ends[0][1] <= sent:
                section, _, count = ends.pop(0)
                on_section(host, section, count)

        flat = [line for lines in plan.remediation.values() for line in lines]
        # objects the running config (read under the lease) shows are re-entered without
        # waiting for their header's answer (tasks.blocks)
        known = objects_of(plan.running)
        send_lines(conn, flat, counter, spec.read_timeout, on_write=progress, known=known)
        progress(counter.sent)
        if spec.abort.is_set():
            raise Aborted("interrupted by the operator")
        if plan.seal is not None:  # type-6 keys: recorded as IOS shows them after the push
            # (the read goes with leaving and the confirm: harmless if either failed, which
            # raises before the read is used)
            shown = Step(SHOW_RUNNING, until=exec_prompt(conn))
            (running,) = finish_change(conn, spec.safe, [shown])
            plan.new_claims = plan.seal(body(running, conn.base_prompt))
        # leaving, `configure confirm` and the manifest's write go out at once: a failed
        # confirm raises below and the rollback restores the manifest as well
        manifest = (
            format_manifest(plan.new_claims)
            if plan.new_claims is not None and plan.manifest_changes
            else None
        )
        steps = write_steps(MANIFEST_FILE, manifest) if manifest is not None else []
        steps.append(lease_read_step(conn))  # for the release: one read fewer after the save
        manifest_written = manifest is not None  # (a half-written file is restored too)
        if plan.seal is not None:
            answers = exchange(conn, steps, read_timeout=60)
        else:
            answers = finish_change(conn, spec.safe, steps)
        if manifest is not None:
            check_written(MANIFEST_FILE, manifest, answers[:-1])
        saw_lease(conn, hold, answers[-1])
        if spec.save:
            save(conn)
    except BaseException as exc:  # every failure of a started change takes the same path
        if isinstance(exc, KeyboardInterrupt):
            spec.abort.set()
        if isinstance(exc, DeviceBusy) and counter.sent == 0:  # locked by someone: nothing sent
            return HostOutcome(
                Status.FAILED, 0, describe(exc), backup=local, remediation=plan.remediation
            )
        outcome = roll_back(
            task, spec, plan, flash_file, local, counter.sent, pushed, manifest_written, exc
        )
        outcome.remediation = plan.remediation
        return outcome
    return HostOutcome(Status.OK, counter.sent, backup=local, remediation=plan.remediation)


def run_change(
    nr: Nornir,
    spec: ChangeSpec,
    roles: Mapping[str, str],
    planner: Planner,
    say: Say,
    on_section: OnSection,
    on_done: Callable[[HostReport], None] = lambda _: None,
) -> list[HostReport]:
    """Every host of ``spec`` through ``change_host``, in waves (see the module doc)."""
    reports: dict[str, HostReport] = {}
    headends = [h for h in spec.hosts if roles[h] == "headend"]
    spokes = [h for h in spec.hosts if roles[h] != "headend"]
    waves = [headends, spokes] if spec.mode == DEPLOY else [headends + spokes]
    early: EarlyReads | None = None
    for wave in waves:
        if not wave:
            continue
        blocked = [
            h
            for h in headends
            if h in reports
            and reports[h].outcome.status not in (Status.OK, Status.UNCHANGED, Status.PLANNED)
        ]
        if blocked or spec.abort.is_set():
            if early is not None:  # reads already running (read-only) end on their own
                early.stop()
                early = None
            why = (
                "interrupted by the operator"
                if spec.abort.is_set()
                else f"headend {', '.join(blocked)} did not succeed"
            )
            for host in wave:
                reports[host] = HostReport(
                    host, roles[host], HostOutcome(Status.SKIPPED, error=f"not attempted: {why}")
                )
                on_done(reports[host])
            continue
        ahead: ReadAhead = {}
        if early is not None:
            ahead, early = early.results(), None
        following = waves[waves.index(wave) + 1 :]
        if following and following[0]:
            early = EarlyReads(nr, following[0], planner)
        group = nr.filter(filter_func=lambda h, wave=wave: h.name in wave)
        result = group.run(
            task=change_host,
            spec=spec,
            planner=planner,
            say=say,
            on_section=on_section,
            ahead=ahead,
            name=spec.mode,
            on_failed=True,
        )
        for host in wave:
            outcome = result[host][0].result
            if not isinstance(outcome, HostOutcome):  # Nornir itself failed the task
                outcome = HostOutcome(Status.FAILED, error=describe(result[host][0].exception))
            reports[host] = HostReport(host, roles[host], outcome)
            on_done(reports[host])
    return [reports[h] for h in spec.hosts if h in reports]


class EarlyReads:
    """Step 1 (read the state, plan) for ``hosts`` while the wave before them changes its
    hosts: read-only, on sessions that are idle until their wave. A few at a time
    (``WORKERS``): 40 plans at once would keep the runbook's one core from the wave that is
    changing devices. ``results`` stops the reads not yet started and waits for the others;
    a host left out (not reached, or its read failed) reads again in its own task."""

    WORKERS = 4

    def __init__(self, nr: Nornir, hosts: Sequence[str], planner: Planner) -> None:
        self._found: ReadAhead = {}
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(min(self.WORKERS, len(hosts)), "read-ahead")
        for host in hosts:
            self._pool.submit(self._read, nr, host, planner)

    def _read(self, nr: Nornir, host: str, planner: Planner) -> None:
        if self._stop.is_set():
            return
        try:
            seen = read_state(session_of(nr.inventory.hosts[host], nr.config))
            self._found[host] = (seen, planner(host, *seen))
        except Exception:  # the host's own task reads again and reports it
            pass

    def results(self) -> ReadAhead:
        """What was read, once the reads in progress ended (no new one starts)."""
        self.stop(wait=True)
        return dict(self._found)

    def stop(self, wait: bool = False) -> None:
        """No new read starts; ``wait``: until the ones in progress ended."""
        self._stop.set()
        self._pool.shutdown(wait=wait, cancel_futures=True)


def all_ok(reports: Sequence[HostReport]) -> bool:
    """True when no host failed, was rolled back or skipped."""
    return all(r.outcome.status in (Status.OK, Status.UNCHANGED, Status.PLANNED) for r in reports)
