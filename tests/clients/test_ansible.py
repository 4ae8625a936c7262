"""Ansible's cisco.ios collection (from the `ansible` package), unmodified, over network_cli
with enable: legacy `ios_facts` (gather_subset all), `ios_config` idempotent on a second run,
`ios_command`. Privilege escalation runs `show privilege` first."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lab.api import Lab

pytest.importorskip(
    "ansible_collections.cisco.ios", reason="the `ansible` package brings cisco.ios"
)

PLAYBOOK = """
- hosts: r1
  gather_facts: false
  tasks:
    - name: legacy facts
      cisco.ios.ios_facts:
        gather_subset: all
        gather_network_resources: []
    - name: a description on the WAN
      cisco.ios.ios_config:
        parents: interface GigabitEthernet0/0/0
        lines:
          - description WAN by ansible
    - name: the same again changes nothing
      cisco.ios.ios_config:
        parents: interface GigabitEthernet0/0/0
        lines:
          - description WAN by ansible
    - name: a show command
      cisco.ios.ios_command:
        commands:
          - show ip interface brief
"""


def _playbook(tmp_path: Path, port: int) -> dict[str, Any]:
    inventory = {
        "all": {
            "hosts": {
                "r1": {
                    "ansible_host": "127.0.0.1",
                    "ansible_port": port,
                    "ansible_user": "admin",
                    "ansible_password": "admin",
                    "ansible_connection": "ansible.netcommon.network_cli",
                    "ansible_network_os": "cisco.ios.ios",
                    "ansible_network_cli_ssh_type": "paramiko",
                    "ansible_become": True,
                    "ansible_become_method": "enable",
                    "ansible_become_password": "admin",
                }
            }
        }
    }
    (tmp_path / "inventory.json").write_text(json.dumps(inventory))
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    env = {
        **os.environ,
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp"),
        "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(tmp_path / "pc"),
        "ANSIBLE_NOCOLOR": "1",
    }
    executable = shutil.which("ansible-playbook", path=str(Path(sys.executable).parent))
    assert executable, "ansible-playbook next to the test interpreter"
    done = subprocess.run(
        [executable, "-i", str(tmp_path / "inventory.json"), str(tmp_path / "play.yml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout)


def test_facts_config_and_command_through_network_cli(client_lab: Lab, tmp_path: Path) -> None:
    report = _playbook(tmp_path, client_lab.ports["r1"])
    results = [task["hosts"]["r1"] for task in report["plays"][0]["tasks"]]
    facts = results[0]["ansible_facts"]
    assert facts["ansible_net_hostname"] == "r1"
    assert facts["ansible_net_model"] == "ISR4331/K9"
    assert facts["ansible_net_version"] == "17.09.04a"  # the `IOS XE Software, Version` line
    assert facts["ansible_net_serialnum"].startswith("FDO")
    assert facts["ansible_net_interfaces"]["GigabitEthernet0/0/0"]["ipv4"][0]["address"] == (
        "192.0.2.10"
    )
    assert "hostname r1" in facts["ansible_net_config"]
    assert results[1]["changed"] is True
    assert results[2]["changed"] is False  # idempotent: the line is already there
    assert "description WAN by ansible" in client_lab.running_config("r1")
    assert "GigabitEthernet0/0/0" in results[3]["stdout"][0]
