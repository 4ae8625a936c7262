"""Drift: what a running config lacks of the intent, and what it holds that no intent knows.

Pure core (`host_drift`) over hier-config through `tasks.owned_diff`: the owned remediation's
positive lines restore intent (`missing`); config the intent does not hold is `unexpected`.
Inside an object a tenant owns (exact ownership, `tasks.ownership`) the intent is
authoritative, so such a line (a `shutdown` typed on a tenant's tunnel) is also in `removes`
and `restore` takes it away; outside owned objects it is only reported, never removed.
Without a tenant, every tenant's objects are owned, and objects of the kinds this project
manages (`tasks.sections.TOP_LEVEL`) or extra lines inside intended shared objects are also
reported. Objects the device's manifest records for a tenant the inventory no longer has are
`orphans`, named by tenant. `restore` is what `--remediate` pushes through the change pipeline
(`tasks.change`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hier_config import HConfig

from tasks.intent import Intent
from tasks.ios_config import parse_sections, parse_shared
from tasks.owned_diff import Remediation, owned_remediation
from tasks.ownership import Owner, Ownership, Path, host_ownership, rendered_paths
from tasks.render import render_host
from tasks.sections import section_of

EXIT_LINE = re.compile(r"^\s*exit(-[a-z-]+)?\s*$")
# Lines IOS prints in running-config on its own (defaults shown): no intent renders them, and
# they are not drift.
IOS_DEFAULT_LINES = re.compile(
    r"^(negotiation auto|no mop enabled|no mop sysid|duplex auto|speed auto|media-type rj45)$"
)
# Objects a platform ships with: neither the intent's nor a hand change. The ISR 4000's
# management port GigabitEthernet0 lives in VRF Mgmt-intf from the factory:
# https://www.cisco.com/c/en/us/td/docs/routers/access/4400/software/configuration/xe-16-6/isr4400swcfg-xe-16-6-book/configuring_the_management_ethernet_interface.html
PLATFORM_OBJECTS = frozenset({"vrf definition Mgmt-intf"})


@dataclass
class HostDrift:
    """Per host: lines that would restore intent, and device config no intent knows."""

    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    restore: Remediation = field(default_factory=dict, repr=False)
    removes: list[str] = field(default_factory=list)  # not in the intent, inside owned objects
    orphans: dict[str, list[str]] = field(default_factory=dict)  # tenants gone from the intent

    @property
    def drift(self) -> bool:
        return bool(self.missing or self.unexpected or self.removes or self.orphans)


@dataclass
class _Node:
    line: str
    indent: int
    children: list[_Node] = field(default_factory=list)
    exit: str | None = None


def _tree(lines: Iterable[str]) -> _Node:
    """Indented IOS lines as a tree; an `exit…` line closes the sibling opened before it."""
    root = _Node("", -1)
    stack = [root]
    for line in lines:
        indent = len(line) - len(line.lstrip())
        while stack[-1].indent >= indent:
            stack.pop()
        parent = stack[-1]
        if EXIT_LINE.match(line) and parent.children and parent.children[-1].indent == indent:
            parent.children[-1].exit = line
            continue
        node = _Node(line, indent)
        parent.children.append(node)
        stack.append(node)
    return root


def split_remediation(
    remediation: Remediation, intended: set[tuple[str, ...]], owner: Ownership
) -> tuple[Remediation, list[tuple[str, ...]], list[tuple[str, ...]], list[str]]:
    """(lines that restore intent, paths the negations would remove, those of them inside
    owned objects, the restoring lines that add or change rather than remove).

    A `no …` line the intent itself holds (`no ip redirects`) restores intent. Any other
    negation is config the intent does not know: inside an object a tenant owns the intent is
    authoritative, so it stays in the restoring lines (and is reported); outside, drift only
    reports it and never removes it.
    """
    negated: list[tuple[str, ...]] = []
    removed: list[tuple[str, ...]] = []

    def keep(node: _Node, path: tuple[str, ...], owned_negations: bool) -> list[str]:
        text = node.line.strip()
        here = (*path, text)
        if text.startswith("no ") and here not in intended:
            gone = (*path, text[3:])
            if owned_negations:  # the first pass records, the second only filters
                negated.append(gone)
                if owner.owner_of(gone) is Owner.OWNED:
                    removed.append(gone)
            if not owned_negations or owner.owner_of(gone) is not Owner.OWNED:
                return []
        kept = [line for child in node.children for line in keep(child, here, owned_negations)]
        if node.children and not kept:
            return []
        return [node.line, *kept, *([node.exit] if node.exit else [])]

    restore: Remediation = {}
    adds: list[str] = []
    for section, lines in remediation.items():
        tree = _tree(lines)
        kept = [line for child in tree.children for line in keep(child, (), True)]
        if kept:
            restore[section] = kept
        adds += [line for child in tree.children for line in keep(child, (), False)]
    return restore, negated, removed, adds


def _as_lines(paths: Iterable[tuple[str, ...]]) -> list[str]:
    """Paths as indented config, each parent printed once."""
    lines: list[str] = []
    printed: list[str] = []
    for path in paths:
        common = 0
        while common < min(len(printed), len(path)) and printed[common] == path[common]:
            common += 1
        lines += [" " * depth + text for depth, text in enumerate(path) if depth >= common]
        printed = list(path)
    return lines


def unknown_config(running: HConfig, want: HConfig, owner: Ownership) -> list[tuple[str, ...]]:
    """Config on the device no intent knows, outside owned objects (those come from the
    remediation): extra lines in intended shared objects, and whole objects of a managed
    kind (`section_of`) the intent does not have. Plain interfaces the intent does not
    mention (unused ports) are not reported."""
    found: list[tuple[str, ...]] = []
    for top in running.difference(want).children:
        if owner.owner_of((top.text,)) is not Owner.NEUTRAL or top.text in PLATFORM_OBJECTS:
            continue
        if want.children.get(top.text) is not None:
            found += [
                tuple(n.path())
                for n in top.all_children()
                if not n.children
                and not IOS_DEFAULT_LINES.match(n.text)
                and owner.owner_of(tuple(n.path())) is Owner.NEUTRAL
            ]
            continue
        kind = section_of(top.text)
        plain_interface = top.text.startswith("interface ") and kind == "wan"
        if kind is not None and not plain_interface:
            found.append((top.text,))
    return found


def replaced_in_place(running: HConfig, want: HConfig) -> list[tuple[str, ...]]:
    """Running lines that an intended line overwrites (a changed tunnel key, PSK, address):
    the remediation sends only the new value, yet the old one is config no intent knows."""
    found: list[tuple[str, ...]] = []
    for node in want.all_children():
        if node.children:
            continue
        parent: HConfig | Any = running
        for text in tuple(node.path())[:-1]:
            parent = parent.children.get(text)
            if parent is None:
                break
        if parent is None or parent.children.get(node.text) is not None:
            continue
        old = running.driver.idempotent_for(node, parent.children)
        if old is not None:
            found.append(tuple(old.path()))
    return found


def _grouped(paths: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Paths with those of one top-level object together (in first-seen order)."""
    first: dict[str, int] = {}
    for path in paths:
        first.setdefault(path[0], len(first))
    return sorted(dict.fromkeys(paths), key=lambda path: first[path[0]])


