"""Reaching devices safely: host keys checked before any login, lost sessions noticed at once.

Against the lab's real SSH server: a netmiko session the device drops raises within 2 s;
a host key that is unknown or changed is refused with both fingerprints; trust on first use
records a new key, and the recorded file is what paramiko then verifies on its own.
"""

from __future__ import annotations

import argparse
import doctest
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncssh
import pytest
import yaml
from netmiko.exceptions import NetmikoTimeoutException, ReadException, ReadTimeout
from nornir.core.task import Result, Task
from test_drift_lab import lab_session as drift_lab_session  # tests/ is on sys.path

from runbooks.common import add_common_args, host_key_options, open_devices
from tasks.connect import LIVENESS, NETMIKO_EXTRAS, guard_session
from tasks.host_keys import (
    LAB_PIN,
    HostKeyError,
    HostKeyPolicy,
    KnownHosts,
    known_name,
    netmiko_options,
)
from tasks.intent import load_intent

HOST = "e42-spoke1"


def lab_session(lab: Any, host: str = HOST, **settings: Any) -> Any:
    return drift_lab_session(lab, host, **settings)


@pytest.fixture
def dropping_lab(deploy_lab: Any) -> Iterator[Any]:
    """The deploy lab whose HOST drops the session at its second configuration line."""
    from lab.api import Fault

    lab = deploy_lab[0]
    lab.inject(HOST, Fault(drop_after_config_lines=1))
    yield lab
    lab.clear_faults(HOST)


# ---------------------------------------------------------------- session liveness


def test_dropped_session_raises_within_two_seconds(dropping_lab: Any) -> None:
    conn = lab_session(dropping_lab)
    guard_session(conn)
    conn.enable()
    started = time.monotonic()
    with pytest.raises(ReadException, match="closed by remote device"):
        conn.send_config_set(["hostname e42-spoke1", "hostname e42-spoke1"], read_timeout=30)
    assert time.monotonic() - started < 2
    conn.disconnect()


def test_unguarded_session_waits_out_the_read_timeout(dropping_lab: Any) -> None:
    """Why guard_session exists: plain netmiko only gives up when its read timeout ends."""
    conn = lab_session(dropping_lab)
    conn.enable()
    started = time.monotonic()
    with pytest.raises(ReadTimeout):
        conn.send_config_set(["hostname e42-spoke1", "hostname e42-spoke1"], read_timeout=3)
    assert time.monotonic() - started >= 3
    conn.disconnect()


def test_guarded_session_still_works_and_guarding_twice_is_harmless(deploy_lab: Any) -> None:
    conn = lab_session(deploy_lab[0])
    guard_session(conn)
    guard_session(conn)
    conn.enable()
    assert "e42-spoke1" in conn.send_command("show running-config | include ^hostname")
    conn.disconnect()


def test_session_socket_has_keepalives_with_the_stated_bound(deploy_lab: Any) -> None:
    conn = lab_session(deploy_lab[0])
    guard_session(conn)
    sock = conn.remote_conn.get_transport().sock
    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == LIVENESS.idle
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL) == LIVENESS.interval
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == LIVENESS.count
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 11_000
    assert LIVENESS.bound == 11
    conn.disconnect()


def guarded_config(task: Task) -> Result:
    """How a push task wires it: guard right after Nornir opens the connection."""
    conn = task.host.get_connection("netmiko", task.nornir.config)
    guard_session(conn)
    conn.enable()
    conn.send_config_set(["hostname e42-spoke1", "hostname e42-spoke1"], read_timeout=30)
    return Result(host=task.host)


def test_nornir_task_fails_fast_on_a_dropped_session(
    dropping_lab: Any, deploy_lab: Any, example_secrets: dict[str, str]
) -> None:
    _, config, state = deploy_lab
    intent = load_intent(config)
    started = time.monotonic()
    with open_devices(intent, [HOST], config, True, state) as nr:
        result = nr.run(task=guarded_config)
    assert result[HOST].failed
    assert isinstance(result[HOST][0].exception, ReadException)
    assert time.monotonic() - started < 5  # connect + host key check + the 2 s bound


# ---------------------------------------------------------------- host keys


def other_key_line(name: str) -> str:
    key = asyncssh.generate_private_key("ssh-ed25519")
    return f"{name} {key.export_public_key().decode().strip()}\n"


