"""Verify a tenant's overlay: the plan from the intent, one Nornir round of commands per host,
parse, judge (`tasks.checks`), and poll until every check passes or the wait runs out.

The Nornir task only sends commands; parsing and judging stay pure and run in the caller.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from tasks.checks import CheckResult, Observed, SpokePlan, TenantPlan, commands_for, judge
from tasks.connect import guard_session
from tasks.intent import Intent, Tenant
from tasks.parse import ParseError, parse
from tasks.verify_plan import IsolationProbe

READ_TIMEOUT = 60.0  # a 5-echo ping that times out takes 10 s on IOS
PRIVILEGED = ("show running-config",)  # commands that need privileged exec (`enable`)


class DeviceUnreachable(Exception):
    """A device could not be logged into (refused, timed out, authentication failed)."""


def plan_from_intent(intent: Intent, tenant: str, internet_check: bool = True) -> TenantPlan:
    """What verification expects of `tenant`, from the intent only (`internet_check` False:
    no spoke pings its internet probe, whatever the inventory says)."""
    t = intent.check_tenant(tenant)
    hub = intent.hosts[t.headend]
    if hub.wan.address is None:
        raise ValueError(f"{hub.name}: the headend's WAN address is not static")
    spokes = []
    for name in t.spokes:
        host = intent.hosts[name]
        if host.lan is None or host.tunnel_ip is None:
            raise ValueError(f"{name}: a spoke needs a LAN and a tunnel address")
        internet = host.settings.internet
        probe = internet.enabled and internet.check and internet_check
        spokes.append(
            SpokePlan(
                name=name,
                tunnel_ip=str(host.tunnel_ip),
                lan_interface=host.lan.interface,
                lan_ip=str(host.lan.address.ip),
                lan_prefix=str(host.lan.address.network),
                wan_interface=host.wan.interface,
                internet_probe=str(internet.probe) if probe else None,
            )
        )
    return TenantPlan(
        name=t.name,
        hub=t.headend,
        hub_tunnel_ip=str(t.hub_tunnel_ip),
        hub_wan_ip=str(t.hub_nbma(hub)),  # the NBMA address spokes register to
        hub_wan_interface=hub.wan.interface,
        tunnel=t.tunnel,
        vrf=t.vrf,
        spokes=tuple(spokes),
        isolation_target=_isolation_target(intent, tenant),
        multicast=t.multicast,
        isolation_probes=isolation_probes(intent, tenant),
        **_foreign(intent, tenant),
    )


def _own_space(intent: Intent, tenant: Tenant) -> list[IPv4Network]:
    lans = [intent.hosts[s].lan for s in tenant.spokes]
    return [tenant.tunnel_subnet, *(lan.address.network for lan in lans if lan is not None)]


def isolation_probes(intent: Intent, tenant: str) -> tuple[IsolationProbe, ...]:
    """From each spoke's LAN: every other tenant's hub tunnel address and one of its spoke LANs
    (spoke i takes LAN i, round robin, so the tenant's spokes together cover the other's LANs
    while each spoke sends 2 probes per other tenant, bounded for 40 spokes). A target inside
    this tenant's own space is skipped: tenants may reuse each other's addresses."""
    mine = intent.tenants[tenant]
    own = _own_space(intent, mine)

    def foreign(address: IPv4Address) -> bool:
        return not any(address in net for net in own)

    probes = []
    for index, spoke in enumerate(mine.spokes):
        for other in sorted(intent.tenants.values(), key=lambda t: t.name):
            if other.name == tenant:
                continue
            if foreign(other.hub_tunnel_ip):
                target = f"{other.headend} {other.tunnel_interface}"
                probes.append(IsolationProbe(spoke, other.name, target, str(other.hub_tunnel_ip)))
            lans = [
                (name, lan.address.ip)
                for name in other.spokes
                if (lan := intent.hosts[name].lan) is not None and foreign(lan.address.ip)
            ]
            if lans:
                name, address = lans[index % len(lans)]
                probes.append(IsolationProbe(spoke, other.name, f"{name} LAN", str(address)))
    return tuple(probes)


def _foreign(intent: Intent, tenant: str) -> dict[str, tuple[str, ...]]:
    """Other tenants' tunnel interfaces on the same headend, and their prefixes that overlap
    none of this tenant's (overlapping ones are told apart by exit interface only)."""
    mine = intent.tenants[tenant]
    own = [mine.tunnel_subnet, *(intent.hosts[s].lan.address.network for s in mine.spokes)]  # type: ignore[union-attr]
    interfaces, prefixes = [], []
    for other in intent.tenants.values():
        if other.name == tenant or other.headend != mine.headend:
            continue
        interfaces.append(other.tunnel_interface)
        theirs = [other.tunnel_subnet]
        theirs += [intent.hosts[s].lan.address.network for s in other.spokes]  # type: ignore[union-attr]
        prefixes += [str(p) for p in theirs if not any(p.overlaps(o) for o in own)]
    return {"foreign_interfaces": tuple(interfaces), "foreign_prefixes": tuple(prefixes)}


