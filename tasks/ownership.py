"""Which running-config objects a tenant owns, which are shared, which belong to someone else.

Ownership is visible in the object names (``VRF-EVENT42``, ``interface Tunnel42``,
``IKEv2-PROFILE-EVENT42`` ...), so the rules are a small table of name patterns derived
from each tenant's intent. A config line is

* ``OWNED`` by the tenant when it names one of the tenant's objects: the whole subtree is
  the tenant's and is diffed (and torn down) in full;
* ``FOREIGN`` when it names another tenant's object: never read, never touched;
* ``NEUTRAL`` otherwise: a shared object when the intended config has it (only added to or
  replaced, never pruned), config that no intent knows when it does not (left alone).

>>> e42, e43 = TenantNames("event42", "VRF-EVENT42", 42), TenantNames("event43", "VRF-EVENT43", 43)
>>> own = Ownership(e42, (e43,))
>>> own.classify("interface Tunnel42").value, own.classify("zone security ZONE-EVENT43").value
('owned', 'foreign')
>>> own.classify("interface GigabitEthernet0/0/0").value
'neutral'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Owner(Enum):
    """Who a config line belongs to, seen from one tenant."""

    OWNED = "owned"
    FOREIGN = "foreign"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class TenantNames:
    """The names a tenant's objects are recognised by."""

    name: str
    vrf: str
    tunnel: int

    @property
    def token(self) -> str:
        """The upper-cased tenant name every object name carries (``EVENT42``)."""
        return self.name.upper()


# One row per way a line can name a tenant's object; formatted with the tenant's names.
# A name token must stand alone: EVENT42 matches VRF-EVENT42 but not EVENT421.
OWNERSHIP_PATTERNS: tuple[str, ...] = (
    r"(?<![A-Za-z0-9]){token}(?![A-Za-z0-9])",  # VRF-EVENT42, ZONE-EVENT42 ...
    r"(?<![A-Za-z0-9-]){vrf}(?![A-Za-z0-9-])",  # the VRF, even when not named after the tenant
    r"^interface Tunnel{tunnel}$",  # the tenant's mGRE tunnel
    r"^af-interface Tunnel{tunnel}$",  # its EIGRP af-interface inside a shared router
)


# Lines that only label an object: a tenant's name in a description does not make it theirs.
LABEL_LINES: tuple[str, ...] = ("description ",)


def _patterns(tenant: TenantNames) -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(
            row.format(
                token=re.escape(tenant.token), vrf=re.escape(tenant.vrf), tunnel=tenant.tunnel
            ),
            re.IGNORECASE,
        )
        for row in OWNERSHIP_PATTERNS
    )


@dataclass(frozen=True)
class Ownership:
    """Ownership rules for one tenant, knowing every other tenant of the inventory."""

    tenant: TenantNames
    others: tuple[TenantNames, ...] = ()
    _own: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    _foreign: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_own", _patterns(self.tenant))
        foreign = tuple(p for other in self.others for p in _patterns(other))
        object.__setattr__(self, "_foreign", foreign)

    def classify(self, line: str) -> Owner:
        """Classify one config line (without indentation) as owned, foreign or neutral."""
        text = line.strip()
        if text.startswith("no "):
            text = text[3:]
        if text.startswith(LABEL_LINES):
            return Owner.NEUTRAL
        if any(p.search(text) for p in self._own):
            return Owner.OWNED
        if any(p.search(text) for p in self._foreign):
            return Owner.FOREIGN
        return Owner.NEUTRAL


def tenant_names(tenant: Any) -> TenantNames:
    """The names of an intent ``Tenant`` (reads ``name``, ``vrf``, ``tunnel``)."""
    return TenantNames(name=str(tenant.name), vrf=str(tenant.vrf), tunnel=int(tenant.tunnel))


def ownership_for(tenants: Iterable[Any], name: str) -> Ownership:
    """Ownership rules for tenant ``name`` among all ``tenants`` of the intent."""
    names = [tenant_names(t) for t in tenants]
    mine = [n for n in names if n.name == name]
    if not mine:
        raise KeyError(name)
    return Ownership(mine[0], tuple(n for n in names if n.name != name))
