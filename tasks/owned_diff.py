"""Tenant-scoped remediation: the lines that take a device from running to intended config.

Pure: text in, lines out. hier-config computes the remediation; this module only decides
what it may look at (``tasks.ownership``) and in which order the lines go to the device:

* the running config is first cut down to what the tenant may touch: its own objects in
  full, shared objects only where the intended config has them (so shared objects are
  added to or replaced, never pruned), nothing of other tenants, nothing no intent knows;
* the remediation is split into the push sections (``tasks.sections``) and fixed for IOS
  side effects (``REAPPLY_AFTER`` below);
* teardown negates the tenant's own objects in reverse push order.

Results are ``dict[section, list[line]]`` in push order, lines indented IOS-style, with
the explicit exits (``exit-af-interface`` ...) IOS needs to leave nested modes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from hier_config import HConfig, HConfigChild

from tasks.ios_config import NESTED_EXITS, ios_driver, parse_shared
from tasks.ownership import Owner, Ownership
from tasks.sections import SECTIONS, section_of

Remediation = dict[str, list[str]]

# IOS side effects as data: when an interface gets the first line, IOS silently removes
# the config matching the prefixes, so every intended line of that interface matching
# them must be pushed again after it (the seed: "don't forget to re-add it!").
REAPPLY_AFTER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vrf forwarding ", ("ip address ", "ipv6 address ", "zone-member security ")),
)

# Commands whose negation IOS never prints: an interface that is up shows neither `shutdown`
# nor `no shutdown`, so an intended `no shutdown` holds exactly when the running config
# lacks `shutdown`.
SILENT_NEGATIONS: tuple[str, ...] = ("shutdown",)


def _scope_running(
    run: HConfig | HConfigChild,
    want: HConfig | HConfigChild | None,
    out: HConfig | HConfigChild,
    owner: Ownership,
    path: tuple[str, ...] = (),
) -> None:
    """Copy into ``out`` the part of ``run`` this tenant may change (see module doc)."""
    for child in run.children:
        here = (*path, child.text)
        kind = owner.owner_of(here)
        if kind is Owner.FOREIGN:
            continue
        if kind is Owner.OWNED:
            out.add_deep_copy_of(child)
            continue
        wanted = want.children.get(child.text) if want is not None else None
        if wanted is None:
            continue
        copy = out.add_child(child.text, return_if_present=True)
        _scope_running(child, wanted, copy, owner, here)


def _scope_intended(
    want: HConfig | HConfigChild,
    out: HConfig | HConfigChild,
    owner: Ownership,
    path: tuple[str, ...] = (),
) -> None:
    """Copy ``want`` without any other tenant's nodes (a render should have none)."""
    for child in want.children:
        here = (*path, child.text)
        if owner.owner_of(here) is Owner.FOREIGN:
            continue
        copy = out.add_child(child.text, return_if_present=True)
        _scope_intended(child, copy, owner, here)


def _section_index(intended: Mapping[str, str]) -> dict[tuple[str, ...], str]:
    """Map every intended line (as its path from the top) to the section rendering it."""
    index: dict[tuple[str, ...], str] = {}
    for section, text in intended.items():
        for node in parse_shared(text).all_children():
            index.setdefault(tuple(node.path()), section)
    return index


def _strip_no(text: str) -> str:
    return text[3:] if text.startswith("no ") else text


def _section_for(path: Sequence[str], index: Mapping[tuple[str, ...], str]) -> str:
    """The section of a remediation line: the deepest intended ancestor's, else by name."""
    plain = [_strip_no(p) for p in path]
    for depth in range(len(plain), 0, -1):
        hit = index.get(tuple(plain[:depth]))
        if hit is not None:
            return hit
    child = plain[1] if len(plain) > 1 else None
    return section_of(plain[0], child) or SECTIONS[-1]


