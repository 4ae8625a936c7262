"""Unmodified netmiko (cisco_ios) and Nornir + nornir-netmiko against the lab."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection
from nornir import InitNornir
from nornir_netmiko.tasks import netmiko_send_command

from lab.api import Lab

INVALID = "% Invalid input detected at '^' marker."


def connect(lab: Lab, name: str = "hub1") -> BaseConnection:
    return ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=lab.ports[name],
        username="admin",
        password="admin",
        secret="admin",
        timeout=10,
        conn_timeout=5,
    )


@pytest.fixture
def conn(lab: Lab) -> Iterator[BaseConnection]:
    connection = connect(lab)
    yield connection
    connection.disconnect()


def test_find_prompt_enable_and_show(conn: BaseConnection) -> None:
    assert conn.find_prompt() == "hub1>"
    conn.enable()
    assert conn.find_prompt() == "hub1#"
    version = conn.send_command("show version")
    assert "cisco ISR4331/K9 (1RU) processor" in version
    parsed = conn.send_command("show version", use_textfsm=True)
    assert parsed[0]["hostname"] == "hub1" and parsed[0]["hardware"] == ["ISR4331/K9"]
    running = conn.send_command("show running-config")
    assert running.startswith("Building configuration...") and "hostname hub1" in running


def test_send_config_set_multi_level_and_read_back(conn: BaseConnection, lab: Lab) -> None:
    conn.enable()
    lines = [
        "vrf definition VRF-EVENT42",
        " address-family ipv4",
        " exit-address-family",
        "crypto ikev2 keyring IKEv2-KEYRING-EVENT42",
        " peer ANY",
        "  address 0.0.0.0 0.0.0.0",
        "interface Loopback42",
        " description netmiko was here",
        " ip address 10.42.42.42 255.255.255.255",
    ]
    output = conn.send_config_set(lines)
    assert INVALID not in output
    assert "hub1(config-ikev2-keyring-peer)#" in output
    assert conn.find_prompt() == "hub1#"
    section = conn.send_command("show running-config | section Loopback42")
    assert section.splitlines() == [
        "interface Loopback42",
        " description netmiko was here",
        " ip address 10.42.42.42 255.255.255.255",
    ]
    assert "vrf definition VRF-EVENT42" in lab.running_config("hub1")


def test_bad_line_comes_back_with_the_ios_error(conn: BaseConnection, lab: Lab) -> None:
    conn.enable()
    output = conn.send_config_set(["interface Loopback43", " ip adress 10.0.0.1 255.255.255.255"])
    assert INVALID in output
    assert "adress" not in lab.running_config("hub1")


def test_save_config_writes_startup(conn: BaseConnection, lab: Lab) -> None:
    conn.enable()
    conn.send_config_set(["interface Loopback44", " description saved"])
    assert "Loopback44" not in lab.startup_config("hub1")
    output = conn.save_config()
    assert "Building configuration...\n[OK]" in output
    assert "Loopback44" in lab.startup_config("hub1")


def test_copy_to_flash_answers_the_filename_question(conn: BaseConnection, lab: Lab) -> None:
    conn.enable()
    output = conn.send_command(
        "copy running-config flash:pre-change.cfg", expect_string=r"Destination filename"
    )
    assert "Destination filename [pre-change.cfg]?" in output
    output = conn.send_command("\n", expect_string=r"#")
    assert "bytes copied" in output
    assert "pre-change.cfg" in conn.send_command("dir flash:")


def test_nornir_threaded_runner_against_twenty_devices(lab: Lab, tmp_path: Path) -> None:
    hosts = {
        name: {
            "hostname": "127.0.0.1",
            "port": port,
            "username": "admin",
            "password": "admin",
            "platform": "cisco_ios",
            "connection_options": {"netmiko": {"extras": {"secret": "admin"}}},
        }
        for name, port in lab.ports.items()
    }
    (tmp_path / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    (tmp_path / "groups.yaml").write_text("{}\n")
    (tmp_path / "defaults.yaml").write_text("{}\n")
    nornir = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 20}},
        inventory={
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(tmp_path / "hosts.yaml"),
                "group_file": str(tmp_path / "groups.yaml"),
                "defaults_file": str(tmp_path / "defaults.yaml"),
            },
        },
        logging={"enabled": False},
    )
    assert len(nornir.inventory.hosts) == 20
    try:
        result = nornir.run(
            task=netmiko_send_command, command_string="show running-config", enable=True
        )
    finally:
        nornir.close_connections()
    assert not result.failed, {h: r.exception for h, r in result.items() if r.failed}
    for name, multi in result.items():
        assert f"hostname {name}\n" in multi[0].result


def test_vrf_forwarding_warning_and_refused_reference_reach_netmiko(
    conn: BaseConnection, lab: Lab
) -> None:
    conn.enable()
    output = conn.send_config_set(
        [
            "vrf definition VRF-FRONT",
            " address-family ipv4",
            "interface Loopback50",
            " ip address 10.5.5.5 255.255.255.255",
            " vrf forwarding VRF-FRONT",
            "interface Tunnel5",
            " tunnel vrf VRF-NOWHERE",
        ]
    )
    assert "% Interface Loopback50 IPv4 disabled and address(es) removed" in output
    assert "% VRF VRF-NOWHERE not configured." in output
    brief = conn.send_command("show ip interface brief | include Loopback50")
    assert brief.split()[:2] == ["Loopback50", "unassigned"]
    assert "tunnel vrf" not in lab.running_config("hub1")
