"""A lab started from a generated inventory, and the runbooks run against it in-process."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gen_inventory import GenInventory

from runbooks import baseline, deploy, drift, render, teardown, verify
from tasks.backup import normalize

# Short convergence (seconds, not minutes); an IOS minute of 3 s keeps revert timers short.
SETTINGS = {"convergence_delay": 0.2, "latency": 0.0, "minute": 3.0}


@dataclass
class GenLab:
    """The lab of one generated inventory: ``lab`` (lab.api.Lab), its config and state folder."""

    inv: GenInventory
    lab: Any
    config: Path
    state: Path

    def argv(self, tenant: str | None, *extra: str) -> list[str]:
        head = ["--tenant", tenant] if tenant else []
        return [*head, "--lab", "--lab-state", str(self.state), "-c", str(self.config), *extra]

    def _report(self, main: Any, tenant: str | None, *extra: str) -> tuple[int, dict[str, Any]]:
        out = self.state.parent / "report.json"
        out.unlink(missing_ok=True)
        code = main(self.argv(tenant, *extra, "--json", str(out)))
        return code, json.loads(out.read_text()) if out.exists() else {}

    def baseline(self) -> int:
        with contextlib.redirect_stdout(io.StringIO()):
            return int(baseline.main(["--all", *self.argv(None)]))

    def deploy(self, tenant: str) -> tuple[int, dict[str, Any]]:
        return self._report(deploy.main, tenant)

    def teardown(self, tenant: str) -> tuple[int, dict[str, Any]]:
        return self._report(teardown.main, tenant)

    def verify(self, tenant: str) -> tuple[int, dict[str, Any]]:
        return self._report(verify.main, tenant, "--wait", "30", "--poll", "0.5")

    def drift(self, tenant: str) -> tuple[int, dict[str, Any]]:
        return self._report(drift.main, tenant)

    def render(self) -> int:
        return int(render.main(["-c", str(self.config)]))

    def configs(self) -> dict[str, str]:
        return {host: normalize(self.lab.running_config(host)) for host in self.inv.hosts}


@contextmanager
def generated_lab(inv: GenInventory) -> Iterator[GenLab]:
    """Write ``inv`` to a fresh folder, set its secrets in the environment, serve its lab."""
    from lab.api import Lab, LabSettings

    folder = Path(tempfile.mkdtemp(prefix="gen-lab-"))
    try:
        config = inv.write(folder)
        state = folder / "lab-state"
        with pytest.MonkeyPatch.context() as patch:
            for name, value in inv.secrets.items():
                patch.setenv(name, value)
            for name in ("DMVPN_USERNAME", "DMVPN_PASSWORD", "DMVPN_ENABLE"):
                patch.delenv(name, raising=False)
            settings = LabSettings(**SETTINGS)
            with Lab.from_inventory(folder / "inventory", state, settings=settings) as lab:
                generated = GenLab(inv, lab, config, state)
                assert generated.baseline() == 0  # every device prepared for safe changes
                yield generated
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def blocks(config: str) -> dict[str, str]:
    """Top-level objects of a running config: first line -> the object with its indented lines.
    (An object IOS shows twice, as interfaces can be, keeps both texts joined.)"""
    found: dict[str, str] = {}
    current: list[str] = []

    def close() -> None:
        if current:
            text = "\n".join(current)
            found[current[0]] = found[current[0]] + "\n" + text if current[0] in found else text

    for line in normalize(config).splitlines():
        if not line.strip() or line.strip() == "!":
            continue
        if line[0].isspace():
            current.append(line)
            continue
        close()
        current = [line]
    close()
    return found