def _settle_silent_negations(
    want: HConfig | HConfigChild,
    run: HConfig | HConfigChild,
    out: HConfig | HConfigChild | None,
    owner: Ownership,
    path: tuple[str, ...] = (),
) -> None:
    """Make ``out`` (the scoped copy of ``run``) show an intended ``no X`` of
    ``SILENT_NEGATIONS`` the way IOS means it: present when ``run`` lacks ``X``; when ``X`` is
    there, without it, so only ``no X`` is pushed. ``run`` is only read."""
    for wanted in want.children:
        here = (*path, wanted.text)
        have = run.children.get(wanted.text)
        if have is not None:
            inner = out.children.get(wanted.text) if out is not None else None
            _settle_silent_negations(wanted, have, inner, owner, here)
            continue
        positive = _strip_no(wanted.text)
        if not isinstance(run, HConfigChild) or positive not in SILENT_NEGATIONS:
            continue
        if positive == wanted.text or out is None:
            continue
        if run.children.get(positive) is not None:  # `shutdown` there: it goes
            blocker = out.children.get(positive)
            if blocker is not None:
                blocker.delete()
        elif owner.owner_of(here) is not Owner.FOREIGN:
            out.add_child(wanted.text)


def _reapply_after(delta: HConfig, want: HConfig) -> None:
    """Apply ``REAPPLY_AFTER``: re-send what IOS drops, trigger line first."""
    for node in delta.children:
        wanted = want.children.get(node.text)
        if wanted is None:
            continue
        for trigger, prefixes in REAPPLY_AFTER:
            first = [c for c in node.children if c.text.startswith(trigger)]
            if not first:
                continue
            rest = [c for c in node.children if not c.text.startswith(trigger)]
            have = {c.text for c in rest}
            extra = [
                c for c in wanted.children if c.text.startswith(prefixes) and c.text not in have
            ]
            for c in list(node.children):
                c.delete()
            for c in [*first, *rest, *extra]:
                node.add_deep_copy_of(c)


def _nested_exit(node: HConfigChild) -> str | None:
    """The exit IOS needs after ``node`` (a nested mode), or None when no mode was entered."""
    path = list(node.path())
    for rule, text in NESTED_EXITS:
        if len(rule) == len(path) and all(p.startswith(r) for p, r in zip(path, rule, strict=True)):
            return text
    if len(path) > 1 and node.children:
        return "exit"
    return None


def _emit(node: HConfigChild) -> Iterator[str]:
    """IOS lines for one subtree; nested modes are left explicitly (top level needs none)."""
    indent = " " * (node.depth() - 1)
    yield indent + node.text
    for child in node.children:
        yield from _emit(child)
    if exit_text := _nested_exit(node):
        yield indent + exit_text


