"""`show version` and `show inventory` as each catalogue platform prints them.

Formats follow real captures kept in tests/fixtures/real-outputs/ (see SOURCES.md there):
IOS XE 17 `show version` (ISR 4451-X and Catalyst 8000V captures from genieparser's test data),
classic IOS 15 on IOSv, and `show inventory` of an ISR4331, a Catalyst 8300 and a Catalyst 8000V.
"""

from __future__ import annotations

from lab.hardware.models import RELEASES, HardwareModel

_GPL = (
    "Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.\n"
    "All rights reserved.  Certain components of Cisco IOS-XE software are\n"
    'licensed under the GNU General Public License ("GPL") Version 2.0.  The\n'
    "software code licensed under GPL Version 2.0 is free software that comes\n"
    "with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such\n"
    "GPL code under the terms of GPL Version 2.0.  For more details, see the\n"
    'documentation or "License Notice" file accompanying the IOS-XE software,\n'
    "or the applicable URL provided on the flyer accompanying the IOS-XE\n"
    "software.\n"
)
_CRYPTO = (
    "This product contains cryptographic features and is subject to United\n"
    "States and local country laws governing import, export, transfer and\n"
    "use. Delivery of Cisco cryptographic products does not imply\n"
    "third-party authority to import, export, distribute or use encryption.\n"
    "Importers, exporters, distributors and users are responsible for\n"
    "compliance with U.S. and local country laws. By using this product you\n"
    "agree to comply with applicable laws and regulations. If you are unable\n"
    "to comply with U.S. and local laws, return this product immediately.\n\n"
    "A summary of U.S. laws governing Cisco cryptographic products may be found at:\n"
    "http://www.cisco.com/wwl/export/crypto/tool/stqrg.html\n\n"
    "If you require further assistance please contact us by sending email to\n"
    "export@cisco.com.\n"
)


def _gigabit_count(hardware: HardwareModel) -> int:
    return sum(name.startswith("GigabitEthernet") for name in hardware.interfaces)


def show_version(hardware: HardwareModel, hostname: str, serial: str, uptime: str) -> str:
    """The platform's `show version` (IOS XE 17 or classic IOS 15, by its release)."""
    family, release = hardware.software, RELEASES[hardware.release]
    if family.classic:
        return _classic_version(hardware, hostname, serial, uptime)
    image = family.image_file.format(v=release.long)
    processor = family.processor.format(pid=hardware.pid)
    virtual_ethernet = "" if family.virtual else "1 Virtual Ethernet interface\n"
    rom = "IOS-XE ROMMON" if family.virtual else "16.12(2r)"
    return (
        f"Cisco IOS XE Software, Version {release.long}\n"
        f"Cisco IOS Software [{release.train}], {family.software} ({family.image_code}), "
        f"Version {release.short}, RELEASE SOFTWARE (fc3)\n"
        "Technical Support: http://www.cisco.com/techsupport\n"
        f"Copyright (c) 1986-2023 by Cisco Systems, Inc.\nCompiled {release.compiled}\n\n\n"
        f"{_GPL}\n\n"
        f"ROM: {rom}\n\n"
        f"{hostname} uptime is {uptime}\n"
        f"Uptime for this control processor is {uptime}\n"
        "System returned to ROM by PowerOn\n"
        f'System image file is "{image}"\n'
        "Last reload reason: PowerOn\n\n\n\n"
        f"{_CRYPTO}\n\n"
        f"cisco {processor} processor with {family.memory} bytes of memory.\n"
        f"Processor board ID {serial}\n"
        "Router operating mode: Autonomous\n"
        f"{virtual_ethernet}"
        f"{_gigabit_count(hardware)} Gigabit Ethernet interfaces\n"
        "32768K bytes of non-volatile configuration memory.\n"
        "4194304K bytes of physical memory.\n"
        f"{family.storage}\n\n"
        "Configuration register is 0x2102\n"
    )


def _classic_version(hardware: HardwareModel, hostname: str, serial: str, uptime: str) -> str:
    # IOSv prints "with  with" in its processor line: a quirk of the image, kept as it is.
    family, release = hardware.software, RELEASES[hardware.release]
    return (
        f"Cisco IOS Software, {family.software} ({family.image_code}), "
        f"Version {release.long}, RELEASE SOFTWARE (fc1)\n"
        "Technical Support: http://www.cisco.com/techsupport\n"
        f"Copyright (c) 1986-2021 by Cisco Systems, Inc.\nCompiled {release.compiled}\n\n\n"
        "ROM: Bootstrap program is IOSv\n\n"
        f"{hostname} uptime is {uptime}\n"
        "System returned to ROM by reload\n"
        f'System image file is "{family.image_file}"\n'
        "Last reload reason: Unknown reason\n\n\n\n"
        f"{_CRYPTO}\n\n"
        f"Cisco {family.processor} with  with {family.memory} bytes of memory.\n"
        f"Processor board ID {serial}\n"
        f"{_gigabit_count(hardware)} Gigabit Ethernet interfaces\n"
        "DRAM configuration is 72 bits wide with parity disabled.\n"
        "256K bytes of non-volatile configuration memory.\n"
        f"{family.storage}\n"
        "0K bytes of ATA CompactFlash 1 (Read/Write)\n\n"
        "Configuration register is 0x0\n"
    )


def _entry(name: str, descr: str, pid: str, vid: str = "", sn: str = "") -> str:
    return f'NAME: "{name}", DESCR: "{descr}"\nPID: {pid:<18}, VID: {vid:<5}, SN: {sn:<11}\n'


def show_inventory(hardware: HardwareModel, serial: str) -> str:
    """`show inventory`: chassis, route/forwarding processors and the on-board port module."""
    family, pid = hardware.software, hardware.pid
    if family.classic:
        return _entry(
            pid, f"{pid} chassis, Hw Serial#: {serial}, Hw Revision: 1.0", pid, "1.0", serial
        )
    product = hardware.chassis.removesuffix(" Chassis")
    if family.virtual:
        entries = [
            _entry("Chassis", hardware.chassis, pid, "V00", serial),
            _entry("module R0", f"{product} Route Processor", pid, "V00", serial),
            _entry("module F0", f"{product} Embedded Services Processor", pid),
        ]
    else:
        ports = sum(name.startswith("GigabitEthernet0/0/") for name in hardware.interfaces)
        entries = [
            _entry("Chassis", hardware.chassis, pid, "V04", serial),
            _entry("module 0", f"{product} Built-In NIM controller", pid),
            _entry("NIM subslot 0/0", hardware.ports_module, f"{hardware.name}-{ports}x1GE", "V01"),
            _entry("module R0", f"{product} Route Processor", pid, "V04", serial),
            _entry("module F0", f"{product} Forwarding Processor", pid),
        ]
    return "\n".join(entries)
