"""Hardware models as data: physical interfaces (in IOS order), `license udi pid`, release.

>>> MODELS["ISR4321"].interfaces
('GigabitEthernet0/0/0', 'GigabitEthernet0/0/1')
>>> model_of_pid("ISR4331/K9")
'ISR4331'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HardwareModel:
    """One platform: what `show version` and a factory config need to know."""

    name: str
    pid: str  # what `license udi pid` shows (a saved config is recognised by it)
    interfaces: tuple[str, ...]  # physical ports, in IOS order


def _ports(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(count))


MODELS: dict[str, HardwareModel] = {
    m.name: m
    for m in (
        HardwareModel("ISR4331", "ISR4331/K9", _ports("GigabitEthernet0/0/", 3)),
        HardwareModel("ISR4321", "ISR4321/K9", _ports("GigabitEthernet0/0/", 2)),
        HardwareModel(
            "C1111-4P",
            "C1111-4P",
            _ports("GigabitEthernet0/0/", 2) + _ports("GigabitEthernet0/1/", 4),
        ),
        # IOS-on-Linux lab image: the public real-configs were captured on it
        HardwareModel("IOL", "IOL", tuple(f"Ethernet{s}/{p}" for s in range(2) for p in range(4))),
    )
}
DEFAULT_MODEL = "ISR4321"
SOFTWARE_RELEASE = "17.3"  # the `version` line of every factory config


def model_of_pid(pid: str) -> str | None:
    return next((m.name for m in MODELS.values() if m.pid == pid), None)
