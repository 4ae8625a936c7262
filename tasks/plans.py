"""What each kind of change sends to a host: the pure planners the change pipeline calls with a
host's running config and the claims of its ownership manifest (``tasks.host_plan.Planner``).

Everything here is rendered or computed before a device is touched, except what needs the
device's own state (its running config and manifest), which the pipeline hands in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from tasks.drift import host_drift
from tasks.host_plan import HostPlan, Planner, stamp
from tasks.intent import Intent, IntentError, Problem
from tasks.management_path import check_management_path
from tasks.manifest import Claim, recorded_paths
from tasks.migration import (
    MANAGEMENT_ACLS,
    Impact,
    management_render,
    shared_impact,
    tenant_moves,
    without_pruned,
)
from tasks.owned_diff import Remediation, owned_remediation, teardown_remediation
from tasks.ownership import Ownership, host_ownership, rendered_ownership
from tasks.render import render_baseline, render_host
from tasks.sealed_keys import (
    KeyPath,
    SealedKey,
    judge,
    key_lines,
    master_key_needed,
    pushed_keys,
    records_of,
    seal,
    unseal,
    without_master_key,
)


def _text(sections: Mapping[str, str]) -> str:
    return "\n".join(sections.values())


def key_owners(intent: Intent, host: str) -> dict[KeyPath, str]:
    """Which tenant each keyring key place of ``host``'s render belongs to."""
    spec = intent.hosts[host]
    names = spec.tenants if spec.role == "headend" else [spec.tenant] if spec.tenant else []
    return {
        path: name for name in names for path in key_lines(_text(render_host(intent, host, name)))
    }


def judged_running(
    intent: Intent, host: str, running: str, claims: Mapping[str, Claim], tenant: str | None
) -> tuple[str, set[KeyPath]]:
    """``running`` as the owned diff and drift should read it: type-6 keys the manifest vouches
    for shown as the intended lines (``tasks.sealed_keys``); and the places holding the intent."""
    intended = _text(render_host(intent, host, tenant))
    master = intent.hosts[host].master_key
    holds = judge(running, intended, records_of(claims), master, host)
    return unseal(running, intended, holds), holds


def _with_keys(
    claims: Mapping[str, Claim],
    owners: Mapping[KeyPath, str],
    records: Mapping[KeyPath, SealedKey],
) -> dict[str, Claim]:
    """``claims`` with each tenant's key records replaced by ``records`` at its places (and
    its recorded keys elsewhere kept)."""
    updated = dict(claims)
    for tenant, claim in claims.items():
        mine = {p for p, t in owners.items() if t == tenant}
        kept = {k for k in claim.keys if k.path not in mine or k.path not in records}
        new = {k for p, k in records.items() if p in mine}
        keys = frozenset(kept | new)
        if keys != claim.keys:
            updated[tenant] = replace(claim, keys=keys)
    return updated


def _sealing(
    intent: Intent,
    host: str,
    claims: Mapping[str, Claim],
    trusted: set[KeyPath],
    tenant: str | None = None,
) -> Callable[[str], dict[str, Claim]]:
    """After a change: ``claims`` with the type-6 keys at the ``trusted`` places recorded as
    the device shows them now."""
    intended = _text(render_host(intent, host, tenant))
    owners = key_owners(intent, host)
    master = intent.hosts[host].master_key

    def after(running: str) -> dict[str, Claim]:
        records = {k.path: k for k in seal(running, intended, trusted, master, host)}
        return _with_keys(claims, owners, records)

    return after


def _trusted_after(remediation: Remediation, intended: str, holds: set[KeyPath]) -> set[KeyPath]:
    """Places that hold the intended key once ``remediation`` succeeded: all the intent's
    when it pushes keys (the owned diff sends every key that differs), else those held."""
    return set(key_lines(intended)) if pushed_keys(remediation) else set(holds)


def deploy_planner(intent: Intent, tenant: str, hosts: Sequence[str]) -> Planner:
    """Deploy ``tenant``: its render made true on each host, within what it owns (by render
    and by the manifest); the manifest then records exactly what its render owns."""
    rendered = {h: render_host(intent, h, tenant) for h in hosts}
    owns = {h: rendered_ownership(intent, h).get(tenant, frozenset()) for h in hosts}
    secrets = intent.secret_values()
    for host, paths in owns.items():  # the manifest is readable on flash: never a secret in it
        if any(value in part for path in paths for part in path for value in secrets):
            message = "an object this tenant owns would carry a secret into the manifest on flash"
            raise IntentError([Problem("render", host, tenant, message)])

    def plan(host: str, running: str, claims: dict[str, Claim]) -> HostPlan:
        owner = host_ownership(intent, host, tenant, recorded_paths(claims))
        view, holds = judged_running(intent, host, running, claims, tenant)
        remediation = owned_remediation(rendered[host], view, owner)
        new = stamp(claims, tenant, owns[host])
        if tenant in new and tenant not in claims:  # first deploy: no keys recorded yet
            new[tenant] = replace(new[tenant], keys=frozenset())
        elif tenant in new:
            new[tenant] = replace(new[tenant], keys=claims[tenant].keys)
        trusted = _trusted_after(remediation, _text(rendered[host]), holds)
        after = _sealing(intent, host, new, trusted, tenant)
        new = after(running)  # keys held as recorded keep their records
        sealing = after if pushed_keys(remediation) else None
        return HostPlan(running, remediation, claims, new, sealing)

    return plan


