"""The hardware catalogue: every platform boots, answers `show version` / `show inventory` as
real ones do (parsed by ntc-templates like the real captures), and has its ports' nature."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from lab.api import Lab, LabSettings, known_models
from lab.hardware.models import CATALOGUE, MODELS
from lab.serve.inventory import LabHost

REAL = Path(__file__).parents[2] / "fixtures" / "platform-outputs"
FAST = LabSettings(convergence_delay=0.2, latency=0.0)
HOSTS = {m.name: "r-" + m.name.lower().replace("/", "") for m in CATALOGUE}


@pytest.fixture(scope="module")
def catalogue_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """One lab with one device of every catalogue model."""
    hosts = [LabHost(HOSTS[m.name], m.name) for m in CATALOGUE]
    with Lab(hosts, tmp_path_factory.mktemp("catalogue"), settings=FAST) as lab:
        yield lab


def _filled(row: dict[str, object]) -> set[str]:
    return {key for key, value in row.items() if value not in ("", [], None)}


def test_catalogue_lists_the_platforms_people_buy_and_run_in_cml() -> None:
    expected = {
        "ISR4321", "ISR4331", "ISR4351", "ISR4431", "ISR4451-X", "ISR4461",
        "C1111-4P", "C1111-8P", "C1121-8P", "C1161-8P", "C8200-1N-4T", "C8300-1N1S-6T",
        "IOSv", "CSR1000V", "C8000V",
    }  # fmt: skip
    assert expected <= set(known_models())
    assert {m.name: m.release for m in CATALOGUE if m.name in ("IOSv", "CSR1000V", "C8000V")} == {
        "IOSv": "15.9",
        "CSR1000V": "17.3",
        "C8000V": "17.9",
    }


@pytest.mark.parametrize("model", [m.name for m in CATALOGUE])
def test_show_version_parses_like_a_real_capture(catalogue_lab: Lab, model: str) -> None:
    text = catalogue_lab.exec(HOSTS[model], "show version")
    row = parse_output(platform="cisco_ios", command="show version", data=text)[0]
    hardware = MODELS[model]
    assert row["hostname"] == HOSTS[model]
    assert row["hardware"] == [
        hardware.pid if not hardware.software.virtual else row["hardware"][0]
    ]
    assert row["serial"] and row["uptime"]
    if hardware.software.classic:
        assert row["version"] == "15.9(3)M4"
    else:
        assert row["version"].startswith(hardware.release + ".")
        real_file = "c8000v" if hardware.software.virtual else "isr4451x"
        real = (REAL / "show_version" / f"{real_file}_genieparser.txt").read_text()
        real_row = parse_output(platform="cisco_ios", command="show version", data=real)[0]
        # fields a fresh router leaves empty (uptime in days, `System restarted at`) aside
        by_value = {"uptime_years", "uptime_weeks", "uptime_days", "uptime_hours", "restarted"}
        assert _filled(real_row) - by_value <= _filled(row)


def test_isr_show_version_names_the_chassis_and_its_ports(catalogue_lab: Lab) -> None:
    text = catalogue_lab.exec(HOSTS["ISR4451-X"], "show version")
    assert "cisco ISR4451-X/K9 (2RU) processor with" in text
    assert "5 Gigabit Ethernet interfaces" in text  # four on slot 0/0 and GigabitEthernet0
    assert "Cisco IOS Software [Cupertino]" in text
    iosv = catalogue_lab.exec(HOSTS["IOSv"], "show version")
    assert iosv.startswith("Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M)")


@pytest.mark.parametrize("model", [m.name for m in CATALOGUE])
def test_show_inventory_parses_like_a_real_capture(catalogue_lab: Lab, model: str) -> None:
    text = catalogue_lab.exec(HOSTS[model], "show inventory")
    rows = parse_output(platform="cisco_ios", command="show inventory", data=text)
    hardware = MODELS[model]
    assert rows[0]["pid"] == hardware.pid
    assert rows[0]["sn"]
    if not hardware.software.classic:
        real_file = "c8000v_ntc" if hardware.software.virtual else "isr4331_genieparser"
        real = (REAL / "show_inventory" / f"{real_file}.txt").read_text()
        real_rows = parse_output(platform="cisco_ios", command="show inventory", data=real)
        assert rows[0]["name"] == real_rows[0]["name"] == "Chassis"
        assert {r["name"] for r in rows} <= {r["name"] for r in real_rows}


def test_isr4k_management_port_is_in_vrf_mgmt_intf(catalogue_lab: Lab) -> None:
    host = HOSTS["ISR4331"]
    catalogue_lab.reset()
    vrfs = catalogue_lab.exec(host, "show vrf")
    assert "Mgmt-intf" in vrfs and "Gi0" in vrfs.split()
    assert catalogue_lab.configure(host, ["interface GigabitEthernet0", " no shutdown"]) == []


def test_isr1100_lan_ports_are_switchports_and_the_address_is_on_a_vlan(
    catalogue_lab: Lab,
) -> None:
    host = HOSTS["C1111-8P"]
    catalogue_lab.reset()
    refused = catalogue_lab.configure(
        host, ["interface GigabitEthernet0/1/0", " ip address 10.9.0.1 255.255.255.0"]
    )
    assert any("Invalid input" in error for error in refused)
    ok = [
        "interface GigabitEthernet0/1/0",
        " switchport access vlan 10",
        "interface Vlan10",
        " ip address 10.9.0.1 255.255.255.0",
    ]
    assert catalogue_lab.configure(host, ok) == []
    running = catalogue_lab.running_config(host)
    assert "interface GigabitEthernet0/1/0\n switchport access vlan 10\n" in running
    assert "interface Vlan10\n ip address 10.9.0.1 255.255.255.0\n" in running
    # a routed ISR has no Vlan interfaces
    assert catalogue_lab.configure(HOSTS["ISR4331"], ["interface Vlan10"])


def test_subinterface_needs_its_dot1q_vlan_before_an_address(catalogue_lab: Lab) -> None:
    host = HOSTS["ISR4451-X"]
    catalogue_lab.reset()
    early = catalogue_lab.configure(
        host, ["interface GigabitEthernet0/0/0.100", " ip address 192.0.2.1 255.255.255.0"]
    )
    assert any("IEEE 802.1Q" in error for error in early)
    lines = [
        "interface GigabitEthernet0/0/0.100",
        " encapsulation dot1Q 100",
        " ip address 192.0.2.1 255.255.255.0",
    ]
    assert catalogue_lab.configure(host, lines) == []
    running = catalogue_lab.running_config(host)
    assert (
        "interface GigabitEthernet0/0/0.100\n encapsulation dot1Q 100\n"
        " ip address 192.0.2.1 255.255.255.0\n" in running
    )
    brief = catalogue_lab.exec(host, "show ip interface brief")
    assert "GigabitEthernet0/0/0.100" in brief and "192.0.2.1" in brief
    # a switchport has no subinterfaces; neither does a port the chassis lacks
    assert catalogue_lab.configure(HOSTS["C1111-8P"], ["interface GigabitEthernet0/1/0.5"])
    assert catalogue_lab.configure(host, ["interface GigabitEthernet0/0/9.5"])


def test_cml_images_use_their_own_interface_names(catalogue_lab: Lab) -> None:
    catalogue_lab.reset()
    assert (
        catalogue_lab.configure(HOSTS["IOSv"], ["interface GigabitEthernet0/3", " no shut"]) == []
    )
    assert (
        catalogue_lab.configure(HOSTS["C8000V"], ["interface GigabitEthernet1", " no shut"]) == []
    )
    assert catalogue_lab.configure(HOSTS["CSR1000V"], ["interface GigabitEthernet0/0/0"])