def _isolation_target(intent: Intent, tenant: str) -> tuple[str, str] | None:
    """Another tenant's hub tunnel address (same headend first) outside this tenant's subnet."""
    mine = intent.tenants[tenant]
    others = sorted(
        (t for t in intent.tenants.values() if t.name != tenant),
        key=lambda t: (t.headend != mine.headend, t.name),
    )
    for other in others:
        if other.hub_tunnel_ip not in mine.tunnel_subnet:
            return other.name, str(other.hub_tunnel_ip)
    return None


def send_commands(task: Task, commands: list[str], read_timeout: float = READ_TIMEOUT) -> Result:
    """Nornir task: send each command once; result `{"outputs": {...}, "errors": {...}}`.

    A failed login raises `DeviceUnreachable`; a command that fails (dropped session, stall)
    is recorded in `errors` and the session is closed so the next round reconnects.
    """
    try:
        conn = task.host.get_connection("netmiko", task.nornir.config)
        guard_session(conn)
    except Exception as err:  # netmiko/paramiko raise many types for a failed login
        raise DeviceUnreachable(f"{task.host.name}: {type(err).__name__}: {err}") from err
    outputs: dict[str, str] = {}
    errors: dict[str, str] = {}
    for command in commands:
        if command.startswith(PRIVILEGED):  # IOS refuses it in user exec (privilege 1)
            try:
                if not conn.check_enable_mode():
                    conn.enable()
            except Exception as err:  # a wrong enable secret: this command cannot be read
                errors[command] = f"enable failed: {type(err).__name__}".splitlines()[0]
                continue
        try:
            outputs[command] = conn.send_command(command, read_timeout=read_timeout)
        except Exception as err:  # reported per command, never a traceback
            errors[command] = f"{type(err).__name__}: {err}".splitlines()[0]
            task.host.close_connection("netmiko")
            break
    return Result(host=task.host, result={"outputs": outputs, "errors": errors})


def observe(raw: dict[str, dict[str, dict[str, str]]]) -> Observed:
    """Parse one round's raw outputs (host -> {"outputs", "errors"}) into an `Observed`."""
    seen = Observed()
    for host, answer in raw.items():
        for command, reason in answer["errors"].items():
            seen.fail(host, command, reason)
        for command, output in answer["outputs"].items():
            try:
                seen.add(host, command, parse(command, output))
            except ParseError as err:
                seen.fail(host, command, f"{err.template}: {err.reason}")
    return seen


def run_round(nr: Nornir, plan: TenantPlan, dataplane: bool) -> Observed:
    """One poll round: every host runs its commands once (in parallel), then parse."""
    raw: dict[str, dict[str, dict[str, str]]] = {}

    def one_host(task: Task) -> Result:
        return send_commands(task, commands_for(plan, task.host.name, dataplane))

    results = nr.run(task=one_host, name="verify round")
    for host, multi in results.items():
        if multi.failed:
            exc = multi[0].exception
            cause = exc if isinstance(exc, DeviceUnreachable) else None
            raise DeviceUnreachable(str(cause) if cause else f"{host}: {exc!r}")
        raw[host] = multi[0].result
    return observe(raw)


Progress = Callable[[int, list[CheckResult]], Any]


def verify(
    nr: Nornir,
    plan: TenantPlan,
    wait: float = 60.0,
    poll: float = 5.0,
    dataplane: bool = True,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Any] = time.sleep,
) -> list[CheckResult]:
    """Poll rounds until every check passes or `wait` seconds have gone; the last verdicts."""
    deadline = clock() + wait
    number = 0
    while True:
        number += 1
        results = judge(plan, run_round(nr, plan, dataplane), dataplane)
        if progress is not None:
            progress(number, results)
        remaining = deadline - clock()
        if all(r.passed for r in results) or remaining <= 0:
            return results
        sleep(min(poll, remaining))
