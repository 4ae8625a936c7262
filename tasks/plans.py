"""What each kind of change sends to a host: the pure planners the change pipeline calls with a
host's running config and the claims of its ownership manifest (``tasks.change.Planner``).

Everything here is rendered or computed before a device is touched, except what needs the
device's own state (its running config and manifest), which the pipeline hands in.
"""

from __future__ import annotations

from collections.abc import Sequence

from tasks.change import HostPlan, Planner, stamp
from tasks.drift import host_drift
from tasks.intent import Intent, IntentError, Problem
from tasks.manifest import Claim, recorded_paths
from tasks.owned_diff import owned_remediation, teardown_remediation
from tasks.ownership import Ownership, host_ownership, rendered_ownership
from tasks.render import render_baseline, render_host


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
        remediation = owned_remediation(rendered[host], running, owner)
        return HostPlan(running, remediation, claims, stamp(claims, tenant, owns[host]))

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
        drift = host_drift(intent, host, running, tenant, recorded_paths(claims))
        return HostPlan(running, drift.restore, claims, None)

    return plan


def teardown_hosts(intent: Intent, tenant: str) -> list[str]:
    """The hosts a teardown visits: the tenant's, or — for a tenant the inventory no longer
    has — every host, whose manifests say what it still owns there."""
    if tenant in intent.tenants:
        return intent.hosts_for(tenant)
    headends = [h for h, spec in intent.hosts.items() if spec.role == "headend"]
    return [*headends, *(h for h in intent.hosts if h not in headends)]


def baseline_planner(intent: Intent) -> Planner:
    """``baseline.py``: the host-wide safety settings added or replaced, nothing removed (no
    tenant owns them)."""
    nobody = Ownership("baseline", frozenset())

    def plan(host: str, running: str, claims: dict[str, Claim]) -> HostPlan:
        wanted = render_baseline(intent, host)
        return HostPlan(running, owned_remediation(wanted, running, nobody, order=tuple(wanted)))

    return plan
