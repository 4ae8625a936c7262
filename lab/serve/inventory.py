"""Read the Nornir SimpleInventory files for what the lab needs: host names, order and model.

The lab imports nothing from ``tasks/``; it only needs each host's name (in file order) and
``data.model``, looked up host → groups (depth first, in order) → defaults, as Nornir does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lab.hardware.models import DEFAULT_MODEL


class InventoryError(Exception):
    """The inventory cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class LabHost:
    """One emulated device: its inventory name and hardware model."""

    name: str
    model: str = DEFAULT_MODEL


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise InventoryError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InventoryError(f"{path}: expected a mapping at the top level")
    return data


def _model_from_groups(names: list[str], groups: dict[str, Any], seen: set[str]) -> str | None:
    for group in names:
        if group in seen:
            continue
        seen.add(group)
        entry = groups.get(group) or {}
        model = (entry.get("data") or {}).get("model")
        if model:
            return str(model)
        found = _model_from_groups(list(entry.get("groups") or []), groups, seen)
        if found:
            return found
    return None


def load_hosts(inventory_dir: Path) -> list[LabHost]:
    """Return the inventory's hosts in file order with their model.

    Raises InventoryError when ``hosts.yaml`` is missing or malformed.
    """
    hosts_file = Path(inventory_dir) / "hosts.yaml"
    if not hosts_file.exists():
        raise InventoryError(f"{hosts_file}: no such file (is --inventory right?)")
    hosts = _read_yaml(hosts_file)
    groups = _read_yaml(Path(inventory_dir) / "groups.yaml")
    defaults = _read_yaml(Path(inventory_dir) / "defaults.yaml")
    default_model = str((defaults.get("data") or {}).get("model") or DEFAULT_MODEL)
    result = []
    for name, entry in hosts.items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise InventoryError(f"{hosts_file}: {name}: expected a mapping")
        model = (entry.get("data") or {}).get("model")
        if not model:
            model = _model_from_groups(list(entry.get("groups") or []), groups, set())
        result.append(LabHost(name=str(name), model=str(model or default_model)))
    return result
