"""NAPALM's ios driver, unmodified, against one lab ISR4331: getters, then a merge through its
own file transfer (tclsh inline transfer), compare, commit and rollback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from napalm import get_network_driver
from napalm.base.base import NetworkDriver

from lab.api import Lab

MERGE = "interface Loopback9\n description added by napalm\n ip address 10.9.9.9 255.255.255.255\n"


@pytest.fixture(scope="module")
def device(client_lab: Lab) -> Iterator[NetworkDriver]:
    driver = get_network_driver("ios")(
        "127.0.0.1",
        "admin",
        "admin",
        timeout=20,
        optional_args={"port": client_lab.ports["r1"], "secret": "admin", "inline_transfer": True},
    )
    driver.open()
    yield driver
    driver.close()


def test_get_facts(device: NetworkDriver) -> None:
    facts = device.get_facts()
    assert facts["vendor"] == "Cisco" and facts["hostname"] == "r1"
    assert facts["model"] == "ISR4331/K9" and facts["serial_number"].startswith("FDO")
    assert "Version 17.9" in facts["os_version"]
    assert {"GigabitEthernet0", "GigabitEthernet0/0/0", "Loopback0"} <= set(facts["interface_list"])


def test_get_interfaces_and_their_addresses(device: NetworkDriver) -> None:
    interfaces = device.get_interfaces()
    wan = interfaces["GigabitEthernet0/0/0"]
    assert wan["is_enabled"] and wan["is_up"] and wan["description"] == "WAN"
    assert wan["mac_address"] and wan["mtu"] == 1500 and wan["speed"] == 1000.0
    assert not interfaces["GigabitEthernet0/0/2"]["is_enabled"]
    addresses = device.get_interfaces_ip()
    assert addresses["GigabitEthernet0/0/0"] == {"ipv4": {"192.0.2.10": {"prefix_length": 24}}}
    assert addresses["Loopback0"] == {"ipv4": {"10.255.0.1": {"prefix_length": 32}}}


def test_get_users_environment_and_network_instances(device: NetworkDriver) -> None:
    users = device.get_users()
    assert users["admin"]["level"] == 15 and users["admin"]["password"].startswith("$9$")
    environment = device.get_environment()
    assert environment["cpu"][0]["%usage"] >= 0.0
    assert 0 < environment["memory"]["used_ram"] < environment["memory"]["available_ram"]
    instances = device.get_network_instances()
    assert instances["VRF-EVENT42"]["state"]["route_distinguisher"] == "65000:42"
    assert "GigabitEthernet0/1/0" not in instances["VRF-EVENT42"]["interfaces"]["interface"]
    assert "GigabitEthernet0/0/1" in instances["VRF-EVENT42"]["interfaces"]["interface"]
    assert "Mgmt-intf" in instances


def test_get_config(device: NetworkDriver, client_lab: Lab) -> None:
    config = device.get_config()
    assert "interface GigabitEthernet0/0/0\n description WAN\n" in config["running"]
    assert "hostname r1" in config["startup"]


def test_merge_compare_commit_and_rollback(device: NetworkDriver, client_lab: Lab) -> None:
    before = client_lab.running_config("r1")
    device.load_merge_candidate(config=MERGE)
    diff = device.compare_config()
    assert "+interface Loopback9" in diff and "+ ip address 10.9.9.9 255.255.255.255" in diff
    assert client_lab.running_config("r1") == before  # nothing applied before commit
    device.commit_config()
    assert "interface Loopback9\n description added by napalm\n" in client_lab.running_config("r1")
    assert "interface Loopback9" in client_lab.startup_config("r1")  # commit saves
    device.load_merge_candidate(config=MERGE)
    assert device.compare_config() == ""  # already there: nothing to merge
    device.discard_config()
    device.rollback()
    assert "interface Loopback9" not in client_lab.running_config("r1")


def test_a_refused_merge_line_rolls_back(device: NetworkDriver, client_lab: Lab) -> None:
    from napalm.base.exceptions import MergeConfigException

    before = client_lab.running_config("r1")
    device.load_merge_candidate(config="interface Loopback8\n ip adress 10.8.8.8 255.255.255.255\n")
    with pytest.raises(MergeConfigException, match="Invalid input"):
        device.commit_config()
    assert "interface Loopback8" not in client_lab.running_config("r1")
    assert client_lab.running_config("r1").count("\n") == before.count("\n")


def test_replace_compare_commit_and_rollback(device: NetworkDriver, client_lab: Lab) -> None:
    """The replace path: `show archive config differences system:/running-config
    flash:/candidate_config.txt`, then `configure replace ... force revert trigger error`."""
    running = client_lab.running_config("r1")
    candidate = running.replace(" description WAN\n", " description WAN (replaced)\n")
    device.load_replace_candidate(config=candidate)
    diff = device.compare_config()
    assert diff.splitlines() == [
        "interface GigabitEthernet0/0/0",
        " -description WAN",
        "interface GigabitEthernet0/0/0",
        " +description WAN (replaced)",
    ]
    device.commit_config()
    assert " description WAN (replaced)\n" in client_lab.running_config("r1")
    device.rollback()
    assert " description WAN\n" in client_lab.running_config("r1")


def test_merge_through_scp_once_the_scp_server_is_enabled(client_lab: Lab) -> None:
    """NAPALM's default transfer: SCP to bootflash: (asyncssh's SCP server on the lab's flash)."""
    assert client_lab.configure("r1", ["ip scp server enable"]) == []
    driver = get_network_driver("ios")(
        "127.0.0.1",
        "admin",
        "admin",
        timeout=20,
        optional_args={"port": client_lab.ports["r1"], "secret": "admin"},
    )
    driver.open()
    try:
        driver.load_merge_candidate(config="interface Loopback10\n description via scp\n")
        assert "+interface Loopback10" in driver.compare_config()
        driver.commit_config()
        assert "interface Loopback10\n description via scp\n" in client_lab.running_config("r1")
        driver.rollback()
        assert "Loopback10" not in client_lab.running_config("r1")
    finally:
        driver.close()
        client_lab.configure("r1", ["no ip scp server enable"])


def test_scp_is_refused_without_ip_scp_server_enable(client_lab: Lab, tmp_path: Path) -> None:
    from netmiko import ConnectHandler, file_transfer
    from scp import SCPException

    source = tmp_path / "payload.txt"
    source.write_text("hostname r1\n")
    conn = ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=client_lab.ports["r1"],
        username="admin",
        password="admin",
        secret="admin",
    )
    conn.enable()
    try:
        with pytest.raises(SCPException):
            file_transfer(conn, source_file=str(source), dest_file="payload.txt", direction="put")
    finally:
        conn.disconnect()
    assert "payload.txt" not in client_lab.exec("r1", "dir flash:")
