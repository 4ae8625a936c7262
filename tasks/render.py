"""Render a host's intended config, one IOS text per section in push order.

`render_host` is the pure core (fast, testable without Nornir); `render_config` is the Nornir task
around the same Jinja2 environment through nornir-jinja2's `template_file`, so both give the same
text. Templates live in `templates/<role>/<section>.j2` (shared text in `templates/common/`) and
print lines exactly as IOS shows them in running-config, so a diff against the device is clean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from nornir.core.task import Result, Task
from nornir_jinja2.plugins.tasks import template_file

from tasks.addressing import eigrp_network, host_mask, ip_mask
from tasks.intent import Intent, IntentError, Problem
from tasks.sections import SECTIONS

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"

ENV = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    auto_reload=False,
    autoescape=False,  # IOS text, not HTML
)
ENV.filters.update(ipmask=ip_mask, hostmask=host_mask, eigrp_network=eigrp_network)


def template_name(role: str, section: str) -> str:
    return f"{role}/{section}.j2"


def _refuse(host: str, message: str) -> IntentError:
    return IntentError([Problem("command line", host, "tenant", message)])


def template_context(
    intent: Intent, host: str, tenant: str | None, shared_only: bool = False
) -> dict[str, Any]:
    """What the templates see: the host (`h`), its headend (`hub`), `tenants` to render, `s`ettings
    and the headend's `crypto` suite.

    A headend renders its shared objects plus `tenant`'s (every tenant it serves when None);
    a spoke always renders its own tenant, and refuses another one. ``shared_only`` renders no
    tenant at all: what the host holds for every tenant alike (the base ownership is read from).
    """
    if host not in intent.hosts:
        known = ", ".join(intent.hosts)
        raise IntentError(
            [Problem("command line", "--host", "host", f"unknown host {host!r} (known: {known})")]
        )
    h = intent.hosts[host]
    if tenant is not None:
        intent.check_tenant(tenant)
    if h.role == "headend":
        if tenant is not None and tenant not in h.tenants:
            raise _refuse(host, f"{host} does not serve tenant {tenant!r}")
        names = h.tenants if tenant is None else [tenant]
        hub = h
    else:
        assert h.tenant is not None
        if tenant not in (None, h.tenant):
            raise _refuse(host, f"{host} belongs to tenant {h.tenant!r}, not {tenant!r}")
        names = [h.tenant]
        hub = intent.hosts[intent.tenants[h.tenant].headend]
    if shared_only:
        names = []
    return {
        "h": h,
        "hub": hub,
        "tenants": [intent.tenants[n] for n in names],
        "s": h.settings,
        # the crypto suite is the headend's: its spokes render the same (tasks.validate)
        "crypto": hub.settings.crypto,
        # a spoke's host-wide `ip multicast-routing`: in its shared base when its tenant wants it
        "multicast_base": h.tenant is not None and intent.tenants[h.tenant].multicast,
    }


def render_host(
    intent: Intent, host: str, tenant: str | None, shared_only: bool = False
) -> dict[str, str]:
    """Section name -> IOS text (empty string when the section has nothing), in push order."""
    context = template_context(intent, host, tenant, shared_only)
    role = context["h"].role
    return {
        section: ENV.get_template(template_name(role, section)).render(**context)
        for section in SECTIONS
    }


def render_config(task: Task, intent: Intent, tenant: str | None) -> Result:
    """Nornir task: `render_host` through nornir-jinja2, one sub-task per section."""
    context = template_context(intent, task.host.name, tenant)
    role = context["h"].role
    sections = {}
    for section in SECTIONS:
        sub = task.run(
            task=template_file,
            name=f"render {section}",
            template=template_name(role, section),
            jinja_env=ENV,
            **context,
        )
        sections[section] = sub.result
    return Result(host=task.host, result=sections)


def intended_config(sections: dict[str, str]) -> str:
    """All sections as one config, each top-level block once, as running-config would show it.

    A WAN interface appears in `wan` (address) and in `zbfw` (its zone-member, which must follow
    the zones); a device shows one block, and hier-config refuses duplicate sections, so the
    children of repeated blocks are merged under the first occurrence.
    """
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for section in SECTIONS:
        for line in sections.get(section, "").splitlines():
            if not line.strip() or line == "!":
                current = None if line == "!" else current
                continue
            if not line.startswith(" "):
                current = blocks.setdefault(line, [])
            elif current is not None:
                current.append(line)
    return "".join(
        f"{top}\n" + "".join(f"{child}\n" for child in children) + "!\n"
        for top, children in blocks.items()
    )


# Where the baseline keeps IOS's configuration archive on flash, and how many it keeps.
ARCHIVE_PATH = "dmvpn-archive"
ARCHIVE_MAXIMUM = 10


def render_baseline(intent: Intent, host: str, with_keys: bool = True) -> dict[str, str]:
    """The host-wide settings (``runbooks/baseline.py``), never a tenant's deploy: the safety
    settings a safe change needs, type-6 key storage (the master key, when the inventory names
    one; ``with_keys=False`` leaves it out, as a day-0 file must), and on a headend the crypto
    suite every tenant shares (the IKEv2 proposal and policy, the transform-set and the one
    IPsec profile of the WAN source)."""
    context = template_context(intent, host, None, shared_only=True)
    template = ENV.get_template("baseline/safety.j2")
    sections = {
        "baseline": template.render(archive_path=ARCHIVE_PATH, archive_maximum=ARCHIVE_MAXIMUM)
    }
    h = context["h"]
    if with_keys and h.master_key_ref and not h.master_key:
        message = f"secret {h.master_key_ref} is not set (environment or secrets file)"
        raise IntentError([Problem("inventory", host, "data.master_key", message)])
    if with_keys and h.master_key:
        encryption = ENV.get_template("baseline/password_encryption.j2")
        sections["keys"] = encryption.render(master_key=h.master_key)
    if context["h"].role == "headend":
        sections["ikev2"] = ENV.get_template("common/ikev2_policy.j2").render(**context)
        sections["ipsec"] = ENV.get_template("headend/shared_ipsec.j2").render(**context)
    return sections
