"""The push without a round trip per line (tasks/push.send_lines over tasks/blocks.plan_writes),
against the lab over real SSH with unmodified netmiko: refusals stay per line with IOS's caret,
a refused parent never lets its children land in another object, a lost session counts what
the device took, and an object costs one round trip however many lines it has."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netmiko import ConnectHandler
from netmiko.exceptions import ConfigInvalidException

from lab.api import Fault, Lab, LabSettings
from lab.serve.inventory import LabHost
from tasks.blocks import objects_of, plan_writes
from tasks.channel import LINEFEEDS, normalized
from tasks.connect import guard_session
from tasks.push import SESSION_ERRORS, Counter, enter_change, send_lines

RTT = 0.1


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    settings = LabSettings(convergence_delay=0.2, minute=0.5, links={"hub1": {"rtt": RTT}})
    with Lab(
        [LabHost("hub1", "ISR4331"), LabHost("e42-spoke1")], tmp_path, settings=settings
    ) as running:
        yield running


def configuring(lab: Lab, host: str) -> Any:
    conn = ConnectHandler(
        device_type="cisco_ios", host="127.0.0.1", port=lab.ports[host], username="admin",
        password="admin", secret="admin", use_keys=False, allow_agent=False,
    )  # fmt: skip
    guard_session(conn)
    conn.enable()
    enter_change(conn, None)
    return conn


def interface_block(host: str, lab: Lab) -> str:
    running = lab.running_config(host)
    return running.split(f"interface {host}", 1)[1].split("!", 1)[0] if host in running else ""


def test_a_refused_parent_never_lets_its_children_land_elsewhere(lab: Lab) -> None:
    lab.inject("e42-spoke1", Fault(refuse_pattern=r"^interface Loopback43$"))
    conn = configuring(lab, "e42-spoke1")
    send_lines(conn, ["interface Loopback7", " ip mtu 1400"], Counter(), read_timeout=10)
    known = objects_of(lab.running_config("e42-spoke1"))  # Loopback7 known, Loopback43 new
    counter = Counter()
    lines = [
        "interface Loopback7",
        " description FIRST",
        "interface Loopback43",
        " description SECOND",
    ]
    with pytest.raises(ConfigInvalidException) as refused:
        send_lines(conn, lines, counter, read_timeout=10, known=known)
    conn.disconnect()
    message = str(refused.value)
    assert message.startswith("Invalid input detected at command: interface Loopback43")
    assert "^" in message and "% Invalid input detected at '^' marker." in message
    assert counter.sent == 3  # the children of the refused parent never went out
    running = lab.running_config("e42-spoke1")
    assert "description SECOND" not in running
    assert "interface Loopback7\n description FIRST\n" in running


def test_a_refused_child_is_named_and_its_write_counted(lab: Lab) -> None:
    lab.inject("e42-spoke1", Fault(refuse_pattern=r"^description TWO$"))
    conn = configuring(lab, "e42-spoke1")
    counter = Counter()
    lines = ["interface Loopback8", " description ONE", " description TWO", " ip mtu 1400"]
    with pytest.raises(ConfigInvalidException, match="at command: description TWO"):
        send_lines(conn, lines, counter, read_timeout=10)
    conn.disconnect()
    # the write held all three children: all of them went out and were answered
    assert counter.sent == 4


def test_a_lost_session_counts_what_the_device_took(lab: Lab) -> None:
    lab.inject("e42-spoke1", Fault(drop_after_config_lines=3))
    conn = configuring(lab, "e42-spoke1")
    counter = Counter()
    lines = [
        "interface Loopback9",
        " description A",
        " description B",
        " description C",
        " ip mtu 1400",
    ]
    with pytest.raises(SESSION_ERRORS):
        send_lines(conn, lines, counter, read_timeout=10)
    # the parent, A and B were answered; the device dropped the session on C
    assert counter.sent == 4
    assert "description C" not in lab.running_config("e42-spoke1")


def test_an_object_costs_one_round_trip_not_one_per_line(lab: Lab) -> None:
    conn = configuring(lab, "hub1")
    children = [f" permit udp any any eq {port}" for port in range(2000, 2030)]
    started = time.monotonic()
    send_lines(conn, ["ip access-list extended ACL-BENCH", *children], Counter(), read_timeout=10)
    seconds = time.monotonic() - started
    conn.disconnect()
    assert seconds < 4 * RTT  # two writes (the parent, then its 30 lines), not 31 round trips
    assert lab.running_config("hub1").count("permit udp any any eq 20") == 30


def test_objects_the_running_config_shows_are_re_entered_without_a_round_trip_each(
    lab: Lab,
) -> None:
    """A change to existing objects (a PSK, a description, an ACL entry) on a far device: IOS
    accepts its own header lines back, so their children need not wait for them."""
    conn = configuring(lab, "hub1")
    created = [f"interface Loopback{n}\n description OLD {n}" for n in range(1, 5)]
    send_lines(conn, "\n".join(created).splitlines(), Counter(), read_timeout=10)
    known = objects_of(lab.running_config("hub1"))
    change = [f"interface Loopback{n}\n description NEW {n}" for n in range(1, 5)]
    started = time.monotonic()
    send_lines(conn, "\n".join(change).splitlines(), Counter(), read_timeout=10, known=known)
    seconds = time.monotonic() - started
    conn.disconnect()
    assert seconds < 2 * RTT  # one write, not one per interface
    running = lab.running_config("hub1")
    for n in range(1, 5):
        assert f"interface Loopback{n}\n description NEW {n}\n" in running


def test_a_refused_child_in_a_typed_ahead_write_leaves_the_next_object_whole(lab: Lab) -> None:
    lab.inject("e42-spoke1", Fault(refuse_pattern=r"^description TWO$"))
    conn = configuring(lab, "e42-spoke1")
    setup = ["interface Loopback1", " ip mtu 1400", "interface Loopback2", " ip mtu 1400"]
    send_lines(conn, setup, Counter(), read_timeout=10)
    known = objects_of(lab.running_config("e42-spoke1"))
    counter = Counter()
    lines = ["interface Loopback1", " description TWO", "interface Loopback2", " description THREE"]
    with pytest.raises(ConfigInvalidException, match="at command: description TWO"):
        send_lines(conn, lines, counter, read_timeout=10, known=known)
    conn.disconnect()
    assert counter.sent == 4  # one write: all of it went out and was answered
    running = lab.running_config("e42-spoke1")
    assert "interface Loopback2\n description THREE\n" in running
    assert "interface Loopback1\n description THREE" not in running


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("describe"), st.integers(0, 4), st.integers(0, 9)),
        st.tuples(st.just("permit"), st.integers(0, 2), st.integers(1000, 1009)),
        st.tuples(st.just("remove"), st.integers(0, 4), st.just(0)),
    ),
    min_size=1,
    max_size=8,
)
EXAMPLES = iter(range(1000))


def _change(ops: list[tuple[str, int, int]], tag: str) -> list[str]:
    """Config lines for ``ops`` on objects named with ``tag``; a removal only of a loopback
    that exists then (set up: 0-2), so IOS takes every line."""
    alive, lines = {0, 1, 2}, []
    for op, n, value in ops:
        if op == "describe":
            lines += [f"interface Loopback{tag}{n}", f" description D{value}"]
            alive.add(n)
        elif op == "permit":
            lines += [f"ip access-list extended ACL-{tag}-{n}", f" permit tcp any any eq {value}"]
        elif n in alive:
            lines.append(f"no interface Loopback{tag}{n}")
            alive.discard(n)
    return lines


def _objects(running: str, tag: str) -> list[str]:
    """The tagged objects' blocks in ``running``, with the tag taken out."""
    blocks = [b for b in running.split("\n!") if f"Loopback{tag}" in b or f"ACL-{tag}-" in b]
    return sorted(b.strip().replace(f"Loopback{tag}", "Loopback").replace(f"-{tag}-", "-")
                  for b in blocks)  # fmt: skip


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_typing_known_parents_ahead_ends_where_one_line_at_a_time_does(
    lab: Lab, ops: list[tuple[str, int, int]]
) -> None:
    """Generated changes mixing existing and new objects, removals and re-creations: the push
    that types known objects' parents ahead leaves the device as one waiting for every line."""
    example = next(EXAMPLES)
    conn = configuring(lab, "e42-spoke1")
    tags = (f"{example}1", f"{example}2")
    for tag in tags:
        setup = [f"interface Loopback{tag}{n}\n ip mtu 1400" for n in range(3)]
        setup.append(f"ip access-list extended ACL-{tag}-0\n permit udp any any eq 53")
        send_lines(conn, "\n".join(setup).splitlines(), Counter(), read_timeout=10)
    known = objects_of(lab.running_config("e42-spoke1"))
    send_lines(conn, _change(ops, tags[0]), Counter(), read_timeout=10, block_bytes=1)
    send_lines(conn, _change(ops, tags[1]), Counter(), read_timeout=10, known=known)
    conn.disconnect()
    running = lab.running_config("e42-spoke1")
    assert _objects(running, tags[0]) == _objects(running, tags[1])