def teardown_planner(intent: Intent, tenant: str, hosts: Sequence[str]) -> Planner:
    """Remove everything ``tenant`` owns on each host (by render when the inventory still has
    it, and by the manifest either way), then drop it from the manifest."""
    known = tenant in intent.tenants
    rendered = {h: render_host(intent, h, tenant) if known else {} for h in hosts}

    def plan(host: str, running: str, claims: dict[str, Claim]) -> HostPlan:
        recorded = recorded_paths(claims)
        owner = host_ownership(intent, host, tenant, recorded)
        remediation = teardown_remediation(rendered[host], running, owner)
        return HostPlan(running, remediation, claims, stamp(claims, tenant, frozenset()))

    return plan


def remediate_planner(intent: Intent, tenant: str | None) -> Planner:
    """``drift --remediate``: the lines that restore intent, including the removal of config the
    intent does not have inside objects a tenant owns. The manifest is left as it is."""

    def plan(host: str, running: str, claims: dict[str, Claim]) -> HostPlan:
        view, holds = judged_running(intent, host, running, claims, tenant)
        drift = host_drift(intent, host, view, tenant, recorded_paths(claims))
        if not pushed_keys(drift.restore):
            return HostPlan(running, drift.restore, claims, None)
        trusted = _trusted_after(drift.restore, _text(render_host(intent, host, tenant)), holds)
        sealing = _sealing(intent, host, claims, trusted, tenant)
        return HostPlan(running, drift.restore, claims, dict(claims), sealing)

    return plan


def teardown_hosts(intent: Intent, tenant: str) -> list[str]:
    """The hosts a teardown visits: the tenant's, or — for a tenant the inventory no longer
    has — every host, whose manifests say what it still owns there."""
    if tenant in intent.tenants:
        return intent.hosts_for(tenant)
    headends = [h for h, spec in intent.hosts.items() if spec.role == "headend"]
    return [*headends, *(h for h in intent.hosts if h not in headends)]


def baseline_planner(
    intent: Intent,
    impacts: dict[str, Impact] | None = None,
    sources: Mapping[str, Sequence[str]] | None = None,
) -> Planner:
    """``baseline.py``: the host-wide settings added or replaced (the management ACLs in full,
    so stray lines go), live tenants moved onto the shared IPsec profile (``tasks.migration``;
    the per-host impact lands in ``impacts``), and a plan that would cut the automation's own
    management path refused (``tasks.management_path``; ``sources``: the addresses each host
    sees the automation come from, when known).

    The master key is sent only while the device needs it (IOS never shows it); when the change
    turns key encryption on, the keys it encrypts that held the intent are recorded in the
    manifest, so the next drift does not take them for hand-made changes."""

    def plan(host: str, running: str, claims: dict[str, Claim]) -> HostPlan:
        wanted = render_baseline(intent, host)
        management = management_render(render_host(intent, host, None, shared_only=True)["acl"])
        if management:
            wanted["acl"] = management
        tops = {line for line in management.splitlines() if not line.startswith(" ")}
        owner = Ownership("baseline", frozenset((top,) for top in MANAGEMENT_ACLS if top in tops))
        remediation = owned_remediation(wanted, running, owner, order=tuple(wanted))
        if "keys" in remediation and not master_key_needed(running):
            remediation["keys"] = without_master_key(remediation["keys"])
        impact = shared_impact(remediation, running, intent, host)
        moves, pruned = tenant_moves(intent, host, running, impact)
        remediation = {section: lines for section, lines in remediation.items() if lines}
        remediation.update(moves)
        check_management_path(intent, host, running, remediation, (sources or {}).get(host, ()))
        if impacts is not None:
            impacts[host] = impact
        after = without_pruned(claims, pruned)
        if "keys" not in remediation or not claims:
            return HostPlan(running, remediation, claims, after if after != claims else None)
        _, holds = judged_running(intent, host, running, claims, None)
        return HostPlan(running, remediation, claims, after, _sealing(intent, host, after, holds))

    return plan
