"""Nornir's own keys of an inventory entry (`hostname`, `port`, `platform`...), typed.

Nornir's SimpleInventory hands these values to the connection plugin as they are written: a
`port: twenty-two` only fails deep inside a connection, and a misspelt key (`hostnme:`) is
dropped without a word. They are checked here like the rest of the intent, at the entry
(host, group or defaults) that sets them.
"""

from __future__ import annotations

import re
from ipaddress import ip_address
from typing import Any

from pydantic import Field, StrictInt, StrictStr, field_validator

from tasks.intent import _Spec

# netmiko device types of the IOS family this project renders for and parses (ISR 4000 run
# IOS XE; netmiko's cisco_xe is its cisco_ios driver under another name).
PLATFORMS: tuple[str, ...] = ("cisco_ios", "cisco_xe")
DEFAULT_PLATFORM = "cisco_ios"

# RFC 1123 2.1: labels of letters, digits and '-', not starting or ending with '-', at most 63
# characters, 253 in all; "a valid host name can never have the dotted-decimal form #.#.#.#,
# since at least the highest-level component label will be alphabetic"
# (https://www.rfc-editor.org/rfc/rfc1123#section-2.1, read at
# http://www.cotse.com/CIE/RFC/1123/14.htm).
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def is_host_name(text: str) -> bool:
    """True for an IP address or a DNS host name (RFC 1123), a trailing dot allowed.

    >>> [is_host_name(t) for t in ("198.51.100.10", "hub1.example.net", "2001:db8::1")]
    [True, True, True]
    >>> [is_host_name(t) for t in ("10.42.1.256", "hub 1", "-hub.example.net", "")]
    [False, False, False, False]
    """
    try:
        ip_address(text)
        return True
    except ValueError:
        pass
    labels = text.removesuffix(".").split(".")
    if len(text) > 253 or not all(_LABEL.match(label) for label in labels):
        return False
    return not labels[-1].isdigit()


class NornirAttributes(_Spec):
    """What a host, group or defaults entry may set besides `groups` and `data`."""

    hostname: StrictStr | None = None
    port: StrictInt | None = Field(default=None, ge=1, le=65535)
    platform: StrictStr | None = None
    username: Any = None
    password: Any = None
    connection_options: dict[str, Any] | None = None

    @field_validator("hostname")
    @classmethod
    def _host_name(cls, value: str | None) -> str | None:
        if value is not None and not is_host_name(value):
            raise ValueError("must be an IP address or a DNS host name")
        return value

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str | None) -> str | None:
        if value is not None and value not in PLATFORMS:
            raise ValueError(
                f"unsupported platform: this runbook drives Cisco IOS / IOS XE through netmiko "
                f"({' or '.join(PLATFORMS)})"
            )
        return value

    @field_validator("username", "password")
    @classmethod
    def _credentials_elsewhere(cls, value: Any) -> Any:
        # A password here would sit in clear in the inventory, and neither would be used:
        # logins come from data.credentials, whose values are ${NAME} references.
        if value is not None:
            raise ValueError(
                "not used: set data.credentials (username/password as ${NAME} references)"
            )
        return value


def nornir_keys(entry: dict[str, Any], kind: str) -> dict[str, Any]:
    """The part of a raw entry `NornirAttributes` checks (`groups`, `data` are checked apart;
    defaults have no `groups`)."""
    skip = {"data"} if kind == "defaults" else {"data", "groups"}
    return {str(k): v for k, v in entry.items() if k not in skip}
