"""The configuration a freshly provisioned ISR shows (SSH enabled), and IOS type 9 secrets."""

from __future__ import annotations

import base64
import hashlib
import os
import zlib

from lab.hardware.models import MGMT_VRF, MODELS, HardwareModel

_CISCO64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_STD64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_TO_CISCO = str.maketrans(_STD64, _CISCO64)


def type9_secret(plain: str, salt: str | None = None) -> str:
    """IOS type 9 (scrypt) secret string: `$9$<14-char salt>$<43-char hash>`."""
    if salt is None:
        salt = base64.b64encode(os.urandom(12)).decode().translate(_TO_CISCO)[:14]
    digest = hashlib.scrypt(plain.encode(), salt=salt.encode(), n=16384, r=1, p=1, dklen=32)
    return f"$9${salt}${base64.b64encode(digest).decode().rstrip('=').translate(_TO_CISCO)}"


def verify_type9(plain: str, stored: str) -> bool:
    """True when `plain` hashes to the stored `$9$salt$hash` string."""
    parts = stored.split("$")
    return len(parts) == 4 and type9_secret(plain, parts[2]) == stored


def factory_lines(
    hostname: str,
    model: str,
    username: str = "admin",
    password: str = "admin",
    enable_secret: str = "admin",
) -> list[str]:
    """The lines a freshly provisioned ISR's running-config is built from."""
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r} (known: {', '.join(MODELS)})")
    hardware = MODELS[model]
    lines = [
        f"version {hardware.release}",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "service password-encryption",
        f"hostname {hostname}",
        "boot-start-marker",
        "boot-end-marker",
        *_management_vrf(hardware),
        f"enable secret 9 {type9_secret(enable_secret)}",
        "no aaa new-model",
        "ip domain name lab.example",
        "login on-success log",
        f"license udi pid {hardware.pid} sn {serial_number(hostname)}",
        f"username {username} privilege 15 secret 9 {type9_secret(password)}",
        *_port_lines(hardware),
        "ip forward-protocol nd",
        "no ip http server",
        "no ip http secure-server",
        "ip ssh version 2",
        "control-plane",
        "line con 0",
        " transport input none",
        " stopbits 1",
        "line aux 0",
        " stopbits 1",
        "line vty 0 4",
        " login local",
        " transport input ssh",
        "end",
    ]
    return lines


def serial_number(hostname: str) -> str:
    """A stable chassis serial number per host (`license udi ... sn`)."""
    return f"FDO{zlib.crc32(hostname.encode()) % 10**7:07d}X"


def _management_vrf(hardware: HardwareModel) -> list[str]:
    # The ISR 4000's GigabitEthernet0 sits in VRF Mgmt-intf from the factory:
    # https://www.cisco.com/c/en/us/td/docs/routers/access/4400/software/configuration/xe-16-6/isr4400swcfg-xe-16-6-book/configuring_the_management_ethernet_interface.html
    if hardware.management is None:
        return []
    return [
        f"vrf definition {MGMT_VRF}",
        " address-family ipv4",
        " exit-address-family",
        " address-family ipv6",
        " exit-address-family",
    ]


def _port_lines(hardware: HardwareModel) -> list[str]:
    """Each physical port as the platform's factory running-config prints it."""
    lines: list[str] = []
    ethernet = (
        [" duplex auto", " speed auto", " media-type rj45"]
        if hardware.software.classic
        else [" negotiation auto"]
    )
    for name in hardware.interfaces:
        lines.append(f"interface {name}")
        if name in hardware.switchports:
            continue  # a layer-2 LAN port prints no lines of its own (in VLAN 1)
        if name == hardware.management:
            lines.append(f" vrf forwarding {MGMT_VRF}")
        lines += [" no ip address", " shutdown", *ethernet]
    if hardware.switchports:
        lines += ["interface Vlan1", " no ip address", " shutdown"]
    return lines
