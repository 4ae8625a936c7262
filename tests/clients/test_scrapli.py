"""scrapli's classic IOSXEDriver, unmodified, against one lab ISR4331: privilege levels,
show commands parsed by its own TextFSM hook, and configuration."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scrapli.driver.core import IOSXEDriver

from lab.api import Lab


@pytest.fixture(scope="module")
def conn(client_lab: Lab) -> Iterator[IOSXEDriver]:
    driver = IOSXEDriver(
        host="127.0.0.1",
        port=client_lab.ports["r1"],
        auth_username="admin",
        auth_password="admin",
        auth_secondary="admin",
        auth_strict_key=False,
        transport="system",
        timeout_ops=20,
    )
    driver.open()
    yield driver
    driver.close()


def test_opens_at_privilege_exec_and_reads_the_prompt(conn: IOSXEDriver) -> None:
    assert conn.get_prompt() == "r1#"
    assert "Current privilege level is 15" in conn.send_command("show privilege").result


def test_show_commands_parse_with_textfsm(conn: IOSXEDriver) -> None:
    version = conn.send_command("show version").textfsm_parse_output()
    assert version[0]["hostname"] == "r1" and version[0]["hardware"] == ["ISR4331/K9"]
    brief = conn.send_command("show ip interface brief").textfsm_parse_output()
    wan = next(row for row in brief if row["interface"] == "GigabitEthernet0/0/0")
    assert (wan["ip_address"], wan["status"]) == ("192.0.2.10", "up")
    inventory = conn.send_command("show inventory").textfsm_parse_output()
    assert inventory[0]["pid"] == "ISR4331/K9"


def test_send_configs_and_read_them_back(conn: IOSXEDriver, client_lab: Lab) -> None:
    response = conn.send_configs(["interface Loopback77", " description scrapli"])
    assert not response.failed
    assert "interface Loopback77\n description scrapli\n" in client_lab.running_config("r1")
    refused = conn.send_configs(["interface Loopback78", " ip adress 1.1.1.1 255.255.255.255"])
    assert refused.failed  # scrapli sees IOS's `% Invalid input` and says so
    conn.send_configs(["no interface Loopback77", "no interface Loopback78"])
    assert "Loopback77" not in client_lab.running_config("r1")


def test_acquire_privilege_levels(conn: IOSXEDriver) -> None:
    conn.acquire_priv("configuration")
    assert conn.get_prompt() == "r1(config)#"
    conn.acquire_priv("privilege_exec")
    assert conn.get_prompt() == "r1#"