def test_after_a_removal_every_new_parent_waits_for_its_answer_again() -> None:
    running = "\n".join([
        "interface Loopback1", " no ip address", "interface Loopback3", " no ip address",
        "crypto ikev2 keyring K", " peer A", "  address 192.0.2.1", " peer B",
        "  address 192.0.2.2", "vrf definition OLD", " address-family ipv4", " exit-address-family",
    ])  # fmt: skip
    known = objects_of(running)

    def writes(lines: list[str]) -> list[list[str]]:
        return [[line.text for line in write] for write in plan_writes(lines, known=known)]

    # a child's `no shutdown` removes no object: the next known parent still goes ahead
    lines = ["interface Loopback1", " no shutdown", "interface Loopback3", " ip mtu 1400"]
    assert writes(lines) == [[line.strip() for line in lines]]
    # a top-level removal (here an object that may hold what a later parent needs)
    assert writes(["interface Loopback1", " ip mtu 1400", "no interface Loopback2",
                   "interface Loopback3", " ip mtu 1400"]) == [
        ["interface Loopback1", "ip mtu 1400", "no interface Loopback2", "interface Loopback3"],
        ["ip mtu 1400"],
    ]  # fmt: skip
    # a nested object removed: the keyring's next peer waits
    assert writes(["crypto ikev2 keyring K", " no peer A", " peer B", "  address 192.0.2.3"]) \
        == [["crypto ikev2 keyring K", "no peer A", "peer B"], ["address 192.0.2.3"]]  # fmt: skip
    # a VRF's address-family printed empty (closed by its exit- line) is an object too
    lines = ["vrf definition OLD", " no address-family ipv4", "vrf definition OLD", " rd 1:1"]
    assert writes(lines) == [["vrf definition OLD", "no address-family ipv4", "vrf definition OLD"],
                             ["rd 1:1"]]  # fmt: skip
    # the same header under another parent is not the known object
    lines = ["vrf definition NEW", " address-family ipv4", "  route-target export 1:1"]
    assert writes(lines) == [[line.strip()] for line in lines]


