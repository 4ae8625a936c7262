"""The hardware catalogue as data: each platform's ports, their nature, and the release it runs.

A model names the software release it emulates (`release`): syntax, factory defaults and show
formats follow it (IOS XE 17.x on ISR/Catalyst hardware and the virtual XE routers, classic IOS
15.9 on IOSv). Port lists follow each platform's hardware installation guide / data sheet:

- ISR 4000 (4321: 2 GE, 4331/4351: 3 GE, 4431/4451-X/4461: 4 GE on slot 0/0, plus the dedicated
  management port GigabitEthernet0 in VRF Mgmt-intf):
  https://www.cisco.com/c/en/us/td/docs/routers/access/4400/hardware/installation/guide4400-4300/C4400_isr.html
  https://www.cisco.com/c/en/us/td/docs/routers/access/4400/software/configuration/xe-16-6/isr4400swcfg-xe-16-6-book/configuring_the_management_ethernet_interface.html
- ISR1100 (C1111-4P/-8P: 2 GE WAN, C1121-8P: 1 GE WAN, C1161-8P: 2 GE WAN; LAN ports on slot
  0/1 are layer-2 switchports, the LAN address lives on `interface VlanN`):
  https://www.cisco.com/c/en/us/td/docs/routers/access/isr1100/software/configuration/xe-17/isr1100-sw-config-xe-17.html
- Catalyst 8200-1N-4T (4 GE), 8300-1N1S-6T (6 GE, management port GigabitEthernet0):
  https://www.cisco.com/c/en/us/products/collateral/routers/catalyst-8200-series-edge-platforms/datasheet-c78-744089.html
  https://www.cisco.com/c/en/us/products/collateral/routers/catalyst-8300-series-edge-platforms/datasheet-c78-744088.html
- CML images: IOSv GigabitEthernet0/0-0/15 (the CML `iosv` node definition takes up to 16
  interfaces, tasks/cml_nodes.py; a real IOSv running-config with GigabitEthernet0/0-0/6 is in
  tests/fixtures/real-configs/iosv_zbfw_edge.cfg), CSR1000v and Catalyst 8000V GigabitEthernet1..
  (see tasks/cml_nodes.py for the node-definition sources).

>>> MODELS["ISR4321"].interfaces
('GigabitEthernet0', 'GigabitEthernet0/0/0', 'GigabitEthernet0/0/1')
>>> MODELS["C1111-8P"].switchports[-1]
'GigabitEthernet0/1/7'
>>> model_of_pid("ISR4331/K9")
'ISR4331'
"""

from __future__ import annotations

from dataclasses import dataclass

MGMT_VRF = "Mgmt-intf"  # the ISR 4000 / Catalyst 8300 management port's own VRF


@dataclass(frozen=True)
class Family:
    """What a product line shares in `show version`: software name, image, memory, storage."""

    software: str  # `Cisco IOS Software [...], <software> (<image_code>)`
    image_code: str
    image_file: str  # `{v}` is the long version (17.09.04a)
    processor: str  # `cisco <processor> processor ...`; `{pid}` is the chassis PID
    memory: str
    storage: str  # the flash/bootflash line
    classic: bool = False  # classic IOS (IOSv): 15.x show formats
    virtual: bool = False  # a virtual router (no chassis hardware, `negotiation auto` ports)


