"""A running lab in this process: one emulated device per host, served over SSH from a thread.

``Lab`` owns the devices, the control plane and the listeners; ``attach_or_start`` gives a
runbook the lab serving a state folder, starting one when none does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from lab.cli.dispatch import ExecContext, format_error, run_exec, run_to_completion
from lab.cli.faults import Fault, FaultFileError, effective_fault, read_fault_file
from lab.config.device import Device
from lab.model.network import Network
from lab.serve.inventory import LabHost, load_hosts
from lab.serve.state_files import (
    FAULTS_FILE,
    SERVE_FILE,
    LabError,
    LabSettings,
    running_lab,
    state_lock,
)
from lab.ssh.server import DeviceEndpoint, host_key, listen


class Lab:
    """One emulated device per host; ``start()`` serves them over SSH from a daemon thread."""

    def __init__(
        self,
        hosts: list[LabHost],
        state_dir: Path,
        port_base: int = 0,
        settings: LabSettings | None = None,
    ) -> None:
        self.hosts = list(hosts)
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.port_base = port_base
        self.settings = settings or LabSettings()
        self.devices = {
            host.name: Device(host.name, host.model, self.state_dir, self.settings.minute)
            for host in self.hosts
        }
        self.ports: dict[str, int] = {}
        self._injected: dict[str, Fault] = {}
        self._booted = time.time()
        self._contexts = {
            name: ExecContext(device, lambda: self.network, self._booted)
            for name, device in self.devices.items()
        }
        self.network = Network(self.all_running_configs, self.state_dir, self.settings)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[Any] = []
        self._endpoints: list[DeviceEndpoint] = []
        self._clock: asyncio.Task[None] | None = None

    @classmethod
    def from_inventory(
        cls,
        inventory_dir: Path,
        state_dir: Path,
        port_base: int = 0,
        settings: LabSettings | None = None,
    ) -> Lab:
        return cls(load_hosts(Path(inventory_dir)), state_dir, port_base, settings)

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> Lab:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Serve every device; returns once every listener accepts connections."""
        with state_lock(self.state_dir):
            self.start_holding_lock()

    def start_holding_lock(self) -> None:
        """``start()`` for a caller that holds ``state_lock(state_dir)`` already."""
        if self._thread is not None:
            return
        busy = running_lab(self.state_dir)
        if busy is not None:
            raise LabError(
                f"a lab already serves {self.state_dir} (ports {min(busy.values())}-"
                f"{max(busy.values())}); stop it or use another --state folder"
            )
        loop = asyncio.new_event_loop()
        ready: Future[None] = Future()
        self._loop = loop

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._listen_all())
            except BaseException as exc:
                ready.set_exception(exc)
                return
            ready.set_result(None)
            loop.run_forever()
            loop.run_until_complete(self._close_all())
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

        self._thread = threading.Thread(target=run, name="lab", daemon=True)
        self._thread.start()
        try:
            ready.result()
        except BaseException:
            self._thread.join()
            self._thread = self._loop = None
            raise
        self._write_serve_file()

    async def _listen_all(self) -> None:
        key = host_key(self.state_dir)
        for index, host in enumerate(self.hosts):
            endpoint = DeviceEndpoint(
                self._contexts[host.name],
                self._fault_getter(host.name),
                self.settings.username,
                self.settings.password,
                self.settings.enable_secret,
                self.settings.latency,
                self.settings.link(host.name),
                self.settings.vty_buffer,
            )
            port = self.port_base + index if self.port_base else 0
            try:
                server = await listen(endpoint, port, key)
            except OSError as exc:
                await self._close_all()
                raise OSError(f"cannot listen on 127.0.0.1:{port} for {host.name}: {exc}") from exc
            self._servers.append(server)
            self._endpoints.append(endpoint)
            self.ports[host.name] = server.sockets[0].getsockname()[1]
        self._clock = asyncio.get_running_loop().create_task(self._revert_clock())

    async def _revert_clock(self) -> None:
        """Revert timers run on the lab's loop, whether or not the session that started one
        is still there (a timer left by a previous lab process runs out here too)."""
        step = min(1.0, max(self.settings.minute / 50, 0.02))
        while True:
            now = time.time()
            for device in self.devices.values():
                with device.lock:
                    device.tick(now)
            await asyncio.sleep(step)

    async def _close_all(self) -> None:
        for server in self._servers:
            server.close()
        for endpoint in self._endpoints:
            for conn in list(endpoint.connections):
                conn.abort()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
        self._servers.clear()
        self._endpoints.clear()

    def stop(self) -> None:
        """Stop every listener, drop every session and remove serve.json."""
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = self._loop = None
        for device in self.devices.values():
            device.flush()
        serve = self.state_dir / SERVE_FILE
        with contextlib.suppress(OSError, ValueError):
            if json.loads(serve.read_text()).get("pid") == os.getpid():
                serve.unlink()

    def _write_serve_file(self) -> None:
        payload = {"pid": os.getpid(), "ports": self.ports}
        (self.state_dir / SERVE_FILE).write_text(json.dumps(payload, indent=2) + "\n")

    # -- faults ------------------------------------------------------------------------------
    def _fault_getter(self, name: str) -> Callable[[], Fault]:
        def current() -> Fault:
            try:
                from_file = read_fault_file(self.state_dir / FAULTS_FILE).get(name)
            except FaultFileError as exc:
                print(f"lab: ignoring faults: {exc}", file=sys.stderr)
                from_file = None
            return effective_fault(self._injected.get(name), from_file)

        return current

    def inject(self, name: str, fault: Fault) -> None:
        """Give ``name`` this fault from its next session on."""
        self._device(name)
        self._injected[name] = fault

    def clear_faults(self, name: str | None = None) -> None:
        if name is None:
            self._injected.clear()
        else:
            self._injected.pop(name, None)

    # -- device access -----------------------------------------------------------------------
    def _device(self, name: str) -> Device:
        try:
            return self.devices[name]
        except KeyError:
            raise KeyError(f"no lab device named {name!r}") from None

    def all_running_configs(self) -> dict[str, str]:
        """Every device's running config as its control plane reads it (type-6 keys
        decrypted with the device's master key)."""
        return {name: device.control_config() for name, device in self.devices.items()}

    def running_config(self, name: str) -> str:
        return self._device(name).running_config()

    def startup_config(self, name: str) -> str:
        return self._device(name).startup_config()

    def _on_loop(self, call: Callable[[], Any]) -> Any:
        """Run ``call`` on the lab's loop when serving (one thread touches devices), else here."""
        if self._loop is None or threading.current_thread() is self._thread:
            return call()

        async def wrapper() -> Any:
            return call()

        return asyncio.run_coroutine_threadsafe(wrapper(), self._loop).result()

    def exec(self, name: str, command: str) -> str:
        """Output of an exec command as if typed at ``#`` (questions get their default)."""
        ctx = self._contexts[self._device(name).name]

        def run() -> str:
            prompt_len = len(ctx.device.hostname) + 1
            reply = run_to_completion(run_exec(ctx, command, 15, prompt_len))
            if reply.session == "privilege":  # the session's own command, typed at `#`
                return "Current privilege level is 15\n"
            return reply.output

        return str(self._on_loop(run))

    def configure(self, name: str, lines: Iterable[str]) -> list[str]:
        """Apply config lines from global config mode; IOS's error text for each refused line."""
        device = self._device(name)
        lines = list(lines)

        def run() -> list[str]:
            errors: list[str] = []
            context: list[str] | None = []
            for raw in lines:
                text = raw.strip()
                if not text or text.startswith("!"):
                    continue
                result = device.apply(context or [], text)
                if result.error is not None:
                    errors.append(text + "\n" + format_error(result.error, text, 0).rstrip("\n"))
                    continue
                context = result.context
                if context is None:
                    break
            device.flush()
            return errors

        return list(self._on_loop(run))

    def reset(self, name: str | None = None) -> None:
        """Factory running and startup config and an empty flash (one device or all)."""
        names = [name] if name else list(self.devices)

        def run() -> None:
            for each in names:
                self._device(each).reset()
                network_reset = getattr(self.network, "reset", None)
                if callable(network_reset):
                    network_reset(each)

        self._on_loop(run)

    def change_nbma(self, name: str) -> str:
        """The device's DHCP WAN gets a new lease behind a NAT rebinding (carrier event): its
        NBMA address as the internet sees it changes; returns the new one."""
        device = self._device(name)
        return str(self._on_loop(lambda: self.network.change_nbma(device.name)))

    def reload(self, name: str) -> None:
        """Reboot the device: running config back to startup, its SAs, registrations and
        adjacencies forgotten (its peers notice only through dead-peer detection)."""
        device = self._device(name)

        def run() -> None:
            device.reload()
            self.network.reloaded(device.name)

        self._on_loop(run)
