"""The shapes of an inventory's tenant and credential entries (pydantic), and pydantic's
complaints about an entry turned into `Problem`s that name the file, the place and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Address, IPv4Network

from pydantic import Field, ValidationError

from tasks.intent import Problem, TunnelSource, _Spec


class TenantSpec(_Spec):
    name: str = Field(pattern=r"^[a-z][a-z0-9]{0,19}$")
    headend: str
    vrf: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,32}$")
    tunnel: int = Field(ge=0, le=2147483647)
    tunnel_key: int = Field(ge=0, le=4294967295)
    nhrp_network_id: int = Field(ge=1, le=4294967295)
    tunnel_subnet: IPv4Network
    hub_tunnel_ip: IPv4Address
    eigrp_as: int = Field(ge=1, le=65535)
    ikev2_domain: str = Field(
        max_length=200, pattern=r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"
    )
    multicast: bool = False
    multicast_rp: IPv4Address | None = None  # default: the hub's tunnel address
    summary: IPv4Network | None = None
    tunnel_source: TunnelSource | None = None  # default: the headend's WAN, shared
    psk: str
    nhrp_key: str


class CredentialsSpec(_Spec):
    username: str
    password: str
    enable: str | None = None


# What a pattern means, for people (pydantic would print the regular expression).
PATTERN_HINTS = {
    "name": "lower-case letters and digits, starting with a letter, at most 20",
    "vrf": "a VRF name: letters, digits, '_', '.', '-', at most 32",
    "ikev2_domain": "a lower-case DNS domain such as event42.example.net",
    "transform_set": "a name without spaces",
    "interface": "a loopback interface name such as Loopback42",
}

SECRET_FIELDS = frozenset({"psk", "nhrp_key", "credentials", "username", "password", "enable"})


def pydantic_problems(
    err: ValidationError, locate: Callable[[str], tuple[str, str]], prefix: str
) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = [str(part) for part in e["loc"]]
        file, where = locate(loc[0] if loc else "")
        message = str(e["msg"]).removeprefix("Value error, ")
        if e["type"] == "missing":
            message = "required field is missing"
        elif e["type"] == "extra_forbidden":
            message = "unknown field (typo?)"
        elif e["type"] == "string_pattern_mismatch" and loc and loc[-1] in PATTERN_HINTS:
            message = f"must be {PATTERN_HINTS[loc[-1]]} (got {e.get('input')!r})"
        elif not SECRET_FIELDS.intersection(loc) and not isinstance(e.get("input"), dict):
            message += f" (got {e.get('input')!r})"
        problems.append(Problem(file, where, ".".join([prefix, *loc] if prefix else loc), message))
    return problems


def fixed_location(location: tuple[str, str], _key: str) -> tuple[str, str]:
    """A `locate` for a value that came from one place as a whole (e.g. `wan` from a host)."""
    return location
