"""Turn a `LabPlan` into files: the CML topology YAML, day-0 configs, the overlay inventory.

The topology follows the CML 2.x export format (`lab:` title/version, root `nodes:` with id,
label, node_definition, x/y, configuration and interfaces id/label/slot/type, root `links:` with
n1/i1/n2/i2), as in CiscoDevNet/cml-community lab-topologies/ipsec-exploration.yaml (version
0.1.0, configuration as one text). Day-0 configs hold resolved credentials, so the topology
file and the day-0 files are written like backups: owner-only (`write_private`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from tasks.cml_nodes import NodeDefinition, rename_interfaces
from tasks.cml_topology import CARRIER, SYSTEM_BRIDGE, LabPlan, Node
from tasks.intent import Intent, IntentError, Problem
from tasks.render import TEMPLATES_DIR, render_baseline

TOPOLOGY_TEMPLATES = Path(__file__).resolve().parents[1] / "topology_templates"
TOPOLOGY_VERSION = "0.1.0"

ENV = Environment(
    loader=ChoiceLoader([FileSystemLoader(TOPOLOGY_TEMPLATES), FileSystemLoader(TEMPLATES_DIR)]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,  # IOS text
)
# Lines `show running-config` adds that are no configuration.
_BANNER = re.compile(r"^(Building configuration.*|Current configuration.*)$")
SSH_KEY_LINES = ("crypto key generate rsa modulus 2048", "ip ssh version 2")


def _access(intent: Intent, plan: LabPlan, name: str) -> dict[str, Any]:
    """What day0_access.j2 needs: login, SSH and the management port of one node."""
    credentials = intent.hosts[plan.headend].credentials
    if name in plan.hosts:
        credentials = intent.hosts[name].credentials
        mgmt_interface = plan.hosts[name].mgmt_interface
        mgmt_address = plan.hosts[name].mgmt_address
    else:
        mgmt_interface = plan.nodes[name].definition.interface(0)
        assert plan.carrier_mgmt is not None
        mgmt_address = plan.carrier_mgmt
    return {
        "hostname": name,
        "domain": intent.tenants[plan.tenants[0]].ikev2_domain,
        "username": credentials.username,
        "password": credentials.password,
        "enable": credentials.enable or credentials.password,
        "mgmt_interface": mgmt_interface,
        "mgmt_address": mgmt_address,
        "mgmt_gateway": plan.mgmt_gateway,
    }


def day0_configs(intent: Intent, plan: LabPlan, headend_backup: str | None = None) -> None:
    """Fill every router's and switch's `config` (credentials resolved: keep it private)."""
    for name in plan.hosts:
        baseline = render_baseline(intent, name, with_keys=False)["baseline"]
        plan.nodes[name].config = ENV.get_template("router.j2").render(
            **_access(intent, plan, name), baseline=baseline
        )
    if headend_backup is not None:
        plan.nodes[plan.headend].config = headend_from_backup(intent, plan, headend_backup)
    trunks = sorted(
        {link.carrier_interface.split(".")[0] for link in plan.spoke_links if link.vlan}
    )
    plan.nodes[CARRIER].config = ENV.get_template("carrier.j2").render(
        **_access(intent, plan, CARRIER),
        wan_interface=plan.carrier_wan_interface,
        wan_address=plan.carrier_wan,
        spoke_links=plan.spoke_links,
        trunks=trunks,
    )
    for switch, links in plan.switches.items():
        definition = plan.nodes[switch].definition
        ports = [(link, definition.interface(1 + i)) for i, link in enumerate(links)]
        plan.nodes[switch].config = ENV.get_template("switch.j2").render(
            hostname=switch, trunk=definition.interface(0), ports=ports
        )


def headend_from_backup(intent: Intent, plan: LabPlan, backup: str) -> str:
    """The production headend's backup (every live tenant in it) with its interfaces renamed
    for the CML node; IntentError naming the interfaces that have no place there."""
    hub = intent.hosts[plan.headend]
    kept = [line for line in backup.splitlines() if not _BANNER.match(line.strip())]
    text = "\n".join(kept).strip("\n") + "\n"
    mgmt = hub.mgmt.interface if hub.mgmt else None
    renamed, problems = rename_interfaces(text, plan.hosts[plan.headend].definition, mgmt)
    if problems:
        raise IntentError(
            [Problem("--headend-from-backup", plan.headend, "interface", p) for p in problems]
        )
    body = re.split(r"^end\s*$", renamed, maxsplit=1, flags=re.MULTILINE)[0]
    lab_mgmt = plan.hosts[plan.headend].mgmt_address
    if hub.mgmt is not None and hub.mgmt.address != lab_mgmt:  # --mgmt-subnet moved it
        old, new = hub.mgmt.address, lab_mgmt
        body = body.replace(
            f"ip address {old.ip} {old.netmask}", f"ip address {new.ip} {new.netmask}"
        )
        body = body.replace(
            f"ip route vrf MGMT 0.0.0.0 0.0.0.0 {hub.mgmt.gateway}",
            f"ip route vrf MGMT 0.0.0.0 0.0.0.0 {plan.mgmt_gateway}",
        )
    # RSA keys are no part of a running-config: without a new key the node has no SSH server.
    access = _access(intent, plan, plan.headend)
    missing = (
        []
        if re.search(r"^ip domain[ -]name ", body, re.MULTILINE)
        else [f"ip domain name {access['domain']}"]
    )
    return body.rstrip("\n") + "\n" + "\n".join([*missing, *SSH_KEY_LINES, "end"]) + "\n"


def _interfaces(node: Node) -> list[dict[str, Any]]:
    """Physical interfaces 0..slots-1; ids are per node, as links refer to them (n1/i1)."""
    definition: NodeDefinition = node.definition
    return [
        {"id": f"i{slot}", "label": definition.interface(slot), "slot": slot, "type": "physical"}
        for slot in range(node.slots)
    ]


def topology(plan: LabPlan) -> dict[str, Any]:
    """The CML topology document (what `yaml.safe_dump` writes to the `--cml` file)."""
    nodes = []
    for node in plan.nodes.values():
        entry: dict[str, Any] = {
            "id": node.id,
            "label": node.label,
            "node_definition": node.definition.id,
            "x": node.x,
            "y": node.y,
            "tags": [],
        }
        if node.definition.id == "external_connector":
            entry["configuration"] = SYSTEM_BRIDGE
        elif node.config:
            entry["configuration"] = node.config
        entry["interfaces"] = _interfaces(node)
        nodes.append(entry)
    links = [
        {
            "id": f"l{index}",
            "n1": link.a,
            "i1": f"i{link.a_slot}",
            "n2": link.b,
            "i2": f"i{link.b_slot}",
            "label": f"{link.a}-{plan.nodes[link.a].definition.interface(link.a_slot)}<->"
            f"{link.b}-{plan.nodes[link.b].definition.interface(link.b_slot)}",
        }
        for index, link in enumerate(plan.links)
    ]
    description = f"DMVPN rehearsal of {', '.join(plan.tenants)} on {plan.headend}"
    return {
        "lab": {
            "title": plan.title,
            "description": description,
            "notes": "Generated by runbooks/topology.py. Day-0 configs hold device credentials.",
            "version": TOPOLOGY_VERSION,
        },
        "nodes": nodes,
        "links": links,
    }


class _Literal(str):
    """A multi-line string written as a YAML block (`|`), as CML exports configurations."""


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


yaml.SafeDumper.add_representer(_Literal, _literal)


def topology_yaml(plan: LabPlan) -> str:
    document = topology(plan)
    for node in document["nodes"]:
        config = node.get("configuration")
        if isinstance(config, str) and "\n" in config:
            node["configuration"] = _Literal(config)
    return yaml.safe_dump(document, sort_keys=False, width=1000)


def write_private(path: Path, text: str) -> None:
    """Write `text` readable by its owner only (0600), folders 0700: it holds credentials."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
