"""The project's own runbooks against a lab of mixed catalogue platforms: a Catalyst 8000V
headend (WAN GigabitEthernet1), spokes on an ISR1100 (LAN on `interface Vlan1`, its LAN ports
being switchports), IOSv (classic IOS, GigabitEthernet0/x), Catalyst 8300, CSR1000V and
ISR4451-X. baseline, deploy, verify, drift and teardown all succeed, as on ISR 4000s."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.api import Lab, LabSettings

REPO = Path(__file__).resolve().parents[2]
# host -> (model, WAN interface, LAN interface or None to keep the example's)
PLATFORMS = {
    "hub1": ("C8000V", "GigabitEthernet1", None),
    "e42-spoke1": ("C1111-8P", "GigabitEthernet0/0/0", "Vlan1"),
    "e42-spoke2": ("IOSv", "GigabitEthernet0/0", "GigabitEthernet0/1"),
    "e42-spoke3": ("C8300-1N1S-6T", "GigabitEthernet0/0/0", None),
    "e43-spoke1": ("CSR1000V", "GigabitEthernet1", "GigabitEthernet2"),
    "e43-spoke2": ("ISR4451-X", "GigabitEthernet0/0/0", None),
}


def _mixed_inventory(root: Path) -> Path:
    """The example inventory with each host on another catalogue platform."""
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    shutil.copytree(REPO / "inventory", root / "inventory")
    hosts_file = root / "inventory" / "hosts.yaml"
    text = hosts_file.read_text()
    for name, (model, wan, lan) in PLATFORMS.items():
        found = re.search(rf"^{re.escape(name)}:\n(?:  .*\n|\n)*?(?=^\S|\Z)", text, re.M)
        assert found, name
        block = found.group(0)
        new = re.sub(r"model: \S+", f"model: {model}", block)
        new = new.replace("interface: GigabitEthernet0/0/0", f"interface: {wan}")
        if lan:
            new = new.replace("lan: {interface: GigabitEthernet0/0/1", "lan: {interface: " + lan)
        if name == "hub1":  # the out-of-band port of a C8000V is its second vNIC
            new = new.replace("interface: GigabitEthernet0/0/1", "interface: GigabitEthernet2")
        text = text.replace(block, new)
    hosts_file.write_text(text)
    return root / "config.yaml"


@pytest.fixture(scope="module")
def mixed_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, list[str]]]:
    root = tmp_path_factory.mktemp("mixed")
    config = _mixed_inventory(root)
    state = root / "lab-state"
    settings = LabSettings(convergence_delay=0.2, latency=0.0)
    with Lab.from_inventory(root / "inventory", state, settings=settings) as lab:
        yield lab, ["--lab", "--lab-state", str(state), "-c", str(config)]


def test_every_runbook_works_on_mixed_platforms(
    mixed_lab: tuple[Lab, list[str]], example_secrets: dict[str, str]
) -> None:
    from runbooks import baseline, deploy, drift, teardown, verify

    lab, common = mixed_lab
    assert baseline.main(["--all", *common]) == 0
    for tenant in ("event42", "event43"):
        assert deploy.main(["--tenant", tenant, *common]) == 0
    for tenant in ("event42", "event43"):
        assert verify.main(["--tenant", tenant, *common]) == 0
    assert drift.main(common) == 0
    assert "interface Vlan1\n description LAN TENANT" in lab.running_config("e42-spoke1")
    assert "interface GigabitEthernet1\n description WAN" in lab.running_config("hub1")
    assert "interface GigabitEthernet0/1\n" in lab.running_config("e42-spoke2")
    assert teardown.main(["--tenant", "event43", *common]) == 0
    assert "interface Tunnel43" not in lab.running_config("hub1")
    assert "interface Tunnel42" in lab.running_config("hub1")
    assert verify.main(["--tenant", "event42", *common]) == 0
