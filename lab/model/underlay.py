"""The emulated internet between front-door VRFs: WAN endpoints, DHCP leases, carrier NAT.

Addressing plan (documented contract of the lab):
- device number i = 1 + position of the device name in the sorted list of all lab devices;
- a WAN interface with `ip address dhcp` gets the lease 100.64.i.2/24 (gateway 100.64.i.1;
  a second DHCP interface on the same device uses 100.65.i.2, and so on) and a default route
  (distance 254) in that interface's VRF;
- DHCP interfaces sit behind carrier NAT: the internet sees them as 203.0.113.(10+i)
  (NAT-T, UDP 4500 both ways), a unique stable address per device;
- a device whose NBMA address changed `e` times (lab action: a new DHCP lease and NAT
  rebinding, `Lab.change_nbma`) leases 100.64.i.(2+e) and is seen as 198.18.e.(10+i);
- a statically addressed interface reaches the internet when its VRF holds a default route
  whose next hop lies on the interface's subnet (or names the interface); otherwise nothing
  on the internet reaches it (the classic "missing FVRF default route");
- a loopback in the VRF of such a statically addressed interface (a tenant's own tunnel source on
  a headend) is reachable from the internet through that interface: the carrier routes the
  loopback's address to the device. A real deployment needs the provider to route it (or the
  address to be a secondary one on the WAN subnet); the lab assumes it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lab.model.config_view import DeviceConfig, Interface

LEASE_FIRST_OCTET = 100
CARRIER_NAT_NET = "203.0.113"
REBOUND_NAT_NET = "198.18"


@dataclass(frozen=True)
class WanEndpoint:
    device: str
    interface: str
    vrf: str
    local_ip: str
    mask: str
    public_ip: str
    natted: bool
    gateway: str | None
    routes: tuple[ipaddress.IPv4Network, ...]  # internet prefixes routed out of it
    via: str | None = None  # a loopback's: the WAN interface its traffic crosses (zones)

    @property
    def arrival(self) -> str:
        """The interface packets to and from this endpoint cross (its zone is the one judged)."""
        return self.via or self.interface

    @property
    def reachable(self) -> bool:
        return bool(self.routes)

    def routes_to(self, ip: str) -> bool:
        addr = ipaddress.IPv4Address(ip)
        return any(addr in p for p in self.routes)


def can_reach(a: WanEndpoint, b: WanEndpoint) -> bool:
    """Both ways across the internet: each side routes towards the other's public address."""
    return a.routes_to(b.public_ip) and b.routes_to(a.public_ip)


def device_number(names: list[str], device: str) -> int:
    return sorted(names).index(device) + 1


def dhcp_leases(
    cfgs: dict[str, DeviceConfig], epochs: dict[str, int] | None = None
) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(device, interface) → (ip, mask, gateway) for every up DHCP interface."""
    names = list(cfgs)
    leases = {}
    for dev, cfg in cfgs.items():
        i = device_number(names, dev)
        host = 2 + (epochs or {}).get(dev, 0)
        dhcp = sorted(n for n, f in cfg.interfaces.items() if f.dhcp and not f.shutdown)
        for k, ifname in enumerate(dhcp):
            second = 64 + k
            leases[(dev, ifname)] = (
                f"{LEASE_FIRST_OCTET}.{second}.{i}.{host}",
                "255.255.255.0",
                f"{LEASE_FIRST_OCTET}.{second}.{i}.1",
            )
    return leases


def nat_address(names: list[str], device: str, epoch: int = 0) -> str:
    if epoch:
        return f"{REBOUND_NAT_NET}.{epoch}.{10 + device_number(names, device)}"
    return f"{CARRIER_NAT_NET}.{10 + device_number(names, device)}"


DEFAULT = ipaddress.IPv4Network("0.0.0.0/0")


def _internet_routes(
    cfg: DeviceConfig, iface: Interface
) -> tuple[tuple[ipaddress.IPv4Network, ...], str | None]:
    """Prefixes the interface's VRF routes out of it (next hop on its subnet, or named)."""
    net = iface.network()
    if net is None:
        return (), None
    prefixes, gateway = [], None
    for route in cfg.routes:
        if route.vrf != iface.vrf:
            continue
        on_subnet = route.nexthop and ipaddress.IPv4Address(route.nexthop) in net.network
        named = route.interface and route.interface.lower() == iface.name.lower()
        if on_subnet or named:
            prefixes.append(route.prefix)
            if route.prefix.prefixlen == 0 or gateway is None:
                gateway = route.nexthop
    return tuple(prefixes), gateway


def wan_endpoints(
    cfgs: dict[str, DeviceConfig], epochs: dict[str, int] | None = None
) -> list[WanEndpoint]:
    """Every up, addressed, non-tunnel interface with a route onto the internet."""
    names = list(cfgs)
    epochs = epochs or {}
    leases = dhcp_leases(cfgs, epochs)
    result = []
    for dev, cfg in cfgs.items():
        for ifname, iface in cfg.interfaces.items():
            if iface.is_tunnel or iface.shutdown or ifname.lower().startswith("loopback"):
                continue
            if iface.dhcp and (dev, ifname) in leases:
                ip, mask, gw = leases[(dev, ifname)]
                public = nat_address(names, dev, epochs.get(dev, 0))
                result.append(
                    WanEndpoint(dev, ifname, iface.vrf, ip, mask, public, True, gw, (DEFAULT,))
                )
            elif iface.ip and iface.mask:
                routes, static_gw = _internet_routes(cfg, iface)
                if routes:
                    result.append(
                        WanEndpoint(
                            dev,
                            ifname,
                            iface.vrf,
                            iface.ip,
                            iface.mask,
                            iface.ip,
                            False,
                            static_gw,
                            routes,
                        )
                    )
    return result + _loopback_endpoints(cfgs, result)


def _loopback_endpoints(
    cfgs: dict[str, DeviceConfig], endpoints: list[WanEndpoint]
) -> list[WanEndpoint]:
    """Up, addressed loopbacks in the VRF of a static internet-facing interface of their device:
    the carrier routes their address to that interface (module docstring)."""
    result: list[WanEndpoint] = []
    for ep in endpoints:
        if ep.natted:
            continue
        for ifname, iface in cfgs[ep.device].interfaces.items():
            if not ifname.lower().startswith("loopback") or iface.shutdown:
                continue
            if iface.vrf != ep.vrf or not iface.ip or not iface.mask:
                continue
            if any(r.device == ep.device and r.interface == ifname for r in result):
                continue
            result.append(
                WanEndpoint(
                    ep.device,
                    ifname,
                    ep.vrf,
                    iface.ip,
                    iface.mask,
                    iface.ip,
                    False,
                    ep.gateway,
                    ep.routes,
                    via=ep.interface,
                )
            )
    return result


def interface_address(
    cfg: DeviceConfig,
    device: str,
    iface: Interface,
    leases: dict[tuple[str, str], tuple[str, str, str]],
) -> tuple[str, str] | None:
    """(ip, mask) of an interface, from its config or its DHCP lease."""
    if iface.dhcp:
        lease = leases.get((device, iface.name))
        return (lease[0], lease[1]) if lease else None
    if iface.ip and iface.mask:
        return iface.ip, iface.mask
    return None
