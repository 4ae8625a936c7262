"""The in-process API: ports, exec/configure, serve.json, attach_or_start, settings, inventory."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from lab.api import Lab, LabSettings, attach_or_start, read_settings
from lab.serve.inventory import InventoryError, LabHost, load_hosts


def test_inventory_gives_names_in_order_and_models(lab_inventory: Path) -> None:
    hosts = load_hosts(lab_inventory)
    assert hosts[0] == LabHost("hub1", "ISR4331")
    assert hosts[1] == LabHost("e42-spoke1", "ISR4321")
    assert len(hosts) == 20


def test_inventory_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match=r"hosts\.yaml: no such file"):
        load_hosts(tmp_path)
    (tmp_path / "hosts.yaml").write_text("hub1: [unclosed\n")
    with pytest.raises(InventoryError, match="not valid YAML"):
        load_hosts(tmp_path)


def test_ports_accept_connections_and_serve_json_names_them(lab: Lab) -> None:
    serve = json.loads((lab.state_dir / "serve.json").read_text())
    assert serve["ports"] == lab.ports
    for port in lab.ports.values():
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass


def test_exec_and_configure(lab: Lab) -> None:
    assert lab.configure("hub1", ["interface Loopback5", " description api"]) == []
    assert "interface Loopback5\n description api\n" in lab.running_config("hub1")
    assert lab.exec("hub1", "sh run | i description api") == " description api\n"
    errors = lab.configure("hub1", ["interfce Loopback6"])
    assert len(errors) == 1 and "% Invalid input detected at '^' marker." in errors[0]
    brief = lab.exec("hub1", "show ip interface brief")
    assert brief.splitlines()[0].split() == [
        "Interface",
        "IP-Address",
        "OK?",
        "Method",
        "Status",
        "Protocol",
    ]
    assert "Loopback5" in brief
    assert "% Invalid input" in lab.exec("hub1", "show nothing")


def test_show_vrf_lists_vrfs_and_their_interfaces(lab: Lab) -> None:
    lab.configure(
        "hub1",
        ["vrf definition VRF-X", " address-family ipv4", " exit-address-family",
         "interface Loopback3", " vrf forwarding VRF-X"],
    )  # fmt: skip
    lines = lab.exec("hub1", "show vrf").splitlines()
    assert lines[0].split() == ["Name", "Default", "RD", "Protocols", "Interfaces"]
    assert ["VRF-X", "<not", "set>", "ipv4", "Lo3"] in [line.split() for line in lines]


def test_attach_or_start_attaches_to_a_live_lab(lab: Lab, lab_inventory: Path) -> None:
    handle = attach_or_start(lab_inventory, lab.state_dir)
    assert handle.lab is None and handle.ports == lab.ports
    handle.close()


def test_attach_or_start_starts_when_nothing_serves(tmp_path: Path, make_inventory: Any) -> None:
    inventory = make_inventory(tmp_path / "inv", ["hub1", "e42-spoke1"])
    state = tmp_path / "state"
    state.mkdir()
    (state / "serve.json").write_text(json.dumps({"pid": 999999999, "ports": {"hub1": 1}}))
    (state / "lab.yaml").write_text("convergence_delay: 0.5\nlatency: 0.01\n")
    handle = attach_or_start(inventory, state)
    try:
        assert handle.lab is not None
        assert handle.lab.settings == LabSettings(convergence_delay=0.5, latency=0.01)
        assert set(handle.ports) == {"hub1", "e42-spoke1"}
        assert json.loads((state / "serve.json").read_text())["ports"] == handle.ports
    finally:
        handle.close()
    assert not (state / "serve.json").exists()


def test_settings_file_rejects_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / "lab.yaml").write_text("latncy: 1\n")
    with pytest.raises(ValueError, match=r"lab\.yaml"):
        read_settings(tmp_path)


def test_port_base_assigns_ports_in_inventory_order(
    tmp_path: Path, fast_settings: LabSettings
) -> None:
    with socket.socket() as probe:  # find a free base
        probe.bind(("127.0.0.1", 0))
        base = probe.getsockname()[1]
    hosts = [LabHost("hub1", "ISR4331"), LabHost("e42-spoke1")]
    try:
        lab = Lab(hosts, tmp_path, port_base=base, settings=fast_settings)
        lab.start()
    except OSError:
        pytest.skip("the probed port range was taken meanwhile")
    try:
        assert lab.ports == {"hub1": base, "e42-spoke1": base + 1}
    finally:
        lab.stop()
