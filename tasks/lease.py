"""The change lease: one change at a time per device, seen by every automation host.

IOS's exclusive configuration lock only lasts while its session stays in configuration mode,
so it cannot span a whole change (backup, push, rollback, save, manifest). The lease does: a
file on the device's flash naming its holder and expiry, taken before the backup and released
after the save. Taking it is made atomic with the device's own lock: each contender first
writes its claim to a file of its own, then, inside configuration mode (locked exclusively by
IOS, ``configuration mode exclusive``), reads the lease and copies its claim over it only when
the lease is free, expired or already its own. A lease past its expiry is reported with its
holder (a run that died) and taken over.

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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tasks.flash import delete_flash, read_flash, write_flash
from tasks.push import DeviceBusy, enter_change

LEASE_FILE = "dmvpn-runbook.lease"
HEADER = "! dmvpn-runbook change lease"


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
) -> LeaseHold:
    """Take the device's lease for ``ttl`` seconds, waiting at most ``wait`` seconds for a
    holder to release it. Raises LeaseError naming the holder when it is not released."""
    nonce = secrets.token_hex(6)
    started = time.monotonic()
    told = False
    while True:
        now = time.time()
        mine = Lease(holder or me(), tenant, now, now + ttl, nonce)
        current = parse_lease(read_flash(conn, LEASE_FILE))
        if current is None or current.expired(now):
            took = _try_take(conn, mine, current)
            if took is not None:
                return LeaseHold(mine, time.monotonic() - started, took if current else None)
        elif not told:
            say(f"waiting for the change lease held by {current.describe()}")
            told = True
        if time.monotonic() - started + poll > wait:
            holder_text = current.describe() if current else "another session in config mode"
            raise LeaseError(f"device busy: change lease held by {holder_text}")
        time.sleep(poll)


def _try_take(conn: Any, mine: Lease, seen: Lease | None) -> Lease | None:
    """Copy our claim over the lease inside exclusively locked configuration mode; returns
    the lease we replaced (or a blank one) on success, None when someone else was faster."""
    claim = _claim_file(mine.nonce)
    write_flash(conn, claim, format_lease(mine))
    try:
        try:
            enter_change(conn, None)  # locked exclusively by IOS (baseline: mode exclusive auto)
        except DeviceBusy:
            return None
        try:
            current = parse_lease(read_flash(conn, LEASE_FILE, in_config=True))
            if current is not None and not current.expired(time.time()) and current != seen:
                return None
            _copy_in_config(conn, claim, LEASE_FILE)
        finally:
            conn.exit_config_mode()
    finally:
        delete_flash(conn, claim)
    taken = parse_lease(read_flash(conn, LEASE_FILE))
    if taken is None or taken.nonce != mine.nonce:
        return None
    return seen or Lease("", "", 0.0, 0.0, "")


def _copy_in_config(conn: Any, source: str, dest: str) -> None:
    """``do copy flash:SOURCE flash:DEST``, answering IOS's file name and overwrite questions."""
    questions = r"Destination filename \[[^\]]*\]\?|over ?write\?.*\[confirm\]"
    expect = rf"{questions}|\(config[^)]*\)#\s*$"
    output = str(
        conn.send_command(
            f"do copy flash:{source} flash:{dest}", expect_string=expect, read_timeout=30
        )
    )
    for _ in range(3):
        if not re.search(questions, output.strip().splitlines()[-1] if output.strip() else ""):
            break
        output += str(
            conn.send_command("", expect_string=expect, cmd_verify=False, read_timeout=30)
        )
    if "%Error" in output or "bytes copied" not in output:
        raise LeaseError(f"could not write the lease: {output.strip().splitlines()[-1:]}")


def release(conn: Any, hold: LeaseHold) -> None:
    """Give the lease back, if it is still ours (a stale one may have been taken over)."""
    current = parse_lease(read_flash(conn, LEASE_FILE))
    if current is not None and current.nonce == hold.lease.nonce:
        delete_flash(conn, LEASE_FILE)


def stale_lease(conn: Any) -> Lease | None:
    """A lease past its expiry on the device (a run that died), for reports."""
    current = parse_lease(read_flash(conn, LEASE_FILE))
    return current if current is not None and current.expired(time.time()) else None