def host_drift(
    intent: Intent,
    host: str,
    running: str,
    tenant: str | None = None,
    recorded: Mapping[str, Iterable[Path]] | None = None,
) -> HostDrift:
    """Drift of one host: against `tenant`'s objects only, or (None) every tenant it serves.

    ``recorded`` is what the device's ownership manifest says each tenant owns: objects of a
    tenant the inventory no longer has are reported as an orphan's, never as plain unknowns.
    """
    intended = render_host(intent, host, tenant)
    owner = host_ownership(intent, host, tenant, recorded or {})
    remediation = owned_remediation(intended, running, owner)
    want = parse_sections(intended.values())
    intended_paths = rendered_paths(intended)  # the paths of `want`, kept per section
    restore, negated, removed, adds = split_remediation(remediation, intended_paths, owner)
    current = parse_shared(running)
    negated += replaced_in_place(current, want)
    if tenant is None:
        negated += unknown_config(current, want, owner)
    missing = [line for line in adds if not EXIT_LINE.match(line)]
    orphans = {
        name: _as_lines(owner_paths)
        for name, paths in (recorded or {}).items()
        if name not in intent.tenants
        if (owner_paths := [p for p in map(tuple, paths) if _present(current, p)])
    }
    return HostDrift(
        missing=missing,
        unexpected=_as_lines(_grouped([p for p in negated if p not in set(removed)])),
        restore=restore,
        removes=_as_lines(removed),
        orphans=orphans,
    )


def _present(tree: HConfig, path: tuple[str, ...]) -> bool:
    node: Any = tree
    for text in path:
        node = node.children.get(text)
        if node is None:
            return False
    return True


def drift_hosts(intent: Intent, tenant: str | None) -> list[str]:
    """The hosts a drift run reads: the tenant's, or every host of the inventory."""
    return intent.hosts_for(tenant) if tenant else list(intent.hosts)


def any_drift(hosts: Mapping[str, HostDrift]) -> bool:
    return any(d.drift for d in hosts.values())
