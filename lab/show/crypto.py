"""`show crypto ikev2 sa [detail]` and `show crypto session` in IOS's text format."""

from __future__ import annotations

import hashlib

from lab.model.overlay import SaCandidate
from lab.model.world import World
from lab.show.dmvpn import ios_uptime

LIFETIME = 86400


def _ends(sa: SaCandidate, device: str) -> tuple[str, str, str, str, str]:
    """(local, remote, fvrf, profile, interface) as seen from `device`."""
    port = 4500 if sa.result.natted else 500
    if sa.init_ep.device == device:
        return (
            f"{sa.init_ep.local_ip}/{port}",
            f"{sa.resp_ep.public_ip}/{port}",
            sa.init_ep.vrf or "none",
            sa.result.init_profile,
            sa.initiator.name,
        )
    tunnel = sa.responder_tunnel.name if sa.responder_tunnel else ""
    return (
        f"{sa.resp_ep.local_ip}/{port}",
        f"{sa.init_ep.public_ip}/{port}",
        sa.resp_ep.vrf or "none",
        sa.result.resp_profile,
        tunnel,
    )


def device_sas(world: World, device: str) -> list[SaCandidate]:
    sas = [
        s
        for s in world.sas
        if s.shown_on(device) and device in (s.init_ep.device, s.resp_ep.device)
    ]
    return sorted(sas, key=lambda s: (s.visible or 0.0, s.key))


def _dpd(sa: SaCandidate, device: str) -> str:
    """The DPD line's values: the profile's `dpd`, else the global `crypto ikev2 dpd`."""
    cfg = sa.initiator.cfg if sa.init_ep.device == device else None
    name = sa.result.init_profile if cfg else sa.result.resp_profile
    if cfg is None:
        cfg = sa.responder_tunnel.cfg if sa.responder_tunnel else None
    profile = cfg.profiles.get(name) if cfg else None
    dpd = (profile.dpd if profile else None) or (cfg.ikev2_dpd if cfg else None)
    return f"{dpd[0]} seconds, retry {dpd[1]}" if dpd else "0 seconds, retry 0"


def _spi(key: str, side: str) -> str:
    return hashlib.sha256(f"{key}|{side}".encode()).hexdigest()[:16].upper()


def show_ikev2_sa(world: World, device: str, detail: bool = False) -> str:
    lines = [""]
    header = "Tunnel-id Local                 Remote                fvrf/ivrf            Status"
    sas = device_sas(world, device)
    lines.append(" IPv4 Crypto IKEv2  SA ")
    lines.append("")
    for n, sa in enumerate(sas, start=1):
        local, remote, fvrf, _prof, _if = _ends(sa, device)
        active = int(world.now - (sa.visible or world.now))
        lines.append(header)
        lines.append(f"{n:<10}{local:<22}{remote:<22}{fvrf + '/none':<21}READY")
        lines.append(f"      {sa.result.encr}")
        lines.append(f"      Life/Active Time: {LIFETIME}/{active} sec")
        if detail:
            mine = "i" if sa.init_ep.device == device else "r"
            lines += [
                f"      CE id: {1000 + n}, Session-id: {n}",
                "      Status Description: Negotiation done",
                f"      Local spi: {_spi(sa.key, mine)}       "
                f"Remote spi: {_spi(sa.key, 'r' if mine == 'i' else 'i')}",
                f"      Local id: {local.split('/')[0]}",
                f"      Remote id: {remote.split('/')[0]}",
                "      Local req msg id:  2              Remote req msg id:  0",
                "      Local next msg id: 2              Remote next msg id: 0",
                "      Local req queued:  2              Remote req queued:  0",
                "      Local window:      5              Remote window:      5",
                f"      DPD configured for {_dpd(sa, device)}",
                "      Fragmentation not  configured.",
                "      Dynamic Route Update: disabled",
                "      Extended Authentication not configured.",
            ]
            if sa.result.natted:
                where = "inside" if mine == "i" and sa.init_ep.natted else "outside"
                lines.append(f"      NAT-T is detected {where}")
            lines.append("      Cisco Trust Security SGT is disabled")
            lines.append(f"      Initiator of SA : {'Yes' if mine == 'i' else 'No'}")
        lines.append("")
    lines.append(" IPv6 Crypto IKEv2  SA ")
    lines.append("")
    return "\n".join(lines)


DETAIL_CODES = [
    "Code: C - IKE Configuration mode, D - Dead Peer Detection",
    "K - Keepalives, N - NAT-traversal, T - cTCP encapsulation",
    "X - IKE Extended Authentication, F - IKE Fragmentation",
    "R - IKE Auto Reconnect, U - IKE Dynamic Route Update",
    "S - SIP VPN",
    "",
]


def show_crypto_session(world: World, device: str, detail: bool = False) -> str:
    lines = ["Crypto session current status", ""]
    if detail:
        lines += DETAIL_CODES
    sessions: list[tuple[str, list[str]]] = []
    shown = set()
    for sa in [s for s in world.sas if device in (s.init_ep.device, s.resp_ep.device)]:
        local, remote, _fvrf, prof, ifname = _ends(sa, device)
        peer_ip, port = remote.split("/")
        up = sa.shown_on(device)
        status = (
            "UP-ACTIVE"
            if up and (sa.result.ipsec_ok or sa.survived)
            else ("UP-IDLE" if up else "DOWN")
        )
        if not up and sa.init_ep.device != device:
            continue  # a responder keeps no session for a failed negotiation
        shown.add(sa.key)
        block = [f"Interface: {ifname}"]
        if up and prof:
            block.append(f"Profile: {prof}")
        if detail and up:
            block.append(f"Uptime: {ios_uptime(world.now - (sa.visible or world.now))}")
        block.append(f"Session status: {status}")
        if detail:
            fvrf = sa.init_ep.vrf if sa.init_ep.device == device else sa.resp_ep.vrf
            block += [
                f"Peer: {peer_ip} port {port} fvrf: {fvrf or '(none)'} ivrf: (none)",
                f"      Phase1_id: {peer_ip}",
                "      Desc: (none)",
            ]
        else:
            block.append(f"Peer: {peer_ip} port {port} ")
        if up:
            block += ["  Session ID: 0  ", f"  IKEv2 SA: local {local} remote {remote} Active "]
            if detail:
                caps = "DN" if sa.result.natted else "D"
                block.append(f"          Capabilities:{caps} connid:1 lifetime:23:59:00")
        lip, rip = local.split("/")[0], peer_ip
        block += [
            f"  IPSEC FLOW: permit 47 host {lip} host {rip} ",
            f"        Active SAs: {2 if status == 'UP-ACTIVE' else 0}, origin: crypto map",
        ]
        sessions.append((ifname, block))
    for _, block in sorted(sessions, key=lambda s: (s[0], s[1][-3])):
        lines += [*block, ""]
    return "\n".join(lines)
