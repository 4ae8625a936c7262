"""Type-6 pre-shared keys as IOS stores them: encrypted with the master key once
`password encryption aes` is on, salted (the same key reads differently each time), the master
key never in running-config, and the SA still decided by whether both sides' keys match."""

from __future__ import annotations

from pathlib import Path

from netmodel_helpers import SPOKES_42, edit, lab_configs, network, up_peers

from lab.config.device import Device
from lab.config.store import ConfigStore
from lab.config.type6 import NO_MASTER_KEY_MESSAGE, clear_text_view

HUB_KEY = "  pre-shared-key psk-event42-secret\n"


def encrypted(text: str, master: str) -> tuple[str, str]:
    """(running-config, control-plane view) of ``text`` after the baseline's two lines."""
    store = ConfigStore.from_text(text)
    for line in (f"key config-key password-encrypt {master}", "password encryption aes"):
        assert store.apply([], line).error is None
    shown = store.running_config()
    return shown, clear_text_view(shown, store.config_key)


def key_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "pre-shared-key" in line]


def test_keys_are_shown_type_6_salted_and_the_master_key_never() -> None:
    hub = lab_configs()["hub1"]
    first, _ = encrypted(hub, "master-one-key")
    second, _ = encrypted(hub, "master-one-key")
    assert "password encryption aes" in first
    assert "master-one-key" not in first and "psk-event42-secret" not in first
    assert all(line.startswith("pre-shared-key 6 ") for line in key_lines(first))
    assert key_lines(first) != key_lines(second)  # salted: same key, other string


def test_without_a_master_key_keys_stay_clear_and_ios_says_why() -> None:
    store = ConfigStore.from_text(lab_configs()["hub1"])
    result = store.apply([], "password encryption aes")
    assert result.messages == [NO_MASTER_KEY_MESSAGE]
    assert "pre-shared-key psk-event42-secret" in store.running_config()


def test_sas_come_up_when_the_decrypted_keys_match(tmp_path: Path) -> None:
    configs = lab_configs()
    shown, control = encrypted(configs["hub1"], "hub-master-key")
    configs["hub1"] = control  # each side decrypts with its own master key
    for spoke in SPOKES_42:
        configs[spoke] = encrypted(configs[spoke], f"{spoke}-master")[1]
    net = network(configs, tmp_path)
    assert up_peers(net, "hub1", "Tunnel42") == {"172.16.42.11", "172.16.42.12", "172.16.42.13"}
    # a key the master key cannot decrypt is unusable, as after `no key config-key`
    configs["hub1"] = clear_text_view(shown, "another-master")
    assert up_peers(network(configs, tmp_path / "b"), "hub1", "Tunnel42") == set()


def test_a_changed_key_on_one_side_brings_its_sas_down(tmp_path: Path) -> None:
    configs = lab_configs()
    edit(configs, "hub1", HUB_KEY, "  pre-shared-key changed-by-hand\n")
    configs["hub1"] = encrypted(configs["hub1"], "hub-master-key")[1]
    assert up_peers(network(configs, tmp_path), "hub1", "Tunnel42") == set()


def test_the_device_keeps_its_master_key_across_a_reload(tmp_path: Path) -> None:
    device = Device("hub1", "ISR4331", tmp_path)
    for line in ("key config-key password-encrypt keep-me-123", "password encryption aes"):
        assert device.apply([], line).error is None
    context = ["crypto ikev2 keyring K"]
    assert device.apply([], context[0]).error is None
    assert device.apply(context, "peer P").error is None
    assert device.apply([*context, "peer P"], "pre-shared-key abc-123").error is None
    device.write_memory()
    device.reload()
    assert "keep-me-123" not in device.running_config()
    assert "pre-shared-key abc-123" in device.control_config()
    assert "keep-me-123" not in (tmp_path / "hub1" / "running-config").read_text()