@pytest.fixture
def device_config(
    inventory_copy: Path,
    deploy_lab: Any,
    example_secrets: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The example inventory with HOST reachable as a real device: the lab's SSH server at
    its inventory hostname/port, the lab's credentials as the operator's."""
    hosts_file = inventory_copy.parent / "inventory" / "hosts.yaml"
    hosts = yaml.safe_load(hosts_file.read_text())
    hosts[HOST].update(hostname="127.0.0.1", port=deploy_lab[0].ports[HOST])
    hosts_file.write_text(yaml.safe_dump(hosts, sort_keys=False))
    for name in ("DMVPN_USERNAME", "DMVPN_PASSWORD", "DMVPN_ENABLE"):
        monkeypatch.setenv(name, "admin")
    return inventory_copy


def show_hostname(task: Task) -> Result:
    conn = task.host.get_connection("netmiko", task.nornir.config)
    conn.enable()
    return Result(host=task.host, result=conn.send_command("show running-config | i ^hostname"))


def connect_device(config: Path, *flags: str) -> str:
    """What a runbook does with its command line: `add_common_args`, then `open_devices`."""
    parser = argparse.ArgumentParser()
    add_common_args(parser)
    args = parser.parse_args(["-c", str(config), *flags])
    intent = load_intent(args.config)
    with open_devices(
        intent, [HOST], args.config, args.lab, args.lab_state, **host_key_options(args)
    ) as nr:
        result = nr.run(task=show_hostname)
    assert not result.failed, result[HOST].exception
    return str(result[HOST].result)


def test_real_device_with_unknown_key_is_refused(device_config: Path, deploy_lab: Any) -> None:
    with pytest.raises(HostKeyError) as refused:
        connect_device(device_config)
    message = str(refused.value)
    assert message.startswith(f"{HOST}: unknown host key for 127.0.0.1:")
    assert "SHA256:" in message and "--trust-on-first-use" in message
    assert not (device_config.parent / "known_hosts").exists()


def test_trust_on_first_use_records_the_key_then_it_is_required(
    device_config: Path, deploy_lab: Any
) -> None:
    known_hosts = device_config.parent / "known_hosts"
    assert "hostname e42-spoke1" in connect_device(device_config, "--trust-on-first-use")
    name = known_name("127.0.0.1", deploy_lab[0].ports[HOST])
    (line,) = known_hosts.read_text().splitlines()
    assert line.startswith(f"{name} ssh-ed25519 ")
    # known now: the strict default connects, paramiko verifying the session against the file
    assert "hostname e42-spoke1" in connect_device(device_config)

    known_hosts.write_text(other_key_line(name))
    for flags in ([], ["--trust-on-first-use"]):  # a changed key is refused even then
        with pytest.raises(HostKeyError) as refused:
            connect_device(device_config, *flags)
        message = str(refused.value)
        assert f"{HOST}: host key CHANGED for 127.0.0.1:" in message
        assert message.count("SHA256:") == 2
        assert f"ssh-keygen -R '{name}'" in message
    assert len(known_hosts.read_text().splitlines()) == 1  # nothing recorded


def test_lab_key_is_pinned_and_a_changed_lab_key_is_refused(
    tmp_path: Path, inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    from lab.api import Lab, LabSettings

    state = tmp_path / "lab-state"
    settings = LabSettings(convergence_delay=0.2, latency=0.0)
    intent = load_intent(inventory_copy)
    inventory = inventory_copy.parent / "inventory"
    store = KnownHosts(state / "known_hosts")
    with Lab.from_inventory(inventory, state, settings=settings) as lab:
        for _ in range(2):
            with open_devices(intent, [HOST, "hub1"], inventory_copy, True, state) as nr:
                assert not nr.run(task=show_hostname).failed
            (pinned,) = store.keys_for(LAB_PIN)
            store.add("[127.0.0.1]:1", pinned)  # a port of an earlier lab run
        names = [line.split()[0] for line in store.path.read_text().splitlines()]
        served = {known_name("127.0.0.1", port) for port in lab.ports.values()}
        assert names.count("[127.0.0.1]:1") == 1  # the first one dropped by the second run
        assert (
            set(names) - {"[127.0.0.1]:1"}
            == {LAB_PIN} | {known_name("127.0.0.1", lab.ports[h]) for h in (HOST, "hub1")}
            <= served | {LAB_PIN}
        )

    (state / "ssh_host_key").unlink()  # the lab makes itself a new key
    with (
        Lab.from_inventory(inventory, state, settings=settings),
        pytest.raises(HostKeyError) as refused,
        open_devices(intent, [HOST], inventory_copy, True, state),
    ):
        pass
    message = str(refused.value)
    assert f"{HOST}: host key CHANGED for 127.0.0.1:" in message
    assert f"for {LAB_PIN}" in message and message.count("SHA256:") == 2
    assert f"delete {state / 'known_hosts'}" in message
    assert store.keys_for(LAB_PIN) == [pinned]


def test_netmiko_itself_refuses_a_key_not_in_the_file(deploy_lab: Any, tmp_path: Path) -> None:
    """The second lock: the session netmiko opens is checked by paramiko against the file."""
    lab = deploy_lab[0]
    policy = HostKeyPolicy(tmp_path / "known_hosts")
    settings = {**NETMIKO_EXTRAS, **netmiko_options(policy)}
    with pytest.raises(NetmikoTimeoutException, match="not found in known_hosts"):
        lab_session(lab, **settings)
    name = known_name("127.0.0.1", lab.ports[HOST])
    policy.known_hosts.write_text(other_key_line(name))
    with pytest.raises(NetmikoTimeoutException, match="does not match"):
        lab_session(lab, **settings)


def test_doctests() -> None:
    import tasks.host_keys

    failures, tried = doctest.testmod(tasks.host_keys)
    assert tried and not failures


def test_known_hosts_option_names_another_file(
    device_config: Path, deploy_lab: Any, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere" / "known_hosts"
    connect_device(device_config, "--known-hosts", str(elsewhere), "--trust-on-first-use")
    assert elsewhere.read_text().startswith(f"[127.0.0.1]:{deploy_lab[0].ports[HOST]} ")
    assert not (device_config.parent / "known_hosts").exists()


RESET_LOGGED = """
import logging, sys
from runbooks.common import runbook

def main(argv):
    # what paramiko's transport thread logs when a device resets the connection
    log = logging.getLogger("paramiko.transport")
    log.error("Socket exception: Connection reset by peer (104)")
    return 0

sys.exit(runbook(main)([]) if sys.argv[1] == "runbook" else main([]))
"""


@pytest.mark.parametrize("how", ["runbook", "bare"])
def test_a_reset_logged_by_paramiko_stays_off_the_terminal(how: str) -> None:
    """The session's error is reported by the runbook, once per host; paramiko's own log line
    (printed by Python's last-resort handler when nobody configured logging) is not."""
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", RESET_LOGGED, how], cwd=repo, capture_output=True, text=True
    )
    assert done.returncode == 0
    if how == "runbook":
        assert done.stderr == ""
    else:  # the same line without the runbook's wrapper reaches stderr
        assert "Socket exception" in done.stderr