FAMILIES: dict[str, Family] = {
    "isr4300": Family(
        "ISR Software", "X86_64_LINUX_IOSD-UNIVERSALK9-M",
        "bootflash:isr4300-universalk9.{v}.SPA.bin", "{pid} (1RU)", "1795979K/6147K",
        "7341807K bytes of flash memory at bootflash:.",
    ),
    "isr4400": Family(
        "ISR Software", "X86_64_LINUX_IOSD-UNIVERSALK9-M",
        "bootflash:isr4400-universalk9.{v}.SPA.bin", "{pid} (2RU)", "1795979K/6147K",
        "7341807K bytes of flash memory at bootflash:.",
    ),
    "isr1100": Family(
        "ISR Software", "ARMV8EB_LINUX_IOSD-UNIVERSALK9_IAS-M",
        "bootflash:c1100-universalk9_ias.{v}.SPA.bin", "{pid} (1RU)", "1419044K/6147K",
        "3223551K bytes of flash memory at bootflash:.",
    ),
    "c8000be": Family(
        "c8000be Software", "X86_64_LINUX_IOSD-UNIVERSALK9-M",
        "bootflash:c8000be-universalk9.{v}.SPA.bin", "{pid} (1RU)", "3756199K/6147K",
        "7090175K bytes of flash memory at bootflash:.",
    ),
    "csr1000v": Family(
        "Virtual XE Software", "X86_64_LINUX_IOSD-UNIVERSALK9-M",
        "bootflash:packages.conf", "CSR1000V (VXE) processor (revision VXE)", "2071829K/3075K",
        "6188032K bytes of virtual hard disk at bootflash:.", virtual=True,
    ),
    "c8000v": Family(
        "Virtual XE Software", "X86_64_LINUX_IOSD-UNIVERSALK9-M",
        "bootflash:packages.conf", "C8000V (VXE) processor (revision VXE)", "1900130K/3075K",
        "14589951K bytes of virtual hard disk at bootflash:.", virtual=True,
    ),
    "iosv": Family(
        "IOSv Software", "VIOS-ADVENTERPRISEK9-M", "flash0:/vios-adventerprisek9-m",
        "IOSv (revision 1.0)", "460137K/62464K",
        "2097152K bytes of ATA System CompactFlash 0 (Read/Write)", classic=True, virtual=True,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Release:
    """A software release as `show version` spells it."""

    long: str  # IOS XE `Version 17.09.04a`; classic IOS `15.9(3)M4`
    short: str  # IOS `Version 17.9.4a`
    train: str  # IOS XE code name (`Cupertino`), empty for classic IOS
    compiled: str


RELEASES: dict[str, Release] = {
    "17.9": Release("17.09.04a", "17.9.4a", "Cupertino", "Sun 13-Aug-23 06:06 by mcpre"),
    "17.3": Release("17.03.04a", "17.3.4a", "Amsterdam", "Tue 20-Jul-21 04:59 by mcpre"),
    "15.9": Release("15.9(3)M4", "15.9(3)M4", "", "Thu 28-Oct-21 17:40 by mcpre"),
}


@dataclass(frozen=True)
class HardwareModel:
    """One platform: its ports (in IOS order), `license udi pid`, family and release."""

    name: str
    pid: str  # what `license udi pid` and `show inventory` show
    family: str
    release: str
    routed: tuple[str, ...]  # layer-3 ports (WAN, on-board GE)
    switchports: tuple[str, ...] = ()  # layer-2 LAN ports (ISR1100 slot 0/1)
    management: str | None = None  # dedicated management port, in VRF Mgmt-intf
    chassis: str = ""  # `show inventory` chassis description
    ports_module: str = ""  # `show inventory` NIM subslot 0/0 description

    @property
    def interfaces(self) -> tuple[str, ...]:
        """Every physical port, in the order `show running-config` prints them."""
        mgmt = (self.management,) if self.management else ()
        return (*mgmt, *self.routed, *self.switchports)

    @property
    def software(self) -> Family:
        return FAMILIES[self.family]


def _ports(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(count))


def _virtual(count: int) -> tuple[str, ...]:
    return tuple(f"GigabitEthernet{n}" for n in range(1, count + 1))


def _isr4k(number: str, ports: int, family: str) -> HardwareModel:
    pid = f"ISR{number}/K9"
    return HardwareModel(
        f"ISR{number}", pid, family, "17.9", _ports("GigabitEthernet0/0/", ports),
        management="GigabitEthernet0", chassis=f"Cisco ISR{number.removesuffix('-X')} Chassis",
        ports_module=f"Front Panel {ports} ports Gigabitethernet Module",
    )  # fmt: skip


def _isr1100(pid: str, wan: int, lan: int) -> HardwareModel:
    return HardwareModel(
        pid, pid, "isr1100", "17.9", _ports("GigabitEthernet0/0/", wan),
        switchports=_ports("GigabitEthernet0/1/", lan), chassis=f"Cisco {pid} Chassis",
        ports_module=f"Front Panel {wan} ports Gigabitethernet Module",
    )  # fmt: skip


CATALOGUE: tuple[HardwareModel, ...] = (
    _isr4k("4321", 2, "isr4300"),
    _isr4k("4331", 3, "isr4300"),
    _isr4k("4351", 3, "isr4300"),
    _isr4k("4431", 4, "isr4400"),
    _isr4k("4451-X", 4, "isr4400"),
    _isr4k("4461", 4, "isr4400"),
    _isr1100("C1111-4P", 2, 4),
    _isr1100("C1111-8P", 2, 8),
    _isr1100("C1121-8P", 1, 8),
    _isr1100("C1161-8P", 2, 8),
    HardwareModel(
        "C8200-1N-4T",
        "C8200-1N-4T",
        "c8000be",
        "17.9",
        _ports("GigabitEthernet0/0/", 4),
        chassis="Cisco C8200-1N-4T Chassis",
        ports_module="Front Panel 4 ports Gigabitethernet Module",
    ),
    HardwareModel(
        "C8300-1N1S-6T",
        "C8300-1N1S-6T",
        "c8000be",
        "17.9",
        _ports("GigabitEthernet0/0/", 6),
        management="GigabitEthernet0",
        chassis="Cisco C8300-1N1S-6T Chassis",
        ports_module="Front Panel 6 ports Gigabitethernet Module",
    ),
    HardwareModel("IOSv", "IOSv", "iosv", "15.9", _ports("GigabitEthernet0/", 16)),
    HardwareModel(
        "CSR1000V",
        "CSR1000V",
        "csr1000v",
        "17.3",
        _virtual(4),
        chassis="Cisco CSR1000V Chassis",
    ),
    HardwareModel(
        "C8000V",
        "C8000V",
        "c8000v",
        "17.9",
        _virtual(4),
        chassis="Cisco Catalyst 8000V Edge Chassis",
    ),
)

XE_FAMILIES = ("isr4300", "isr4400", "isr1100", "c8000be", "csr1000v", "c8000v")
# Global lines only some platforms have: (the words, the families that have them, the index
# of the word IOS puts its caret under elsewhere). `platform console` is the virtual routers'
# console choice; `virtual-service csr_mgmt` the CSR1000V's; MMI and `scheduler allocate`
# are classic IOS (IOSv), `subscriber templating` and the `platform` lines IOS XE.
PLATFORM_ONLY: tuple[tuple[tuple[str, ...], tuple[str, ...], int], ...] = (
    (("platform", "console"), ("csr1000v", "c8000v"), 1),
    (("virtual-service",), ("csr1000v",), 0),
    (("platform",), XE_FAMILIES, 0),
    (("no", "platform"), XE_FAMILIES, 1),
    (("subscriber",), XE_FAMILIES, 0),
    (("license", "boot"), XE_FAMILIES, 1),
    (("mmi",), ("iosv",), 0),
    (("no", "mmi"), ("iosv",), 1),
    (("no", "scheduler"), ("iosv",), 1),
    (("ipv6", "ioam"), ("iosv",), 1),
)


# A last keyword only some platforms offer on a global command: (the command's words, the
# keyword, the families that have it). IOS XE's multicast examples always end in `distributed`
# (lab/grammar/rows_multicast.py); classic IOS on IOSv has no such keyword.
PLATFORM_KEYWORDS: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = (
    (("ip", "multicast-routing"), "distributed", XE_FAMILIES),
)


def refused_word(family: str, words: list[str]) -> int | None:
    """Index of the word a platform refuses in a global line it lacks, else None."""
    lowered = [w.lower() for w in words]
    for prefix, families, caret in PLATFORM_ONLY:
        if tuple(lowered[: len(prefix)]) == prefix:
            return None if family in families else caret
    start = 1 if lowered[:1] == ["no"] else 0
    for command, keyword, families in PLATFORM_KEYWORDS:
        typed = lowered[start : start + len(command)]
        last = lowered[-1] if len(lowered) > start + len(command) else ""
        abbreviates = len(typed) == len(command) and all(
            full.startswith(word) for word, full in zip(typed, command, strict=True)
        )
        if abbreviates and len(last) >= 2 and keyword.startswith(last):
            return None if family in families else len(lowered) - 1
    return None


MODELS: dict[str, HardwareModel] = {m.name: m for m in CATALOGUE}
# IOS-on-Linux lab image: the public real-configs were captured on it (not a catalogue product)
MODELS["IOL"] = HardwareModel(
    "IOL", "IOL", "iosv", "15.9", tuple(f"Ethernet{s}/{p}" for s in range(2) for p in range(4))
)
DEFAULT_MODEL = "ISR4321"


def model_of_pid(pid: str) -> str | None:
    return next((m.name for m in MODELS.values() if m.pid == pid), None)


def known_models() -> tuple[str, ...]:
    """The model names an inventory's `data.model` may use with the lab."""
    return tuple(MODELS)
