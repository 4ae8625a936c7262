"""Moving live tenants onto the current baseline, as a planned change with a per-tenant impact.

Pure: intent and running config in, lines and impact out (``runbooks/baseline.py`` prints the
impact on ``--dry-run`` and pushes the lines through the change pipeline). What it moves:

* **tunnel protection** (headends): a tenant tunnel protected by anything but the source's one
  shared profile (the article's `IPSEC-PROFILE-<TENANT>`, no `shared`) is moved onto it; IOS
  tears the tunnel's SAs down when its protection changes, and the spokes rebuild them (the
  headend only responds, docs/ios-rules.md rule 1), so each such tenant's spokes flap once;
* **legacy profiles**: the tenant's old per-tenant IPsec profile, known by its exact name
  (`Tenant.ipsec_profile`), is removed once no tunnel uses it (IOS refuses to remove a profile in
  use, so it goes last), and leaves the tenant's manifest claim;
* **management ACLs**: `ACL-MANAGEMENT` (OUTSIDE -> self) and `ACL-VTY-MGMT` (vty) are the
  baseline's in full, so lines the intent does not have (an old `permit tcp any any eq 22`) are
  pruned; the vty lines are added to, never pruned;
* **crypto suite**: a changed transform-set, PFS or IKEv2 proposal makes every tenant's SAs
  re-key with the new suite, which the spokes must offer too (deploy each tenant right after).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from hier_config import HConfig

from tasks.intent import Intent
from tasks.ios_config import parse
from tasks.manifest import Claim
from tasks.owned_diff import Remediation

MANAGEMENT_ACLS = ("ip access-list extended ACL-MANAGEMENT", "ip access-list extended ACL-VTY-MGMT")
MANAGEMENT_LINES = ("line vty ",)
PROTECTION = "tunnel protection ipsec profile "
SUITE_LINES = ("crypto ipsec transform-set ", "crypto ikev2 proposal ", "crypto ikev2 policy ")


@dataclass
class Impact:
    """What a baseline change does to one host, per tenant ("" = the host as a whole)."""

    tenants: dict[str, list[str]] = field(default_factory=dict)

    def add(self, tenant: str, text: str) -> None:
        self.tenants.setdefault(tenant, []).append(text)

    def lines(self) -> list[str]:
        return [f"{t or 'shared'}: {text}" for t, texts in self.tenants.items() for text in texts]


def management_render(shared_acl: str) -> str:
    """The management objects of a host's rendered `acl` section (its shared base)."""
    keep = []
    for top in parse(shared_acl).children:
        if top.text in MANAGEMENT_ACLS or top.text.startswith(MANAGEMENT_LINES):
            keep += [top.text, *(c.cisco_style_text() for c in top.all_children())]
    return "\n".join(keep) + "\n" if keep else ""


def _protection(tree: HConfig, interface: str) -> str | None:
    node = tree.children.get(f"interface {interface}")
    if node is None:
        return None
    return next((c.text for c in node.children if c.text.startswith(PROTECTION)), "")


def _users(tree: HConfig, profile: str, moved: set[str]) -> list[str]:
    """Interfaces (other than the ``moved`` ones) whose protection names ``profile``."""
    return [
        top.text
        for top in tree.children
        if top.text.startswith("interface ") and top.text not in moved
        for c in top.children
        if c.text.startswith(PROTECTION) and c.text.split()[4:5] == [profile]
    ]


def tenant_moves(
    intent: Intent, host: str, running: str, impact: Impact
) -> tuple[Remediation, dict[str, str]]:
    """Lines moving each tenant tunnel of a headend onto the shared profile, then removing the
    legacy profiles left unused; and per tenant, the legacy profile removed (for its claim)."""
    spec = intent.hosts[host]
    if spec.role != "headend":
        return {}, {}
    tree = parse(running)
    wanted = f"{PROTECTION}{spec.shared_ipsec_profile} shared"
    tunnel: list[str] = []
    moved: set[str] = set()
    # a tenant on its own tunnel source keeps its own profile: the rule is per source
    on_wan = [n for n in spec.tenants if intent.tenants[n].tunnel_source is None]
    for name in on_wan:
        t = intent.tenants[name]
        have = _protection(tree, t.tunnel_interface)
        if have is None or have == wanted:
            continue
        tunnel += [f"interface {t.tunnel_interface}", f" {wanted}"]
        moved.add(f"interface {t.tunnel_interface}")
        spokes = ", ".join(t.spokes) or "none in the inventory"
        was = have.removeprefix(PROTECTION) or "no protection"
        impact.add(
            name,
            f"{t.tunnel_interface}: tunnel protection {was} -> {spec.shared_ipsec_profile} shared; "
            f"its SAs are torn down and rebuilt by its spokes ({spokes}), which re-register",
        )
    prune: list[str] = []
    pruned: dict[str, str] = {}
    for name in on_wan:
        profile = intent.tenants[name].ipsec_profile
        top = f"crypto ipsec profile {profile}"
        if tree.children.get(top) is None or profile == spec.shared_ipsec_profile:
            continue
        users = _users(tree, profile, moved)
        if users:
            impact.add(name, f"keeps {top}: still used by {', '.join(users)}")
            continue
        prune.append(f"no {top}")
        pruned[name] = top
        impact.add(name, f"prunes {top} (no tunnel uses it after the change)")
    sections = {"tunnel": tunnel, "prune": prune}
    return {k: v for k, v in sections.items() if v}, pruned


def shared_impact(remediation: Remediation, running: str, intent: Intent, host: str) -> Impact:
    """The host-wide part of a baseline change's impact: pruned management lines, the suite."""
    impact = Impact()
    current = parse(running)
    for lines in remediation.values():
        parent = ""
        for line in lines:
            if not line.startswith(" "):
                parent = line
            elif line.strip().startswith("no ") and parent in MANAGEMENT_ACLS:
                impact.add("", f"prunes from {parent}: {line.strip()[3:]}")
    changed = [
        line
        for lines in remediation.values()
        for line in lines
        if line.startswith(SUITE_LINES) and current.children.get(line) is None
    ]
    pfs = [line.strip() for lines in remediation.values() for line in lines if "set pfs" in line]
    spec = intent.hosts[host]
    if (changed or pfs) and spec.role == "headend":
        what = "; ".join([*changed, *pfs])
        live = [
            name
            for name in spec.tenants
            if current.children.get(f"interface {intent.tenants[name].tunnel_interface}")
        ]
        for name in live:  # tenants not deployed yet have no SA to re-key
            impact.add(
                name,
                f"crypto suite changes ({what}): its SAs re-key with the new suite; its spokes "
                f"must offer it too: deploy {name} right after",
            )
    return impact


def without_pruned(claims: Mapping[str, Claim], pruned: Mapping[str, str]) -> dict[str, Claim]:
    """``claims`` without the legacy profiles a migration removed."""
    updated = dict(claims)
    for tenant, top in pruned.items():
        claim = claims.get(tenant)
        if claim is not None and (top,) in claim.paths:
            updated[tenant] = replace(claim, paths=claim.paths - {(top,)})
    return updated
