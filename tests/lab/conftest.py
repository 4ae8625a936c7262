"""Fixtures for the lab's own tests: one lab of 20 devices shared by the session, reset per test."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection

from lab.api import Lab, LabSettings
from lab.serve.inventory import LabHost

SPOKES = [f"e42-spoke{n}" for n in range(1, 20)]
HOST_NAMES = ["hub1", *SPOKES]
PROMPT = r"hub1(\([\w-]+\))?[>#]"
# an IOS minute (revert timers) lasts half a second in the lab's own tests
FAST = LabSettings(convergence_delay=0.2, latency=0.0, minute=0.5)


def write_inventory(directory: Path, names: list[str] = HOST_NAMES) -> Path:
    """A minimal Nornir inventory: hub1 in group headend (ISR4331), the rest spokes."""
    directory.mkdir(parents=True, exist_ok=True)
    hosts = []
    for name in names:
        group = "headend" if name.startswith("hub") else "tenant-event42"
        hosts.append(f"{name}:\n  hostname: 127.0.0.1\n  groups: [{group}]\n")
    (directory / "hosts.yaml").write_text("".join(hosts))
    (directory / "groups.yaml").write_text(
        "headend:\n  data:\n    role: headend\n    model: ISR4331\n"
        "tenant-event42:\n  data:\n    tenant: {name: event42}\n"
    )
    (directory / "defaults.yaml").write_text("data:\n  model: ISR4321\n")
    return directory


@pytest.fixture(scope="session")
def lab_inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inventory(tmp_path_factory.mktemp("inventory"))


@pytest.fixture(scope="session")
def shared_lab(tmp_path_factory: pytest.TempPathFactory, lab_inventory: Path) -> Iterator[Lab]:
    state = tmp_path_factory.mktemp("lab-state")
    with Lab.from_inventory(lab_inventory, state, settings=FAST) as lab:
        yield lab


@pytest.fixture
def lab(shared_lab: Lab) -> Iterator[Lab]:
    """The shared lab, factory-fresh and fault-free for this test."""
    shared_lab.clear_faults()
    shared_lab.reset()
    yield shared_lab
    shared_lab.clear_faults()


def small_lab(state: Path, settings: LabSettings = FAST) -> Lab:
    return Lab([LabHost("hub1", "ISR4331"), LabHost("e42-spoke1")], state, settings=settings)


class Terminal:
    """A raw interactive SSH shell (paramiko), to see exactly what the device prints."""

    def __init__(self, port: int, username: str = "admin", password: str = "admin") -> None:
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect(
            "127.0.0.1",
            port=port,
            username=username,
            password=password,
            look_for_keys=False,
            allow_agent=False,
            timeout=5,
        )
        self.channel = self.client.invoke_shell(width=511)
        self.channel.settimeout(0.2)
        self.buffer = ""

    def send(self, text: str) -> None:
        self.channel.send(text.encode())

    def read_until(self, pattern: str, timeout: float = 5.0) -> str:
        """Everything up to and including the first match of ``pattern``."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.buffer)
            if match:
                out, self.buffer = self.buffer[: match.end()], self.buffer[match.end() :]
                return out
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {pattern!r} in {self.buffer!r}")
            try:
                data = self.channel.recv(65536)
            except TimeoutError:
                continue
            if not data:
                raise EOFError(f"channel closed; got {self.buffer!r}")
            self.buffer += data.decode()

    def command(self, line: str, prompt: str = PROMPT) -> str:
        """Type ``line`` + Enter (as an SSH client sends it); the text up to the next prompt."""
        self.send(line + "\r")
        return self.read_until(prompt)

    def closed(self, timeout: float = 3.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if not self.channel.recv(65536):
                    return True
            except TimeoutError:
                continue
            except OSError:
                return True
        return self.channel.closed

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def terminal(lab: Lab) -> Iterator[Terminal]:
    term = Terminal(lab.ports["hub1"])
    term.read_until(r"hub1>")
    yield term
    term.close()


def enable(term: Terminal) -> Terminal:
    """Log a raw shell in to the ``#`` prompt."""
    term.read_until(r"[>#]")
    term.send("enable\r")
    term.read_until("Password: ")
    term.send("admin\r")
    term.read_until("#")
    return term


@pytest.fixture
def enabled_terminal() -> Iterator[object]:
    """``enabled_terminal(lab, name="hub1")``: a raw shell at the ``#`` prompt, closed after."""
    opened: list[Terminal] = []

    def make(lab: Lab, name: str = "hub1") -> Terminal:
        term = enable(Terminal(lab.ports[name]))
        opened.append(term)
        return term

    yield make
    for term in opened:
        term.close()


@pytest.fixture
def make_inventory() -> object:
    """``write_inventory(directory, names)``: a Nornir inventory for the lab."""
    return write_inventory


@pytest.fixture
def make_small_lab() -> object:
    """``small_lab(state_dir)``: an unstarted two-device lab (hub1, e42-spoke1)."""
    return small_lab


@pytest.fixture
def open_terminal() -> object:
    """``Terminal(port)``: a raw interactive SSH shell."""
    return Terminal


def netmiko_connect(lab: Lab, name: str = "hub1") -> BaseConnection:
    """Unmodified netmiko (cisco_ios) to one lab device, enable secret set."""
    return ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=lab.ports[name],
        username="admin",
        password="admin",
        secret="admin",
        timeout=10,
        conn_timeout=5,
    )


@pytest.fixture
def ios() -> Iterator[object]:
    """``ios(lab, name="hub1")``: a netmiko connection, closed at the end of the test."""
    opened: list[BaseConnection] = []

    def connect(lab: Lab, name: str = "hub1") -> BaseConnection:
        conn = netmiko_connect(lab, name)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        with contextlib.suppress(Exception):  # a session the test dropped on purpose
            conn.disconnect()


@pytest.fixture
def fast_settings() -> LabSettings:
    return FAST
