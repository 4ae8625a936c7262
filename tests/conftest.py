"""Shared fixtures: the example inventory, its test secrets, and a throw-away copy to break."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

# NAPALM's ncclient probes `import ssh` (the libssh bindings) when first imported; once
# tests/lab is on sys.path, the folder tests/lab/ssh would answer that probe. Import it first.
with contextlib.suppress(ImportError):
    import ncclient.transport  # noqa: F401

REPO = Path(__file__).resolve().parents[1]

# Test-only values; set through the environment exactly as an operator would.
EXAMPLE_SECRETS = {
    "EVENT42_PSK": "test-psk-event42",
    "EVENT42_NHRP_KEY": "tnhrp42",
    "EVENT43_PSK": "test-psk-event43",
    "EVENT43_NHRP_KEY": "tnhrp43",
    "DMVPN_MASTER_KEY": "test-master-key-0",
}


@pytest.fixture
def example_secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in EXAMPLE_SECRETS.items():
        monkeypatch.setenv(name, value)
    for name in ("DMVPN_USERNAME", "DMVPN_PASSWORD", "DMVPN_ENABLE"):
        monkeypatch.delenv(name, raising=False)
    return dict(EXAMPLE_SECRETS)


@pytest.fixture
def example_config() -> Path:
    return REPO / "config.yaml"


@pytest.fixture
def inventory_copy(tmp_path: Path) -> Path:
    """A copy of config.yaml + inventory/ in tmp_path (no secrets.yaml); returns the config path."""
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(REPO / "inventory", tmp_path / "inventory")
    return tmp_path / "config.yaml"


# --- deploy/teardown against the lab (issue 5) -----------------------------------------------
@pytest.fixture(scope="session")
def deploy_lab(tmp_path_factory: pytest.TempPathFactory):
    """A lab of the example inventory on ephemeral ports, started in this process, with short
    delays; runbooks called with ``--lab --lab-state <state>`` attach to it through serve.json.
    Yields ``(lab, config_path, state_dir)``; the config is a copy (backups land next to it)."""
    from lab.api import Lab, LabSettings

    root = tmp_path_factory.mktemp("deploy")
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    shutil.copytree(REPO / "inventory", root / "inventory")
    state = root / "lab-state"
    # An IOS minute lasts 3 s here: a change's revert timer (5 min) stays far longer than any
    # push, and a test of a killed run waits 3 s for the device to revert instead of 60.
    settings = LabSettings(convergence_delay=0.2, latency=0.0, minute=3.0)
    with Lab.from_inventory(root / "inventory", state, settings=settings) as lab:
        yield lab, root / "config.yaml", state


def baseline(config: Path, state: Path) -> None:
    """Every lab device prepared for safe changes, through the baseline runbook."""
    from runbooks import baseline as runbook

    assert runbook.main(["--all", "--lab", "--lab-state", str(state), "-c", str(config)]) == 0


@pytest.fixture
def fresh_lab(deploy_lab, example_secrets):
    """The deploy lab back to factory state with no faults, baselined (configuration lock and
    archive), and the example secrets set."""
    lab, config, state = deploy_lab
    lab.clear_faults()
    lab.reset()
    baseline(config, state)
    yield lab, config, state
    lab.clear_faults()


@pytest.fixture(scope="module")
def deployed(deploy_lab):
    """The deploy lab reset, then event42 and event43 deployed through the deploy runbook with
    the example secrets set (kept for the module). Yields ``(lab, config_path, state_dir)``."""
    from runbooks import deploy

    lab, config, state = deploy_lab
    with pytest.MonkeyPatch.context() as patch:
        for name, value in EXAMPLE_SECRETS.items():
            patch.setenv(name, value)
        lab.clear_faults()
        lab.reset()
        baseline(config, state)
        for tenant in ("event42", "event43"):
            argv = ["--tenant", tenant, "--lab", "--lab-state", str(state), "-c", str(config)]
            assert deploy.main(argv) == 0
        yield lab, config, state
