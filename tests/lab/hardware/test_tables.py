"""Hardware as data: every model's ports are names the one interface table reads back."""

from __future__ import annotations

import doctest

import pytest

from lab.hardware import interfaces, models
from lab.hardware.interfaces import canonical_interface, short_name, sort_key
from lab.hardware.models import MODELS, model_of_pid


def test_doctests() -> None:
    for module in (interfaces, models):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("model", sorted(MODELS))
def test_each_port_is_canonical_and_abbreviable(model: str) -> None:
    for port in MODELS[model].interfaces:
        assert canonical_interface(port) == port
        assert canonical_interface(short_name(port)) == port
    assert model_of_pid(MODELS[model].pid) == model


def test_running_config_order_is_loopbacks_tunnels_then_ports() -> None:
    names = ["GigabitEthernet0/0/1", "Tunnel100", "Loopback0", "Tunnel42", "GigabitEthernet0/0/0"]
    assert sorted(names, key=sort_key) == [
        "Loopback0", "Tunnel42", "Tunnel100", "GigabitEthernet0/0/0", "GigabitEthernet0/0/1",
    ]  # fmt: skip
