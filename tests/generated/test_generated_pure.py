"""Pure properties of generated inventories (issue 9, deliverable 7): validate, render and the
owned diff, with many examples and no device.

Each device's running config holds every tenant it serves plus the host-level lines an operator
keeps on it (hostname, usernames, banner, domain, SNMP location), which mention a tenant by name.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gen_inventory import EV_HUB, GenInventory, inventories
from hypothesis import example, given
from hypothesis import strategies as st
from oracle import flat, host_level_lines, is_host_level, names_tenant, touched

from tasks.intent import Intent, load_intent
from tasks.ios_config import parse
from tasks.owned_diff import owned_remediation, teardown_remediation
from tasks.ownership import host_ownership
from tasks.render import intended_config, render_host


@contextmanager
def loaded(inv: GenInventory) -> Iterator[Intent]:
    with tempfile.TemporaryDirectory() as folder:
        yield load_intent(inv.write(Path(folder)), env=inv.secrets)


def running(
    intent: Intent,
    inv: GenInventory,
    host: str,
    mention: str,
    skip: str = "",
    hostname: str | None = None,
) -> str:
    """``host`` holding every tenant it serves except ``skip``, plus host-level lines that
    mention ``mention`` (and the hostname ``hostname``, by default the inventory name)."""
    config = intended_config(render_host(intent, host, None))
    if skip:
        gone = inv.tenant(skip)
        kept, drop = [], False
        for line in config.splitlines():
            if line and not line[0].isspace():
                drop = names_tenant(line, gone)
            if not drop:
                kept.append(line)
        config = "\n".join(kept)
    return "\n".join(host_level_lines(hostname or host, mention)) + "\n" + config


# (inventory, the tenant acted on, the name its devices' host-level lines mention)
@st.composite
def scenarios(draw: st.DrawFn, named_hosts: bool = True) -> tuple[GenInventory, str, str]:
    inv = draw(inventories(named_hosts=named_hosts))
    tenant = draw(st.sampled_from([t.name for t in inv.tenants]))
    mention = draw(st.sampled_from([tenant, "hub"]))
    return inv, tenant, mention


@given(inventories(max_tenants=4, max_spokes=3))
def test_validator_accepts_every_generated_inventory(inv: GenInventory) -> None:
    with loaded(inv) as intent:
        assert sorted(intent.tenants) == sorted(t.name for t in inv.tenants)
        for t in inv.tenants:
            assert intent.hosts_for(t.name) == [inv.headend, *(s.name for s in t.spokes)]
        assert intent.hosts[inv.headend].role == "headend"


@given(inventories(min_tenants=2, max_tenants=4))
def test_headend_render_of_one_tenant_names_no_other(inv: GenInventory) -> None:
    with loaded(inv) as intent:
        for t in inv.tenants:
            text = "\n".join(render_host(intent, inv.headend, t.name).values())
            assert any(names_tenant(line, t) for line in text.splitlines())
            for other in inv.tenants:
                if other is not t:
                    leaks = [line for line in text.splitlines() if names_tenant(line, other)]
                    assert leaks == [], f"render of {t.name} names {other.name}: {leaks}"


def _host_of(inv: GenInventory, tenant: str, pick: int) -> str:
    hosts = [inv.headend, *(s.name for s in inv.tenant(tenant).spokes)]
    return hosts[pick % len(hosts)]


@given(scenarios(named_hosts=False), st.integers(0, 3))
def test_redeploy_pushes_nothing_beside_other_tenants(scenario, pick: int) -> None:
    """A device already holding the tenant next to others needs no line (no host name or
    host-level line names a tenant here: the tests below have those)."""
    inv, tenant, _ = scenario
    with loaded(inv) as intent:
        host = _host_of(inv, tenant, pick)
        owner = host_ownership(intent, host, tenant)
        config = running(intent, inv, host, mention="site", hostname="site-router")
        assert owned_remediation(render_host(intent, host, tenant), config, owner) == {}


@given(scenarios(), st.integers(0, 3))
def test_redeploy_pushes_nothing_when_host_lines_name_the_tenant(scenario, pick: int) -> None:
    inv, tenant, mention = scenario
    with loaded(inv) as intent:
        host = _host_of(inv, tenant, pick)
        owner = host_ownership(intent, host, tenant)
        config = running(intent, inv, host, mention)
        assert owned_remediation(render_host(intent, host, tenant), config, owner) == {}


@example((EV_HUB, "ev7", "site"), 1)
@given(scenarios(), st.integers(0, 3))
def test_first_deploy_pushes_every_line_of_the_render(scenario, pick: int) -> None:
    """A device holding nothing of any tenant gets every line rendered for it (but those its
    host-level config already holds, such as a `line vty` block the render also manages)."""
    inv, tenant, _ = scenario
    with loaded(inv) as intent:
        host = _host_of(inv, tenant, pick)
        owner = host_ownership(intent, host, tenant)
        config = "\n".join(host_level_lines("site-router", "site"))
        rendered = render_host(intent, host, tenant)
        lines = flat(owned_remediation(rendered, config, owner))
        pushed = parse("\n".join(line for line in lines if not line.strip().startswith("exit")))
        have = {tuple(node.path()) for node in pushed.all_children()}
        have |= {tuple(node.path()) for node in parse(config).all_children()}
        wanted = [tuple(n.path()) for n in parse(intended_config(rendered)).all_children()]
        assert [path for path in wanted if path not in have] == [], host


@given(scenarios(), st.integers(0, 3))
def test_deploy_of_one_tenant_touches_no_other_tenant_and_no_host_line(scenario, pick) -> None:
    inv, tenant, mention = scenario
    with loaded(inv) as intent:
        host = _host_of(inv, tenant, pick)
        owner = host_ownership(intent, host, tenant)
        others = [t for t in inv.tenants if t.name != tenant]
        for skip in (tenant, ""):  # a first deploy, then a redeploy
            config = running(intent, inv, host, mention, skip=skip)
            lines = flat(owned_remediation(render_host(intent, host, tenant), config, owner))
            assert touched(lines, others) == [], f"{host}: {lines}"


@given(scenarios(), st.integers(0, 3))
def test_teardown_of_one_tenant_touches_no_other_tenant(scenario, pick: int) -> None:
    inv, tenant, mention = scenario
    with loaded(inv) as intent:
        host = _host_of(inv, tenant, pick)
        owner = host_ownership(intent, host, tenant)
        others = [t for t in inv.tenants if t.name != tenant]
        config = running(intent, inv, host, mention)
        lines = flat(teardown_remediation(render_host(intent, host, tenant), config, owner))
        foreign = [line for line in touched(lines, others) if not is_host_level(line)]
        assert foreign == [], f"{host}: {lines}"
        removed = {line for line in lines if not line.startswith(" ")}
        mine = inv.tenant(tenant)
        assert f"no interface Tunnel{mine.tunnel}" in removed
        assert f"no crypto ikev2 keyring IKEv2-KEYRING-{mine.tag}" in removed
        if host == inv.headend:
            assert f"no vrf definition {mine.vrf}" in removed


@given(scenarios(), st.integers(0, 3))
def test_teardown_of_one_tenant_keeps_every_host_line(scenario, pick: int) -> None:
    inv, tenant, mention = scenario
    with loaded(inv) as intent:
        host = _host_of(inv, tenant, pick)
        owner = host_ownership(intent, host, tenant)
        config = running(intent, inv, host, mention)
        lines = flat(teardown_remediation(render_host(intent, host, tenant), config, owner))
        assert [line for line in lines if is_host_level(line)] == [], f"{host}: {lines}"


CLASSIC = ("IOSv", "IOL")  # classic IOS: no `distributed` keyword (docs/ios-rules.md, rule 7)


@given(inventories(max_tenants=3, max_spokes=3))
def test_multicast_lines_follow_the_tenant_and_the_platform(inv: GenInventory) -> None:
    """A multicast tenant gets PIM on both ends, `distributed` exactly on IOS XE models, RPF
    toward its hub on every spoke; a tenant without multicast gets none of it."""
    with loaded(inv) as intent:
        hub = intended_config(render_host(intent, inv.headend, None)).splitlines()
        hub_xe = intent.hosts[inv.headend].model not in CLASSIC
        for t in inv.tenants:
            routing = f"ip multicast-routing vrf {t.vrf}" + (" distributed" if hub_xe else "")
            assert (routing in hub) is t.multicast
            assert any(line.startswith(f"ip pim vrf {t.vrf} ") for line in hub) is t.multicast
            for s in t.spokes:
                spoke = intended_config(render_host(intent, s.name, None)).splitlines()
                routing = "ip multicast-routing" + ("" if s.model in CLASSIC else " distributed")
                assert (routing in spoke) is t.multicast
                hub_ip = str(intent.tenants[t.name].hub_tunnel_ip)
                assert (f"ip mroute 0.0.0.0 0.0.0.0 {hub_ip} 1" in spoke) is t.multicast
                assert (" ip pim sparse-mode" in spoke) is t.multicast
