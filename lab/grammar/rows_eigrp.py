"""EIGRP: classic `router eigrp <AS>` and named mode with its address-family,
af-interface and topology sub-modes."""

from __future__ import annotations

from lab.grammar.engine import Cmd

_EXITS = [Cmd("exit", store="exit"), Cmd("end", store="end")]
_STUB = "eigrp stub [connected] [summary] [static] [redistributed]"


def _unicast(tokens: list[str]) -> list[str]:
    # IOS prints `address-family ipv4 unicast ...` even when `unicast` was left out
    return tokens if tokens[2:3] == ["unicast"] else [*tokens[:2], "unicast", *tokens[2:]]


CLASSIC: list[Cmd] = [
    Cmd("network A.B.C.D [A.B.C.D]"),
    Cmd("auto-summary", key=1),
    Cmd("eigrp router-id A.B.C.D", key=2),
    Cmd(_STUB, key=2),
    Cmd("eigrp stub receive-only", key=2),
    Cmd("passive-interface {default|IFREF}"),
    Cmd("redistribute {connected|static}"),
    Cmd("variance <1-128>", key=1),
    Cmd("maximum-paths <1-32>", key=1),
    *_EXITS,
]

NAMED: list[Cmd] = [
    Cmd(
        "address-family ipv4 [unicast] [vrf WORD] autonomous-system <1-65535>",
        enters="eigrp-af",
        canon=_unicast,
    ),
    *_EXITS,
]

AF: list[Cmd] = [
    Cmd("af-interface {default|IFREF}", enters="af-interface"),
    Cmd("topology base", enters="af-topology"),
    Cmd("network A.B.C.D [A.B.C.D]"),
    Cmd("eigrp router-id A.B.C.D", key=2),
    Cmd(_STUB, key=2),
    Cmd("eigrp stub receive-only", key=2),
    Cmd("shutdown", key=1),
    Cmd("exit-address-family", store="exit"),
    *_EXITS,
]

AF_INTERFACE: list[Cmd] = [
    Cmd("hello-interval <1-65535>", key=1),
    Cmd("hold-time <1-65535>", key=1),
    Cmd("passive-interface", key=1),
    Cmd("no passive-interface", key=1),
    Cmd("split-horizon", key=1, store="remove"),
    Cmd("no split-horizon", key=1),
    Cmd("next-hop-self", key=1, store="remove"),
    Cmd("no next-hop-self", key=1),
    Cmd("summary-address A.B.C.D A.B.C.D"),
    Cmd("bandwidth-percent <1-999999>", key=1),
    Cmd("shutdown", key=1),
    Cmd("exit-af-interface", store="exit"),
    *_EXITS,
]

AF_TOPOLOGY: list[Cmd] = [
    Cmd("redistribute {connected|static}"),
    Cmd("variance <1-128>", key=1),
    Cmd("maximum-paths <1-32>", key=1),
    Cmd("distance eigrp <1-255> <1-255>", key=2),
    Cmd("exit-af-topology", store="exit"),
    *_EXITS,
]
