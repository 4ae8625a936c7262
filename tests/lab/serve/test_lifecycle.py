"""Device lifecycle: startup vs running, restart, reload, flash, configure replace; faults."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException

from lab.api import Lab, LabError
from lab.cli.faults import Fault

INVALID = "% Invalid input detected at '^' marker."
LOOPBACK = ["interface Loopback9", " description lifecycle"]
REPO = Path(__file__).resolve().parents[3]


def test_write_memory_and_restart_keep_the_config(tmp_path: Path, make_small_lab: Any) -> None:
    with make_small_lab(tmp_path) as lab:
        assert lab.configure("hub1", LOOPBACK) == []
        assert lab.exec("hub1", "write memory") == "Building configuration...\n[OK]\n"
    with make_small_lab(tmp_path) as lab:  # a new lab process on the same state folder
        assert "interface Loopback9\n description lifecycle" in lab.startup_config("hub1")
        assert "interface Loopback9" in lab.running_config("hub1")
    mode = stat.S_IMODE(os.stat(tmp_path / "hub1" / "running-config").st_mode)
    assert mode == 0o600


def test_cli_change_is_on_disk_when_the_session_ends(
    tmp_path: Path, make_small_lab: Any, enabled_terminal: Any
) -> None:
    with make_small_lab(tmp_path) as lab:
        term = enabled_terminal(lab)
        term.command("configure terminal", prompt=r"\(config\)#")
        term.command("interface Loopback9", prompt=r"\(config-if\)#")
        term.close()  # no `end`: the client just goes away
        deadline = time.monotonic() + 3
        running = tmp_path / "hub1" / "running-config"
        while "Loopback9" not in running.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "interface Loopback9" in running.read_text()


def test_running_only_change_survives_restart_but_not_reload(
    tmp_path: Path, make_small_lab: Any, enabled_terminal: Any
) -> None:
    with make_small_lab(tmp_path) as lab:
        lab.configure("hub1", LOOPBACK)
    with make_small_lab(tmp_path) as lab:
        assert "interface Loopback9" in lab.running_config("hub1")
        term = enabled_terminal(lab)
        term.send("reload\r")
        assert "System configuration has been modified. Save? [yes/no]: " in term.read_until(
            r"\[yes/no\]: "
        )
        term.send("no\r")
        term.read_until(r"Proceed with reload\? \[confirm\]")
        term.send("\r")
        assert term.closed()
        assert "interface Loopback9" not in lab.running_config("hub1")


def test_copy_to_flash_then_configure_replace_restores(lab: Lab) -> None:
    lab.configure("hub1", LOOPBACK)
    saved = lab.running_config("hub1")
    assert "bytes copied" in lab.exec("hub1", "copy running-config flash:rollback.cfg")
    assert lab.exec("hub1", "more flash:rollback.cfg") == saved
    lab.configure("hub1", ["no interface Loopback9", "interface Loopback10"])
    assert "Loopback9" not in lab.running_config("hub1")
    out = lab.exec("hub1", "configure replace flash:rollback.cfg force")
    assert out == "Total number of passes: 1\nRollback Done\n\n"
    assert lab.running_config("hub1") == saved
    listing = lab.exec("hub1", "dir flash:")
    assert re.search(r"-rw-\s+\d+\s+.*rollback\.cfg", listing)
    assert lab.exec("hub1", "delete /force flash:rollback.cfg") == ""
    assert "rollback.cfg" not in lab.exec("hub1", "dir flash:")
    assert "No such file" in lab.exec("hub1", "configure replace flash:rollback.cfg force")


def test_delete_asks_to_confirm_on_the_cli(lab: Lab, enabled_terminal: Any) -> None:
    lab.exec("hub1", "copy running-config flash:a.cfg")
    term = enabled_terminal(lab)
    term.send("delete flash:a.cfg\r")
    term.read_until(r"Delete filename \[a.cfg\]\? ")
    term.send("\r")
    term.read_until(r"Delete bootflash:/a.cfg\? \[confirm\]")
    term.send("n")
    term.send("\r")
    term.read_until("hub1#")
    assert "a.cfg" in lab.exec("hub1", "dir flash:")
    term.close()


def test_reset_returns_to_factory(lab: Lab) -> None:
    lab.configure("hub1", LOOPBACK)
    lab.exec("hub1", "write memory")
    lab.exec("hub1", "copy running-config flash:x.cfg")
    lab.reset("hub1")
    assert "Loopback9" not in lab.running_config("hub1") + lab.startup_config("hub1")
    assert "x.cfg" not in lab.exec("hub1", "dir flash:")


# -- faults ----------------------------------------------------------------------------------
def connect(lab: Lab, name: str = "hub1", **extra: object) -> object:
    return ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=lab.ports[name],
        username="admin",
        password="admin",
        secret="admin",
        conn_timeout=5,
        **extra,
    )


def test_fault_latency_slows_every_line(lab: Lab, enabled_terminal: Any) -> None:
    lab.inject("hub1", Fault(latency=0.1))
    term = enabled_terminal(lab)
    started = time.monotonic()
    for _ in range(3):
        term.command("show clock", prompt="hub1#")
    assert time.monotonic() - started >= 0.3
    term.close()


def test_fault_refuse_pattern_refuses_matching_config_lines(lab: Lab) -> None:
    lab.inject("hub1", Fault(refuse_pattern=r"description"))
    conn = connect(lab)
    conn.enable()
    output = conn.send_config_set(LOOPBACK)
    conn.disconnect()
    assert INVALID in output
    assert "interface Loopback9\n" in lab.running_config("hub1")
    assert "lifecycle" not in lab.running_config("hub1")


def test_fault_drop_after_config_lines(lab: Lab, enabled_terminal: Any) -> None:
    lab.inject("hub1", Fault(drop_after_config_lines=2))
    term = enabled_terminal(lab)
    term.command("configure terminal", prompt=r"\(config\)#")
    term.command("interface Loopback9", prompt=r"\(config-if\)#")
    term.command(" description one", prompt=r"\(config-if\)#")
    term.send(" description two\r")
    assert term.closed()
    assert "description one" in lab.running_config("hub1")
    assert "description two" not in lab.running_config("hub1")


def test_fault_refuse_login(lab: Lab) -> None:
    lab.inject("hub1", Fault(refuse_login=True))
    with pytest.raises(NetmikoAuthenticationException):
        connect(lab)
    lab.clear_faults("hub1")
    connect(lab).disconnect()  # type: ignore[attr-defined]


def test_fault_stall_stops_answering(lab: Lab, enabled_terminal: Any) -> None:
    lab.inject("hub1", Fault(stall_pattern=r"^show clock"))
    term = enabled_terminal(lab)
    term.send("show clock\r")
    with pytest.raises(TimeoutError):
        term.read_until("hub1#", timeout=0.5)
    term.close()


def test_faults_file_is_read_at_each_new_session(lab: Lab) -> None:
    faults = lab.state_dir / "faults.yaml"
    faults.write_text("hub1:\n  refuse_login: true\n")
    try:
        with pytest.raises(NetmikoAuthenticationException):
            connect(lab)
    finally:
        faults.unlink()
    connect(lab).disconnect()  # type: ignore[attr-defined]


# -- python -m lab serve ---------------------------------------------------------------------
def test_serve_prints_devices_then_ready_and_stops_on_sigterm(
    tmp_path: Path, make_inventory: Any
) -> None:
    inventory = make_inventory(tmp_path / "inv", ["hub1", "e42-spoke1", "e42-spoke2"])
    state = tmp_path / "state"
    proc = subprocess.Popen(
        [sys.executable, "-m", "lab", "serve", "--inventory", str(inventory),
         "--state", str(state), "--port-base", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(4)]
        assert [line.split()[0] for line in lines[:3]] == ["hub1", "e42-spoke1", "e42-spoke2"]
        assert all(re.fullmatch(r"\S+ 127\.0\.0\.1:\d+", line) for line in lines[:3])
        assert lines[3] == "ready"
        port = int(lines[0].rsplit(":", 1)[1])
        conn = ConnectHandler(
            device_type="cisco_ios", host="127.0.0.1", port=port,
            username="admin", password="admin", secret="admin",
        )  # fmt: skip
        assert conn.find_prompt() == "hub1>"
        conn.disconnect()
        assert (state / "serve.json").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    assert not (state / "serve.json").exists()


def test_serve_with_a_missing_inventory_says_so(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "lab", "serve", "--inventory", str(tmp_path / "nope"),
         "--state", str(tmp_path / "state"), "--port-base", "0"],
        cwd=REPO, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "hosts.yaml: no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_reload_drops_every_session_of_the_device(lab: Lab, enabled_terminal: Any) -> None:
    bystander = enabled_terminal(lab)
    term = enabled_terminal(lab)
    term.send("reload\r")
    term.read_until(r"\[confirm\]")
    term.send("\r")
    assert term.closed() and bystander.closed()


def test_a_second_lab_on_the_same_state_folder_is_refused(lab: Lab) -> None:
    second = Lab([], lab.state_dir)
    with pytest.raises(LabError, match="already serves"):
        second.start()


def test_a_taken_port_is_reported(tmp_path: Path, make_small_lab: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lab = make_small_lab(tmp_path)
        lab.port_base = port
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port} for hub1"):
            lab.start()


def test_a_malformed_faults_file_is_ignored_with_a_message(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    (lab.state_dir / "faults.yaml").write_text("hub1:\n  latncy: 1\n")
    try:
        connect(lab).disconnect()  # type: ignore[attr-defined]
    finally:
        (lab.state_dir / "faults.yaml").unlink()
    assert "unknown fault field(s) latncy" in capsys.readouterr().err
