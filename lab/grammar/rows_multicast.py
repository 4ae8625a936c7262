"""IP multicast commands: multicast routing per table, PIM on interfaces, static RP and mroutes.

- `ip multicast-routing [vrf <VRF>] [distributed]`: IOS XE's examples always carry `distributed`
  (Cisco's inter-VRF multicast example on an ASR1000:
  https://cisco.com/c/pt_br/support/docs/ip/multicast/217582-configure-inter-vrf-multicast-without-un.html);
  classic IOS on IOSv has no such keyword: `lab/hardware/models.py` (`PLATFORM_KEYWORDS`) puts
  the caret under it there.
- `ip pim {sparse-mode|dense-mode|sparse-dense-mode}`: one PIM mode per interface (a new one
  replaces the old); `ip pim nbma-mode` "only with ip pim sparse-mode" (Cisco IOS in a Nutshell,
  https://www.oreilly.com/library/view/cisco-ios-in/0596008694/re417.html): accepted alone, it has
  no effect until sparse mode is on (lab/model/pim.py).
- `ip pim [vrf <VRF>] rp-address <RP>` (same ASR1000 example) and `ip mroute [vrf <VRF>] <source>
  <mask> {<rpf-address>|<interface>} [<distance>]` (Cisco, static mroutes: distance 0 by default,
  an address resolved recursively through the unicast table:
  https://www.cisco.com/c/en/us/td/docs/switches/lan/catalyst3850/software/release/16-2/configuration_guide/b_162_consolidated_3850_cg/b_162_consolidated_3850_cg_chapter_0100010.html).
"""

from __future__ import annotations

from lab.grammar.engine import Cmd

GLOBAL: list[Cmd] = [
    Cmd("ip multicast-routing [distributed]", slot="ip multicast-routing"),
    Cmd("ip multicast-routing vrf WORD [distributed]", key=4),
    Cmd("ip pim rp-address A.B.C.D [override]", key=4),
    Cmd("ip pim vrf WORD rp-address A.B.C.D [override]", key=6),
    Cmd("ip pim [vrf WORD] spt-threshold {<0-4294967>|infinity}"),
    Cmd("ip mroute A.B.C.D A.B.C.D {A.B.C.D|IFREF} [<0-255>]"),
    Cmd("ip mroute vrf WORD A.B.C.D A.B.C.D {A.B.C.D|IFREF} [<0-255>]"),
]

INTERFACE: list[Cmd] = [
    Cmd("ip pim {sparse-mode|dense-mode|sparse-dense-mode}", slot="ip pim mode"),
    Cmd("ip pim nbma-mode", key=3),
    Cmd("ip pim dr-priority <0-4294967294>", key=3),
]
