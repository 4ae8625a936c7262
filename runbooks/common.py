"""What every runbook shares: repo paths, the common options, and turning errors into exit codes."""

from __future__ import annotations

import argparse
import functools
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import yaml
from nornir import InitNornir
from nornir.core import Nornir

from tasks.connect import ConnectError, attach_targets, close_all, device_targets, lab_targets
from tasks.host_keys import (
    KNOWN_HOSTS_FILE,
    HostKeyPolicy,
    check_host_keys,
    key_file,
    netmiko_options,
)
from tasks.intent import Intent, IntentError
from tasks.inventory import NORNIR_FILES, inventory_files
from tasks.session import prepare
from tasks.validate import lab_models

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130


class Main(Protocol):
    """A runbook entry point: `main()` parses sys.argv, `main([...])` is for tests."""

    def __call__(self, argv: list[str] | None = None) -> int: ...


def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def add_common_args(parser: argparse.ArgumentParser, *, lab: bool = True) -> None:
    """`-c/--config`, `--secrets` and (for runbooks that touch devices) `--lab`, `--lab-state`."""
    parser.add_argument(
        "-c",
        "--config",
        type=Path,
        default=repo_root() / "config.yaml",
        help="Nornir config naming the inventory (default: %(default)s)",
    )
    parser.add_argument(
        "--secrets",
        type=Path,
        default=None,
        metavar="FILE",
        help="secrets file NAME: value (default: secrets.yaml next to the config, if present)",
    )
    if lab:
        parser.add_argument(
            "--lab", action="store_true", help="run against the embedded emulated lab"
        )
        parser.add_argument(
            "--lab-state",
            type=Path,
            default=repo_root() / ".lab",
            metavar="DIR",
            help="lab state folder, shared with `python -m lab serve` (default: %(default)s)",
        )
        parser.add_argument(
            "--known-hosts",
            type=Path,
            default=None,
            metavar="FILE",
            help=f"SSH host keys of the devices, OpenSSH format (default: {KNOWN_HOSTS_FILE} "
            "next to the config; --lab: the lab state folder's own)",
        )
        parser.add_argument(
            "--trust-on-first-use",
            action="store_true",
            help="record the host key of a device not yet in the known-hosts file "
            "(a changed key is still refused)",
        )


def host_key_options(args: argparse.Namespace) -> dict[str, Any]:
    """The host-key keywords of `open_devices`, from the options `add_common_args` added."""
    return {
        "known_hosts": getattr(args, "known_hosts", None),
        "trust_on_first_use": bool(getattr(args, "trust_on_first_use", False)),
    }


def add_change_args(parser: argparse.ArgumentParser) -> None:
    """Options of every runbook that changes devices (deploy, teardown, drift --remediate)."""
    parser.add_argument(
        "--revert-minutes",
        type=int,
        default=5,
        metavar="N",
        help="IOS revert timer: a change not confirmed within N minutes (the automation died)"
        " is undone by the device itself (default: %(default)s)",
    )
    parser.add_argument(
        "--lease-wait",
        type=float,
        default=120.0,
        metavar="S",
        help="wait at most S seconds for another run's change lease on a device"
        " (default: %(default)s)",
    )