def _leaves(node: HConfig | HConfigChild, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every leaf under ``node``, in the tree's order."""
    for child in node.children:
        here = (*path, child.text)
        if child.children:
            yield from _leaves(child, here)
        else:
            yield here


def _render_order(intended: Mapping[str, str]) -> dict[str, dict[str, int]]:
    """Per section, the position of each top-level object in the rendered text."""
    return {
        section: {top.text: i for i, top in enumerate(parse_shared(text).children)}
        for section, text in intended.items()
    }


def _split(delta: HConfig, intended: Mapping[str, str], order: Sequence[str]) -> Remediation:
    """Split a remediation tree into sections; within a section objects keep the render's
    order (zones before the interfaces that join them), lines keep the tree's order."""
    index = _section_index(intended)
    positions = _render_order(intended)
    trees = {section: HConfig(delta.driver) for section in order}
    for path in _leaves(delta):  # each leaf goes to its section's tree, parents with it
        node: HConfig | HConfigChild | None = trees.get(_section_for(path, index))
        for text in path if node is not None else ():
            node = node.children.get(text) or node.add_child(text)  # type: ignore[union-attr]
    result: Remediation = {}
    for section in order:
        tree = trees[section]
        rank = positions.get(section, {})
        tops = sorted(tree.children, key=lambda t: rank.get(_strip_no(t.text), len(rank)))
        if tops:
            result[section] = [line for top in tops for line in _emit(top)]
    return result


def owned_remediation(
    intended: Mapping[str, str],
    running: str,
    owner: Ownership,
    order: Sequence[str] = SECTIONS,
) -> Remediation:
    """Lines to push, per section in push order, to bring the tenant's part of ``running``
    to ``intended`` (section -> IOS text, as rendered for this host and tenant).

    Empty when the device already holds the intent.
    """
    want = HConfig(ios_driver())
    for text in intended.values():  # sections may reopen an object (zone-member on the WAN)
        _scope_intended(parse_shared(text), want, owner)
    scoped = HConfig(want.driver)
    current = parse_shared(running)  # read only: what changes is the scoped copy
    _scope_running(current, want, scoped, owner)
    _settle_silent_negations(want, current, scoped, owner)
    delta = scoped.config_to_get_to(want)
    _reapply_after(delta, want)
    return _split(delta, intended, order)


def owned_objects(running: str, owner: Ownership) -> list[list[str]]:
    """Paths (top line first) of every node of the tenant in ``running`` with no owned parent.

    An owned line nested in a shared object (an address-family of a shared router) is
    returned with its parents; nothing below an owned node is returned separately.
    """
    return [list(path) for path in owner.owned_roots(parse_shared(running))]


def teardown_remediation(
    intended: Mapping[str, str],
    running: str,
    owner: Ownership,
    order: Sequence[str] = SECTIONS,
) -> Remediation:
    """Lines removing every object of the tenant from ``running``, sections in REVERSE
    push order and objects within a section in reverse render order (a tunnel goes
    before the IPsec profile it names, a profile before its keyring, ...).

    ``intended`` is the tenant's render for this host; it only orders the removals.
    Empty when the device holds nothing of the tenant.
    """
    index = _section_index(intended)
    rank = {path: i for i, path in enumerate(index)}
    objects = owned_objects(running, owner)

    def key(path: list[str]) -> tuple[int, int]:
        section = _section_for(path, index)
        position = order.index(section) if section in order else len(order)
        return position, rank.get(tuple(path), len(rank))

    driver = ios_driver()
    result: Remediation = {}
    for path in sorted(objects, key=key, reverse=True):
        section = _section_for(path, index)
        tree = HConfig(driver)
        leaf = tree.add_children_deep(path)
        leaf.negate()
        result.setdefault(section, []).extend(line for top in tree.children for line in _emit(top))
    return result


def count_lines(remediation: Mapping[str, Sequence[str]]) -> int:
    """Number of lines a remediation sends (exits included: each is a command)."""
    return sum(len(lines) for lines in remediation.values())


def flat_lines(remediation: Mapping[str, Sequence[str]]) -> list[str]:
    """All lines of a remediation in order, stripped of indentation (as sent)."""
    return [line.strip() for lines in remediation.values() for line in lines]


def touched_objects(remediation: Mapping[str, Sequence[str]]) -> set[str]:
    """The top-level objects a remediation opens, adds or removes (as running-config shows
    them, without ``no``)."""
    return {
        _strip_no(line.strip())
        for lines in remediation.values()
        for line in lines
        if line and not line[0].isspace()
    }


def _blocks(config: str, keep: Callable[[str], bool]) -> dict[str, str]:
    """Normalised text of each top-level object of ``config`` that ``keep`` accepts."""
    return {
        top.text: "\n".join([top.text, *(c.cisco_style_text() for c in top.all_children())])
        for top in parse_shared(config).children
        if keep(top.text)
    }


def others_changed(backup: str, current: str, remediation: Mapping[str, Sequence[str]]) -> bool:
    """True when ``current`` differs from ``backup`` outside the objects the remediation
    touched: someone else changed the device, so replacing it with the backup would undo
    their work."""
    touched = touched_objects(remediation)

    def outside(text: str) -> bool:
        return text not in touched

    return _blocks(backup, outside) != _blocks(current, outside)


def undo_remediation(
    backup: str, current: str, remediation: Mapping[str, Sequence[str]]
) -> Remediation:
    """Lines that bring the objects a remediation touched back to how ``backup`` had them,
    leaving everything else as it stands: objects to remove first (reverse push order), then
    what to restore (push order)."""
    touched = touched_objects(remediation)
    driver = ios_driver()
    before, now = HConfig(driver), HConfig(driver)
    for tree, text in ((before, backup), (now, current)):
        for top in parse_shared(text).children:
            if top.text in touched:
                tree.add_deep_copy_of(top)
    delta = now.config_to_get_to(before)

    def rank(top: HConfigChild) -> int:
        return SECTIONS.index(section_of(top.text) or SECTIONS[-1])

    removals = sorted(
        (t for t in delta.children if t.text.startswith("no ")), key=rank, reverse=True
    )
    restores = sorted((t for t in delta.children if not t.text.startswith("no ")), key=rank)
    lines = [line for top in [*removals, *restores] for line in _emit(top)]
    return {"undo": lines} if lines else {}
