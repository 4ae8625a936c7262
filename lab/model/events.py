"""What happens to a device outside its config: its NBMA address changes, or it reloads.

NBMA change (a new DHCP lease and carrier NAT rebinding, ``Lab.change_nbma``): the hub still
holds the spoke's NHRP entry for the old address. A spoke registers with the "unique" flag
unless it has ``ip nhrp registration no-unique``; a unique entry "cannot be overwritten with a
mapping entry that has the same IP address but a different NBMA address", so the spoke "would
have to wait for the mapping entry on the hub to time out before it could register its new
(NBMA) mapping" (Cisco, Dynamic Multipoint IPsec VPNs, NHRP flags; command reference
http://www.cisco.com/en/US/docs/ios/ipaddr/command/reference/iad_nhrp.html). The old entry
lives for the holdtime the spoke registered with, counted from the change (the spoke refreshed
it until then). With no-unique the new registration replaces it at once.

Reload (``Lab.reload``): the reloaded device forgets every SA and registration. A peer that
initiated an SA to it keeps its side, stale: packets go into an SA nobody decrypts, so the
registration never completes. On-demand dead-peer detection clears it once traffic has gone
unanswered for the DPD interval and the retransmissions (5, ``retry`` seconds apart) ran out
(Cisco, IPsec Dead Peer Detection Periodic Message Option, https://cisco.com/content/en/us/td/
docs/ios-xml/ios/sec_conn_dplane/configuration/xe-16/sec-ipsec-data-plane-xe-16-book/
sec-ipsec-dead-peer.html); without DPD it stays until the IPsec SA lifetime (3600 s) ends.
The peer then negotiates a new SA.
"""

from __future__ import annotations

from dataclasses import dataclass

from lab.model.overlay import SaCandidate, Tunnel
from lab.model.timers import NetState

DPD_RETRANSMISSIONS = 5
IPSEC_LIFETIME = 3600.0


@dataclass
class StaleEntry:
    """A hub's NHRP entry for a spoke's old NBMA address, still refusing the new one."""

    hub: Tunnel
    spoke: Tunnel
    nbma: str
    since: float
    expires: float


def unique_entry_expiry(state: NetState, spoke: Tunnel) -> float | None:
    """When the hub's old unique entry for ``spoke`` expires (None: no NBMA change, the spoke
    registered with no-unique, or the hub's entry was cleared: nothing has to expire)."""
    record = state.nbma.get(spoke.device)
    if not record or not record.get("unique"):
        return None
    return float(record["at"]) + spoke.iface.nhrp_holdtime


def stale_entry(state: NetState, hub: Tunnel, spoke: Tunnel, now: float) -> StaleEntry | None:
    """The old entry on ``hub`` that refuses ``spoke``'s registration now, if any."""
    expires = unique_entry_expiry(state, spoke)
    if expires is None or now >= expires:
        return None
    record = state.nbma[spoke.device]
    since = float(record.get("since") or record["at"])
    return StaleEntry(hub, spoke, str(record.get("old_nbma", "")), since, expires)


def dead_peer_window(sa: SaCandidate) -> float:
    """Seconds after the peer vanished until the initiator clears its side of the SA."""
    cfg = sa.initiator.cfg
    profile = cfg.profiles.get(sa.result.init_profile)
    dpd = (profile.dpd if profile else None) or cfg.ikev2_dpd
    if dpd is None:
        return IPSEC_LIFETIME
    interval, retry, _mode = dpd
    return float(interval + DPD_RETRANSMISSIONS * retry)


def after_peer_reload(state: NetState, sa: SaCandidate, now: float) -> tuple[bool, float | None]:
    """(stale now, time a new negotiation starts) for an SA whose responder reloaded after it
    was established; (False, None) when the responder did not reload since."""
    reloaded = state.reloads.get(sa.responder_device)
    entry = state.adj.get(sa.key)
    if reloaded is None or entry is None or entry.get("visible") is None:
        return False, None
    if float(entry["visible"]) >= reloaded:
        return False, None
    cleared = reloaded + dead_peer_window(sa)
    if now < cleared:
        return True, None
    state.drop(sa.key)
    return False, cleared
