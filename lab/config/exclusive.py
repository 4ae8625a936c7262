"""Exclusive Configuration Change Access ("configuration lock"): who holds it, IOS's texts.

Sources: Cisco "Exclusive Configuration Change Access and Access Session Locking"
(https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/config-mgmt/configuration/xe-16-10/
config-mgmt-xe-16-10-book/cm-config-lock.html) and the Configuration Fundamentals Command
Reference (`configuration mode exclusive`, `configure terminal lock`, `show configuration
lock` examples): `auto` locks at every `configure terminal`, `manual` only at `configure
terminal lock` (the `lock` keyword is not offered otherwise); the lock is released when its
holder leaves configuration mode (end/exit/Ctrl-Z) or its session ends. The refusal another
session gets is a real capture (blog.networkbits.es, 2014):
`Configuration mode locked exclusively by user 'netop' process '187' from terminal '7'.
Please try later.`
"""

from __future__ import annotations

from dataclasses import dataclass

from lab.config.tree import Block

LOCKED = (
    "Configuration mode locked exclusively. The lock will be cleared once you exit out of "
    "configuration mode using end/exit"
)
# Owner PID, User, TTY, Type, State, Class, Count, User debug info of a free lock
NO_LOCK = ("-1", "unknown", "-1", "NO LOCK", "FREE", "unknown", "0", "")
EXPIRE_SECONDS = 600  # the lock's default expiry (the doc's `active 6` + `expiration 593`)


@dataclass(frozen=True)
class LockHolder:
    """The session holding the configuration lock, as `show configuration lock` names it."""

    session: int
    user: str
    tty: int
    pid: int
    address: str
    command: str  # `configure terminal` or `configure terminal lock` (User debug info)
    since: float


def lock_policy(root: Block) -> str | None:
    """`auto`, `manual`, or None when `configuration mode exclusive` is not configured."""
    block = root.by_slot("configuration mode exclusive")
    return block.words[3] if block is not None else None


def refusal(holder: LockHolder) -> str:
    return (
        f"Configuration mode locked exclusively by user '{holder.user}' process "
        f"'{holder.pid}' from terminal '{holder.tty}'. Please try later."
    )


def show_configuration_lock(holder: LockHolder | None, now: float) -> str:
    """`show configuration lock`, field for field as the command reference prints it."""
    if holder is None:
        owner, user, tty, kind, state, cls, count, info = NO_LOCK
        address, active, expiry = "Unknown", 0, 0
    else:
        owner, user, tty = str(holder.pid), holder.user, str(holder.tty)
        kind, state, cls, count, info = "EXCLUSIVE", "LOCKED", "EXPOSED", "1", holder.command
        address, active = holder.address, int(now - holder.since)
        expiry = max(EXPIRE_SECONDS - 1 - active, 0)
    rows = [
        ("Owner PID", owner),
        ("User", user),
        ("TTY", tty),
        ("Type", kind),
        ("State", state),
        ("Class", cls),
        ("Count", count),
        ("Pending Requests", "0"),
        ("User debug info", info),
        ("Session idle state", "TRUE"),
        ("No of exec cmds getting executed", "0"),
        ("No of exec cmds blocked", "0"),
        ("Config wait for show completion", "FALSE"),
        ("Remote ip address", address),
        ("Lock active time (in Sec)", str(active)),
        ("Lock Expiration timer (in Sec)", str(expiry)),
    ]
    lines = ["", "Parser Configure Lock", "---------------------"]
    lines += [f"{name} : {value}".rstrip() for name, value in rows]
    return "\n".join(lines) + "\n"
