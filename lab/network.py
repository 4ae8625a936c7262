"""The lab's control plane: every device's running config evaluated together.

`Network(configs, state_dir, settings).exec(device, command)` answers the canonical full-word
`show`/`ping`/`traceroute`/`clear` commands it models (None for any other command);
`dhcp_lease(device, interface)` gives the address a DHCP interface holds (see lab.underlay).
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from lab.dataplane import source_address, walk
from lab.eigrp import find_af
from lab.netmodel_config import device_config
from lab.netstate import NetState
from lab.networld import World, build_world
from lab.show_crypto import show_crypto_session, show_ikev2_sa
from lab.show_dmvpn import show_dmvpn, show_ip_nhrp
from lab.show_eigrp import show_neighbors
from lab.show_route import show_route, show_route_entry
from lab.underlay import dhcp_leases
from lab.zbfw import zone_pair_lines

IP = r"\d{1,3}(?:\.\d{1,3}){3}"
PING = re.compile(rf"^(ping|traceroute)(?: vrf (\S+))? ({IP})(?: source (\S+))?$")


class Settings(Protocol):
    convergence_delay: float


class Network:
    """Lab-wide model; state (adjacency timers, shortcuts) persists in `state_dir/network.json`."""

    def __init__(
        self, configs: Callable[[], dict[str, str]], state_dir: Path | None, settings: Any
    ) -> None:
        self.configs = configs
        self.state = NetState(
            Path(state_dir) if state_dir else None,
            float(getattr(settings, "convergence_delay", 0.0)),
        )
        self._commands: list[tuple[re.Pattern[str], Callable[..., str]]] = [
            (re.compile(r"^show dmvpn$"), lambda w, d: show_dmvpn(w, d)),
            (re.compile(r"^show dmvpn detail$"), lambda w, d: show_dmvpn(w, d, True)),
            (re.compile(r"^show crypto ikev2 sa$"), lambda w, d: show_ikev2_sa(w, d)),
            (re.compile(r"^show crypto ikev2 sa detail$"), lambda w, d: show_ikev2_sa(w, d, True)),
            (re.compile(r"^show crypto session$"), show_crypto_session),
            (re.compile(r"^show ip nhrp$"), show_ip_nhrp),
            (re.compile(r"^show ip eigrp neighbors$"), lambda w, d: show_neighbors(w, d, "")),
            (re.compile(r"^show ip eigrp vrf (\S+) neighbors$"), show_neighbors),
            (
                re.compile(r"^show eigrp address-family ipv4 neighbors$"),
                lambda w, d: show_neighbors(w, d, ""),
            ),
            (re.compile(r"^show eigrp address-family ipv4 vrf (\S+) neighbors$"), show_neighbors),
            (re.compile(r"^show ip route$"), lambda w, d: self._route(w, d, "")),
            (re.compile(r"^show ip route vrf (\S+)$"), self._route),
            (re.compile(rf"^show ip route vrf (\S+) ({IP})$"), self._route),
            (re.compile(rf"^show ip route ({IP})$"), lambda w, d, a: self._route(w, d, "", a)),
            (
                re.compile(r"^show crypto session detail$"),
                lambda w, d: show_crypto_session(w, d, True),
            ),
            (re.compile(r"^show ip nhrp detail$"), show_ip_nhrp),
            (re.compile(r"^show zone-pair security$"), self._zone_pairs),
        ]

    # public API -------------------------------------------------------------------------
    def exec(self, device: str, command: str) -> str | None:
        """Output of a modelled canonical command on `device`; None when not modelled."""
        command = " ".join(command.split())
        for word in re.findall(r"\b\d+\.\d+\.\d+\.\d+\b", command):
            try:
                ipaddress.IPv4Address(word)
            except ValueError:
                return "% Unrecognized host or address, or protocol not running.\n"
        if command in ("clear crypto session", "clear crypto ikev2 sa"):
            return self._clear(device, ("sa|",))
        if command == "clear ip nhrp":
            return self._clear(device, ("reg|", "nhrp-sc|", "sc|"))
        ping = PING.match(command)
        handler = None
        args: tuple[str, ...] = ()
        if not ping:
            for pattern, fn in self._commands:
                m = pattern.match(command)
                if m:
                    handler, args = fn, m.groups()
                    break
            if handler is None:
                return None
        world = self._world()
        if device not in world.cfgs:
            return None
        try:
            if ping:
                return self._ping(world, device, *ping.groups())
            assert handler is not None
            return handler(world, device, *args)
        finally:
            self.state.save()

    def dhcp_lease(self, device: str, interface: str) -> tuple[str, str] | None:
        """(ip, mask) leased to a `ip address dhcp` interface that is up."""
        cfgs = {n: device_config(t) for n, t in self.configs().items()}
        for (dev, name), (ip, mask, _gw) in dhcp_leases(cfgs).items():
            if dev == device and name.lower() == interface.lower():
                return ip, mask
        return None

    def reset(self, device: str) -> None:
        """Forget every adjacency and shortcut of a device (factory reset of its config)."""
        self.state.load()
        self.state.drop_matching(lambda key: device in key.split("|"))
        self.state.save()

    # internals --------------------------------------------------------------------------
    def _world(self) -> World:
        self.state.load()
        return build_world(self.configs(), self.state, time.time())

    def _clear(self, device: str, prefixes: tuple[str, ...]) -> str:
        self.state.load()

        def involved(key: str) -> bool:
            parts = key.split("|")
            return key.startswith(prefixes) and len(parts) > 3 and device in (parts[1], parts[3])

        self.state.drop_matching(involved)
        if "sa|" in prefixes:  # shortcuts ride on their SAs
            self.state.drop_matching(
                lambda k: k.startswith(("sc|", "nhrp-sc|")) and device in k.split("|")
            )
        self.state.save()
        return ""

    def _route(self, world: World, device: str, vrf: str, address: str | None = None) -> str:
        cfg = world.cfgs[device]
        known = {i.vrf for i in cfg.interfaces.values()} | {r.vrf for r in cfg.routes}
        known |= {af.vrf for af in cfg.eigrp}
        if vrf and vrf not in known:
            return f"% IP routing table {vrf} does not exist\n"
        if address is not None:
            af = find_af(cfg, vrf)
            return show_route_entry(
                world.rib(device, vrf), vrf, address, world.now, af.asn if af else None
            )
        return show_route(world.rib(device, vrf), vrf, world.now)

    def _zone_pairs(self, world: World, device: str) -> str:
        lines = zone_pair_lines(world.cfgs[device])
        return "\n".join(lines) + ("\n" if lines else "")

    def _ping(
        self, world: World, device: str, verb: str, vrf: str | None, dst: str, source: str | None
    ) -> str:
        vrf = vrf or ""
        src = source_address(world, device, vrf, source)
        if source and src is None:
            return f"% Invalid source interface - {source}\n"
        fwd = walk(world, device, vrf, dst)
        src = src or fwd.egress_ip
        back = None
        if fwd.delivered and fwd.delivered[0] != "isp" and src:
            back = walk(
                world, fwd.delivered[0], fwd.delivered[1], fwd.nat.get(src, src), reply=True
            )
        reached = fwd.delivered
        ok = reached is not None and (
            reached[0] == "isp" or bool(back and back.delivered and back.delivered[0] == device)
        )
        for walk_ in (fwd, back):
            for sender, peer in walk_.redirects if walk_ else []:
                if sender.iface.nhrp_shortcut:
                    key = f"sc|{sender.device}|{sender.name}|{peer.device}|{peer.name}"
                    reverse = f"sc|{peer.device}|{peer.name}|{sender.device}|{sender.name}"
                    self.state.request_shortcut(reverse if reverse in self.state.shortcuts else key)
        if verb == "ping":
            return ping_text(dst, src if source else None, ok)
        hops = [*fwd.hops[:-1], dst] if ok else fwd.hops
        return traceroute_text(dst, vrf, hops, ok)


def ping_text(dst: str, source: str | None, ok: bool) -> str:
    lines = [
        "Type escape sequence to abort.",
        f"Sending 5, 100-byte ICMP Echos to {dst}, timeout is 2 seconds:",
    ]
    if source:
        lines.append(f"Packet sent with a source address of {source} ")
    if ok:
        lines += ["!!!!!", "Success rate is 100 percent (5/5), round-trip min/avg/max = 1/1/2 ms"]
    else:
        lines += [".....", "Success rate is 0 percent (0/5)"]
    return "\n".join(lines) + "\n"


def traceroute_text(dst: str, vrf: str, hops: list[str], ok: bool) -> str:
    lines = ["Type escape sequence to abort.", f"Tracing the route to {dst}"]
    if vrf:
        lines.append("VRF info: (vrf in name/id, vrf out name/id)")
    for n, hop in enumerate(hops, start=1):
        lines.append(f"{n:>3} {hop} 1 msec 1 msec 1 msec")
    if not ok:
        for n in range(len(hops) + 1, 31):
            lines.append(f"{n:>3}  *  *  * ")
    return "\n".join(lines) + "\n"
