"""Hypothesis strategies for whole inventories: several tenants on one headend, chosen so that
ownership by name has every chance to go wrong.

Tenant names are prefixes of each other (``ev``, ``ev7``, ``ev70``) and parts of host names
(``ev7-a``, ``ev70-ev7``, ``ev-hub``); tunnel numbers, keys and NHRP network-ids are prefixes of
each other (7, 70, 700); tunnel subnets repeat across tenants; models, interface names and
multicast vary. Every generated inventory is valid: the validator must accept it.

``GenInventory.write(root)`` lays out ``config.yaml`` + ``inventory/{hosts,groups,defaults}.yaml``
in the shape of the example inventory; ``GenInventory.secrets`` are the environment variables the
references name.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from ipaddress import IPv4Interface, IPv4Network
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from lab.hardware.models import MODELS

# Models with two routed (layer-3) ports: a spoke's WAN and LAN, a headend's WAN and management.
# The ISR 4000's dedicated management port (VRF Mgmt-intf) and the ISR1100's LAN switchports are
# not routed ports and never drawn.
TWO_ROUTED = sorted(name for name, model in MODELS.items() if len(model.routed) >= 2)

TENANT_NAMES = ("ev", "ev7", "ev70", "ev700")
NUMBERS = (7, 70, 700, 7000)  # tunnel numbers, keys, network-ids, AS numbers: prefixes all
SUBNETS = ("172.16.7.0/24", "172.16.70.0/24", "10.70.0.0/24")  # fewer than tenants: overlaps
SPOKE_SUFFIXES = ("a", "b")
SECRET_ALPHABET = string.ascii_letters + string.digits

CONFIG_YAML = {
    "inventory": {
        "plugin": "SimpleInventory",
        "options": {
            "host_file": "inventory/hosts.yaml",
            "group_file": "inventory/groups.yaml",
            "defaults_file": "inventory/defaults.yaml",
        },
    },
    "runner": {"plugin": "threaded", "options": {"num_workers": 20}},
    "logging": {"enabled": False},
}

DEFAULTS_YAML = {
    "platform": "cisco_ios",
    "data": {
        "crypto": {"transform_set": "TS-SECURE-CIPHERS", "transforms": "esp-aes 256 esp-sha-hmac"},
        "timers": {"nhrp_holdtime": 300, "eigrp_hello": 20, "eigrp_hold": 60},
        "tunnel": {"ip_mtu": 1400, "tcp_adjust_mss": 1360},
        "credentials": {
            "username": "${DMVPN_USERNAME}",
            "password": "${DMVPN_PASSWORD}",
            "enable": "${DMVPN_ENABLE}",
        },
    },
}


@dataclass(frozen=True)
class GenSpoke:
    name: str
    model: str
    wan_interface: str
    lan_interface: str
    lan: IPv4Interface
    tunnel_ip: str


@dataclass(frozen=True)
class GenTenant:
    name: str
    tunnel: int
    tunnel_key: int
    nhrp_network_id: int
    eigrp_as: int
    subnet: IPv4Network
    multicast: bool
    psk: str
    nhrp_key: str
    spokes: tuple[GenSpoke, ...]

    @property
    def tag(self) -> str:
        return self.name.upper()

    @property
    def vrf(self) -> str:
        return f"VRF-{self.tag}"

    @property
    def domain(self) -> str:
        return f"{self.name}.example.net"

    @property
    def hub_ip(self) -> str:
        return str(self.subnet.network_address + 1)

    def group(self, headend: str) -> dict[str, Any]:
        return {
            "groups": ["spoke"],
            "data": {
                "tenant": {
                    "name": self.name,
                    "headend": headend,
                    "vrf": self.vrf,
                    "tunnel": self.tunnel,
                    "tunnel_key": self.tunnel_key,
                    "nhrp_network_id": self.nhrp_network_id,
                    "tunnel_subnet": str(self.subnet),
                    "hub_tunnel_ip": self.hub_ip,
                    "eigrp_as": self.eigrp_as,
                    "ikev2_domain": self.domain,
                    "multicast": self.multicast,
                    "psk": f"${{{self.tag}_PSK}}",
                    "nhrp_key": f"${{{self.tag}_NHRP_KEY}}",
                }
            },
        }


@dataclass(frozen=True)
class GenInventory:
    headend: str
    headend_model: str
    wan_interface: str
    mgmt_interface: str | None
    tenants: tuple[GenTenant, ...]

    @property
    def secrets(self) -> dict[str, str]:
        """Environment variables the inventory's references name (tenant secrets only)."""
        values = {}
        for t in self.tenants:
            values[f"{t.tag}_PSK"] = t.psk
            values[f"{t.tag}_NHRP_KEY"] = t.nhrp_key
        return values

    def tenant(self, name: str) -> GenTenant:
        return next(t for t in self.tenants if t.name == name)

    @property
    def spokes(self) -> list[GenSpoke]:
        return [s for t in self.tenants for s in t.spokes]

    @property
    def hosts(self) -> list[str]:
        return [self.headend, *(s.name for s in self.spokes)]

    def files(self) -> dict[str, dict[str, Any]]:
        """File name (relative to the config's folder) -> YAML content."""
        headend: dict[str, Any] = {
            "model": self.headend_model,
            "wan": {
                "interface": self.wan_interface,
                "address": "192.0.2.10/24",
                "gateway": "192.0.2.1",
            },
        }
        if self.mgmt_interface:
            headend["mgmt"] = {
                "interface": self.mgmt_interface,
                "address": "198.51.100.10/24",
                "gateway": "198.51.100.1",
            }
        hosts: dict[str, Any] = {
            self.headend: {"hostname": "198.51.100.10", "groups": ["headend"], "data": headend}
        }
        for t in self.tenants:
            for s in t.spokes:
                hosts[s.name] = {
                    "hostname": str(s.lan.ip),
                    "groups": [f"tenant-{t.name}"],
                    "data": {
                        "model": s.model,
                        "wan": {"interface": s.wan_interface, "dhcp": True},
                        "lan": {"interface": s.lan_interface, "address": str(s.lan)},
                        "tunnel_ip": s.tunnel_ip,
                    },
                }
        groups: dict[str, Any] = {
            "headend": {"data": {"role": "headend"}},
            "spoke": {"data": {"role": "spoke"}},
        }
        groups.update({f"tenant-{t.name}": t.group(self.headend) for t in self.tenants})
        return {
            "config.yaml": CONFIG_YAML,
            "inventory/hosts.yaml": hosts,
            "inventory/groups.yaml": groups,
            "inventory/defaults.yaml": DEFAULTS_YAML,
        }

    def write(self, root: Path) -> Path:
        """Write the inventory under ``root``; returns the config file."""
        for name, content in self.files().items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(content, sort_keys=False))
        return root / "config.yaml"

    def describe(self) -> str:
        """The groups and hosts files as YAML (a reproducer to paste into a report)."""
        files = self.files()
        return "\n".join(
            f"# {name}\n{yaml.safe_dump(files[name], sort_keys=False)}"
            for name in ("inventory/groups.yaml", "inventory/hosts.yaml")
        )


