"""Every configuration mode the lab knows: its prompt and its commands.

Prompts are IOS's own (`R1(config-if)#`): the table maps a grammar id to the prompt
name printed between the parentheses.  Several grammars share a prompt (the three
interface kinds, classic and named EIGRP)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lab import grammar_crypto, grammar_eigrp, grammar_global, grammar_interface, grammar_zbfw
from lab.grammar import Cmd, Grammar


@dataclass(frozen=True)
class Mode:
    prompt: str
    cmds: tuple[Cmd, ...]
    exit_line: str | None = None  # printed by IOS after the block (`exit-address-family`)
    bang_before: bool = False  # IOS prints an indented `!` before the block
    bang_after: bool = False  # ... or after it (IKEv2 keyring peers)


MODES: dict[str, Mode] = {
    "global": Mode(
        "config", (*grammar_global.GLOBAL, *grammar_crypto.GLOBAL, *grammar_zbfw.GLOBAL)
    ),
    "if-ethernet": Mode("config-if", tuple(grammar_interface.ETHERNET)),
    "if-tunnel": Mode("config-if", tuple(grammar_interface.TUNNEL)),
    "if-loopback": Mode("config-if", tuple(grammar_interface.LOOPBACK)),
    "vrf": Mode("config-vrf", tuple(grammar_global.VRF)),
    "vrf-af": Mode(
        "config-vrf-af",
        tuple(grammar_global.VRF_AF),
        exit_line="exit-address-family",
        bang_before=True,
    ),
    "ext-nacl": Mode("config-ext-nacl", tuple(grammar_global.EXT_NACL)),
    "line": Mode("config-line", tuple(grammar_global.LINE_MODE)),
    "cp": Mode("config-cp", tuple(grammar_global.CONTROL_PLANE)),
    "cmap": Mode("config-cmap", tuple(grammar_zbfw.CLASS_MAP)),
    "pmap": Mode("config-pmap", tuple(grammar_zbfw.POLICY_MAP)),
    "pmap-c": Mode("config-pmap-c", tuple(grammar_zbfw.POLICY_MAP_CLASS)),
    "sec-zone": Mode("config-sec-zone", tuple(grammar_zbfw.ZONE)),
    "sec-zone-pair": Mode("config-sec-zone-pair", tuple(grammar_zbfw.ZONE_PAIR)),
    "ikev2-proposal": Mode("config-ikev2-proposal", tuple(grammar_crypto.IKEV2_PROPOSAL)),
    "ikev2-policy": Mode("config-ikev2-policy", tuple(grammar_crypto.IKEV2_POLICY)),
    "ikev2-keyring": Mode("config-ikev2-keyring", tuple(grammar_crypto.IKEV2_KEYRING)),
    "ikev2-keyring-peer": Mode(
        "config-ikev2-keyring-peer", tuple(grammar_crypto.IKEV2_KEYRING_PEER), bang_after=True
    ),
    "ikev2-profile": Mode("config-ikev2-profile", tuple(grammar_crypto.IKEV2_PROFILE)),
    "isakmp": Mode("config-isakmp", tuple(grammar_crypto.ISAKMP_POLICY)),
    "transform-set": Mode("cfg-crypto-trans", tuple(grammar_crypto.TRANSFORM_SET)),
    "ipsec-profile": Mode("ipsec-profile", tuple(grammar_crypto.IPSEC_PROFILE)),
    "eigrp-classic": Mode("config-router", tuple(grammar_eigrp.CLASSIC)),
    "eigrp-named": Mode("config-router", tuple(grammar_eigrp.NAMED)),
    "eigrp-af": Mode(
        "config-router-af",
        tuple(grammar_eigrp.AF),
        exit_line="exit-address-family",
        bang_before=True,
    ),
    "af-interface": Mode(
        "config-router-af-interface",
        tuple(grammar_eigrp.AF_INTERFACE),
        exit_line="exit-af-interface",
        bang_before=True,
    ),
    "af-topology": Mode(
        "config-router-af-topology",
        tuple(grammar_eigrp.AF_TOPOLOGY),
        exit_line="exit-af-topology",
        bang_before=True,
    ),
}

# `interface X` enters one of three grammars depending on the interface type
INTERFACE_GRAMMAR = {"Tunnel": "if-tunnel", "Loopback": "if-loopback"}


def interface_mode(name: str) -> str:
    for prefix, mode in INTERFACE_GRAMMAR.items():
        if name.startswith(prefix):
            return mode
    return "if-ethernet"


@cache
def grammar(mode: str) -> Grammar:
    return Grammar(MODES[mode].cmds)


def prompt(mode: str) -> str:
    return MODES[mode].prompt
