"""Tenant-scoped remediation on text fixtures.

Each ``tests/fixtures/diff/<case>/`` holds ``running.cfg``, ``intended.cfg``, ``expected.cfg``.

``intended.cfg`` and ``expected.cfg`` hold sections as ``!! section <name>`` blocks; ``case.yaml``
names the tenant, the mode (deploy/teardown) and every tenant of the inventory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tasks.ios_config import parse
from tasks.owned_diff import (
    count_lines,
    flat_lines,
    owned_objects,
    owned_remediation,
    teardown_remediation,
)
from tasks.ownership import Owner, Ownership, ownership_of
from tasks.sections import SECTIONS

CASES = Path(__file__).parent / "fixtures" / "diff"


def read_sections(text: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("!! section "):
            current = line.split()[2]
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return {name: body for name, body in sections.items()}


def load_case(name: str) -> tuple[dict, Ownership, dict[str, str], str, dict[str, list[str]]]:
    folder = CASES / name
    meta = yaml.safe_load((folder / "case.yaml").read_text())
    owned = {
        tenant: [tuple(path.split(" >> ")) for path in paths]
        for tenant, paths in meta["owned"].items()
    }
    owner = ownership_of(meta["tenant"], owned)
    intended = read_sections((folder / "intended.cfg").read_text())
    running = (folder / "running.cfg").read_text()
    expected = {
        s: body.splitlines()
        for s, body in read_sections((folder / "expected.cfg").read_text()).items()
    }
    return meta, owner, intended, running, expected


def flat_with_indent(remediation: dict[str, list[str]]) -> list[str]:
    return [line for lines in remediation.values() for line in lines]


def line_paths(lines: list[str]) -> list[tuple[str, ...]]:
    """Each pushed line as its path from the top (exit lines leave a mode, they name nothing)."""
    stack: list[tuple[int, str]] = []
    paths = []
    for line in lines:
        indent, text = len(line) - len(line.lstrip()), line.strip()
        stack = [(i, t) for i, t in stack if i < indent]
        if text == "exit" or text.startswith("exit-"):
            continue
        stack.append((indent, text))
        paths.append(tuple(t for _, t in stack))
    return paths


def compute(meta: dict, owner: Ownership, intended: dict[str, str], running: str):
    if meta["mode"] == "deploy":
        return owned_remediation(intended, running, owner)
    return teardown_remediation(intended, running, owner)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_remediation_matches_expected(case: str) -> None:
    meta, owner, intended, running, expected = load_case(case)
    assert compute(meta, owner, intended, running) == expected


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_never_touches_another_tenant(case: str) -> None:
    meta, owner, intended, running, _ = load_case(case)
    remediation = compute(meta, owner, intended, running)
    for path in line_paths(flat_with_indent(remediation)):
        plain = tuple(p[3:] if p.startswith("no ") else p for p in path)
        assert owner.owner_of(plain) is not Owner.FOREIGN, plain


def test_sections_come_in_push_order_and_teardown_reversed() -> None:
    _, owner, intended, running, _ = load_case("hub_deploy_first")
    deploy = owned_remediation(intended, running, owner)
    assert list(deploy) == [s for s in SECTIONS if s in deploy]
    _, owner, intended, running, _ = load_case("hub_teardown")
    teardown = teardown_remediation(intended, running, owner)
    assert list(teardown) == [s for s in reversed(SECTIONS) if s in teardown]


def test_vrf_forwarding_goes_first_and_ip_is_pushed_again() -> None:
    """IOS removes an interface's IP when it joins a VRF: the address must follow."""
    _, owner, intended, running, _ = load_case("hub_deploy_first")
    assert " ip address 192.0.2.10 255.255.255.0" in running  # already there, in global
    wan = owned_remediation(intended, running, owner)["wan"]
    block = (
        wan[: wan.index("interface GigabitEthernet0/0/1")]
        if "interface GigabitEthernet0/0/1" in wan
        else wan
    )
    assert block[1] == " vrf forwarding VRF-FRONT"
    assert " ip address 192.0.2.10 255.255.255.0" in block[2:]


def test_applying_the_deploy_makes_it_unchanged() -> None:
    """Running config + remediation (merged as IOS would) leaves nothing to push."""
    for case in ("hub_deploy_first", "hub_deploy_second"):
        _, owner, intended, running, _ = load_case(case)
        applied = running + "\n" + "\n".join(intended.values())
        assert owned_remediation(intended, applied, owner) == {}


