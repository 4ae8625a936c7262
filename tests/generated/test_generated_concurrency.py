"""Two operators deploy two tenants on one headend at the same moment; the headend refuses one
tenant's line. The other tenant must end deployed and verified, and each JSON report must say
what the devices hold (issue 9, deliverable 7).

Two real processes (``runbooks/deploy.py``), both attached to the lab this test serves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from gen_inventory import GenInventory, inventories
from gen_lab import GenLab, blocks, generated_lab
from gen_profiles import lab_settings
from hypothesis import given
from hypothesis import strategies as st
from oracle import names_tenant

from lab.api import Fault
from tasks.intent import load_intent
from tasks.owned_diff import owned_remediation
from tasks.ownership import host_ownership
from tasks.render import render_host

DEPLOY = Path(__file__).resolve().parents[2] / "runbooks" / "deploy.py"
# Per-line delay on the headend so both pushes are in flight at once.
HEADEND_LATENCY = 0.03


def start_deploy(gl: GenLab, tenant: str, report: Path) -> subprocess.Popen[str]:
    argv = [sys.executable, str(DEPLOY), *gl.argv(tenant, "--json", str(report))]
    env = {**os.environ, **gl.inv.secrets}
    out = subprocess.PIPE
    return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)


def holds(gl: GenLab, tenant: str, host: str) -> bool:
    """hier-config finds nothing left to push for ``tenant`` on ``host``."""
    intent = load_intent(gl.config, env=gl.inv.secrets)
    owner = host_ownership(intent, host, tenant)
    rendered = render_host(intent, host, tenant)
    return owned_remediation(rendered, gl.lab.running_config(host), owner) == {}


@lab_settings
@given(inventories(min_tenants=2, max_tenants=2, max_spokes=1, named_hosts=False), st.data())
def test_two_deploys_at_once_one_refused(inv: GenInventory, data) -> None:
    good, bad = data.draw(st.permutations(inv.tenants), label="good, refused")
    with generated_lab(inv) as gl:
        hub = inv.headend
        factory = {s.name: gl.lab.running_config(s.name) for s in bad.spokes}
        gl.lab.inject(
            hub, Fault(latency=HEADEND_LATENCY, refuse_pattern=rf"^tunnel key {bad.tunnel_key}$")
        )
        folder = gl.state.parent
        runs = {t.name: start_deploy(gl, t.name, folder / f"{t.name}.json") for t in (good, bad)}
        try:
            output = {name: run.communicate(timeout=240)[0] for name, run in runs.items()}
        finally:
            for run in runs.values():
                if run.poll() is None:
                    run.kill()
        codes = {name: run.returncode for name, run in runs.items()}
        gl.lab.clear_faults()
        reports = {t.name: json.loads((folder / f"{t.name}.json").read_text()) for t in (good, bad)}

        # the other tenant: exit 0, and its report is the truth about the devices
        assert codes[good.name] == 0, output[good.name]
        assert reports[good.name]["ok"] is True
        for host, row in reports[good.name]["hosts"].items():
            assert (row["status"], row["lines_pushed"] > 0) == ("ok", True), (host, row)
        for host in reports[good.name]["hosts"]:
            assert holds(gl, good.name, host), f"{host}: report says ok, device lacks {good.name}"
        code, report = gl.verify(good.name)
        assert (code, report.get("passed")) == (0, True), report

        # the refused tenant: exit 1, headend rolled back, its spokes skipped and untouched
        assert codes[bad.name] == 1, output[bad.name]
        assert reports[bad.name]["ok"] is False
        assert reports[bad.name]["hosts"][hub]["status"] == "rolled back", reports[bad.name]
        for spoke in bad.spokes:
            assert reports[bad.name]["hosts"][spoke.name]["status"] == "skipped"
            assert gl.lab.running_config(spoke.name) == factory[spoke.name]
        assert [t for t in blocks(gl.lab.running_config(hub)) if names_tenant(t, bad)] == []
