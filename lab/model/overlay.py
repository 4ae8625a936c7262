"""The DMVPN overlay: mGRE tunnels, spoke→hub IKEv2 SAs and NHRP registrations.

Tunnel key mismatch: IKEv2/IPsec protect GRE between the two NBMA addresses whatever the key,
so the SA comes up but GRE lands on no hub tunnel and the registration never completes (as
on an ISR). The hub tunnel used for IPsec is the key-matched one, else the first protected
mGRE tunnel on that source.

Sharing a tunnel source (Cisco, DMVPN configuration guide, "Sharing IPsec with Tunnel
Protection", Restrictions: every tunnel on one source must use the same IPsec profile with
`shared`; otherwise "an IPsec SA may be associated with the wrong IPsec SADB and therefore with
the wrong tunnel interface", https://cisco.com/c/en/us/td/docs/ios-xml/ios/sec_conn_dmvpn/
configuration/12-4t/sec-conn-dmvpn-12-4t-book/sec-conn-dmvpn-share-ipsec-w-tun-protect.html):
when the protected tunnels on one source break that rule, every SA on the source lands in the
first tunnel's SADB (config order), so the other tunnels' spokes never register. The rule is
per source interface: a tunnel sourced from its own loopback (a tenant's own source) is judged
alone, whatever profile it uses.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lab.model.config_view import DeviceConfig, Interface, Nhs
from lab.model.ikev2 import IkeResult, negotiate
from lab.model.underlay import WanEndpoint
from lab.model.zbfw import GRE, flow_allowed


@dataclass
class Tunnel:
    device: str
    cfg: DeviceConfig
    iface: Interface
    source: Interface | None
    source_addr: tuple[str, str] | None
    endpoint: WanEndpoint | None

    @property
    def name(self) -> str:
        return self.iface.name

    @property
    def up(self) -> bool:
        return bool(
            self.source_addr
            and self.source is not None
            and not self.source.shutdown
            and not self.iface.shutdown
            and self.iface.ip
        )

    @property
    def multipoint(self) -> bool:
        return self.iface.tunnel_mode == "gre multipoint"

    @property
    def underlay_ok(self) -> bool:
        """Up, and `tunnel vrf` names the VRF its source lives in."""
        return self.up and self.source is not None and self.iface.tunnel_vrf == self.source.vrf

    @property
    def vrf(self) -> str:
        return self.iface.vrf

    def network(self) -> ipaddress.IPv4Interface | None:
        return self.iface.network()


@dataclass
class SaCandidate:
    key: str
    initiator: Tunnel
    responder_device: str
    responder_tunnel: Tunnel | None
    init_ep: WanEndpoint
    resp_ep: WanEndpoint
    result: IkeResult
    visible: float | None = None  # time visible (None: not established)
    pending: float | None = None  # time it is (or will be) established
    survived: bool = False
    stale: bool = False  # the responder reloaded: only the initiator still holds it

    def shown_on(self, device: str) -> bool:
        """Whether ``device`` lists this SA (a reloaded responder has forgotten a stale one)."""
        return self.visible is not None and not (self.stale and device == self.responder_device)


@dataclass
class RegCandidate:
    key: str
    spoke: Tunnel
    hub: Tunnel
    nhs: Nhs
    hub_ep: WanEndpoint
    sa: SaCandidate | None
    ok: bool
    reason: str = ""
    visible: float | None = None
    pending: float | None = None


def resolve_tunnels(
    cfgs: dict[str, DeviceConfig],
    addresses: dict[tuple[str, str], tuple[str, str]],
    endpoints: list[WanEndpoint],
) -> list[Tunnel]:
    by_iface = {(e.device, e.interface): e for e in endpoints}
    tunnels = []
    for dev, cfg in cfgs.items():
        for iface in cfg.interfaces.values():
            if not iface.is_tunnel:
                continue
            src = cfg.interface(iface.tunnel_source)
            if src is None and iface.tunnel_source:
                src = next(
                    (
                        cfg.interfaces[n]
                        for (d, n), a in addresses.items()
                        if d == dev and a[0] == iface.tunnel_source
                    ),
                    None,
                )
            addr = addresses.get((dev, src.name)) if src else None
            ep = by_iface.get((dev, src.name)) if src else None
            tunnels.append(Tunnel(dev, cfg, iface, src, addr, ep))
    return tunnels


def hub_tunnels_for(tunnels: list[Tunnel], ep: WanEndpoint) -> list[Tunnel]:
    return [
        t
        for t in tunnels
        if t.device == ep.device
        and t.source is not None
        and t.source.name == ep.interface
        and t.multipoint
    ]


def shares_source_properly(protected: list[Tunnel]) -> bool:
    """One protected tunnel on the source, or all of them on one IPsec profile with `shared`."""
    if len(protected) <= 1:
        return True
    profiles = {t.iface.protection for t in protected}
    return len(profiles) == 1 and all(t.iface.protection_shared for t in protected)


def sa_landing_tunnel(candidates: list[Tunnel], gre: Tunnel | None) -> Tunnel | None:
    """The hub tunnel whose SADB an SA arriving on this source is attached to."""
    protected = [h for h in candidates if h.iface.protection]
    if gre is not None and gre.iface.protection and shares_source_properly(protected):
        return gre
    return protected[0] if protected else None


def nhs_nbma(spoke: Tunnel, nhs: Nhs) -> str | None:
    return nhs.nbma or spoke.iface.nhrp_maps.get(nhs.tunnel_ip)


def evaluate_sa(
    key: str,
    init: Tunnel,
    resp_ep: WanEndpoint,
    resp_tunnel: Tunnel | None,
    cfgs: dict[str, DeviceConfig],
) -> SaCandidate | None:
    if init.endpoint is None:
        return None
    rcfg = cfgs[resp_ep.device]
    rwan = rcfg.interface(resp_ep.arrival)
    if rwan is None:
        return None
    if not init.underlay_ok or (resp_tunnel is not None and not resp_tunnel.underlay_ok):
        result = IkeResult(False, "unreachable")
    else:
        result = negotiate(
            (init.cfg, init.iface, init.endpoint),
            (rcfg, resp_tunnel.iface if resp_tunnel else None, resp_ep),
            rwan,
        )
    return SaCandidate(key, init, resp_ep.device, resp_tunnel, init.endpoint, resp_ep, result)


def spoke_to_hub(
    tunnels: list[Tunnel], endpoints: list[WanEndpoint], cfgs: dict[str, DeviceConfig]
) -> list[tuple[Tunnel, Nhs, WanEndpoint, Tunnel | None, SaCandidate | None]]:
    """Each (spoke tunnel, NHS) whose NBMA is a lab WAN endpoint, with its hub side."""
    by_public = {e.public_ip: e for e in endpoints}
    result = []
    for t in tunnels:
        for nhs in t.iface.nhs:
            nbma = nhs_nbma(t, nhs)
            hub_ep = by_public.get(nbma or "")
            if hub_ep is None or hub_ep.device == t.device:
                continue
            candidates = hub_tunnels_for(tunnels, hub_ep)
            gre = next((h for h in candidates if h.iface.tunnel_key == t.iface.tunnel_key), None)
            protected = sa_landing_tunnel(candidates, gre)
            sa = None
            if t.iface.protection:
                key = f"sa|{t.device}|{t.name}|{hub_ep.device}|{hub_ep.public_ip}"
                sa = evaluate_sa(key, t, hub_ep, protected, cfgs)
            result.append((t, nhs, hub_ep, gre, sa))
    return result


def registration_problem(
    spoke: Tunnel, hub: Tunnel | None, nhs: Nhs, hub_ep: WanEndpoint, sa: SaCandidate | None
) -> str:
    """Why the spoke cannot register with this NHS ("" when it can)."""
    if spoke.endpoint is None or not spoke.underlay_ok or not spoke.multipoint:
        return "underlay"
    if hub is None:
        return "gre"  # no hub tunnel with this tunnel key on that source
    if not hub.underlay_ok:
        return "underlay"
    if bool(spoke.iface.protection) != bool(hub.iface.protection):
        return "ipsec"
    if spoke.iface.protection:
        if sa is None or sa.pending is None:
            return "ipsec"
        if not (sa.result.ipsec_ok or sa.survived):
            return "ipsec"
        if sa.responder_tunnel is not hub:
            return "ipsec"
    else:
        wan_s = spoke.cfg.interface(spoke.endpoint.arrival)
        wan_h = hub.cfg.interface(hub_ep.arrival)
        if (
            wan_s is None
            or wan_h is None
            or not flow_allowed((spoke.cfg, wan_s), (hub.cfg, wan_h), GRE)
        ):
            return "zbfw"
    hub_net = hub.network()
    spoke_net = spoke.network()
    if hub_net is None or spoke_net is None or str(hub_net.ip) != nhs.tunnel_ip:
        return "nhs"
    if spoke_net.ip not in hub_net.network:
        return "nhs"
    if spoke.iface.nhrp_network_id is None or hub.iface.nhrp_network_id is None:
        return "network-id"
    if spoke.iface.nhrp_auth != hub.iface.nhrp_auth:
        return "auth"
    return ""
