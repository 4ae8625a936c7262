"""`archive` and the exclusive configuration lock policy (global configuration).

Sources: Cisco IOS Configuration Fundamentals Command Reference, `configuration mode exclusive`
and `archive`/`path`/`maximum`/`write-memory`
(https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/fundamentals/command/cf_command_ref.html);
a real `show running-config | section archive` (IOS) prints `archive`, ` log config`,
`  logging enable`, `  no hidekeys` under it.
"""

from __future__ import annotations

from lab.grammar.engine import Cmd

_EXITS = [Cmd("exit", store="exit"), Cmd("end", store="end")]

GLOBAL: list[Cmd] = [
    Cmd("archive", enters="archive"),
    # Cisco: `configuration mode exclusive {auto | manual} [expire seconds] ...`
    Cmd("configuration mode exclusive {auto|manual}", key=3),
]

ARCHIVE: list[Cmd] = [
    Cmd("path WORD", key=1),
    Cmd("maximum <1-14>", key=1),
    Cmd("write-memory", key=1),
    Cmd("time-period <1-525600>", key=1),
    Cmd("log config", enters="archive-log-cfg"),
    *_EXITS,
]

ARCHIVE_LOG_CONFIG: list[Cmd] = [
    Cmd("logging enable", key=2),
    Cmd("logging size <1-1000>", key=2),
    Cmd("notify syslog [contenttype {plaintext|xml}]", key=2),
    Cmd("hidekeys", key=1, store="remove"),
    Cmd("no hidekeys", key=1),
    *_EXITS,
]
