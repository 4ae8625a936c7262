"""The configuration a freshly provisioned ISR shows (SSH enabled), and IOS type 9 secrets."""

from __future__ import annotations

import base64
import hashlib
import os
import zlib

from lab.hardware.models import MODELS, SOFTWARE_RELEASE

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
    lines = [
        f"version {SOFTWARE_RELEASE}",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "service password-encryption",
        f"hostname {hostname}",
        "boot-start-marker",
        "boot-end-marker",
        f"enable secret 9 {type9_secret(enable_secret)}",
        "no aaa new-model",
        "ip domain name lab.example",
        "login on-success log",
        f"license udi pid {MODELS[model].pid} sn FDO{zlib.crc32(hostname.encode()) % 10**7:07d}X",
        f"username {username} privilege 15 secret 9 {type9_secret(password)}",
    ]
    for name in MODELS[model].interfaces:
        lines += [f"interface {name}", " no ip address", " shutdown", " negotiation auto"]
    lines += [
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
