"""The change lease: one change at a time per device, seen by every automation host.

IOS's exclusive configuration lock only lasts while its session stays in configuration mode,
so it cannot span a whole change (backup, push, rollback, save, manifest). The lease does: a
file on the device's flash naming its holder and expiry, taken before the backup and released
after the save. Taking it is made atomic with the device's own lock: each contender first
writes its claim to a file of its own, then, inside configuration mode (locked exclusively by
IOS, ``configuration mode exclusive``), reads the lease and copies its claim over it only when
the lease is free or expired. A lease past its expiry is reported with its holder (a run that
died) and taken over. That takes two writes to the device, each a round trip: the claim, the
lock and the read of the lease typed at once (each harmless if the one before failed), then the
copy, leaving configuration mode, removing the claim and reading the lease back. Giving it
back takes one: the lease is read in the change's last exchange (with the confirm), and deleted
after the save when that read showed it ours with more than a minute left.

Exclusive Configuration Change Access: https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/config-mgmt/configuration/xe-16/config-mgmt-xe-16-book/cm-excl-config-chg.html

>>> lease = Lease("ops@a pid 7", "ev7", 100.0, 400.0, "n1")
>>> parse_lease(format_lease(lease)) == lease
True
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tasks.exchange import Step, body, exchange, exec_prompt, mode_of
from tasks.flash import (
    FILE_SYSTEM,
    FlashError,
    check_written,
    delete_flash,
    flash_text,
    read_flash,
    write_steps,
)
from tasks.push import LOCKED, DeviceBusy

LEASE_FILE = "dmvpn-runbook.lease"
READ_LEASE = f"more {FILE_SYSTEM}{LEASE_FILE}"
HEADER = "! dmvpn-runbook change lease"
ENTER_LOCKED = "configure terminal"  # locked exclusively by IOS (baseline: mode exclusive auto)


class LeaseError(Exception):
    """The lease could not be taken or kept (the message is for people)."""


@dataclass(frozen=True)
class Lease:
    """Who holds a device for a change, until when (epoch seconds), with a random nonce."""

    holder: str
    tenant: str
    taken: float
    expires: float
    nonce: str

    def expired(self, now: float) -> bool:
        return now >= self.expires

    def describe(self) -> str:
        until = datetime.fromtimestamp(self.expires, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"{self.holder} (tenant {self.tenant}, until {until})"


def me() -> str:
    """This automation process, as a lease names it."""
    return f"{getpass.getuser()}@{socket.gethostname()} pid {os.getpid()}"


def format_lease(lease: Lease) -> str:
    return "\n".join(
        [
            HEADER,
            f"holder {lease.holder}",
            f"tenant {lease.tenant}",
            f"taken {lease.taken:.0f}",
            f"expires {lease.expires:.0f}",
            f"nonce {lease.nonce}",
        ]
    )


def parse_lease(text: str | None) -> Lease | None:
    """The lease a file holds; None when there is none. Unreadable content is a lease held by
    someone unknown until it is cleared by hand (never silently taken over)."""
    if text is None or not text.strip():
        return None
    fields = dict(line.strip().split(" ", 1) for line in text.splitlines() if " " in line.strip())
    try:
        return Lease(
            fields["holder"],
            fields.get("tenant", "?"),
            float(fields["taken"]),
            float(fields["expires"]),
            fields["nonce"],
        )
    except (KeyError, ValueError):
        return Lease("unknown (unreadable lease file)", "?", 0.0, float("inf"), "?")


@dataclass
class LeaseHold:
    """A lease this run holds, and what it found when taking it."""

    lease: Lease
    waited: float = 0.0
    took_over: Lease | None = None  # a stale lease of a run that died
    reads: list[str] = field(default_factory=list)  # outputs of ``acquire``'s ``then_read``
    # the lease file as read in the change's last exchange (``lease_read_step``), with when
    seen: tuple[float, Lease | None] | None = None


def _claim_file(nonce: str) -> str:
    return f"dmvpn-runbook.claim-{nonce}"


def acquire(
    conn: Any,
    tenant: str,
    ttl: float,
    wait: float,
    say: Callable[[str], None] = lambda _: None,
    holder: str | None = None,
    poll: float = 1.0,
    then_read: Sequence[str] = (),
) -> LeaseHold:
    """Take the device's lease for ``ttl`` seconds, waiting at most ``wait`` seconds for a
    holder to release it. Raises LeaseError naming the holder when it is not released.
    ``then_read``: exec commands run right after the lease is taken, in the same write; their
    outputs are in ``LeaseHold.reads``."""
    nonce = secrets.token_hex(6)
    started = time.monotonic()
    told = False
    current: Lease | None = None
    while True:
        now = time.time()
        mine = Lease(holder or me(), tenant, now, now + ttl, nonce)
        # The first try goes straight in; later ones only once the lease looks free.
        if told:
            current = parse_lease(read_flash(conn, LEASE_FILE))
        if not told or current is None or current.expired(now):
            taken, current, reads = _try_take(conn, mine, then_read)
            if taken:
                return LeaseHold(mine, time.monotonic() - started, current, reads)
        if current is not None and not told:
            say(f"waiting for the change lease held by {current.describe()}")
        told = True
        if time.monotonic() - started + poll > wait:
            holder_text = current.describe() if current else "another session in config mode"
            raise LeaseError(f"device busy: change lease held by {holder_text}")
        time.sleep(poll)


def _try_take(
    conn: Any, mine: Lease, then_read: Sequence[str]
) -> tuple[bool, Lease | None, list[str]]:
    """Copy our claim over the lease inside exclusively locked configuration mode, in two
    writes: (1) the claim file (``write_steps``), configuration mode, the lease read there;
    (2) the copy with its answers, leaving configuration mode, deleting the claim, reading the
    lease back, and ``then_read``. Returns (whether it is ours now, the lease found there
    before: a stale one taken over, or the live one of another holder; the outputs of
    ``then_read``)."""
    claim, text = _claim_file(mine.nonce), format_lease(mine)
    read_lease = f"do {READ_LEASE}"
    leave = [Step("end"), Step(f"delete /force {FILE_SYSTEM}{claim}")]
    answers = exchange(conn, [*write_steps(claim, text), Step(ENTER_LOCKED), Step(read_lease)])
    entered, read = answers[4], answers[5]
    if not mode_of(entered).startswith("config"):  # another session holds configuration mode
        delete_flash(conn, claim)
        return False, None, []
    try:
        if LOCKED.search(entered):
            raise DeviceBusy(f"configuration mode is locked: {entered.strip()[-80:]!r}")
        check_written(claim, text, answers[:4])
        raw = flash_text(read_lease, body(read, conn.base_prompt))
    except Exception:
        exchange(conn, leave)
        raise
    current = parse_lease(raw)
    if current is not None and not current.expired(time.time()):
        exchange(conn, leave)
        return False, current, []
    done = exec_prompt(conn)
    steps = [
        Step(  # IOS asks for the file name, and whether to overwrite a file already there
            f"do copy {FILE_SYSTEM}{claim} {FILE_SYSTEM}{LEASE_FILE}",
            until=r"(?m)^" + re.escape(conn.base_prompt) + r"\(config[^)]*\)#",
            answers=1 if raw is None else 2,
        ),
        Step("end", until=done),  # (also reads the prompt of an Enter IOS did not ask for)
        Step(f"delete /force {FILE_SYSTEM}{claim}", until=done),
        Step(READ_LEASE, until=done),
        *(Step(command, until=done) for command in then_read),
    ]
    answers = exchange(conn, steps, read_timeout=60)
    if "%Error" in answers[0] or "bytes copied" not in answers[0]:
        raise LeaseError(f"could not write the lease: {answers[0].strip().splitlines()[-2:]}")
    taken = parse_lease(body(answers[3], conn.base_prompt))
    if taken is None or taken.nonce != mine.nonce:
        return False, taken, []
    reads = [body(answer, conn.base_prompt) for answer in answers[4:]]
    return True, current, reads


# A lease read this long before its expiry is still ours for the few writes up to the release.
RELEASE_MARGIN = 60.0


def lease_read_step(conn: Any) -> Step:
    """``more`` of the lease file, to type with the change's last exchange (harmless if the
    steps before it failed): ``release`` then needs no read of its own."""
    return Step(READ_LEASE, until=exec_prompt(conn))


def saw_lease(conn: Any, hold: LeaseHold, answer: str) -> None:
    """Remember the answer to ``lease_read_step`` for ``release`` (an unreadable answer is
    not the change's failure: ``release`` then reads the lease itself)."""
    try:
        text = flash_text(READ_LEASE, body(answer, conn.base_prompt))
    except FlashError:
        return
    hold.seen = (time.time(), parse_lease(text))


def release(conn: Any, hold: LeaseHold) -> None:
    """Give the lease back, if it is still ours (a stale one may have been taken over): as read
    in the change's last exchange while it had ``RELEASE_MARGIN`` left, else read now."""
    read_at, current = hold.seen if hold.seen is not None else (0.0, None)
    fresh = current is not None and current.expires - read_at > RELEASE_MARGIN
    if not fresh or time.time() - read_at > RELEASE_MARGIN / 2:
        current = parse_lease(read_flash(conn, LEASE_FILE))
    if current is not None and current.nonce == hold.lease.nonce:
        delete_flash(conn, LEASE_FILE)


def stale_lease(conn: Any) -> Lease | None:
    """A lease past its expiry on the device (a run that died), for reports."""
    current = parse_lease(read_flash(conn, LEASE_FILE))
    return current if current is not None and current.expired(time.time()) else None
