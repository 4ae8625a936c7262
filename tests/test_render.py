"""Rendered IOS: golden files, and properties that hold for the example inventory."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from hier_config import Platform, get_hconfig

import tasks.addressing
import tasks.backup
import tasks.inventory
import tasks.lease
import tasks.manifest
import tasks.ownership
import tasks.secrets
import tasks.sections
from runbooks import render as render_runbook
from runbooks.common import init_nornir
from tasks.intent import Intent, IntentError, load_intent
from tasks.render import intended_config, render_config, render_host
from tasks.sections import SECTIONS, section_of

GOLDEN = Path(__file__).parent / "golden"

# (kind, definition pattern, reference patterns): each name referenced must be defined first.
OBJECTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "vrf",
        r"^vrf definition (\S+)",
        (
            r"vrf forwarding (\S+)",
            r"^ip route vrf (\S+)",
            r"tunnel vrf (\S+)",
            r"match fvrf (\S+)",
            r"^ ivrf (\S+)",
            r"unicast vrf (\S+)",
        ),
    ),
    (
        "zone",
        r"^zone security (\S+)",
        (r"zone-member security (\S+)", r"source (\S+) destination (\S+)"),
    ),
    ("class-map", r"^class-map type inspect match-\S+ (\S+)", (r"class type inspect (\S+)",)),
    ("policy-map", r"^policy-map type inspect (\S+)", (r"service-policy type inspect (\S+)",)),
    ("acl", r"^ip access-list extended (\S+)", (r"match access-group name (\S+)",)),
    ("keyring", r"^crypto ikev2 keyring (\S+)", (r"keyring local (\S+)",)),
    ("ikev2-profile", r"^crypto ikev2 profile (\S+)", (r"set ikev2-profile (\S+)",)),
    ("ipsec-profile", r"^crypto ipsec profile (\S+)", (r"tunnel protection ipsec profile (\S+)",)),
    ("transform-set", r"^crypto ipsec transform-set (\S+)", (r"set transform-set (\S+)",)),
    ("interface", r"^interface (\S+)", (r"tunnel source (\S+)", r"af-interface (?!default)(\S+)")),
)
BUILTIN = {"zone": {"self"}}


@pytest.fixture
def intent(example_config: Path, example_secrets: dict[str, str]) -> Intent:
    return load_intent(example_config)


def renders(intent: Intent) -> list[tuple[str, str | None, dict[str, str]]]:
    """Every host, rendered for each of its tenants and for all of them."""
    out = []
    for name, host in intent.hosts.items():
        for tenant in [None, *(host.tenants or [host.tenant])]:
            out.append((name, tenant, render_host(intent, name, tenant)))
    return out


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """Top-level lines with their children (`!` separators dropped)."""
    result: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.strip() == "!":
            continue
        if line.startswith(" "):
            result[-1][1].append(line)
        else:
            result.append((line, []))
    return result


# ------------------------------------------------------------------ golden files


@pytest.mark.parametrize(
    ("golden", "args"),
    [
        ("hub1-event42.cfg", ["--tenant", "event42", "--host", "hub1"]),
        ("hub1-all.cfg", ["--host", "hub1"]),
        ("e42-spoke1.cfg", ["--tenant", "event42", "--host", "e42-spoke1"]),
        ("e43-spoke1.cfg", ["--tenant", "event43", "--host", "e43-spoke1"]),
    ],
)
def test_golden(
    golden: str,
    args: list[str],
    example_secrets: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert render_runbook.main(args) == 0
    assert capsys.readouterr().out == (GOLDEN / golden).read_text()


# ------------------------------------------------------------------ properties


def test_sections_in_push_order(intent: Intent) -> None:
    for _host, _tenant, sections in renders(intent):
        assert tuple(sections) == SECTIONS


def test_section_of_agrees_with_the_templates(intent: Intent) -> None:
    for host, tenant, sections in renders(intent):
        for section, text in sections.items():
            for top, children in blocks(text):
                where = {section_of(top, c) for c in children} if children else {section_of(top)}
                assert where == {section}, (host, tenant, top)


def test_references_defined_in_same_or_earlier_section(intent: Intent) -> None:
    for host, tenant, sections in renders(intent):
        defined: dict[str, set[str]] = {kind: set(BUILTIN.get(kind, ())) for kind, _, _ in OBJECTS}
        for section, text in sections.items():
            for kind, definition, _ in OBJECTS:
                defined[kind] |= set(re.findall(definition, text, re.M))
            for kind, _, references in OBJECTS:
                for pattern in references:
                    for found in re.findall(pattern, text, re.M):
                        for name in found if isinstance(found, tuple) else (found,):
                            assert name in defined[kind], (host, tenant, section, kind, name)


def test_lines_are_running_config_form(intent: Intent) -> None:
    for host, _tenant, sections in renders(intent):
        for line in "".join(sections.values()).splitlines():
            assert line.strip(), f"{host}: blank line"
            assert "!" not in line or line.strip() == "!", f"{host}: inline comment {line!r}"
            assert line == line.rstrip() and "\t" not in line and "  " not in line.strip()


def test_physical_interfaces_are_brought_up(intent: Intent) -> None:
    """A factory ISR leaves its ports shut: every WAN/LAN/MGMT block says `no shutdown`."""
    for host, _tenant, sections in renders(intent):
        for top, body in blocks(intended_config(sections)):
            if top.startswith("interface GigabitEthernet"):
                assert " no shutdown" in body, (host, top)


def test_each_tenant_owns_distinct_complete_objects(intent: Intent) -> None:
    tops = [top for top, _ in blocks(intended_config(render_host(intent, "hub1", None)))]
    owned: dict[str, set[str]] = {}
    for tenant in intent.tenants.values():
        expected = {
            f"vrf definition {tenant.vrf}",
            f"interface Tunnel{tenant.tunnel}",
            f"zone security {tenant.zone}",
            f"crypto ikev2 keyring {tenant.keyring}",
            f"crypto ikev2 profile {tenant.ikev2_profile}",
            f"router eigrp {tenant.eigrp_name}",
        }  # the IPsec profile is the headend's, shared by every tenant tunnel (docs/ios-rules.md)
        assert all(tops.count(line) == 1 for line in expected), tenant.name
        owned[tenant.name] = expected
    assert not set.intersection(*owned.values())


def test_tenant_render_is_shared_plus_own(intent: Intent) -> None:
    everything = {
        (t, tuple(c)) for t, c in blocks(intended_config(render_host(intent, "hub1", None)))
    }
    per_tenant = {}
    for name in intent.tenants:
        text = intended_config(render_host(intent, "hub1", name))
        others = [t.tag for t in intent.tenants.values() if t.name != name]
        assert not any(tag in text for tag in others), f"{name} render names another tenant"
        per_tenant[name] = {(t, tuple(c)) for t, c in blocks(text)}
    shared = set.intersection(*per_tenant.values())
    assert shared and all(
        not any(t.tag in top for t in intent.tenants.values()) for top, _ in shared
    )
    # shared objects are byte-identical whichever tenant is rendered, and nothing else is missing
    assert set.union(*per_tenant.values()) == everything


def test_intended_config_loads_in_hier_config(intent: Intent) -> None:
    for host, tenant, sections in renders(intent):
        config = get_hconfig(Platform.CISCO_IOS, intended_config(sections))
        wan = config.get_child(equals=f"interface {intent.hosts[host].wan.interface}")
        assert wan is not None and wan.get_child(startswith="zone-member security OUTSIDE"), (
            host,
            tenant,
        )


def test_masked_output_holds_no_secret(
    example_secrets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert render_runbook.main([]) == 0
    out = capsys.readouterr().out
    assert "<masked>" in out
    assert not [v for v in example_secrets.values() if v in out]


def test_secrets_shown_only_on_request(
    example_secrets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert render_runbook.main(["--tenant", "event42", "--show-secrets"]) == 0
    out = capsys.readouterr().out
    assert out.count("pre-shared-key test-psk-event42\n") == 1 + 2 * 3  # hub peer + 2 per spoke
    assert out.count("ip nhrp authentication tnhrp42\n") == 4


def test_render_runbook_prints_the_tenants_hosts(
    example_secrets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert render_runbook.main(["--tenant", "event42"]) == 0
    out = capsys.readouterr().out
    hosts = re.findall(r"^! host: (\S+)", out, re.M)
    assert hosts == ["hub1", "e42-spoke1", "e42-spoke2", "e42-spoke3"]
    assert re.findall(r"^! section: (\S+)", out, re.M) == list(SECTIONS) * 4
    assert "EVENT43" not in out and "Tunnel43" not in out


def test_render_runbook_writes_files(
    example_secrets: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert render_runbook.main(["--tenant", "event43", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["e43-spoke1.cfg", "e43-spoke2.cfg", "hub1.cfg"]
    assert (tmp_path / "e43-spoke1.cfg").read_text() == (GOLDEN / "e43-spoke1.cfg").read_text()


def test_render_refuses_what_a_host_does_not_serve(intent: Intent) -> None:
    with pytest.raises(IntentError, match="belongs to tenant 'event42'"):
        render_host(intent, "e42-spoke1", "event43")
    with pytest.raises(IntentError, match="unknown tenant"):
        render_host(intent, "hub1", "event99")
    with pytest.raises(IntentError, match="unknown host"):
        render_host(intent, "hub9", None)


def test_unknown_host_option_exits_2(
    example_secrets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert render_runbook.main(["--tenant", "event42", "--host", "e43-spoke1"]) == 2
    assert (
        capsys.readouterr().err
        == "command line: --host: host: 'e43-spoke1' is not a host of tenant event42\n"
    )


def test_nornir_task_renders_the_same_text(intent: Intent, example_config: Path) -> None:
    nr = init_nornir(example_config)
    for tenant in (None, "event43"):
        selected = nr.filter(
            filter_func=lambda h, t=tenant: t is None or h.name in intent.hosts_for(t)
        )
        results = selected.run(task=render_config, intent=intent, tenant=tenant)
        assert not results.failed
        assert set(results) == set(intent.hosts_for(tenant) if tenant else intent.hosts)
        for host, multi in results.items():
            assert multi[0].result == render_host(intent, host, tenant)


@pytest.mark.parametrize(
    "module",
    [
        tasks.addressing,
        tasks.inventory,
        tasks.sections,
        tasks.secrets,
        tasks.ownership,
        tasks.manifest,
        tasks.lease,
        tasks.backup,
    ],
)
def test_doctests(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried and not failures
