"""Exec commands as rows of the one grammar engine (lab/grammar/engine.py), each with its handler.

A row is ``Cmd(pattern, handler=..., privilege=...)``; the pattern DSL is the config modes' one,
plus the exec parameters ``NUMBER``, ``INTERFACE`` (any IOS interface, abbreviable: ``g0/0/0``),
``SOURCE`` (an address or an interface) and ``FLASHFILE`` (``flash:NAME``). ``parse_exec``
returns the row's handler and the canonical full-word command, or the IOS error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from lab.cli import change_commands, device_show, exec_network, files, merge
from lab.cli.base import ExecContext, ExecError, ExecMatch, Handler, Reply
from lab.grammar.engine import Cmd, Grammar


def session(action: str) -> Callable[[ExecContext, ExecMatch], Handler]:
    """A command that changes the session, not the device: the CLI session performs it."""

    def handler(ctx: ExecContext, m: ExecMatch) -> Handler:
        return Reply(session=action, match=m)
        yield  # pragma: no cover

    handler.__name__ = f"session_{action}"
    return handler


def _row(pattern: str, handler: object, privilege: int = 1) -> Cmd:
    return Cmd(pattern, handler=handler, privilege=privilege)


_net = exec_network
_change = change_commands
_MIN = "<1-120>"  # revert timers: minutes (Cisco: `configure terminal revert timer 1-120`)
EXEC_COMMANDS: list[Cmd] = [
    _row("enable", session("enable")),
    _row("disable", session("disable")),
    _row("{exit|logout|quit}", session("exit")),
    _row("terminal {length|width} NUMBER", session("terminal")),
    _row("terminal no {length|width}", session("terminal")),
    _row("show version", device_show.show_version),
    _row("show inventory", device_show.show_inventory),
    _row("show clock", device_show.show_clock),
    _row("show processes cpu", device_show.show_processes_cpu),
    _row("show memory statistics", device_show.show_memory_statistics),
    _row("show vrf", device_show.show_vrf),
    _row("show vrf detail", device_show.show_vrf_detail),
    _row("show ip interface brief", device_show.show_ip_interface_brief),
    _row("show interfaces [INTERFACE]", device_show.show_interfaces),
    _row("show ip interface [INTERFACE]", device_show.show_ip_interface),
    _row("show privilege", session("privilege")),
    _row("show running-config", device_show.show_running_config, 15),
    _row("show running-config interface INTERFACE", device_show.show_running_config_interface, 15),
    _row("show startup-config", device_show.show_startup_config, 15),
    _row("write [memory]", files.write_memory, 15),
    _row("copy running-config startup-config", files.write_memory, 15),
    _row("copy running-config FLASHFILE", files.copy_running_to_flash, 15),
    _row("copy FLASHFILE FLASHFILE", files.copy_flash_to_flash, 15),
    _row("copy FLASHFILE running-config", merge.copy_to_running, 15),
    _row(
        "show archive config differences {{system:running-config|system:/running-config} "
        "FLASHFILE|FLASHFILE {system:running-config|system:/running-config}}",
        merge.archive_differences,
        15,
    ),
    _row(
        "show archive config incremental-diffs FLASHFILE [ignorecase]", merge.incremental_diffs, 15
    ),
    _row("configure [terminal]", session("configure_terminal"), 15),
    _row("configure terminal lock", session("configure_terminal"), 15),
    _row(
        f"configure terminal revert {{timer [idle] {_MIN}|idle {_MIN}}}",
        session("configure_terminal"),
        15,
    ),
    _row(
        f"configure replace FLASHFILE [force] [{{revert trigger [error] [timer {_MIN}]|"
        f"revert timer {_MIN}|time {_MIN}}}]",
        files.configure_replace,
        15,
    ),
    _row("configure confirm", _change.configure_confirm, 15),
    _row("configure revert now", _change.configure_revert_now, 15),
    _row(f"configure revert timer [idle] {_MIN}", _change.configure_revert_timer, 15),
    _row("archive config", _change.archive_config, 15),
    _row("show archive", _change.show_archive, 15),
    _row("show archive config rollback timer", _change.show_rollback_timer, 15),
    _row("show configuration lock", _change.show_configuration_lock_cmd, 15),
    _row("show logging", _change.show_logging, 15),
    _row("dir [{flash:|bootflash:}]", files.dir_flash, 15),
    _row("dir FLASHFILE", files.dir_file, 15),
    _row("delete [/force] FLASHFILE", files.delete, 15),
    _row("more FLASHFILE", files.more, 15),
    _row("verify /md5 FLASHFILE", files.verify_md5, 15),
    _row("tclsh", session("tclsh"), 15),
    _row("reload", files.reload, 15),
    # the control plane's commands: the model answers, lab/show formats
    _row("show dmvpn [detail]", _net.show_dmvpn_cmd),
    _row("show crypto ikev2 sa [detail]", _net.show_ikev2_sa_cmd),
    _row("show crypto session [detail]", _net.show_crypto_session_cmd),
    _row("show ip nhrp [detail]", _net.show_ip_nhrp_cmd),
    _row("show ip nhrp nhs", _net.show_ip_nhrp_nhs_cmd),
    _row("show crypto ipsec sa [detail]", _net.show_crypto_ipsec_sa_cmd),
    _row("show ip eigrp [vrf WORD] topology", _net.show_eigrp_topology_cmd),
    _row("show policy-map type inspect zone-pair [sessions]", _net.show_zone_pair_policy_cmd),
    _row("show ip eigrp [vrf WORD] neighbors", _net.show_eigrp_neighbors_cmd),
    _row("show eigrp address-family ipv4 [vrf WORD] neighbors", _net.show_eigrp_neighbors_cmd),
    _row("show ip route [A.B.C.D]", _net.show_ip_route_cmd),
    _row("show ip route vrf WORD [A.B.C.D]", _net.show_ip_route_cmd),
    _row("show zone-pair security", _net.show_zone_pair_cmd),
    _row("show ip pim [vrf WORD] neighbor", _net.show_pim_neighbor_cmd),
    _row("show ip pim [vrf WORD] interface", _net.show_pim_interface_cmd),
    _row("show ip rpf [vrf WORD] A.B.C.D", _net.show_ip_rpf_cmd),
    _row("show ip nat translations", _net.nat_translations_cmd),
    _row(
        "ping [vrf WORD] A.B.C.D [source SOURCE] [repeat <1-2147483647>] [timeout <0-3600>]",
        _net.ping_cmd,
    ),
    _row("traceroute [vrf WORD] A.B.C.D [source SOURCE]", _net.ping_cmd),
    _row("clear crypto {session|ikev2 sa}", _net.clearing("crypto"), 15),
    _row("clear ip nhrp", _net.clearing("nhrp"), 15),
    _row("clear ip nat translation *", _net.clearing("nat"), 15),
]

# Real IOS keywords the lab does not model: listed so abbreviations are exactly as ambiguous
# as on a router (``s`` is ambiguous on IOS, ``sh`` is not); typing one in full is incomplete.
OTHER_KEYWORDS: dict[str, list[str]] = {
    "": [
        "access-enable", "archive", "cd", "clock", "connect", "debug", "disconnect", "erase",
        "format", "help", "mkdir", "pwd", "rename", "request", "rmdir", "send", "set", "setup",
        "ssh", "telnet", "test", "undebug", "verify",
    ],
    "show": [
        "aaa", "access-lists", "arp", "cdp", "class-map", "controllers", "crypto", "dhcp",
        "environment", "flash:", "history", "hosts", "interfaces", "inventory", "ip", "license",
        "logging", "ntp", "platform", "policy-map", "processes", "protocols", "sessions", "ssh",
        "tech-support", "users", "vlans",
    ],
}  # fmt: skip
UNMODELLED = [
    Cmd(f"{prefix} {word}".strip()) for prefix, ws in OTHER_KEYWORDS.items() for word in ws
]


@cache
def exec_grammar(privilege: int) -> Grammar:
    """The exec grammar at a privilege level (1: `>`, 15: `#`)."""
    level = 15 if privilege >= 15 else 1
    return Grammar([*(c for c in EXEC_COMMANDS if c.privilege <= level), *UNMODELLED])


def parse_exec(line: str, privilege: int = 15) -> ExecMatch | ExecError:
    """Match one exec command line (no pipe) against the rows of this privilege level."""
    stripped = line.lstrip()
    offset = len(line) - len(stripped)
    parsed = exec_grammar(privilege).parse(stripped, offset=offset)
    if parsed.error is not None:
        error = parsed.error
        if error.kind == "invalid" and error.column == offset:
            return ExecError("unknown", error.column, stripped.split()[0])
        if error.kind == "incomplete":
            return ExecError("incomplete", len(line), "")
        return ExecError(error.kind, error.column, "")
    assert parsed.cmd is not None
    if parsed.cmd.handler is None:  # a real IOS keyword the lab does not model
        return ExecError("incomplete", len(line), "")
    return ExecMatch(
        parsed.cmd.handler, " ".join(parsed.tokens), parsed.tokens, parsed.args, parsed.columns
    )
