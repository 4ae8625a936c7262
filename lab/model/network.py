"""The lab's control plane: every device's running config evaluated together.

`Network(configs, state_dir, settings)` builds the `World` a show command formats
(`query(device, answer)`), clears adjacencies, walks pings and gives the address a DHCP
interface holds (see lab.model.underlay). The commands themselves are rows of the exec
grammar (lab/cli/exec_table.py), each carrying its handler (lab/cli/exec_network.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from lab.model.config_view import device_config
from lab.model.dataplane import source_address, walk
from lab.model.timers import NetState
from lab.model.underlay import dhcp_leases
from lab.model.world import World, build_world

T = TypeVar("T")
# what `clear ...` forgets: state key prefixes (see lab/model/timers.py)
CLEARED = {"crypto": ("sa|",), "nhrp": ("reg|", "nhrp-sc|", "sc|")}


@dataclass(frozen=True)
class PathResult:
    """What a ping or traceroute finds: the source used, whether replies come back, the hops."""

    source: str | None
    ok: bool
    hops: list[str]
    bad_source: bool = False


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

    # public API -------------------------------------------------------------------------
    def query(self, device: str, answer: Callable[[World], T]) -> T | None:
        """`answer(world)` on the current world (None when `device` is not modelled); the
        timers it started or advanced are saved."""
        self.state.load()
        world = build_world(self.configs(), self.state, time.time())
        if device not in world.cfgs:
            return None
        try:
            return answer(world)
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

    def clear(self, device: str, what: str) -> None:
        """`clear crypto session` / `clear crypto ikev2 sa` (`crypto`), `clear ip nhrp` (`nhrp`)."""
        prefixes = CLEARED[what]
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

    def trace(
        self, world: World, device: str, vrf: str, dst: str, source: str | None
    ) -> PathResult:
        """Walk a ping from `device` to `dst` and its reply back (phase-3 redirects noted)."""
        vrf = vrf or ""
        src = source_address(world, device, vrf, source)
        if source and src is None:
            return PathResult(None, False, [], bad_source=True)
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
        return PathResult(src, ok, [*fwd.hops[:-1], dst] if ok else fwd.hops)
