"""What the lab's own ``show`` commands print (the control plane's are in lab/model/network.py)."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import UTC, datetime

from lab.cli.base import ExecContext, ExecMatch, Handler, Reply
from lab.config.device import Device
from lab.hardware.interfaces import short_name
from lab.hardware.models import MODELS
from lab.show import interfaces, platform
from lab.show.interfaces import PortView, port_view


def _config_header(body: str) -> str:
    return f"Building configuration...\n\nCurrent configuration : {len(body.encode())} bytes\n"


def _ios_time(stamp: float) -> str:
    """``13:30:01 UTC Wed Nov 25 2026`` as IOS stamps config changes."""
    when = datetime.fromtimestamp(stamp, UTC)
    return f"{when:%H:%M:%S} UTC {when:%a %b} {when.day} {when.year}"


def _stamped(device: Device, body: str) -> str:
    """The running config with IOS's ``! Last configuration change`` comment lines."""
    stamps = []
    if device.last_change is not None:
        stamps.append(f"! Last configuration change at {_ios_time(device.last_change)} by admin")
    if device.last_saved is not None:
        stamps.append(f"! NVRAM config last updated at {_ios_time(device.last_saved)} by admin")
    if not stamps or not body.startswith("!\n"):
        return body
    return "!\n" + "\n".join(stamps) + "\n" + body


# -- handlers --------------------------------------------------------------------------------
def show_running_config(ctx: ExecContext, m: ExecMatch) -> Handler:
    body = _stamped(ctx.device, ctx.device.running_config())
    return Reply(_config_header(body) + body.rstrip("\n") + "\n")
    yield  # pragma: no cover - makes this a generator


def show_running_config_interface(ctx: ExecContext, m: ExecMatch) -> Handler:
    body = ctx.device.interface_config(m.args["INTERFACE"])
    if body is None:
        return Reply(refused_word=len(m.words) - 1)
    return Reply(_config_header(body) + body)
    yield  # pragma: no cover


def show_startup_config(ctx: ExecContext, m: ExecMatch) -> Handler:
    body = ctx.device.startup_config()
    return Reply(f"Using {len(body.encode())} out of 33554432 bytes\n" + body.rstrip("\n") + "\n")
    yield  # pragma: no cover


