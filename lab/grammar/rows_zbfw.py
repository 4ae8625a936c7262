"""Zone-based firewall: class-maps, policy-maps, zones and zone-pairs (type inspect)."""

from __future__ import annotations

from lab.grammar.engine import Cmd

_EXITS = [Cmd("exit", store="exit"), Cmd("end", store="end")]


def _match_all(tokens: list[str]) -> list[str]:
    # `class-map type inspect NAME` is match-all, and IOS prints it so
    return (
        tokens
        if tokens[3] in ("match-any", "match-all")
        else [*tokens[:3], "match-all", *tokens[3:]]
    )


_PROTOCOLS = "{tcp|udp|icmp|http|https|dns|ssh|ftp|telnet|smtp|ntp|bootps|bootpc|isakmp|gre}"

GLOBAL: list[Cmd] = [
    Cmd("class-map type inspect [{match-any|match-all}] WORD", enters="cmap", canon=_match_all),
    Cmd("policy-map type inspect WORD", enters="pmap"),
    Cmd("zone security WORD", enters="sec-zone"),
    Cmd("zone-pair security WORD source WORD destination WORD", key=3, enters="sec-zone-pair"),
]

CLASS_MAP: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd("match access-group name WORD"),
    Cmd("match access-group <1-2799>"),
    Cmd(f"match protocol {_PROTOCOLS}"),
    Cmd("match class-map WORD"),
    *_EXITS,
]

POLICY_MAP: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd("class type inspect WORD", enters="pmap-c"),
    Cmd("class class-default", enters="pmap-c"),
    *_EXITS,
]

POLICY_MAP_CLASS: list[Cmd] = [
    Cmd("inspect [WORD]", slot="action"),
    Cmd("pass [log]", slot="action"),
    Cmd("drop [log]", slot="action"),
    *_EXITS,
]

ZONE: list[Cmd] = [
    Cmd("description LINE", key=1),
    *_EXITS,
]

ZONE_PAIR: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd("service-policy type inspect WORD", key=2),
    *_EXITS,
]
