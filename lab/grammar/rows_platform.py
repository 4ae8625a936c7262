"""Lines every IOS / IOS XE running-config carries by default (platform, licensing, redundancy,
multilink, MMI): accepted so a real config loads; which platform has which is in
lab/hardware/models.py (`PLATFORM_ONLY`).

Sources: the real running-configs in tests/fixtures/real-configs/ (CSR1000V: `platform console
serial`, `no platform punt-keepalive disable-kernel-core`, `subscriber templating`, `redundancy`,
`virtual-service csr_mgmt`, `length 0` under a vty; IOS 15 on IOL/IOSv: `mmi ...`, `ip cef`,
`no ipv6 cef`), and Cisco's ISR 4000 software configuration guide for `platform qfp utilization
monitor load`, `memory free low-watermark processor` and `license boot level`.
"""

from __future__ import annotations

from lab.grammar.engine import Cmd

GLOBAL: list[Cmd] = [
    Cmd("platform punt-keepalive disable-kernel-core", key=2),
    Cmd("no platform punt-keepalive disable-kernel-core", key=2),
    Cmd("platform console {serial|virtual|auto}", key=2),
    Cmd("platform qfp utilization monitor load <1-100>", key=4),
    Cmd("platform hardware throughput level WORD", key=3),
    Cmd("subscriber templating", key=2),
    Cmd("multilink bundle-name authenticated", key=2),
    Cmd("spanning-tree extend system-id", key=2),
    Cmd("redundancy", enters="redundancy"),
    Cmd("virtual-service WORD", key=2),
    Cmd("license boot level WORD [addon WORD]", key=3),
    Cmd("memory free low-watermark processor <1-2147483647>", key=4),
    Cmd("diagnostic bootup level {minimal|complete}", key=3),
    Cmd("ip cef", key=2),
    Cmd("no ipv6 cef", key=3),
    Cmd("mmi polling-interval <1-3600>", key=2),
    Cmd("no mmi auto-configure", key=3),
    Cmd("no mmi pvc", key=3),
    Cmd("mmi snmp-timeout <1-3600>", key=2),
    Cmd("ipv6 ioam timestamp", key=3),
    Cmd("no scheduler allocate", key=3),
    Cmd("no license smart enable", key=4),
    Cmd("ip tftp source-interface IFREF", key=3),
    Cmd("vtp mode {transparent|server|client|off}", key=2),
    Cmd("ip scp server enable", key=3),  # lab/ssh/scp.py: SCP to flash once enabled
]

REDUNDANCY: list[Cmd] = [
    Cmd("mode {none|sso|rpr}", key=1),
    Cmd("exit", store="exit"),
    Cmd("end", store="end"),
]

LINE: list[Cmd] = [
    Cmd("length <0-512>", key=1),
    Cmd("width <0-512>", key=1),
]
