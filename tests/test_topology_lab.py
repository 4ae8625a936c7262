"""The CML rehearsal topology booted in the emulated lab: the same node definitions and
interface names as the topology file, each router given its day-0 config, the lab's carrier
NAT in front of the spokes; then deploy -> verify -> teardown through the overlay inventory,
exactly as a user runs them against CML (`-c <out>/config.yaml`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from runbooks import baseline, deploy, teardown, verify
from runbooks.topology import main as topology

# The lab logs in with admin/admin: the day-0 configs get the same credentials.
LAB_CREDENTIALS = {"DMVPN_USERNAME": "admin", "DMVPN_PASSWORD": "admin", "DMVPN_ENABLE": "admin"}


# IOSv, the default node definition (classic IOS 15.9); every runbook on the IOS XE virtual and
# hardware platforms is proven in tests/clients/test_runbooks_on_the_catalogue.py, and `make soak`
# boots the topology on the other node definitions too.
NODE_DEFINITIONS = (
    ["iosv", "csr1000v", "cat8000v"] if os.environ.get("HYPOTHESIS_PROFILE") == "soak" else ["iosv"]
)


@pytest.mark.parametrize("node_definition", NODE_DEFINITIONS)
def test_topology_boots_in_the_lab_and_the_overlay_deploys_verifies_and_tears_down(
    node_definition: str, tmp_path: Path, example_secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab.api import Lab, LabSettings

    for name, value in LAB_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "out"
    cml = out / "event42.yaml"
    args = ["--tenant", "event42", "--cml", str(cml), "--out", str(out)]
    assert topology([*args, "--node-definition", node_definition]) == 0
    topo = yaml.safe_load(cml.read_text())
    routers = {n["label"]: n for n in topo["nodes"] if n["node_definition"] == node_definition}
    hosts = yaml.safe_load((out / "inventory" / "hosts.yaml").read_text())
    assert set(hosts) <= set(routers)  # every inventory host is a node of the topology

    state = tmp_path / "lab-state"
    shutil.rmtree(state, ignore_errors=True)
    settings = LabSettings(convergence_delay=0.2, latency=0.0, minute=3.0)
    with Lab.from_inventory(out / "inventory", state, settings=settings) as lab:
        for host in hosts:  # the lab device takes the very day-0 config CML would boot with
            day0 = (out / "day0" / f"{host}.cfg").read_text().splitlines()
            refused = lab.configure(host, [line for line in day0 if line.strip() != "end"])
            assert refused == [], f"{host} ({node_definition}) refused its day-0: {refused}"
            # interfaces named as on the node definition (the topology file's names)
            wan = hosts[host]["data"]["wan"]["interface"]
            assert f"interface {wan}" in lab.running_config(host)
        lab_args = ["--lab", "--lab-state", str(state), "-c", str(out / "config.yaml")]
        assert baseline.main(["--all", *lab_args]) == 0  # day-0 already holds it: no lines
        assert deploy.main(["--tenant", "event42", *lab_args]) == 0
        assert verify.main(["--tenant", "event42", "--wait", "60", *lab_args]) == 0
        assert teardown.main(["--tenant", "event42", *lab_args]) == 0
        assert all("interface Tunnel42" not in lab.running_config(h) for h in hosts)