@pytest.mark.parametrize(
    ("running_wan", "pushed"),
    [
        (" ip address 192.0.2.10 255.255.255.0\n shutdown\n", [" no shutdown"]),
        (" ip address 192.0.2.10 255.255.255.0\n", []),
    ],
    ids=["shut-port-is-opened", "open-port-is-left-alone"],
)
def test_no_shutdown_holds_when_running_config_shows_no_shutdown(
    running_wan: str, pushed: list[str]
) -> None:
    """IOS never prints `no shutdown`: an up port must not be pushed again each run,
    a shut one gets exactly one `no shutdown`."""
    owner = Ownership("event42", frozenset())
    wan = "interface GigabitEthernet0/0/0\n ip address 192.0.2.10 255.255.255.0\n no shutdown\n"
    running = "interface GigabitEthernet0/0/0\n" + running_wan
    remediation = owned_remediation({"wan": wan}, running, owner)
    assert remediation.get("wan", [])[1:] == pushed


def test_rotated_secrets_replace_in_place_and_the_old_value_is_never_sent() -> None:
    """A new PSK / NHRP key overwrites the old one on IOS; a `no ... <old key>` line would
    only carry the old secret over the wire and into the output."""
    owner = Ownership(
        "event42",
        frozenset({("crypto ikev2 keyring IKEv2-KEYRING-EVENT42",), ("interface Tunnel42",)}),
    )
    keyring = "crypto ikev2 keyring IKEv2-KEYRING-EVENT42\n peer SPOKES-EVENT42\n"
    tunnel = "interface Tunnel42\n ip nhrp authentication {}\n tunnel key 42\n"
    running = keyring + "  pre-shared-key old-psk\n" + tunnel.format("oldkey")
    intended = {"ikev2": keyring + "  pre-shared-key new-psk\n", "tunnel": tunnel.format("newkey")}
    lines = flat_lines(owned_remediation(intended, running, owner))
    assert "pre-shared-key new-psk" in lines and "ip nhrp authentication newkey" in lines
    assert not [line for line in lines if "old" in line]


def test_teardown_removes_exactly_the_tenant_objects() -> None:
    _, owner, intended, running, _ = load_case("hub_teardown")
    removed = flat_lines(teardown_remediation(intended, running, owner))
    objects = owned_objects(running, owner)
    assert len(removed) == len(objects) == 8
    assert all(line.startswith("no ") for line in removed)
    # IOS negates a zone-pair by name alone: the negation names the start of the owned line
    assert all(any(p[0].startswith(line[3:]) for p in owner.mine) for line in removed)
    other = Ownership("event43", owner.foreign, owner.mine)
    assert len(owned_objects(running, other)) == 8  # event43's objects are still all there


def test_foreign_subtree_in_a_shared_object_is_left_alone() -> None:
    af = " address-family ipv4 unicast vrf VRF-EVENT{0} autonomous-system {0}"
    router = "router eigrp EIGRP-DMVPN"
    e42 = ownership_of(
        "event42",
        {
            "event42": [(router, af.format(42).strip())],
            "event43": [(router, af.format(43).strip())],
        },
    )
    running = (
        "router eigrp EIGRP-DMVPN\n"
        " address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42\n"
        "  network 172.16.42.0 0.0.0.255\n"
        " exit-address-family\n"
        " address-family ipv4 unicast vrf VRF-EVENT43 autonomous-system 43\n"
        "  network 172.16.43.0 0.0.0.255\n"
        " exit-address-family\n"
    )
    intended = {
        "eigrp": "router eigrp EIGRP-DMVPN\n"
        " address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42\n"
        "  network 172.16.42.0 0.0.0.255\n"
        "  eigrp router-id 172.16.42.1\n"
        " exit-address-family\n"
    }
    result = owned_remediation(intended, running, e42)
    assert result == {
        "eigrp": [
            "router eigrp EIGRP-DMVPN",
            " address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42",
            "  eigrp router-id 172.16.42.1",
            " exit-address-family",
        ]
    }
    teardown = teardown_remediation(intended, running, e42)
    assert teardown == {
        "eigrp": [
            "router eigrp EIGRP-DMVPN",
            " no address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42",
        ]
    }


def test_parse_merges_reopened_objects_and_drops_exit_lines() -> None:
    tree = parse(
        "interface Gi1\n ip address 10.0.0.1 255.0.0.0\ninterface Gi1\n zone-member security X\n"
    )
    assert [c.text for c in tree.get_child(equals="interface Gi1").children] == [
        "ip address 10.0.0.1 255.0.0.0",
        "zone-member security X",
    ]
    tree = parse(
        "router eigrp E\n"
        " address-family ipv4 unicast autonomous-system 1\n"
        "  topology base\n"
        "  exit-af-topology\n"
        " exit-address-family\n"
    )
    assert list(tree.dump_simple()) == [
        "router eigrp E",
        "  address-family ipv4 unicast autonomous-system 1",
        "    topology base",
    ]


def test_count_lines_counts_every_command() -> None:
    assert count_lines({"a": ["x", " y"], "b": ["z"]}) == 3
    assert flat_lines({"a": ["x", " y"]}) == ["x", "y"]