def _uptime(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    text = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return ", ".join(text) or "0 minutes"


def _from_config(config: str, pattern: str, default: str) -> str:
    match = re.search(pattern, config, re.MULTILINE)
    return match.group(1) if match else default


def _serial(device: Device) -> str:
    """The chassis serial: the config's `license udi ... sn`, else one derived from the name."""
    fallback = "FDO" + hashlib.sha256(device.name.encode()).hexdigest()[:8].upper()
    return _from_config(device.running_config(), r"^license udi pid \S+ sn (\S+)", fallback)


def show_version(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`show version` as the device's platform prints it (lab/show/platform.py)."""
    device = ctx.device
    uptime = _uptime(time.time() - ctx.booted)
    hardware = MODELS[device.model]
    return Reply(platform.show_version(hardware, device.hostname, _serial(device), uptime))
    yield  # pragma: no cover


def show_inventory(ctx: ExecContext, m: ExecMatch) -> Handler:
    device = ctx.device
    return Reply(platform.show_inventory(MODELS[device.model], _serial(device)))
    yield  # pragma: no cover


def show_clock(ctx: ExecContext, m: ExecMatch) -> Handler:
    now = datetime.now(UTC)
    return Reply(f"*{now:%H:%M:%S}.{now.microsecond // 1000:03d} UTC {now:%a %b %d %Y}\n")
    yield  # pragma: no cover


# `show processes cpu` / `show memory statistics` as IOS XE prints them (Cisco command reference
# sample output; NAPALM's get_environment reads the `one minute` figure and the Processor/I/O
# rows): https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/fundamentals/command/fundamentals-cr-book/fundamentals-s4.html
def show_processes_cpu(ctx: ExecContext, m: ExecMatch) -> Handler:
    return Reply(
        "CPU utilization for five seconds: 1%/0%; one minute: 1%; five minutes: 1%\n"
        " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process \n"
        "   1          12          42        285  0.00%  0.00%  0.00%   0 Chunk Manager    \n"
        "   2         131         884        148  0.00%  0.00%  0.00%   0 Load Meter       \n"
        "   3           0           1          0  0.00%  0.00%  0.00%   0 SpanTree Helper  \n"
    )
    yield  # pragma: no cover


def show_memory_statistics(ctx: ExecContext, m: ExecMatch) -> Handler:
    return Reply(
        "                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)\n"
        "Processor  7F8A5D1010   1838116864   241545880  1596570984  1594868288  1590528164\n"
        " lsmpi_io  7F8A5C8018      6295128     6294304         824         824         412\n"
    )
    yield  # pragma: no cover


def show_vrf(ctx: ExecContext, m: ExecMatch) -> Handler:
    lines = ["  Name                             Default RD            Protocols   Interfaces"]
    for vrf in ctx.device.vrfs():
        protocols = ",".join(dict.fromkeys(af.split()[0] for af in vrf.address_families))
        ifs = [short_name(name) for name in vrf.interfaces] or [""]
        row = f"  {vrf.name:<33}{vrf.rd or '<not set>':<22}{protocols or '<none>':<12}{ifs[0]}"
        lines.append(row.rstrip())
        lines += [" " * 69 + extra for extra in ifs[1:]]
    return Reply("\n".join(lines) + "\n")
    yield  # pragma: no cover


def show_vrf_detail(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`show vrf detail` (IOS XE layout; NAPALM's get_network_instances reads it): one block
    per VRF, blocks separated by a blank line."""
    blocks = []
    for vrf_id, vrf in enumerate(ctx.device.vrfs(), start=1):
        rd = vrf.rd or "<not set>"
        lines = [
            f"VRF {vrf.name} (VRF Id = {vrf_id}); default RD {rd}; default VPNID <not set>",
            "  New CLI format, supports multiple address-families",
            "  Flags: 0x1808",
        ]
        if vrf.interfaces:
            lines.append("  Interfaces:")
            lines += [f"    {short_name(name)}" for name in vrf.interfaces]
        else:
            lines.append("  No interfaces")
        for family in ("ipv4", "ipv6"):
            if family in vrf.address_families:
                lines += [
                    f"Address family {family} unicast (Table ID = 0x{vrf_id:X}):",
                    "  Flags: 0x0",
                    "  No Export VPN route-target communities",
                    "  No Import VPN route-target communities",
                    "  No import route-map",
                    "  No global export route-map",
                    "  No export route-map",
                    "  VRF label distribution protocol: not configured",
                    "  VRF label allocation mode: per-prefix",
                ]
            else:
                lines.append(f"Address family {family} unicast not active")
        lines.append("Address family ipv4 multicast not active")
        blocks.append("\n".join(lines))
    return Reply("\n\n".join(blocks) + ("\n" if blocks else ""))
    yield  # pragma: no cover


def show_ip_interface_brief(ctx: ExecContext, m: ExecMatch) -> Handler:
    network = ctx.network()
    lines = ["Interface              IP-Address      OK? Method Status                Protocol"]
    startup = ctx.device.startup_config()
    for info in ctx.device.interfaces():
        address, method = info.ip or "unassigned", "unset"
        if info.ip:  # NVRAM: the address was loaded from the startup config
            saved = f" ip address {info.ip} {info.mask}\n" in startup
            method = "NVRAM" if saved else "manual"
        if info.dhcp:
            lease = network.dhcp_lease(ctx.device.name, info.name) if network else None
            address, method = (lease[0] if lease else "unassigned"), "DHCP"
        status, proto = ("administratively down", "down") if info.shutdown else ("up", "up")
        lines.append(f"{info.name:<23}{address:<16}YES {method:<7}{status:<22}{proto}")
    return Reply("\n".join(lines) + "\n")
    yield  # pragma: no cover


def _port_views(ctx: ExecContext, only: str | None) -> list[PortView] | None:
    """Views of every interface (or of `only`, None when the device has no such interface)."""
    device, network = ctx.device, ctx.network()
    hardware = MODELS[device.model]
    views = []
    wanted = None
    if only is not None:
        text = device.interface_config(only)
        if text is None:
            return None
        wanted = next(line.split()[1] for line in text.splitlines() if line.startswith("interface"))
    for info in device.interfaces():
        if wanted is not None and info.name != wanted:
            continue
        text = device.interface_config(info.name) or ""
        children = [line.strip() for line in text.splitlines() if line.startswith(" ")]
        view = port_view(info.name, info.shutdown, children)
        view.switchport = view.switchport or info.name in hardware.switchports
        if info.dhcp and network is not None:
            lease = network.dhcp_lease(device.name, info.name)
            if lease:
                view.ip, view.mask = lease
        views.append(view)
    return views


def show_interfaces(ctx: ExecContext, m: ExecMatch) -> Handler:
    views = _port_views(ctx, m.args.get("INTERFACE"))
    if views is None:
        return Reply(refused_word=len(m.words) - 1)
    hardware = MODELS[ctx.device.model]
    return Reply(interfaces.show_interfaces(ctx.device.name, hardware, views))
    yield  # pragma: no cover


def show_ip_interface(ctx: ExecContext, m: ExecMatch) -> Handler:
    views = _port_views(ctx, m.args.get("INTERFACE"))
    if views is None:
        return Reply(refused_word=len(m.words) - 1)
    startup = ctx.device.startup_config()
    saved = {v.name for v in views if v.ip and f" ip address {v.ip} {v.mask}\n" in startup}
    return Reply(interfaces.show_ip_interface(views, saved))
    yield  # pragma: no cover
