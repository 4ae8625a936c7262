"""The lab's network and input model: a link's round trip, jitter and loss per device (lab.yaml
and the fault file), separate from a device's processing time per command; a vty's finite input
buffer that loses what is pasted faster than the device takes it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from lab.api import Lab, LabSettings
from lab.serve.inventory import LabHost
from lab.serve.state_files import read_settings
from tests.lab.conftest import Terminal, enable

RTT = 0.15


def two_devices(state: Path, **settings: object) -> Lab:
    base = {"convergence_delay": 0.2, "latency": 0.0, "minute": 0.5, **settings}
    return Lab(
        [LabHost("hub1", "ISR4331"), LabHost("e42-spoke1")],
        state,
        settings=LabSettings(**base),  # type: ignore[arg-type]
    )


def exchange_seconds(term: Terminal, prompt: str, rounds: int = 3) -> float:
    """The fastest of a few command → prompt exchanges at the ``#`` prompt."""
    best = float("inf")
    for _ in range(rounds):
        started = time.monotonic()
        term.command("show clock", prompt)
        best = min(best, time.monotonic() - started)
    return best


def test_round_trip_is_per_device_and_apart_from_processing_time(tmp_path: Path) -> None:
    links = {"e42-spoke1": {"rtt": RTT}}
    with two_devices(tmp_path, links=links, latency=0.05) as lab:
        started = time.monotonic()
        spoke = enable(Terminal(lab.ports["e42-spoke1"]))
        spoke_login = time.monotonic() - started
        hub = enable(Terminal(lab.ports["hub1"]))
        try:
            on_spoke = exchange_seconds(spoke, r"e42-spoke1#")
            on_hub = exchange_seconds(hub, r"hub1#")
        finally:
            spoke.close()
            hub.close()
    # the hub pays its processing time only; the spoke the same plus one round trip
    assert 0.05 <= on_hub < 0.05 + RTT / 2
    assert 0.05 + RTT <= on_spoke < 0.05 + 2 * RTT
    # TCP, SSH key exchange, auth, channel, shell, enable: several round trips, not one
    assert spoke_login >= 5 * RTT


def test_pasted_lines_share_one_round_trip(tmp_path: Path) -> None:
    with two_devices(tmp_path, rtt=RTT) as lab:
        term = enable(Terminal(lab.ports["hub1"]))
        try:
            term.command("configure terminal", r"hub1\(config\)#")
            block = "".join(f"ip route 10.9.{n}.0 255.255.255.0 192.0.2.1\r" for n in range(1, 11))
            started = time.monotonic()
            term.send(block)
            term.read_until(r"10\.9\.10\.0 255\.255\.255\.0 192\.0\.2\.1\r\nhub1\(config\)#")
            seconds = time.monotonic() - started
        finally:
            term.close()
    assert RTT <= seconds < 2 * RTT  # ten lines, one round trip: not ten
    assert "ip route 10.9.10.0 255.255.255.0 192.0.2.1" in lab.running_config("hub1")


def test_jitter_never_reorders_and_loss_costs_a_retransmission(tmp_path: Path) -> None:
    links = {"hub1": {"rtt": 0.02, "jitter": 0.05, "loss": 0.5}}
    with two_devices(tmp_path, links=links) as lab:
        term = enable(Terminal(lab.ports["hub1"]))
        seconds = []
        try:
            for n in range(12):
                started = time.monotonic()
                out = term.command(f"show ip route vrf NOPE{n}", r"hub1#")
                seconds.append(time.monotonic() - started)
                assert f"NOPE{n}" in out  # each answer after its own command, in order
        finally:
            term.close()
    assert min(seconds) >= 0.02
    assert max(seconds) >= 0.2  # at least one exchange waited for TCP's retransmission


def test_the_fault_file_sets_a_link_from_the_next_session(tmp_path: Path) -> None:
    with two_devices(tmp_path) as lab:
        (tmp_path / "faults.yaml").write_text(yaml.safe_dump({"hub1": {"rtt": RTT}}))
        term = enable(Terminal(lab.ports["hub1"]))
        try:
            assert exchange_seconds(term, r"hub1#") >= RTT
        finally:
            term.close()


def test_paste_beyond_the_vty_buffer_is_lost(tmp_path: Path) -> None:
    """200 lines of ~40 bytes pasted at once while the device takes one per 5 ms: a 1 KB buffer
    keeps what fits and loses the rest, as a router would; a paste within the buffer lands."""
    with two_devices(tmp_path, latency=0.005, vty_buffer=1024) as lab:
        term = enable(Terminal(lab.ports["hub1"]))
        try:
            term.command("configure terminal", r"hub1\(config\)#")
            small = "".join(f"ip route 10.8.{n}.0 255.255.255.0 192.0.2.1\r" for n in range(1, 21))
            assert len(small) < 1024
            term.send(small)
            term.read_until(r"10\.8\.20\.0 255\.255\.255\.0 192\.0\.2\.1\r\nhub1\(config\)#")
            big = "".join(f"ip route 10.7.{n}.0 255.255.255.0 192.0.2.1\r" for n in range(1, 201))
            term.send(big + "end\r")
            time.sleep(2.5)  # 200 lines at 5 ms: what was kept is processed by then
            term.send("\x15end\r")  # Ctrl-U: drop the half line the buffer kept, then end
            term.read_until(r"hub1#", timeout=10)
        finally:
            term.close()
    running = lab.running_config("hub1")
    assert all(f"ip route 10.8.{n}.0 255.255.255.0 192.0.2.1" in running for n in range(1, 21))
    landed = [n for n in range(1, 201) if f"10.7.{n}.0 255.255.255.0 192.0.2.1\n" in running]
    assert landed[:5] == [1, 2, 3, 4, 5]  # the first lines fit in the buffer
    assert len(landed) < 100  # most of the paste was lost


@pytest.mark.parametrize(
    "text, problem",
    [
        ("rtt: -1\n", "rtt must be a number >= 0"),
        ("links: {hub1: {rtt: fast}}\n", "links: hub1: rtt must be a number"),
        ("links: {hub1: {delay: 1}}\n", "unknown link field 'delay'"),
        ("loss: 0.9\n", "loss is a probability of at most 0.5"),
        ("vty_buffer: 10\n", "vty_buffer must be a whole number of bytes >= 80"),
    ],
)
def test_bad_link_settings_are_named(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "lab.yaml").write_text(text)
    with pytest.raises(ValueError, match=problem):
        read_settings(tmp_path)


def test_lab_yaml_link_per_device_over_the_lab_wide_one(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text(
        "latency: 0.002\nrtt: 0.1\njitter: 0.01\nloss: 0.01\nlinks: {hub1: {rtt: 0.01}}\n"
    )
    settings = read_settings(tmp_path)
    assert settings.link("hub1").rtt == 0.01 and settings.link("hub1").loss == 0.01
    assert settings.link("e42-spoke3").rtt == 0.1 and settings.latency == 0.002
