"""Ownership by exact identity: what a tenant's render creates, never a name inside a line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tasks.intent import load_intent
from tasks.ios_config import parse
from tasks.owned_diff import owned_remediation, teardown_remediation
from tasks.ownership import Owner, Ownership, host_ownership, ownership_of, rendered_ownership
from tasks.render import render_host

HOST_LEVEL = (
    "hostname {name}-a\n"
    "username {name}-ops privilege 15 secret 9 $9$abc$def\n"
    "ip domain name {name}.example.net\n"
    "snmp-server location {name} venue hall\n"
    "banner motd ^C\n{name} router\n^C\n"
)


def test_the_hub_owns_exactly_what_each_tenant_renders(example_config, example_secrets) -> None:
    intent = load_intent(example_config)
    owned = rendered_ownership(intent, "hub1")
    assert ("interface Tunnel42",) in owned["event42"]
    assert ("vrf definition VRF-EVENT42",) in owned["event42"]
    assert ("crypto ikev2 keyring IKEv2-KEYRING-EVENT42",) in owned["event42"]
    assert not owned["event42"] & owned["event43"]
    shared = {("vrf definition VRF-FRONT",), ("zone security OUTSIDE",)}
    assert not shared & (owned["event42"] | owned["event43"])


def test_a_spoke_owns_its_overlay_and_its_line_in_the_lan(example_config, example_secrets) -> None:
    intent = load_intent(example_config)
    owned = rendered_ownership(intent, "e42-spoke1")["event42"]
    assert ("interface Tunnel42",) in owned
    assert ("interface GigabitEthernet0/0/1", "description LAN TENANT EVENT42") in owned
    # the WAN and the LAN themselves are the host's, not the tenant's
    assert ("interface GigabitEthernet0/0/0",) not in owned
    assert ("interface GigabitEthernet0/0/1",) not in owned


@pytest.mark.parametrize("tenant", ["event42", "event43"])
def test_host_level_lines_with_the_tenant_name_are_nobodys(
    example_config, example_secrets, tenant: str
) -> None:
    intent = load_intent(example_config)
    own = host_ownership(intent, "hub1", tenant)
    for line in HOST_LEVEL.format(name=tenant).splitlines()[:4]:
        assert own.owner_of((line,)) is Owner.NEUTRAL, line


def test_deploy_and_teardown_never_send_host_level_lines(example_config, example_secrets) -> None:
    """The bug this replaced: a spoke named after its tenant got `no hostname …`."""
    intent = load_intent(example_config)
    rendered = render_host(intent, "e42-spoke1", "event42")
    running = "\n".join(rendered.values()) + HOST_LEVEL.format(name="event42")
    own = host_ownership(intent, "e42-spoke1", "event42")
    assert owned_remediation(rendered, running, own) == {}
    removed = [
        line for lines in teardown_remediation(rendered, running, own).values() for line in lines
    ]
    assert removed and not [line for line in removed if "hostname" in line or "username" in line]
    assert "interface Tunnel42" in [line.strip()[3:] for line in removed if line.startswith("no ")]


def test_prefix_names_do_not_steal(tmp_path: Path, example_secrets) -> None:
    """Tunnel7 / Tunnel70 and tenant ev7 / ev70: each owns only its own."""
    shutil.copy(Path("config.yaml"), tmp_path / "config.yaml")
    shutil.copytree(Path("inventory"), tmp_path / "inventory")
    groups = yaml.safe_load((tmp_path / "inventory" / "groups.yaml").read_text())
    for old, new, num in (("event42", "ev7", 7), ("event43", "ev70", 70)):
        tenant = groups.pop(f"tenant-{old}")
        tenant["data"]["tenant"].update(
            name=new, vrf=f"VRF-{new.upper()}", tunnel=num, tunnel_key=num, nhrp_network_id=num
        )
        groups[f"tenant-{new}"] = tenant
    (tmp_path / "inventory" / "groups.yaml").write_text(yaml.safe_dump(groups))
    hosts = (tmp_path / "inventory" / "hosts.yaml").read_text()
    hosts = hosts.replace("tenant-event42", "tenant-ev7").replace("tenant-event43", "tenant-ev70")
    (tmp_path / "inventory" / "hosts.yaml").write_text(hosts)
    for env in ("EVENT42_PSK", "EVENT42_NHRP_KEY", "EVENT43_PSK", "EVENT43_NHRP_KEY"):
        assert env in example_secrets
    intent = load_intent(tmp_path / "config.yaml")
    own = host_ownership(intent, "hub1", "ev7")
    assert own.owner_of(("interface Tunnel7",)) is Owner.OWNED
    assert own.owner_of(("interface Tunnel70",)) is Owner.FOREIGN
    assert own.owner_of(("vrf definition VRF-EV70",)) is Owner.FOREIGN
    running = "\n".join(render_host(intent, "hub1", None).values())
    removed = teardown_remediation(render_host(intent, "hub1", "ev7"), running, own)
    gone = {line.strip() for lines in removed.values() for line in lines}
    assert "no interface Tunnel7" in gone and "no interface Tunnel70" not in gone
    assert not [line for line in gone if "EV70" in line]


def test_recorded_objects_of_a_tenant_stay_foreign_after_it_left_the_inventory() -> None:
    own = ownership_of("ev7", {"ev7": [("interface Tunnel7",)]}, {"old": [("interface Tunnel9",)]})
    assert own.owner_of(("interface Tunnel9", "shutdown")) is Owner.FOREIGN


def test_owned_roots_stop_at_the_first_owned_node() -> None:
    own = Ownership("a", frozenset({("interface Tunnel7",), ("router eigrp R", "af A")}))
    tree = parse("interface Tunnel7\n shutdown\nrouter eigrp R\n af A\n  x\n af B\n  y\n")
    assert own.owned_roots(tree) == [("interface Tunnel7",), ("router eigrp R", "af A")]
