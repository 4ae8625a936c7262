"""The inventory overlay of a CML rehearsal: the same inventory, its interfaces renamed for the
node definition and each host's `hostname` its CML management address, so that
`python runbooks/deploy.py -c <out>/config.yaml --tenant T` runs against the lab unchanged.

Groups and defaults are copied as they are: secret references stay references.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tasks.cml_topology import LabPlan
from tasks.intent import HostIntent, Intent
from tasks.inventory import NORNIR_FILES, inventory_files

NODE_DEFINITION_KEY = "cml_node_definition"  # optional host/group data: iosv|csr1000v|cat8000v


def _load(path: Path) -> dict[str, Any]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return raw if isinstance(raw, dict) else {}


def _files(config_file: Path) -> dict[str, Path]:
    return inventory_files(_load(config_file), config_file.parent)


def inventory_node_definitions(config_file: Path) -> dict[str, str]:
    """`data.cml_node_definition` per host, inherited from groups and defaults like any data."""
    files = _files(config_file)
    hosts, groups, defaults = (_load(files[kind]) for kind in ("hosts", "groups", "defaults"))
    found: dict[str, str] = {}
    for name, entry in hosts.items():
        entry = entry if isinstance(entry, dict) else {}
        chain: list[str] = []
        pending = list(entry.get("groups") or [])
        while pending:  # groups of groups, in Nornir's order
            group = pending.pop(0)
            if group in groups and group not in chain:
                chain.append(group)
                pending += list((groups[group] or {}).get("groups") or [])
        for data in [entry.get("data"), *((groups[g] or {}).get("data") for g in chain)]:
            if isinstance(data, dict) and isinstance(data.get(NODE_DEFINITION_KEY), str):
                found[str(name)] = data[NODE_DEFINITION_KEY]
                break
        else:
            value = (defaults.get("data") or {}).get(NODE_DEFINITION_KEY)
            if isinstance(value, str):
                found[str(name)] = value
    return found


def _interface_data(host: HostIntent, plan: LabPlan) -> dict[str, Any]:
    renamed = plan.hosts[host.name].interfaces
    data: dict[str, Any] = {}
    if host.wan.dhcp:
        data["wan"] = {"interface": renamed[host.wan.interface], "dhcp": True}
    else:
        data["wan"] = {
            "interface": renamed[host.wan.interface],
            "address": str(host.wan.address),
            "gateway": str(host.wan.gateway),
        }
    if host.lan is not None:
        data["lan"] = {"interface": renamed[host.lan.interface], "address": str(host.lan.address)}
    if host.mgmt is not None:
        data["mgmt"] = {
            "interface": renamed[host.mgmt.interface],
            "address": str(plan.hosts[host.name].mgmt_address),
            "gateway": str(plan.mgmt_gateway),
        }
    return data


def overlay_files(config_file: Path, intent: Intent, plan: LabPlan) -> dict[str, str]:
    """Relative path -> text of the overlay: `config.yaml` and `inventory/*.yaml`."""
    files = _files(config_file)
    hosts_raw = _load(files["hosts"])
    hosts: dict[str, Any] = {}
    for name, host_plan in plan.hosts.items():
        entry = dict(hosts_raw.get(name) or {})
        entry["hostname"] = str(host_plan.mgmt_address.ip)
        data = dict(entry.get("data") or {})
        data.update(_interface_data(intent.hosts[name], plan))
        data["model"] = host_plan.definition.model
        data[NODE_DEFINITION_KEY] = host_plan.definition.id
        entry["data"] = data
        hosts[name] = entry
    nornir = _load(config_file)
    inventory = dict(nornir.get("inventory") or {"plugin": "SimpleInventory"})
    inventory["options"] = {key: f"inventory/{default}" for key, default in NORNIR_FILES.values()}
    nornir["inventory"] = inventory
    header = "# CML rehearsal overlay written by runbooks/topology.py; regenerate, do not edit.\n"
    return {
        "config.yaml": header + yaml.safe_dump(nornir, sort_keys=False),
        "inventory/hosts.yaml": header + yaml.safe_dump(hosts, sort_keys=False),
        "inventory/groups.yaml": files["groups"].read_text(encoding="utf-8"),
        "inventory/defaults.yaml": files["defaults"].read_text(encoding="utf-8")
        if files["defaults"].exists()
        else "{}\n",
    }
