"""One emulated device: its config store (running), startup config and flash, persisted on disk.

State lives in ``<state_dir>/<name>/`` (``running-config``, ``startup-config``, ``flash/``). The
running config is written when a change leaves config mode, when a session ends, when the lab
stops, and at most ``SAVE_INTERVAL`` seconds after a change in a long config session, so a new lab
process sees the same device (the running config survives a process restart as if the router had
kept running) without re-rendering the config for every line pushed.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lab.config import rollback, type6
from lab.config.archive import ArchiveList
from lab.config.change_control import ChangeControl, ChangeRefused
from lab.config.exclusive import LockHolder
from lab.config.flash import Flash, write_private
from lab.config.rollback import PendingRevert
from lab.config.store import ConfigStore
from lab.config.syslog import SyslogBuffer

SAVE_INTERVAL = 1.0
_FACTORY: dict[tuple[str, str], Any] = {}


class DeviceStateError(Exception):
    """A saved config on disk cannot be loaded; the message names the file and line."""


class Device(ChangeControl):
    """Running/startup config and flash of one device; thread-safe through ``lock``."""

    def __init__(self, name: str, model: str, state_dir: Path, minute: float = 60.0) -> None:
        self.name = name
        self.model = model
        self.minute = minute  # seconds per IOS minute (revert timers)
        self.directory = Path(state_dir) / name
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.flash = Flash(self.directory / "flash")
        self.lock = threading.RLock()
        self._running_file = self.directory / "running-config"
        self._startup_file = self.directory / "startup-config"
        # the type-6 master key: IOS keeps it in private NVRAM, out of every config text
        self._config_key_file = self.directory / "config-key"
        self._saved_key: str | None = None
        self.store: Any = None
        self._saved_running = ""
        self._dirty = False
        self._last_save = time.monotonic()
        self._rendered: str | None = None  # running config text, until the next change
        self.last_change: float | None = None  # when the running config last changed
        self.last_saved: float | None = None  # when it was last written to startup
        self.startup_text = ""
        self.syslog = SyslogBuffer()
        self.archive = ArchiveList.load(self.directory / "archive.json")
        self._pending_file = self.directory / "revert.json"
        self.pending: PendingRevert | None = rollback.load_pending(self._pending_file)
        self.config_lock: LockHolder | None = None
        self.listeners: dict[int, Callable[[str], None]] = {}  # session id -> its terminal
        self._load()

    # -- persistence -------------------------------------------------------------------------
    def _factory_store(self) -> Any:
        key = (self.name, self.model)
        if key not in _FACTORY:  # building it runs the grammar over every line: do it once
            _FACTORY[key] = ConfigStore.factory(self.name, self.model)
        return _FACTORY[key].copy()

    def _config_key(self) -> str | None:
        if self._config_key_file.exists():
            return self._config_key_file.read_text().strip() or None
        return None

    def _keep_config_key(self) -> None:
        """Persist the store's master key when a line changed it (reload keeps it)."""
        key = self.store.config_key
        if key == self._saved_key:
            return
        self._saved_key = key
        if key is None:
            self._config_key_file.unlink(missing_ok=True)
        else:
            write_private(self._config_key_file, key)

    def _from_file(self, path: Path) -> Any:
        try:
            text = path.read_text()
            return ConfigStore.from_text(text, model=self.model, config_key=self._config_key())
        except ValueError as exc:
            raise DeviceStateError(f"{path}: {exc}") from exc

    def _load(self) -> None:
        self._saved_key = self._config_key()
        if self._running_file.exists():
            self.store = self._from_file(self._running_file)
        else:
            self.store = self._factory_store()
        if self._startup_file.exists():
            self.startup_text = self._startup_file.read_text()
        else:
            self.startup_text = self.store.running_config()
            write_private(self._startup_file, self.startup_text)
        self.save_running()

    def save_running(self) -> None:
        """Write the running config to disk if it changed since the last write."""
        with self.lock:
            text = self.running_config()
            if text != self._saved_running or not self._running_file.exists():
                write_private(self._running_file, text)
                self._saved_running = text
            self._dirty = False
            self._last_save = time.monotonic()

    def flush(self) -> None:
        """Persist the running config if a change has not been written yet."""
        if self._dirty:
            self.save_running()

    # -- operations --------------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        return str(self.store.hostname)

    def apply(self, context: list[str], line: str) -> Any:
        """Apply one config line in ``context``; persist when accepted."""
        with self.lock:
            result = self.store.apply(list(context), line)
            if result.error is None:
                self._keep_config_key()
                self._rendered = None
                self.last_change = time.time()
                self._dirty = True
                if result.context is None or time.monotonic() - self._last_save > SAVE_INTERVAL:
                    self.save_running()
            return result

    def running_config(self) -> str:
        with self.lock:
            if self._rendered is None:
                self._rendered = str(self.store.running_config())
            return self._rendered

    def control_config(self) -> str:
        """The running config as the control plane uses it: type-6 keys decrypted with the
        master key (never printed; ``show`` commands print ``running_config``)."""
        with self.lock:
            return type6.clear_text_view(self.running_config(), self.store.config_key)

    def interface_config(self, name: str) -> str | None:
        """``!`` + the interface's section + ``end``, or None when it does not exist."""
        with self.lock:
            text = self.store.interface_config(name)
            return None if text is None else str(text)

    def interfaces(self) -> list[Any]:
        """The store's InterfaceInfo rows (name, ip, mask, dhcp, vrf, shutdown)."""
        with self.lock:
            return list(self.store.interfaces())

    def vrfs(self) -> list[Any]:
        """The store's VrfInfo rows (name, rd, address_families, interfaces)."""
        with self.lock:
            return list(self.store.vrfs())

    def startup_config(self) -> str:
        with self.lock:
            return self.startup_text

    def is_modified(self) -> bool:
        """True when running differs from startup (IOS asks to save before reload)."""
        return self.running_config() != self.startup_config()

    def write_memory(self) -> None:
        """Running -> startup; with `archive` / `write-memory`, an archive file too."""
        with self.lock:
            self.startup_text = self.running_config()
            write_private(self._startup_file, self.startup_text)
            self.last_saved = time.time()
            if self.archive_settings().write_memory:
                with contextlib.suppress(ChangeRefused):
                    self.archive_config(self.last_saved)

    def replace_running(self, text: str) -> None:
        """Running config := ``text`` (configure replace); ValueError names a refused line."""
        with self.lock:
            store = ConfigStore.from_text(text, model=self.model, config_key=self._config_key())
            self.store, self._rendered = store, None
            self.save_running()

    def reload(self) -> None:
        """Running := startup, as after a reboot."""
        self.replace_running(self.startup_config())

    def reset(self) -> None:
        """Factory state: factory running and startup config, empty flash."""
        with self.lock:
            self.store, self._rendered = self._factory_store(), None
            self._config_key_file.unlink(missing_ok=True)
            self._saved_key = None
            self.save_running()
            self.write_memory()
            self.flash.clear()
            self.archive = ArchiveList(self.archive.file)
            self.archive.save()
            self.pending, self.config_lock = None, None
            rollback.save_pending(self._pending_file, None)
            self.syslog = SyslogBuffer()
