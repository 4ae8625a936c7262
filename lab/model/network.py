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
from lab.model.underlay import dhcp_leases, nat_address
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
        # router NAT entries the pings created, per device (kept in this process only):
        # (inside global, inside local, outside) -> last use
        self.nat_entries: dict[str, dict[tuple[str, str, str], float]] = {}
        self.icmp_timeout = 60.0  # `ip nat translation icmp-timeout` default, seconds

    def nat_translations(self, device: str) -> list[tuple[str, str, str]]:
        """Live NAT entries of `device` (inside global, inside local, outside), oldest first."""
        now = time.time()
        entries = self.nat_entries.get(device, {})
        for key in [k for k, used in entries.items() if now - used > self.icmp_timeout]:
            del entries[key]
        return sorted(entries, key=lambda k: entries[k])

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
        self.state.load()
        for (dev, name), (ip, mask, _gw) in dhcp_leases(cfgs, self.state.epochs()).items():
            if dev == device and name.lower() == interface.lower():
                return ip, mask
        return None

    def reset(self, device: str) -> None:
        """Forget every adjacency and shortcut of a device (factory reset of its config)."""
        self.state.load()
        self.state.drop_matching(lambda key: device in key.split("|"))
        forgot = [self.state.nbma.pop(device, None), self.state.reloads.pop(device, None)]
        if any(x is not None for x in forgot):  # a factory device: first lease, never rebooted
            self.state.touch()
        self.state.save()

    def clear(self, device: str, what: str) -> None:
        """`clear crypto session` / `clear crypto ikev2 sa` (`crypto`), `clear ip nhrp` (`nhrp`),
        `clear ip nat translation *` (`nat`)."""
        if what == "nat":
            self.nat_entries.pop(device, None)
            return
        prefixes = CLEARED[what]
        self.state.load()

        def involved(key: str) -> bool:
            parts = key.split("|")
            return key.startswith(prefixes) and len(parts) > 3 and device in (parts[1], parts[3])

        self.state.drop_matching(involved)
        if what == "nhrp":  # the entries this device held for other devices' old addresses
            for other, record in self.state.nbma.items():
                if other != device and record.get("unique"):
                    record["unique"] = False
                    self.state.touch()
        if "sa|" in prefixes:  # shortcuts ride on their SAs
            self.state.drop_matching(
                lambda k: k.startswith(("sc|", "nhrp-sc|")) and device in k.split("|")
            )
        self.state.save()

    def change_nbma(self, device: str) -> str:
        """A new DHCP lease behind a NAT rebinding: the device's WAN gets a new address and the
        internet a new public one (returned). Its SAs and registrations die with the old mapping;
        the hub keeps its NHRP entry for the old address (see lab.model.events)."""
        self.state.load()
        names = list(self.configs())
        record = self.state.nbma.get(device, {})
        epoch = int(record.get("epoch", 0))
        registered = [
            float(entry["visible"])
            for key, entry in self.state.adj.items()
            if key.startswith(f"reg|{device}|") and entry.get("visible") is not None
        ]
        tunnels = device_config(self.configs()[device]).interfaces.values()
        self.state.nbma[device] = {
            "epoch": epoch + 1,
            "at": time.time(),
            "old_nbma": nat_address(names, device, epoch),
            "since": min(registered, default=None),
            # the flag the hub's entry carries is the one the spoke registered with
            "unique": any(t.nhs and not t.nhrp_no_unique for t in tunnels),
        }
        self.state.touch()
        self.state.drop_matching(lambda key: _involves(key, device, ("sa|", "reg|", "sc|")))
        self.state.drop_matching(lambda key: key.startswith("nhrp-sc|") and device in key)
        self.state.save()
        return nat_address(names, device, epoch + 1)

    def reloaded(self, device: str) -> None:
        """The device rebooted: it forgot its SAs, registrations and adjacencies; SAs its peers
        initiated to it stay on their side, stale, until dead-peer detection clears them."""
        self.state.load()
        self.state.reloads[device] = time.time()
        self.state.touch()

        def forgotten(key: str) -> bool:
            parts = key.split("|")
            if key.startswith("sa|"):
                return len(parts) > 1 and parts[1] == device  # it initiated: gone for both
            return device in parts

        self.state.drop_matching(forgotten)
        self.state.save()

    def trace(
        self, world: World, device: str, vrf: str, dst: str, source: str | None
    ) -> PathResult:
        """Walk a ping from `device` to `dst` and its reply back (phase-3 redirects noted)."""
        vrf = vrf or ""
        src = source_address(world, device, vrf, source)
        if source and src is None:
            return PathResult(None, False, [], bad_source=True)
        fwd = walk(world, device, vrf, dst, source=src)
        src = src or fwd.egress_ip
        back = None
        reply_to = fwd.source or src
        if fwd.delivered and fwd.delivered[0] != "isp" and reply_to:
            back = walk(
                world,
                fwd.delivered[0],
                fwd.delivered[1],
                fwd.nat.get(reply_to, reply_to),
                reply=True,
                translations=fwd.translations,
            )
        reached = fwd.delivered
        ok = reached is not None and (
            reached[0] == "isp" or bool(back and back.delivered and back.delivered[0] == device)
        )
        if ok:
            for (router, public), (inside, _vrf) in fwd.translations.items():
                self.nat_entries.setdefault(router, {})[(public, inside, dst)] = time.time()
        for walk_ in (fwd, back):
            for sender, peer in walk_.redirects if walk_ else []:
                if sender.iface.nhrp_shortcut:
                    key = f"sc|{sender.device}|{sender.name}|{peer.device}|{peer.name}"
                    reverse = f"sc|{peer.device}|{peer.name}|{sender.device}|{sender.name}"
                    self.state.request_shortcut(reverse if reverse in self.state.shortcuts else key)
        return PathResult(src, ok, [*fwd.hops[:-1], dst] if ok else fwd.hops)


def _involves(key: str, device: str, prefixes: tuple[str, ...] = ("reg|",)) -> bool:
    """A state key of one of ``prefixes`` naming ``device`` at either end."""
    parts = key.split("|")
    return key.startswith(prefixes) and len(parts) > 3 and device in (parts[1], parts[3])
