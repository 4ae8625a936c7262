"""Validation rules for tenants with `multicast: true` (a row of `tasks.validate.RULES`).

The RP must be an address the spokes reach through the hub (the hub's own tunnel address by
default, or an address behind the hub); a spoke's tunnel or LAN address cannot be the RP, because
spokes are not PIM neighbours of each other and every join goes to the hub.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tasks.intent import Intent, Problem, Tenant


def multicast_settings(intent: Intent) -> Iterator[Problem]:
    """`multicast_rp` only with `multicast: true`, never a spoke's address or a non-host one."""
    for tenant in intent.tenants.values():
        yield from _rp_problems(intent, tenant)


def _rp_problems(intent: Intent, tenant: Tenant) -> Iterator[Problem]:
    rp = tenant.multicast_rp
    if rp is None:
        return

    def where(message: str) -> Problem:
        return intent.sources.at_tenant(tenant.name, "multicast_rp", message)

    if not tenant.multicast:
        yield where(f"an RP ({rp}) is set but multicast is off: set multicast: true or drop it")
        return
    if rp.is_multicast or rp.is_unspecified or rp.is_loopback:
        yield where(f"{rp} cannot be an RP: use a unicast address the hub owns")
        return
    if rp in tenant.tunnel_subnet and rp != tenant.hub_tunnel_ip:
        yield where(
            f"{rp} is in the tunnel subnet {tenant.tunnel_subnet} but is not the hub's tunnel "
            f"address {tenant.hub_tunnel_ip}: spokes are not PIM neighbours of each other, so "
            "the RP must be the hub or behind it"
        )
        return
    for name in tenant.spokes:
        lan = intent.hosts[name].lan
        if lan is not None and rp in lan.address.network:
            yield where(
                f"{rp} is in {name}'s LAN {lan.address.network}: the RP must be the hub or "
                "behind it (spokes are not PIM neighbours of each other)"
            )
