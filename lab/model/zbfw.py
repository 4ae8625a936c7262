"""Zone-based firewall on the self zone: may this router exchange IKE/ESP/GRE on a WAN interface?

Rules modelled (as IOS does): no zone-member on the interface, or no zone-pair between its
zone and `self` in that direction ⇒ allowed (the self zone's default); a zone-pair without a
service-policy ⇒ dropped; otherwise the first class whose class-map matches decides
(`inspect`/`pass`/`drop`), `class-default` last, implicit drop. `inspect` also lets the
return traffic of that flow back in.
"""

from __future__ import annotations

from typing import NamedTuple

from lab.model.config_view import DeviceConfig, Interface
from lab.model.zbfw_config import AclEntry, Zbfw

PROTO_NUMBERS = {"esp": 50, "gre": 47, "udp": 17, "tcp": 6, "icmp": 1, "ahp": 51}
PORT_NAMES = {
    "isakmp": 500,
    "non500-isakmp": 4500,
    "bootps": 67,
    "bootpc": 68,
    "ntp": 123,
    "ssh": 22,
    "domain": 53,
    "www": 80,
}


class Packet(NamedTuple):
    protocol: str  # udp, esp, gre, …
    sport: int = 0
    dport: int = 0


IKE = Packet("udp", 500, 500)
NAT_T = Packet("udp", 4500, 4500)
ESP = Packet("esp")
GRE = Packet("gre")


def _port_value(word: str) -> int:
    return int(word) if word.isdigit() else PORT_NAMES.get(word, -1)


def _port_ok(spec: tuple[str, list[str]] | None, port: int) -> bool:
    if spec is None:
        return True
    op, args = spec
    values = [_port_value(a) for a in args]
    if op == "eq":
        return port in values
    if op == "neq":
        return port not in values
    if op == "gt":
        return port > values[0]
    if op == "lt":
        return port < values[0]
    return values[0] <= port <= values[-1]


def _proto_ok(acl_proto: str, pkt: Packet) -> bool:
    if acl_proto == "ip":
        return True
    if acl_proto.isdigit():
        return int(acl_proto) == PROTO_NUMBERS.get(pkt.protocol, -1)
    return acl_proto == pkt.protocol


def acl_permits(entries: list[AclEntry], pkt: Packet) -> bool:
    """First matching entry decides; implicit deny."""
    for e in entries:
        if not _proto_ok(e.protocol, pkt):
            continue
        if e.protocol in ("udp", "tcp") and not (
            _port_ok(e.src_port, pkt.sport) and _port_ok(e.dst_port, pkt.dport)
        ):
            continue
        return e.action == "permit"
    return False


def _class_matches(zbfw: Zbfw, name: str, pkt: Packet) -> bool:
    cm = zbfw.class_maps.get(name)
    if cm is None:
        return False
    results = [acl_permits(zbfw.acls.get(a, []), pkt) for a in cm.acls]
    results += [p == pkt.protocol for p in cm.protocols]
    if not results:
        return False
    return all(results) if cm.match_all else any(results)


def zone_pair_action(zbfw: Zbfw, source: str, destination: str, pkt: Packet) -> str:
    """`pass`/`inspect`/`drop` for one direction; `pass` when no zone-pair exists."""
    pair = next(
        (z for z in zbfw.zone_pairs if z.source == source and z.destination == destination),
        None,
    )
    if pair is None:
        return "pass"
    if pair.policy is None or pair.policy not in zbfw.policy_maps:
        return "drop"
    for cls, action in zbfw.policy_maps[pair.policy]:
        if cls == "class-default" or _class_matches(zbfw, cls, pkt):
            return action
    return "drop"


def self_actions(cfg: DeviceConfig, iface: Interface, pkt: Packet) -> tuple[str, str]:
    """(inbound to self, outbound from self) actions on this interface for pkt."""
    if iface.zone is None:
        return "pass", "pass"
    zb = cfg.zbfw
    return zone_pair_action(zb, iface.zone, "self", pkt), zone_pair_action(
        zb, "self", iface.zone, pkt
    )


def flow_allowed(
    init: tuple[DeviceConfig, Interface], resp: tuple[DeviceConfig, Interface], pkt: Packet
) -> bool:
    """A two-way flow started by `init` towards `resp` passes both routers' self zones."""
    i_in, i_out = self_actions(*init, pkt)
    r_in, r_out = self_actions(*resp, pkt)
    if i_out == "drop" or r_in == "drop":
        return False
    init_back = i_in != "drop" or i_out == "inspect"
    resp_back = r_out != "drop" or r_in == "inspect"
    return init_back and resp_back


def zone_pair_lines(cfg: DeviceConfig) -> list[str]:
    """`show zone-pair security` text."""
    lines: list[str] = []
    for zp in cfg.zbfw.zone_pairs:
        lines.append(f"Zone-pair name {zp.name}")
        lines.append(f"    Source-Zone {zp.source}  Destination-Zone {zp.destination} ")
        lines.append(f"    service-policy {zp.policy or 'not present'}")
    return lines
