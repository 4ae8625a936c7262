"""Every configuration mode the lab knows: its prompt and its commands.

Prompts are IOS's own (`R1(config-if)#`): the table maps a grammar id to the prompt
name printed between the parentheses.  Several grammars share a prompt (the three
interface kinds, classic and named EIGRP)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lab.grammar import (
    rows_archive,
    rows_crypto,
    rows_eigrp,
    rows_global,
    rows_interface,
    rows_ipv6,
    rows_multicast,
    rows_platform,
    rows_services,
    rows_zbfw,
)
from lab.grammar.engine import Cmd, Grammar

# IPv6 and `ip virtual-reassembly` on every layer-3 interface kind
_IF_EXTRA = (*rows_ipv6.INTERFACE, *rows_services.INTERFACE, *rows_multicast.INTERFACE)


@dataclass(frozen=True)
class Mode:
    prompt: str
    cmds: tuple[Cmd, ...]
    exit_line: str | None = None  # printed by IOS after the block (`exit-address-family`)
    bang_before: bool = False  # IOS prints an indented `!` before the block
    bang_after: bool = False  # ... or after it (IKEv2 keyring peers)


MODES: dict[str, Mode] = {
    "global": Mode(
        "config",
        (
            *rows_global.GLOBAL,
            *rows_crypto.GLOBAL,
            *rows_zbfw.GLOBAL,
            *rows_archive.GLOBAL,
            *rows_platform.GLOBAL,
            *rows_ipv6.GLOBAL,
            *rows_services.GLOBAL,
            *rows_multicast.GLOBAL,
        ),
    ),
    "redundancy": Mode("config-red", tuple(rows_platform.REDUNDANCY)),
    "archive": Mode("config-archive", tuple(rows_archive.ARCHIVE)),
    "archive-log-cfg": Mode("config-archive-log-cfg", tuple(rows_archive.ARCHIVE_LOG_CONFIG)),
    "if-ethernet": Mode("config-if", (*rows_interface.ETHERNET, *_IF_EXTRA)),
    "if-tunnel": Mode("config-if", (*rows_interface.TUNNEL, *_IF_EXTRA, *rows_ipv6.TUNNEL)),
    "if-loopback": Mode("config-if", (*rows_interface.LOOPBACK, *_IF_EXTRA)),
    "if-subinterface": Mode("config-subif", (*rows_interface.SUBINTERFACE, *_IF_EXTRA)),
    "if-switchport": Mode("config-if", tuple(rows_interface.SWITCHPORT)),
    "vrf": Mode("config-vrf", tuple(rows_global.VRF)),
    "vrf-af": Mode(
        "config-vrf-af",
        tuple(rows_global.VRF_AF),
        exit_line="exit-address-family",
        bang_before=True,
    ),
    "ext-nacl": Mode("config-ext-nacl", tuple(rows_global.EXT_NACL)),
    "ipv6-acl": Mode("config-ipv6-acl", tuple(rows_ipv6.IPV6_ACL)),
    "ssh-pubkey": Mode("conf-ssh-pubkey", tuple(rows_services.SSH_PUBKEY)),
    "ssh-pubkey-user": Mode("conf-ssh-pubkey-user", tuple(rows_services.SSH_PUBKEY_USER)),
    "line": Mode("config-line", (*rows_global.LINE_MODE, *rows_platform.LINE)),
    "cp": Mode("config-cp", tuple(rows_global.CONTROL_PLANE)),
    "cmap": Mode("config-cmap", tuple(rows_zbfw.CLASS_MAP)),
    "pmap": Mode("config-pmap", tuple(rows_zbfw.POLICY_MAP)),
    "pmap-c": Mode("config-pmap-c", tuple(rows_zbfw.POLICY_MAP_CLASS)),
    "sec-zone": Mode("config-sec-zone", tuple(rows_zbfw.ZONE)),
    "sec-zone-pair": Mode("config-sec-zone-pair", tuple(rows_zbfw.ZONE_PAIR)),
    "ikev2-proposal": Mode("config-ikev2-proposal", tuple(rows_crypto.IKEV2_PROPOSAL)),
    "ikev2-policy": Mode("config-ikev2-policy", tuple(rows_crypto.IKEV2_POLICY)),
    "ikev2-keyring": Mode("config-ikev2-keyring", tuple(rows_crypto.IKEV2_KEYRING)),
    "ikev2-keyring-peer": Mode(
        "config-ikev2-keyring-peer", tuple(rows_crypto.IKEV2_KEYRING_PEER), bang_after=True
    ),
    "ikev2-profile": Mode("config-ikev2-profile", tuple(rows_crypto.IKEV2_PROFILE)),
    "isakmp": Mode("config-isakmp", tuple(rows_crypto.ISAKMP_POLICY)),
    "transform-set": Mode("cfg-crypto-trans", tuple(rows_crypto.TRANSFORM_SET)),
    "ipsec-profile": Mode("ipsec-profile", tuple(rows_crypto.IPSEC_PROFILE)),
    "eigrp-classic": Mode("config-router", tuple(rows_eigrp.CLASSIC)),
    "eigrp-named": Mode("config-router", (*rows_eigrp.NAMED, *rows_ipv6.EIGRP_NAMED)),
    "eigrp-af": Mode(
        "config-router-af",
        tuple(rows_eigrp.AF),
        exit_line="exit-address-family",
        bang_before=True,
    ),
    "af-interface": Mode(
        "config-router-af-interface",
        tuple(rows_eigrp.AF_INTERFACE),
        exit_line="exit-af-interface",
        bang_before=True,
    ),
    "eigrp-af6": Mode(
        "config-router-af",
        tuple(rows_ipv6.EIGRP_AF6),
        exit_line="exit-address-family",
        bang_before=True,
    ),
    "af6-interface": Mode(
        "config-router-af-interface",
        tuple(rows_ipv6.AF6_INTERFACE),
        exit_line="exit-af-interface",
        bang_before=True,
    ),
    "af6-topology": Mode(
        "config-router-af-topology",
        tuple(rows_ipv6.AF6_TOPOLOGY),
        exit_line="exit-af-topology",
        bang_before=True,
    ),
    "af-topology": Mode(
        "config-router-af-topology",
        tuple(rows_eigrp.AF_TOPOLOGY),
        exit_line="exit-af-topology",
        bang_before=True,
    ),
}

# `interface X` enters one of three grammars depending on the interface type
INTERFACE_GRAMMAR = {"Tunnel": "if-tunnel", "Loopback": "if-loopback"}


def interface_mode(name: str, switchports: tuple[str, ...] = ()) -> str:
    """The grammar `interface NAME` enters (`switchports`: the model's layer-2 ports)."""
    if name in switchports:
        return "if-switchport"
    if "." in name:
        return "if-subinterface"
    for prefix, mode in INTERFACE_GRAMMAR.items():
        if name.startswith(prefix):
            return mode
    return "if-ethernet"


@cache
def grammar(mode: str) -> Grammar:
    return Grammar(MODES[mode].cmds)


def prompt(mode: str) -> str:
    return MODES[mode].prompt
