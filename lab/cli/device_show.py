"""What the lab's own ``show`` commands print (the control plane's are in lab/model/network.py)."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import UTC, datetime

from lab.cli.base import ExecContext, ExecMatch, Handler, Reply
from lab.config.device import Device
from lab.hardware.interfaces import short_name
from lab.hardware.models import MODELS, SOFTWARE_RELEASE


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


def show_version(ctx: ExecContext, m: ExecMatch) -> Handler:
    """IOS-XE ``show version``: release from the config's ``version`` line, serial from its UDI."""
    device = ctx.device
    config = device.running_config()
    major, minor = _from_config(config, r"^version (\d+\.\d+)", SOFTWARE_RELEASE).split(".")
    long_version = f"{major}.{int(minor):02d}.04a"
    fallback = "FDO" + hashlib.sha256(device.name.encode()).hexdigest()[:8].upper()
    serial = _from_config(config, r"^license udi pid \S+ sn (\S+)", fallback)
    uptime = _uptime(time.time() - ctx.booted)
    ports = sum(n.startswith("GigabitEthernet") for n in MODELS[device.model].interfaces)
    return Reply(
        f"Cisco IOS XE Software, Version {long_version}\n"
        "Cisco IOS Software [Amsterdam], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
        f"Version {major}.{int(minor)}.4a, RELEASE SOFTWARE (fc3)\n"
        "Technical Support: http://www.cisco.com/techsupport\n"
        "Copyright (c) 1986-2021 by Cisco Systems, Inc.\n"
        "Compiled Tue 20-Jul-21 04:59 by mcpre\n\n\n"
        "Cisco IOS-XE software, Copyright (c) 2005-2021 by cisco Systems, Inc.\n"
        "All rights reserved.  Certain components of Cisco IOS-XE software are\n"
        'licensed under the GNU General Public License ("GPL") Version 2.0.\n\n\n'
        "ROM: 16.7(5r)\n\n"
        f"{device.hostname} uptime is {uptime}\n"
        f"Uptime for this control processor is {uptime}\n"
        "System returned to ROM by PowerOn\n"
        f'System image file is "bootflash:isr4300-universalk9.{long_version}.SPA.bin"\n'
        "Last reload reason: PowerOn\n\n\n"
        f"cisco {device.model}/K9 (1RU) processor with 1795979K/6147K bytes of memory.\n"
        f"Processor board ID {serial}\n"
        "Router operating mode: Autonomous\n"
        f"{ports} Gigabit Ethernet interfaces\n"
        "32768K bytes of non-volatile configuration memory.\n"
        "4194304K bytes of physical memory.\n"
        "3207167K bytes of flash memory at bootflash:.\n\n"
        "Configuration register is 0x2102\n"
    )
    yield  # pragma: no cover


def show_clock(ctx: ExecContext, m: ExecMatch) -> Handler:
    now = datetime.now(UTC)
    return Reply(f"*{now:%H:%M:%S}.{now.microsecond // 1000:03d} UTC {now:%a %b %d %Y}\n")
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
