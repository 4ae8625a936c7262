"""Exec commands typed together (tasks/exchange.py), against the lab over real SSH: each answer
comes back in order, stale output before the first echo is skipped, and the pipeline's steps
cost the round trips they claim (writes to the device counted on the connection itself)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest
from netmiko import ConnectHandler

from lab.api import Lab, LabSettings
from lab.serve.inventory import LabHost
from tasks.connect import guard_session
from tasks.exchange import Step, body, exchange, exec_prompt
from tasks.flash import FlashError, delete_flash, read_flash, write_flash
from tasks.host_keys import KnownHosts, known_name
from tasks.host_plan import STATE_READS, read_state
from tasks.lease import (
    LEASE_FILE,
    RELEASE_MARGIN,
    Lease,
    LeaseError,
    acquire,
    format_lease,
    lease_read_step,
    parse_lease,
    release,
    saw_lease,
)
from tasks.session import enable, prepare


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    settings = LabSettings(convergence_delay=0.2, latency=0.0)
    state = tmp_path_factory.mktemp("pipelined")
    with Lab([LabHost("hub1", "ISR4331")], state, settings=settings) as running:
        yield running


class Counted:
    """A netmiko session whose writes to the device are counted (each one is an exchange)."""

    def __init__(self, lab: Lab, prepared: bool = False) -> None:
        self.conn = ConnectHandler(
            device_type="cisco_ios", host="127.0.0.1", port=lab.ports["hub1"],
            username="admin", password="admin", secret="admin", use_keys=False,
            allow_agent=False, auto_connect=not prepared,
        )  # fmt: skip
        if prepared:
            self.conn.establish_connection()
        guard_session(self.conn)
        self.writes = 0
        original = self.conn.write_channel

        def counted(data: str) -> None:
            self.writes += 1
            original(data)

        self.conn.write_channel = counted

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *_: object) -> None:
        self.conn.disconnect()


def test_commands_typed_together_come_back_in_order_and_stale_prompts_are_skipped(
    lab: Lab,
) -> None:
    with Counted(lab) as session:
        conn = session.conn
        enable(conn)
        conn.write_channel(conn.RETURN * 2)  # two prompts nobody reads, as find_prompt can leave
        time.sleep(0.3)
        session.writes = 0
        done = exec_prompt(conn)
        answers = exchange(conn, [Step("show clock", until=done), Step("dir flash:", until=done)])
        assert session.writes == 1
        assert not body(answers[0], conn.base_prompt).startswith(conn.base_prompt)
        assert re.search(r"\d\d:\d\d:\d\d", body(answers[0], conn.base_prompt))
        assert body(answers[1], conn.base_prompt).startswith("Directory of ")


def test_preparation_takes_two_round_trips_and_leaves_the_session_enabled(lab: Lab) -> None:
    with Counted(lab, prepared=True) as session:
        prepare(session.conn)
        assert session.writes == 2  # terminal settings with enable, then the secret
        assert session.conn.base_prompt == "hub1"
        running, claims = read_state(session.conn)
        assert "hostname hub1" in running and running.rstrip().endswith("end")
        assert session.writes == 3 and isinstance(claims, dict)
        # the same text netmiko's send_command reads (what the rollback compares with)
        assert running.strip() == session.conn.send_command(STATE_READS[0]).strip()


def test_a_flash_write_and_its_md5_check_are_one_round_trip(lab: Lab) -> None:
    with Counted(lab) as session:
        enable(session.conn)
        session.writes = 0
        write_flash(session.conn, "pipelined.txt", "line one\nline two\n")
        assert session.writes == 1
        assert read_flash(session.conn, "pipelined.txt") == "line one\nline two"
        with pytest.raises(FlashError, match="braces"):
            write_flash(session.conn, "pipelined.txt", "a {brace}")


def test_the_lease_takes_two_writes_reads_under_it_and_names_a_live_holder(lab: Lab) -> None:
    with Counted(lab) as session:
        conn = session.conn
        enable(conn)
        session.writes = 0
        hold = acquire(conn, "event42", 600, 5, then_read=STATE_READS)
        assert session.writes == 2
        recorded = parse_lease(read_flash(conn, LEASE_FILE))
        assert recorded is not None and recorded.nonce == hold.lease.nonce
        assert "hostname hub1" in hold.reads[0] and len(hold.reads) == 2
        assert hold.took_over is None
        assert not re.search(r"dmvpn-runbook\.claim-", conn.send_command("dir flash:"))
        with Counted(lab) as other:  # a second run waits, then names the holder
            enable(other.conn)
            with pytest.raises(LeaseError, match=re.escape(hold.lease.holder)):
                acquire(other.conn, "event43", 600, 1.5, poll=0.5)
            assert "(config" not in other.conn.find_prompt()  # it left configuration mode
        release(conn, hold)
        assert read_flash(conn, LEASE_FILE) is None


def test_a_stale_lease_is_taken_over_in_the_same_two_writes(lab: Lab) -> None:
    with Counted(lab) as session:
        conn = session.conn
        enable(conn)
        dead = Lease("bob@ops3 pid 7", "event43", 1.0, 61.0, "dead01")
        write_flash(conn, LEASE_FILE, format_lease(dead))
        session.writes = 0
        hold = acquire(conn, "event42", 600, 5)
        assert session.writes == 2 and hold.took_over == dead
        release(conn, hold)


def test_the_release_deletes_in_one_write_what_the_last_exchange_read(lab: Lab) -> None:
    """The change's last exchange reads the lease; after the save only the delete is left, and
    only while that read showed the lease ours with a margin before it expires."""
    with Counted(lab) as session:
        conn = session.conn
        enable(conn)
        hold = acquire(conn, "event42", 600, 5)
        saw_lease(conn, hold, exchange(conn, [lease_read_step(conn)])[0])
        session.writes = 0
        release(conn, hold)
        assert session.writes == 1 and read_flash(conn, LEASE_FILE) is None

        # about to expire when read: someone may take it over meanwhile, so it is read again
        hold = acquire(conn, "event42", int(RELEASE_MARGIN / 2), 5)
        saw_lease(conn, hold, exchange(conn, [lease_read_step(conn)])[0])
        session.writes = 0
        release(conn, hold)
        assert session.writes == 2 and read_flash(conn, LEASE_FILE) is None

        # taken over after the read (it expired): the other run's lease stays
        hold = acquire(conn, "event42", 600, 5)
        saw_lease(conn, hold, exchange(conn, [lease_read_step(conn)])[0])
        other = Lease("bob@ops3 pid 7", "event43", time.time(), time.time() + 600, "bob01")
        write_flash(conn, LEASE_FILE, format_lease(other))
        assert hold.seen is not None
        hold.seen = (hold.seen[0] - RELEASE_MARGIN, hold.seen[1])  # read long ago
        release(conn, hold)
        kept = parse_lease(read_flash(conn, LEASE_FILE))
        assert kept is not None and kept.nonce == other.nonce
        delete_flash(conn, LEASE_FILE)


def test_known_hosts_is_parsed_once_and_again_when_someone_else_changed_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "known_hosts"
    store = KnownHosts(path)
    first, second = paramiko.ECDSAKey.generate(), paramiko.ECDSAKey.generate()
    store.add(known_name("127.0.0.1", 2201), first)
    assert [k.asbytes() for k in store.keys_for("[127.0.0.1]:2201")] == [first.asbytes()]
    store.add(known_name("127.0.0.1", 2202), second)  # our own line: no parse needed
    assert [k.asbytes() for k in store.keys_for("[127.0.0.1]:2202")] == [second.asbytes()]
    # another process rewrites the file: the next lookup reads it again
    path.write_text(f"[127.0.0.1]:2201 {second.get_name()} {second.get_base64()}\n")
    assert [k.asbytes() for k in store.keys_for("[127.0.0.1]:2201")] == [second.asbytes()]
    assert store.keys_for("[127.0.0.1]:2202") == []


@pytest.mark.parametrize("module", ["tasks.exchange", "tasks.host_plan", "tasks.report"])
def test_doctests(module: str) -> None:
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried and not failures