def test_writes_stay_within_the_block_size() -> None:
    lines = ["ip access-list extended ACL-BIG"] + [
        f" permit tcp any any eq {p}" for p in range(300)
    ]
    writes = plan_writes(lines, block_bytes=512)
    assert [line.text for write in writes for line in write] == [line.strip() for line in lines]
    assert all(sum(len(line.text) + 1 for line in write) <= 512 for write in writes)
    assert [line.text for line in writes[0]] == ["ip access-list extended ACL-BIG"]


def test_a_line_ios_may_question_ends_its_write() -> None:
    """In a paste IOS would read the next line as the answer to "Dynamic mapping in use, do you
    want to delete all entries?", losing both: such a line goes last in its write."""
    rule = "no ip nat inside source list ACL-NAT-LAN interface GigabitEthernet0/0/0 overload"
    lines = [
        "no ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/0/0 dhcp",
        rule,
        "no ip access-list extended ACL-NAT-LAN",
    ]
    writes = [[line.text for line in write] for write in plan_writes(lines)]
    assert writes == [lines[:2], lines[2:]]
    assert plan_writes(lines)[0][1].asks is not None


@given(st.text(alphabet="ab\r\n", max_size=40), st.lists(st.integers(0, 40), max_size=6))
def test_line_breaks_read_in_chunks_come_out_as_read_at_once(text: str, cuts: list[int]) -> None:
    """A device's answer arrives in chunks cut anywhere, also between a CR and its LF: only
    the buffer's last line breaks are scanned again, and the result is the whole answer's."""
    buffer, start = "", 0
    for cut in sorted({min(c, len(text)) for c in cuts} | {len(text)}):
        buffer, start = normalized(buffer, text[start:cut]), cut
    assert buffer == LINEFEEDS.sub("\n", text)
    assert "\r\n" not in buffer and "\n\r" not in buffer
