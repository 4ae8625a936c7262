"""Exec commands engineers type, on a lab device: `show interfaces`, `show ip interface`,
`show privilege`; parsed by ntc-templates like the real captures in tests/fixtures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ntc_templates.parse import parse_output

from lab.api import Lab

REAL = Path(__file__).parents[2] / "fixtures" / "platform-outputs"
SETUP = [
    "interface Loopback0",
    " ip address 10.255.0.1 255.255.255.255",
    "interface GigabitEthernet0/0/0",
    " description WAN uplink",
    " ip address 192.0.2.10 255.255.255.0",
    " no shutdown",
    "interface GigabitEthernet0/0/1.120",
    " encapsulation dot1Q 120",
    " ip address 10.120.0.1 255.255.255.0",
]


def _filled(rows: list[dict[str, object]]) -> set[str]:
    return {k for row in rows for k, v in row.items() if v not in ("", [], None)}


def test_show_interfaces_parses_like_a_real_capture(lab: Lab) -> None:
    assert lab.configure("hub1", SETUP) == []
    rows = parse_output(
        platform="cisco_ios", command="show interfaces", data=lab.exec("hub1", "show interfaces")
    )
    by_name = {r["interface"]: r for r in rows}
    wan = by_name["GigabitEthernet0/0/0"]
    assert (wan["link_status"], wan["protocol_status"]) == ("up", "up")
    assert wan["description"] == "WAN uplink" and wan["ip_address"] == "192.0.2.10"
    assert wan["mac_address"] and wan["bandwidth"] == "1000000 Kbit"
    assert by_name["GigabitEthernet0"]["link_status"] == "administratively down"
    assert by_name["GigabitEthernet0/0/1.120"]["vlan_id"] == "120"
    real = (REAL / "show_interfaces" / "ntc_two_ports.txt").read_text()
    real_rows = parse_output(platform="cisco_ios", command="show interfaces", data=real)
    # counters of a router that just booted are zero, but every field is printed
    assert _filled(real_rows) - {"duplex", "speed", "media_type"} <= _filled(rows)
    one = lab.exec("hub1", "show interfaces g0/0/0")
    assert one.startswith("GigabitEthernet0/0/0 is up, line protocol is up")
    assert "Invalid input" in lab.exec("hub1", "show interfaces g0/0/9")


def test_show_ip_interface_parses_like_a_real_capture(lab: Lab) -> None:
    assert lab.configure("hub1", SETUP) == []
    text = lab.exec("hub1", "show ip interface")
    rows = parse_output(platform="cisco_ios", command="show ip interface", data=text)
    by_name = {r["interface"]: r for r in rows}
    assert by_name["Loopback0"]["ip_address"] == ["10.255.0.1"]
    assert by_name["Loopback0"]["prefix_length"] == ["32"]
    assert by_name["GigabitEthernet0/0/1.120"]["ip_address"] == ["10.120.0.1"]
    assert "GigabitEthernet0/0/2 is administratively down" in text
    real = (REAL / "show_ip_interface" / "ntc_loopback.txt").read_text()
    real_rows = parse_output(platform="cisco_ios", command="show ip interface", data=real)
    assert _filled(real_rows) <= _filled(rows)
    mgmt = lab.exec("hub1", "show ip interface GigabitEthernet0")
    assert mgmt.splitlines()[1] == "  Internet protocol processing disabled"


def test_show_privilege_follows_enable_and_disable(terminal: Any) -> None:
    user = terminal.command("show privilege", prompt=r"hub1>")
    assert "Current privilege level is 1" in user
    terminal.send("enable\r")
    terminal.read_until("Password: ")
    terminal.send("admin\r")
    terminal.read_until("hub1#")
    assert "Current privilege level is 15" in terminal.command("show privilege")
    assert terminal.command("show privilege").count("Current privilege level") == 1


def test_show_logging_records_configuration_and_parses_with_ntc(terminal: Any, lab: Lab) -> None:
    terminal.send("enable\r")
    terminal.read_until("Password: ")
    terminal.send("admin\r")
    terminal.read_until("hub1#")
    terminal.command("configure terminal", prompt=r"hub1\(config\)#")
    terminal.command("end")
    rows = parse_output(
        platform="cisco_ios", command="show logging", data=lab.exec("hub1", "show logging")
    )
    configured = [r for r in rows if r["mnemonic"] == "CONFIG_I"]
    assert configured and configured[-1]["facility"] == "SYS"
    # the line is the lowest vty free when the session came (the previous test's may still be
    # closing on the lab's side)
    message = configured[-1]["message"][0]
    assert re.search(r"Configured from console by admin on vty\d+ \(127\.0\.0\.1\)", message)


def test_show_privilege_through_the_api_is_at_enable(lab: Lab) -> None:
    assert lab.exec("hub1", "show privilege") == "Current privilege level is 15\n"


def test_subinterface_prompt_and_refusal_as_ios_prints_them(terminal: Any) -> None:
    terminal.send("enable\r")
    terminal.read_until("Password: ")
    terminal.send("admin\r")
    terminal.read_until("hub1#")
    terminal.command("configure terminal", prompt=r"hub1\(config\)#")
    terminal.command("interface GigabitEthernet0/0/1.3", prompt=r"hub1\(config-subif\)#")
    out = terminal.command("ip address 192.168.3.1 255.255.255.0", prompt=r"\(config-subif\)#")
    assert (
        "\r\n\r\n% Configuring IP routing on a LAN subinterface is only allowed if that \r\n" in out
    )
    terminal.command("encapsulation dot1Q 3", prompt=r"\(config-subif\)#")
    out = terminal.command("ip address 192.168.3.1 255.255.255.0", prompt=r"\(config-subif\)#")
    assert "%" not in out
    terminal.command("end")