def _secret(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(SECRET_ALPHABET, min_size=min_size, max_size=max_size)


@st.composite
def _spokes(
    draw: st.DrawFn,
    tenant: str,
    others: list[str],
    index: int,
    subnet: IPv4Network,
    most: int,
    prefix: str,
) -> tuple[GenSpoke, ...]:
    choices = st.sampled_from([*SPOKE_SUFFIXES, *others])
    suffixes = draw(st.lists(choices, min_size=1, max_size=most, unique=True))
    spokes = []
    for n, suffix in enumerate(suffixes):
        model = draw(st.sampled_from(TWO_ROUTED))
        wan, lan = draw(st.permutations(MODELS[model].routed))[:2]
        spokes.append(
            GenSpoke(
                name=f"{prefix}-{suffix}",  # ev7-a, ev70-ev7: the tenant's name and another's
                model=model,
                wan_interface=wan,
                lan_interface=lan,
                lan=IPv4Interface(f"10.{100 + index}.{n + 1}.1/24"),
                tunnel_ip=str(subnet.network_address + 11 + n),
            )
        )
    return tuple(spokes)


@st.composite
def inventories(
    draw: st.DrawFn,
    min_tenants: int = 1,
    max_tenants: int = 3,
    max_spokes: int = 2,
    named_hosts: bool = True,
) -> GenInventory:
    """A valid inventory: 1 headend, ``min_tenants``..``max_tenants`` tenants with 1..``max_spokes``
    spokes each. With ``named_hosts`` host names carry tenant names (``ev7-a``, ``ev-hub``);
    without, they carry none (``site1-a``, ``hub1``), to tell name clashes from other bugs."""
    names = draw(
        st.lists(
            st.sampled_from(TENANT_NAMES), min_size=min_tenants, max_size=max_tenants, unique=True
        )
    )
    # per headend: unique tunnel numbers, keys, network-ids (one shared tunnel source)
    tunnels, keys, ids, asns = (draw(st.permutations(NUMBERS)) for _ in range(4))
    tenants = []
    for i, name in enumerate(names):
        subnet = IPv4Network(draw(st.sampled_from(SUBNETS)))
        others = [n for n in names if n != name]
        tenants.append(
            GenTenant(
                name=name,
                tunnel=tunnels[i],
                tunnel_key=keys[i],
                nhrp_network_id=ids[i],
                eigrp_as=asns[i],
                subnet=subnet,
                multicast=draw(st.booleans()),
                psk=draw(_secret(12, 24)),
                nhrp_key=draw(_secret(6, 8)),
                spokes=draw(
                    _spokes(
                        name,
                        others if named_hosts else [],
                        i,
                        subnet,
                        max_spokes,
                        name if named_hosts else f"site{i + 1}",
                    )
                ),
            )
        )
    named = [f"{names[0]}-hub", f"hub-{names[-1]}"] if named_hosts else []
    headend = draw(st.sampled_from(["hub1", *named]))
    model = draw(st.sampled_from(TWO_ROUTED))
    interfaces = draw(st.permutations(MODELS[model].routed))
    mgmt = interfaces[1] if draw(st.booleans()) else None
    return GenInventory(headend, model, interfaces[0], mgmt, tuple(tenants))


def _tenant(name: str, number: int, index: int) -> GenTenant:
    subnet = IPv4Network("172.16.7.0/24")
    spoke = GenSpoke(
        f"{name}-a",
        "C1111-4P",
        "GigabitEthernet0/0/0",
        "GigabitEthernet0/0/1",
        IPv4Interface(f"10.{100 + index}.1.1/24"),
        "172.16.7.11",
    )
    return GenTenant(
        name, number, number, number, number, subnet, False, "pskpskpskpsk", "nhrpkey", (spoke,)
    )


# The smallest clash Hypothesis found: the headend is named after tenant ev, so ev7's objects
# carry lines naming ev (`peer EV-HUB`, `identity local fqdn ev-hub.ev7.example.net`).
EV_HUB = GenInventory(
    "ev-hub", "ISR4321", "GigabitEthernet0/0/0", None, (_tenant("ev", 7, 0), _tenant("ev7", 70, 1))
)