@contextmanager
def interruptible(abort: threading.Event) -> Iterator[None]:
    """The first Ctrl-C or SIGTERM asks the running change to roll back and stop (``abort``);
    a second one stops at once (each device's revert timer then undoes what was left)."""

    def ask(signum: int, _frame: object) -> None:
        if abort.is_set():
            raise KeyboardInterrupt
        abort.set()
        name = signal.Signals(signum).name
        print(f"{name}: rolling back the changes under way, then stopping", file=sys.stderr)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {sig: signal.signal(sig, ask) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def keep_library_logs_off_the_terminal() -> None:
    """paramiko's transport thread logs a dropped or reset connection ("Socket exception:
    Connection reset by peer (104)", an unknown one with its traceback) and saves the exception
    on the transport, where netmiko raises it and the runbook reports it in one line per host.
    It configures no handler of its own, so Python's last-resort handler would print the log
    lines on stderr as well: a handler that drops them stops that."""
    library = logging.getLogger("paramiko")
    if not any(isinstance(h, logging.NullHandler) for h in library.handlers):
        library.addHandler(logging.NullHandler())


def runbook(main: Callable[[list[str] | None], int]) -> Main:
    """Wrap a runbook's `main(argv) -> int`: invalid intent -> one line per problem and exit 2,
    Ctrl-C -> 130, argparse's own exits -> their code; never a traceback for a bad input."""

    @functools.wraps(main)
    def wrapper(argv: list[str] | None = None) -> int:
        keep_library_logs_off_the_terminal()
        try:
            return main(argv)
        except IntentError as err:
            for problem in err.problems:
                print(problem, file=sys.stderr)
            return EXIT_INVALID
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        except BrokenPipeError:  # `runbook ... | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
            return exit_.code if isinstance(exit_.code, int) else EXIT_INVALID

    return wrapper


def _nornir_config(config: Path) -> dict[str, Any]:
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    return raw if isinstance(raw, dict) else {}


def inventory_dir(config: Path) -> Path:
    """Folder of the inventory's hosts file (what the lab is built from)."""
    return inventory_files(_nornir_config(config), config.parent)["hosts"].parent


def init_nornir(config: Path, **kwargs: Any) -> Nornir:
    """InitNornir with the inventory paths resolved relative to the config file, not the cwd."""
    inventory = dict(_nornir_config(config).get("inventory") or {})
    files = inventory_files({"inventory": inventory}, config.parent)
    options = dict(inventory.get("options") or {})
    options.update({NORNIR_FILES[kind][0]: str(path) for kind, path in files.items()})
    return InitNornir(
        config_file=str(config), inventory={**inventory, "options": options}, **kwargs
    )


def session_opener(nr: Nornir, host: str, folder: Path) -> Callable[[str, list[Any]], Any]:
    """How ``check_host_keys`` opens ``host``'s netmiko session, which the tasks then use: with
    the keys it must present, in a file of its own under ``folder`` (``key_file``), paramiko
    refuses any other before a password goes out; with none (a key met for the first time,
    trusted on first use) it takes the key, and no file is read or rewritten by paramiko (the
    check records the key itself)."""

    def open_session(name: str, keys: list[Any]) -> Any:
        inventory_host = nr.inventory.hosts[host]
        extras = inventory_host.get_connection_parameters("netmiko").extras or {}
        settings = {**extras, "ssh_strict": bool(keys), "alt_host_keys": bool(keys)}
        if keys:
            settings["alt_key_file"] = str(key_file(folder, name, keys))
        settings["auto_connect"] = False  # connected and prepared here (tasks.session)
        inventory_host.open_connection("netmiko", nr.config, extras=settings)
        conn = inventory_host.get_connection("netmiko", nr.config)
        try:
            conn.establish_connection()
            prepare(conn)
        except BaseException:
            try:
                inventory_host.close_connection("netmiko")
            except Exception:  # half-open: whatever netmiko can close, it closed
                inventory_host.connections.pop("netmiko", None)
            raise
        return conn

    return open_session


@contextmanager
def open_devices(
    intent: Intent,
    hosts: Sequence[str],
    config: Path,
    lab: bool,
    lab_state: Path,
    *,
    known_hosts: Path | None = None,
    trust_on_first_use: bool = False,
) -> Iterator[Nornir]:
    """Nornir over ``hosts`` with one threaded worker each: the real devices, or (``lab``) the
    emulated lab serving ``lab_state`` (attached to ``python -m lab serve`` when one runs, else
    started here for the run). Raises ``ConnectError`` when they cannot be reached as asked,
    ``HostKeyError`` (a ConnectError) when a host key is unknown or changed: real devices are
    checked against ``known_hosts`` (default: known_hosts next to ``config``), recording new
    keys only with ``trust_on_first_use``; the lab against its state folder's own file."""
    runner = {"plugin": "threaded", "options": {"num_workers": max(1, len(hosts))}}
    nr = init_nornir(config, logging={"enabled": False}, runner=runner)
    handle = None
    try:
        if lab:
            try:
                from lab.api import attach_or_start, known_models, read_settings  # when asked

                unknown = lab_models(intent, hosts, known_models())
                if unknown:
                    raise IntentError(unknown)
                settings = read_settings(lab_state)
                handle = attach_or_start(inventory_dir(config), lab_state)
            except IntentError:
                raise
            except Exception as err:  # the lab's own errors, as one line for people
                raise ConnectError(f"cannot start the lab in {lab_state}: {err}") from err
            creds = (settings.username, settings.password, settings.enable_secret)
            targets = lab_targets(hosts, handle.ports, *creds)
            policy = HostKeyPolicy.for_lab(lab_state, handle.ports.values())
        else:
            targets = device_targets(intent, hosts, nr.inventory.hosts)
            path = (known_hosts or config.parent / KNOWN_HOSTS_FILE).expanduser()
            policy = HostKeyPolicy(path, trust_on_first_use)
        nr = attach_targets(nr, targets, netmiko_options(policy))
        with tempfile.TemporaryDirectory(prefix="dmvpn-keys-") as folder:
            opener = functools.partial(session_opener, nr, folder=Path(folder))
            check_host_keys(targets, policy, connect=opener)
        yield nr
    finally:
        close_all(nr)
        if handle is not None:
            handle.close()
