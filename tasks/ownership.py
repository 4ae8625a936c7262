"""Which running-config objects a tenant owns: by exact identity, never by a name in a line.

A tenant owns exactly what its own intent creates on a host: every node (a top-level object, or
a sub-block or line inside a shared parent) that the host's render *with* the tenant has and
that neither the host's shared base (the render with no tenant) nor any other tenant's render
has. An owned node owns its whole subtree as it stands on the device (inside it the intent is
authoritative); the parents above it stay shared. What earlier deploys recorded in the device's
ownership manifest (``tasks.manifest``) is added, so objects of a tenant that left the inventory
or changed its tunnel number are still known to be someone's.

A node is then, seen from one tenant,

* ``OWNED``: the node or one of its parents is the tenant's;
* ``FOREIGN``: the node or one of its parents is another tenant's: never read, never touched;
* ``NEUTRAL``: shared when the intended config has it (added to or replaced, never pruned),
  config that no intent knows otherwise (reported by drift, never removed).

A host name, user, domain or banner that contains the tenant's name is NEUTRAL: no render
creates it.

>>> mine, theirs = frozenset({("interface Tunnel7",)}), frozenset({("interface Tunnel70",)})
>>> own = Ownership("ev7", mine, theirs)
>>> own.owner_of(("interface Tunnel7", "shutdown")).value
'owned'
>>> own.owner_of(("interface Tunnel70",)).value, own.owner_of(("hostname ev7-a",)).value
('foreign', 'neutral')
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from hier_config import HConfig, HConfigChild

from tasks.intent import Intent
from tasks.ios_config import parse_shared
from tasks.render import render_host

Path = tuple[str, ...]


class Owner(Enum):
    """Who a config node belongs to, seen from one tenant."""

    OWNED = "owned"
    FOREIGN = "foreign"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Ownership:
    """The exact nodes one tenant owns on one host, and those every other tenant owns there."""

    tenant: str
    mine: frozenset[Path]
    foreign: frozenset[Path] = frozenset()

    def owner_of(self, path: Path) -> Owner:
        """Owner of the node at ``path`` (top-level line first): its own or its nearest
        recorded parent's."""
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix in self.mine:
                return Owner.OWNED
            if prefix in self.foreign:
                return Owner.FOREIGN
        return Owner.NEUTRAL

    def owned_roots(self, tree: HConfig) -> list[Path]:
        """Paths of the tenant's nodes in ``tree`` that have no owned parent, in tree order."""
        found: list[Path] = []

        def walk(node: HConfig | HConfigChild, path: Path) -> None:
            for child in node.children:
                here = (*path, child.text)
                kind = self.owner_of(here)
                if kind is Owner.OWNED:
                    found.append(here)
                elif kind is Owner.NEUTRAL:
                    walk(child, here)

        walk(tree, ())
        return found


def node_paths(tree: HConfig) -> set[Path]:
    """Every node of a parsed config as its path from the top."""
    return {tuple(node.path()) for node in tree.all_children()}


def minimal(paths: Iterable[Path]) -> frozenset[Path]:
    """Only the paths with no ancestor among them (an owned node owns its subtree).

    >>> sorted(minimal([("a",), ("a", "b"), ("c", "d")]))
    [('a',), ('c', 'd')]
    """
    ordered = sorted(set(paths), key=len)
    kept: set[Path] = set()
    for path in ordered:
        if not any(path[:depth] in kept for depth in range(1, len(path))):
            kept.add(path)
    return frozenset(kept)


def owned_by_render(
    shared: set[Path], renders: Mapping[str, set[Path]]
) -> dict[str, frozenset[Path]]:
    """Per tenant, the nodes only its render creates (see the module doc).

    ``shared`` holds the nodes of the host's render with no tenant, ``renders`` each tenant's.

    >>> base = {("vrf definition VRF-FRONT",)}
    >>> a = base | {("interface Tunnel7",), ("interface Tunnel7", "no ip redirects")}
    >>> b = base | {("interface Tunnel70",)}
    >>> owned_by_render(base, {"ev7": a, "ev70": b})["ev7"]
    frozenset({('interface Tunnel7',)})
    """
    owned: dict[str, frozenset[Path]] = {}
    for tenant, paths in renders.items():
        others: set[Path] = set()
        for other, theirs in renders.items():
            if other != tenant:
                others |= theirs
        owned[tenant] = minimal(paths - shared - others)
    return owned


def ownership_of(
    tenant: str, owned: Mapping[str, Iterable[Path]], recorded: Mapping[str, Iterable[Path]] = {}
) -> Ownership:
    """Ownership for ``tenant`` from every tenant's owned nodes (by render, and as recorded in
    the device's manifest: a tenant that left the inventory is still everyone's foreigner)."""
    names = set(owned) | set(recorded)
    per_tenant = {n: set(owned.get(n, ())) | set(recorded.get(n, ())) for n in names}
    mine = minimal(per_tenant.get(tenant, set()))
    foreign = minimal(p for n, paths in per_tenant.items() if n != tenant for p in paths)
    return Ownership(tenant, mine, frozenset(foreign - mine))


def rendered_ownership(intent: Intent, host: str) -> dict[str, frozenset[Path]]:
    """Per tenant served by ``host``, the nodes its render creates there (see module doc)."""
    served = intent.hosts[host].tenants if intent.hosts[host].role == "headend" else None
    names = list(served) if served is not None else [intent.hosts[host].tenant]
    shared = rendered_paths(render_host(intent, host, None, shared_only=True))
    renders = {
        name: rendered_paths(render_host(intent, host, name)) for name in names if name is not None
    }
    return owned_by_render(shared, renders)


def host_ownership(
    intent: Intent, host: str, tenant: str | None, recorded: Mapping[str, Iterable[Path]] = {}
) -> Ownership:
    """Ownership on ``host`` for ``tenant`` (None: every tenant of the intent, as drift of a
    whole host sees it), from the intent's renders and what the device's manifest records.
    Recorded tenants the intent no longer has (orphans) are foreign to everyone."""
    owned: dict[str, set[Path]] = {n: set(p) for n, p in rendered_ownership(intent, host).items()}
    for name, paths in recorded.items():
        owned.setdefault(name, set()).update(paths)
    if tenant is not None:
        return ownership_of(tenant, owned)
    known = [p for n, paths in owned.items() if n in intent.tenants for p in paths]
    orphans = [p for n, paths in owned.items() if n not in intent.tenants for p in paths]
    mine = minimal(known)
    return Ownership("*", mine, minimal(orphans) - mine)


def rendered_paths(sections: Mapping[str, str]) -> set[Path]:
    """The node paths of a render: those of its sections together (parsing the whole text
    merges the objects sections reopen, which is the same union). A section's paths are
    computed once per text: spokes of a tenant share most sections word for word."""
    return {path for text in sections.values() for path in section_paths(text)}


@functools.lru_cache(maxsize=2048)
def section_paths(text: str) -> frozenset[Path]:
    return frozenset(node_paths(parse_shared(text)))
