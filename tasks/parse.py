"""Parse `show` and `ping` outputs with TextFSM: the project's templates first, then ntc-templates.

The project's index (`textfsm_templates/index`) covers what ntc-templates 9.x gets wrong for a
multi-tenant hub (`show dmvpn` per tunnel, named-mode/VRF EIGRP neighbors, `show crypto ikev2 sa`).
An output that a template cannot read is an error, never an empty (silently passing) result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ntc_templates
import textfsm
from textfsm import clitable

PROJECT_TEMPLATES = Path(__file__).resolve().parent.parent / "textfsm_templates"
NTC_TEMPLATES = Path(ntc_templates.__file__).resolve().parent / "templates"
TEMPLATE_DIRS = (PROJECT_TEMPLATES, NTC_TEMPLATES)

# Outputs that legitimately hold no rows (headers only): template -> pattern that proves the
# device answered the command. A non-blank output yielding no rows and not matching is an error.
EMPTY_OK: dict[str, str] = {
    "cisco_ios_show_dmvpn.textfsm": r"^Legend: Attrb|^Interface: Tunnel",
    "cisco_ios_show_ip_eigrp_neighbors.textfsm": r"Neighbors for (AS|process)",
    "cisco_ios_show_crypto_ikev2_sa.textfsm": r"Crypto\s+IKEv2\s+SA",
    "cisco_ios_show_ip_nhrp.textfsm": r"^$",  # an empty NHRP cache prints nothing
    "cisco_ios_show_ip_route.textfsm": r"^Gateway of last resort|^Routing Table:",
    "cisco_ios_show_ip_pim_neighbor.textfsm": r"^PIM Neighbor Table",
    "cisco_ios_show_ip_pim_interface.textfsm": r"^Address\s+Interface\s+Ver/",
    "cisco_ios_show_running-config_include_ip_nat.textfsm": r"^ip nat inside source",
}

# IOS refusing the command itself (the caret line precedes it), or a ping it cannot send.
IOS_REFUSAL = re.compile(
    r"^\s*% ?(Invalid input|Incomplete command|Ambiguous command|Unknown command"
    r"|Unrecognized host|Invalid source).*$",
    re.MULTILINE,
)


class ParseError(Exception):
    """An output that its template cannot read, naming the command and the template."""

    def __init__(self, command: str, template: str, reason: str) -> None:
        self.command = command
        self.template = template
        self.reason = reason
        super().__init__(f"cannot parse '{command}' output with {template}: {reason}")


@dataclass(frozen=True)
class Template:
    """A template file found for a command, and the index it came from."""

    name: str
    path: Path
    source: str  # "project" or "ntc-templates"


@cache
def _index(directory: Path) -> clitable.IndexTable:
    # CliTable expands the index's abc[[xyz]] completions while reading it.
    return clitable.CliTable("index", str(directory)).index


def _normalise(command: str) -> str:
    return " ".join(command.split())


def find_template(command: str, platform: str = "cisco_ios") -> Template | None:
    """The template for `command`: the project's index first, then ntc-templates'.

    >>> find_template("show dmvpn").source
    'project'
    >>> find_template("show ip route vrf VRF-EVENT42").source
    'ntc-templates'
    """
    attributes = {"Command": _normalise(command), "Platform": platform}
    for directory in TEMPLATE_DIRS:
        index = _index(directory)
        row = index.GetRowMatch(attributes)
        if row:
            name = index.index[row]["Template"].split(":")[0]
            source = "project" if directory == PROJECT_TEMPLATES else "ntc-templates"
            return Template(name, directory / name, source)
    return None


def parse(command: str, output: str, platform: str = "cisco_ios") -> list[dict[str, Any]]:
    """Parse one command's output into rows (lower-case keys, ntc-templates' field names).

    Raises `ParseError` when no template exists, the device refused the command, the template
    hits an Error state, or a non-blank output yields no rows where rows are expected.
    """
    template = find_template(command, platform)
    if template is None:
        raise ParseError(command, "no template", f"no TextFSM template for platform {platform}")
    refusal = IOS_REFUSAL.search(output)
    if refusal:
        raise ParseError(command, template.name, f"device answered '{refusal.group(0).strip()}'")
    with template.path.open(encoding="utf-8") as handle:
        fsm = textfsm.TextFSM(handle)
    try:
        records = fsm.ParseText(output)
    except textfsm.TextFSMError as err:
        raise ParseError(command, template.name, str(err).splitlines()[-1]) from err
    header = [name.lower() for name in fsm.header]
    rows = [dict(zip(header, record, strict=True)) for record in records]
    if not rows and output.strip():
        proof = EMPTY_OK.get(template.name)
        if proof is None or not re.search(proof, output, re.MULTILINE):
            raise ParseError(command, template.name, "output yielded no rows")
    return rows
