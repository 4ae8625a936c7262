"""The rendered config, pushed section by section into the emulated ISR lab (as strict as IOS),
is accepted line for line and then shows in running-config exactly as rendered."""

from __future__ import annotations

from pathlib import Path

import pytest
from hier_config import Platform, get_hconfig

from tasks.intent import load_intent
from tasks.render import intended_config, render_host

lab_api = pytest.importorskip("lab.api")


def test_lab_accepts_render_and_shows_it_back(
    example_config: Path, example_secrets: dict[str, str], tmp_path: Path
) -> None:
    intent = load_intent(example_config)
    settings = lab_api.LabSettings(convergence_delay=0.05, latency=0.0)
    inventory = example_config.parent / "inventory"
    lab = lab_api.Lab.from_inventory(inventory, tmp_path, settings=settings)
    with lab:
        for host in intent.hosts:
            sections = render_host(intent, host, None)
            for section, text in sections.items():
                assert lab.configure(host, text.splitlines()) == [], (host, section)
            want = get_hconfig(Platform.CISCO_IOS, intended_config(sections))
            running = get_hconfig(Platform.CISCO_IOS, lab.running_config(host))
            missing = [line.cisco_style_text() for line in want.difference(running).all_children()]
            assert missing == [], host
