"""The lab's public surface: start one emulated ISR per inventory host, talk to them, stop.

Example::

    with Lab.from_inventory(Path("inventory"), tmp_path) as lab:
        port = lab.ports["hub1"]
        lab.configure("hub1", ["interface Loopback0", " ip address 10.0.0.1 255.255.255.255"])
        lab.inject("hub1", Fault(latency=0.05))
"""

from __future__ import annotations

from lab.cli.faults import Fault
from lab.hardware.models import known_models
from lab.serve.attach import LabHandle, attach_or_start
from lab.serve.inventory import InventoryError, LabHost, load_hosts
from lab.serve.lab import Lab
from lab.serve.state_files import LabError, LabSettings, read_settings, running_lab

__all__ = [
    "Fault",
    "InventoryError",
    "Lab",
    "LabError",
    "LabHandle",
    "LabHost",
    "LabSettings",
    "attach_or_start",
    "known_models",
    "load_hosts",
    "read_settings",
    "running_lab",
]
