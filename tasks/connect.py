"""Point a runbook's Nornir at the devices: the inventory cut down to the wanted hosts, each with
how to reach it — the real device with the inventory's credentials, or (``--lab``) the emulated
one on 127.0.0.1 with the lab's credentials.

One netmiko connection per host is opened by the first task and reused by the next ones
(``task.host.get_connection("netmiko", ...)``); ``close_all`` ends them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import ConnectionOptions

LAB_ADDRESS = "127.0.0.1"
PLATFORM = "cisco_ios"
# Passed to netmiko's ConnectHandler: passwords only (no local keys or agent), bounded waits.
NETMIKO_EXTRAS: dict[str, Any] = {
    "use_keys": False,
    "allow_agent": False,
    "conn_timeout": 10,
    "auth_timeout": 15,
    "banner_timeout": 15,
}


@dataclass(frozen=True)
class Target:
    """How to reach one host."""

    address: str
    port: int
    username: str
    password: str = field(repr=False)
    secret: str = field(default="", repr=False)


class ConnectError(Exception):
    """The wanted hosts cannot be reached as asked (the message is for people)."""


def lab_targets(
    hosts: Iterable[str],
    ports: Mapping[str, int],
    username: str = "admin",
    password: str = "admin",
    secret: str = "admin",
) -> dict[str, Target]:
    """Targets in the emulated lab: 127.0.0.1, the device's lab port, the lab's credentials."""
    missing = [h for h in hosts if h not in ports]
    if missing:
        raise ConnectError(
            f"not in the lab: {', '.join(missing)} (restart the lab after changing the inventory)"
        )
    return {h: Target(LAB_ADDRESS, ports[h], username, password, secret) for h in hosts}


def device_targets(
    intent: Any, hosts: Iterable[str], nornir_hosts: Mapping[str, Any]
) -> dict[str, Target]:
    """Targets on real devices: inventory hostname/port, credentials resolved by the intent."""
    intent.check_credentials(list(hosts))
    targets = {}
    for name in hosts:
        creds = intent.hosts[name].credentials
        inv = nornir_hosts[name]
        targets[name] = Target(
            address=str(inv.hostname or name),
            port=int(inv.port or 22),
            username=str(creds.username),
            password=str(creds.password),
            secret=str(creds.enable or creds.password),
        )
    return targets


def attach_targets(nr: Nornir, targets: Mapping[str, Target]) -> Nornir:
    """Keep only the hosts in ``targets`` and set how each one is reached."""
    unknown = [name for name in targets if name not in nr.inventory.hosts]
    if unknown:
        raise ConnectError(f"not in the inventory: {', '.join(unknown)}")
    wanted = nr.filter(filter_func=lambda host: host.name in targets)
    for name, target in targets.items():
        host = wanted.inventory.hosts[name]
        host.hostname = target.address
        host.port = target.port
        host.username = target.username
        host.password = target.password
        host.platform = PLATFORM
        host.connection_options["netmiko"] = ConnectionOptions(
            extras={**NETMIKO_EXTRAS, "secret": target.secret}
        )
    return wanted


def close_all(nr: Nornir) -> None:
    """Close every open connection (errors while closing a dead session are ignored)."""
    for host in nr.inventory.hosts.values():
        try:
            host.close_connections()
        except Exception:  # a dropped session may fail to close cleanly
            continue
