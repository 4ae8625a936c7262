"""Fault injection: what a device does wrong on purpose (for deploy tests and benchmarks).

Faults come from the API (``Lab.inject``) and from ``<state_dir>/faults.yaml``
(``{device: {field: value}}``), which is re-read at each new session; file fields win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Fault:
    """Misbehaviour of one device.

    latency: extra seconds before each command line is processed.
    drop_after_config_lines: after this many lines typed in config mode, the next one drops
        the session (the line is not applied).
    refuse_pattern: a config line matching this regex is refused with ``% Invalid input``.
    refuse_login: authentication always fails.
    stall_pattern: a line matching this regex is echoed and then never answered.
    rtt, jitter, loss: the device's link from its next connection on (``lab.ssh.link``),
        over the lab's setting; None keeps the lab's.
    """

    latency: float = 0
    drop_after_config_lines: int | None = None
    refuse_pattern: str | None = None
    refuse_login: bool = False
    stall_pattern: str | None = None
    rtt: float | None = None
    jitter: float | None = None
    loss: float | None = None

    def refuses(self, line: str) -> bool:
        return bool(self.refuse_pattern) and re.search(self.refuse_pattern or "", line) is not None

    def stalls(self, line: str) -> bool:
        return bool(self.stall_pattern) and re.search(self.stall_pattern or "", line) is not None


NO_FAULT = Fault()
FAULT_FIELDS = {f.name for f in fields(Fault)}


class FaultFileError(Exception):
    """faults.yaml is malformed; the message says where."""


def read_fault_file(path: Path) -> dict[str, dict[str, Any]]:
    """Parse faults.yaml into ``{device: {field: value}}``; a missing file is no faults."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise FaultFileError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise FaultFileError(f"{path}: expected {{device: {{field: value}}}}")
    result: dict[str, dict[str, Any]] = {}
    for device, entry in data.items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise FaultFileError(f"{path}: {device}: expected a mapping of fault fields")
        unknown = set(entry) - FAULT_FIELDS
        if unknown:
            raise FaultFileError(
                f"{path}: {device}: unknown fault field(s) {', '.join(sorted(unknown))}"
            )
        result[str(device)] = entry
    return result


def effective_fault(injected: Fault | None, file_fields: dict[str, Any] | None) -> Fault:
    """The injected fault overlaid with the fields set for the device in faults.yaml."""
    base = injected or NO_FAULT
    return replace(base, **file_fields) if file_fields else base
