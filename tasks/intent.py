"""Typed intent: tenants and hosts as the inventory describes them, and the problems it can have.

`load_intent` reads the inventory (`tasks/inventory.py`), validates it (`tasks/validate.py`)
and returns an `Intent`, or raises `IntentError` listing every `Problem` as
`file: where: field: message`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Role = Literal["headend", "spoke"]
ROLES: tuple[str, ...] = ("headend", "spoke")
TENANT_GROUP_PREFIX = "tenant-"
# Device models running classic IOS (15.x), not IOS XE: multicast routing has no `distributed`
# keyword there, while IOS XE's examples always use it (docs/ios-rules.md, rule 7).
CLASSIC_IOS_MODELS = frozenset({"IOSv", "IOL"})


@dataclass(frozen=True)
class Problem:
    """One thing a person has to fix, located as `file: where: field: message`."""

    file: str
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.field}: {self.message}"


class IntentError(Exception):
    """The intent cannot be used; `.problems` lists all that is wrong with it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# ---------------------------------------------------------------- typed pieces (parsed by pydantic)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Wan(_Spec):
    """Internet-facing interface in VRF-FRONT: a static address with its gateway, or DHCP."""

    interface: str
    address: IPv4Interface | None = None
    gateway: IPv4Address | None = None
    dhcp: bool = False

    @model_validator(mode="after")
    def _static_or_dhcp(self) -> Wan:
        if self.dhcp and (self.address or self.gateway):
            raise ValueError("use either dhcp: true or address + gateway, not both")
        if not self.dhcp and (self.address is None or self.gateway is None):
            raise ValueError("needs address and gateway (or dhcp: true)")
        if self.address and self.gateway and self.gateway not in self.address.network:
            raise ValueError(f"gateway {self.gateway} is not in {self.address.network}")
        return self


class Lan(_Spec):
    """Spoke LAN interface in the global table (`ip nat inside`)."""

    interface: str
    address: IPv4Interface


class TunnelSource(_Spec):
    """A tenant's own tunnel source on its headend: a loopback in the front-door VRF, so the
    tenant may have its own IPsec profile (Cisco's sharing rule is per source interface)."""

    interface: str = Field(pattern=r"^Loopback\d{1,10}$")
    address: IPv4Address

    @field_validator("address")
    @classmethod
    def _unicast(cls, value: IPv4Address) -> IPv4Address:
        if (
            value.is_multicast
            or value.is_unspecified
            or value.is_loopback
            or value.is_link_local
            or value.is_reserved
            or value == IPv4Address("255.255.255.255")
        ):
            raise ValueError(f"{value} is not a unicast address a peer can reach")
        return value


class Mgmt(_Spec):
    """Headend out-of-band management interface in VRF MGMT."""

    interface: str
    address: IPv4Interface
    gateway: IPv4Address

    @model_validator(mode="after")
    def _gateway_inside(self) -> Mgmt:
        if self.gateway not in self.address.network:
            raise ValueError(f"gateway {self.gateway} is not in {self.address.network}")
        return self


_TRANSFORMS = frozenset(
    {
        "esp-aes", "esp-gcm", "esp-gmac", "esp-3des", "128", "192", "256",
        "esp-sha-hmac", "esp-sha256-hmac", "esp-sha384-hmac", "esp-sha512-hmac", "esp-md5-hmac",
    }
)  # fmt: skip


@dataclass(frozen=True)
class CryptoSuite:
    """What a named suite renders: ESP transforms, the IKEv2 proposal (None: IOS's default
    proposal, no policy) and the PFS group of the IPsec profile (None: no PFS)."""

    transforms: str
    ike_encryption: str | None = None
    ike_integrity: str | None = None
    ike_groups: str | None = None
    pfs: str | None = None


# Cisco, Next Generation Encryption (AES-GCM-256 for ESP, SHA-2 integrity, ECDH P-384/P-256):
# http://www.cisco.com/c/en/us/about/security-center/next-generation-cryptography.html
# "article": the source article's 2017 suite (AES-CBC + HMAC-SHA1, IOS's default IKEv2 proposal,
# no PFS), kept selectable per headend for peers that cannot do better.
CRYPTO_SUITES: dict[str, CryptoSuite] = {
    "modern": CryptoSuite(
        transforms="esp-gcm 256",
        ike_encryption="aes-cbc-256",
        ike_integrity="sha512 sha384",
        ike_groups="20 19",
        pfs="group20",
    ),
    "article": CryptoSuite(transforms="esp-aes 256 esp-sha-hmac"),
}


class Crypto(_Spec):
    """The headend's crypto suite (its spokes follow it): a named suite, optionally with other
    ESP transforms."""

    suite: Literal["modern", "article"] = "modern"
    transform_set: str = Field(default="TS-SECURE-CIPHERS", pattern=r"^\S+$")
    transforms: str | None = None  # default: the suite's

    @field_validator("transforms")
    @classmethod
    def _known_transforms(cls, value: str | None) -> str | None:
        if value is None:
            return None
        words = value.split()
        unknown = [word for word in words if word not in _TRANSFORMS]
        if unknown or not words:
            raise ValueError(f"unknown IPsec transform(s) {' '.join(unknown)!r}")
        if words[0] in ("esp-gcm", "esp-gmac") and any(w.endswith("-hmac") for w in words):
            # AES-GCM/GMAC authenticate themselves: IOS refuses an ESP HMAC beside them
            raise ValueError(f"{words[0]} takes no ESP HMAC ({value!r})")
        return " ".join(words)

    @property
    def spec(self) -> CryptoSuite:
        return CRYPTO_SUITES[self.suite]

    @property
    def esp_transforms(self) -> str:
        return self.transforms or self.spec.transforms


class Timers(_Spec):
    nhrp_holdtime: int = Field(default=300, ge=1, le=65535)
    eigrp_hello: int = Field(default=20, ge=1, le=65535)
    eigrp_hold: int = Field(default=60, ge=1, le=65535)
    # IKEv2 dead-peer detection on the spokes' profiles (`dpd <interval> <retry> on-demand`)
    # and NAT keepalives (`crypto ikev2 nat keepalive <seconds>`): IOS's ranges.
    dpd_interval: int = Field(default=30, ge=10, le=3600)
    dpd_retry: int = Field(default=5, ge=2, le=60)
    nat_keepalive: int = Field(default=20, ge=5, le=3600)

    @model_validator(mode="after")
    def _dpd_retry_below_interval(self) -> Timers:
        if self.dpd_retry >= self.dpd_interval:
            raise ValueError(
                f"dpd_retry {self.dpd_retry} must be shorter than dpd_interval {self.dpd_interval}"
            )
        return self


class TunnelSettings(_Spec):
    ip_mtu: int = Field(default=1400, ge=68, le=9976)
    tcp_adjust_mss: int = Field(default=1360, ge=500, le=1460)
    # kbit/s. A tunnel's default bandwidth is tiny (100 kbit/s), and EIGRP derives its metric
    # and paces its updates (50% of it) from this value.
    bandwidth: int = Field(default=10000, ge=1, le=10000000)


class Management(_Spec):
    """Where SSH to the devices may come from: the automation hosts' and operators' networks.
    A headend with an out-of-band MGMT interface takes SSH only there; a spoke from these
    prefixes through its WAN (OUTSIDE zone)."""

    prefixes: list[IPv4Network] = Field(default_factory=list)


class Internet(_Spec):
    """A spoke's local internet exit: its LAN is NATed (overload) out of the WAN interface in the
    front-door VRF, reached by a default route in the global table. `probe` is the internet
    address verify pings from each spoke's LAN (`spoke internet`)."""

    enabled: bool = True
    probe: IPv4Address = IPv4Address("8.8.8.8")
    check: bool = True  # verify pings the probe (off: a site whose carrier drops ICMP)

    @field_validator("probe")
    @classmethod
    def _public(cls, value: IPv4Address) -> IPv4Address:
        if not value.is_global:
            raise ValueError(
                f"{value} is not a public internet address (private, shared or documentation "
                "range): the probe must answer from the internet, e.g. 8.8.8.8"
            )
        return value


class Settings(_Spec):
    """Crypto suite, timers and tunnel sizes (from defaults.yaml; a group or host may override)."""

    crypto: Crypto = Crypto()
    timers: Timers = Timers()
    tunnel: TunnelSettings = TunnelSettings()
    management: Management = Management()
    internet: Internet = Internet()


# ---------------------------------------------------------------- the intent


@dataclass
class Tenant:
    """One event's overlay: its parameters (secrets resolved) and the names of what it owns."""

    name: str
    headend: str
    vrf: str
    tunnel: int
    tunnel_key: int
    nhrp_network_id: int
    tunnel_subnet: IPv4Network
    hub_tunnel_ip: IPv4Address
    eigrp_as: int
    ikev2_domain: str
    multicast: bool
    psk: str = field(repr=False)
    nhrp_key: str = field(repr=False)
    summary: IPv4Network | None = None  # advertised by the hub to the spokes instead of LANs
    multicast_rp: IPv4Address | None = None  # PIM RP; None: the hub's tunnel address
    # Its own tunnel source (a loopback in VRF-FRONT) with its own IPsec profile; None: the
    # headend's WAN, shared with every other tenant on it (one shared IPsec profile).
    tunnel_source: TunnelSource | None = None
    spokes: list[str] = field(default_factory=list)

    @property
    def rp(self) -> IPv4Address:
        """The tenant's PIM rendezvous point: the hub's tunnel address unless overridden."""
        return self.multicast_rp or self.hub_tunnel_ip

    @property
    def tag(self) -> str:
        """Upper-cased name carried by every object the tenant owns (`EVENT42`)."""
        return self.name.upper()

    @property
    def tunnel_interface(self) -> str:
        return f"Tunnel{self.tunnel}"

    @property
    def zone(self) -> str:
        return f"ZONE-{self.tag}"

    @property
    def keyring(self) -> str:
        return f"IKEv2-KEYRING-{self.tag}"

    @property
    def ikev2_profile(self) -> str:
        return f"IKEv2-PROFILE-{self.tag}"

    @property
    def ipsec_profile(self) -> str:
        return f"IPSEC-PROFILE-{self.tag}"

    @property
    def eigrp_name(self) -> str:
        return f"EIGRP-{self.tag}"

    def hub_nbma(self, hub: HostIntent) -> IPv4Address | None:
        """The hub's address the spokes reach (NBMA, IKEv2 peer): the tenant's own tunnel
        source, else the headend's WAN address (None when that is not static)."""
        if self.tunnel_source is not None:
            return self.tunnel_source.address
        return hub.wan.address.ip if hub.wan.address else None


@dataclass(frozen=True)
class Credentials:
    """Device login; a value is None when its reference did not resolve (`check_credentials`)."""

    username: str | None = None
    password: str | None = field(default=None, repr=False)
    enable: str | None = field(default=None, repr=False)
    missing: tuple[str, ...] = ()  # names of references that did not resolve


@dataclass
class HostIntent:
    name: str
    role: Role
    model: str
    wan: Wan
    settings: Settings
    credentials: Credentials
    hostname: str | None = None  # Nornir's own attributes, inherited as Nornir does
    port: int | None = None
    platform: str | None = None
    lan: Lan | None = None
    mgmt: Mgmt | None = None
    tunnel_ip: IPv4Address | None = None
    tenant: str | None = None  # spokes: the one tenant they belong to
    tenants: list[str] = field(default_factory=list)  # headends: tenants served, by name
    # The type-6 master key (`key config-key password-encrypt`), resolved from `data.master_key`
    # (a reference); `master_key_ref` names it for messages. None: not configured/not resolved.
    master_key: str | None = field(default=None, repr=False)
    master_key_ref: str | None = None

    @property
    def classic_ios(self) -> bool:
        """Classic IOS (IOSv 15.9, IOL): no `distributed` keyword for multicast routing."""
        return self.model in CLASSIC_IOS_MODELS

    @property
    def shared_ipsec_profile(self) -> str:
        """The one IPsec profile every tenant tunnel sourced from the WAN uses (`shared`).

        Cisco's DMVPN guide, "Sharing IPsec with Tunnel Protection", Restrictions: all tunnels
        with the same tunnel source interface must use the same IPsec profile and `shared`.
        """
        return "IPSEC-PROFILE-WAN"


@dataclass
class Sources:
    """Where each value came from, so a problem can name the file and host/group to edit."""

    files: dict[str, str]
    tenant_group: dict[str, str] = field(default_factory=dict)
    host_keys: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def at_tenant(self, tenant: str, name: str, message: str) -> Problem:
        group = self.tenant_group.get(tenant, f"{TENANT_GROUP_PREFIX}{tenant}")
        return Problem(self.files["groups"], group, f"data.tenant.{name}", message)

    def at_host(self, host: str, key: str, message: str, sub: str = "") -> Problem:
        file, where = self.host_keys.get((host, key), (self.files["hosts"], host))
        return Problem(file, where, f"data.{key}{'.' + sub if sub else ''}", message)


@dataclass
class Intent:
    tenants: dict[str, Tenant]
    hosts: dict[str, HostIntent]
    config_file: Path
    sources: Sources = field(repr=False)

    def check_tenant(self, name: str) -> Tenant:
        """The tenant called `name`, or an IntentError that lists the known ones."""
        if name not in self.tenants:
            known = ", ".join(sorted(self.tenants)) or "none"
            raise IntentError(
                [
                    Problem(
                        "command line",
                        "--tenant",
                        "tenant",
                        f"unknown tenant {name!r} (known: {known})",
                    )
                ]
            )
        return self.tenants[name]

    def hosts_for(self, tenant: str) -> list[str]:
        """Hosts a tenant touches: its headend first, then its spokes in inventory order."""
        t = self.check_tenant(tenant)
        return [t.headend, *t.spokes]

    def secret_values(self) -> list[str]:
        """Every resolved secret (PSKs, NHRP keys, credentials, master keys), for masking."""
        values = [v for t in self.tenants.values() for v in (t.psk, t.nhrp_key)]
        for h in self.hosts.values():
            values += [h.credentials.password or "", h.credentials.enable or ""]
            values.append(h.master_key or "")
        return sorted({v for v in values if v})

    def check_credentials(self, hosts: Iterable[str]) -> None:
        """Raise IntentError naming each unresolved credential reference of `hosts`."""
        problems = []
        for name in hosts:
            creds = self.hosts[name].credentials
            if creds.missing:
                message = f"not set: {', '.join(creds.missing)} (environment or secrets file)"
            elif creds.username is None or creds.password is None:
                message = "no device credentials configured"
            else:
                continue
            problems.append(self.sources.at_host(name, "credentials", message))
        if problems:  # hosts inheriting the same credentials share one problem
            raise IntentError(dict.fromkeys(problems))


def load_intent(
    config_file: Path = Path("config.yaml"),
    secrets_file: Path | None = None,
    *,
    require_secrets: bool | Iterable[str] = True,
    env: Mapping[str, str] | None = None,
) -> Intent:
    """Load and validate the whole intent; raise IntentError listing every problem.

    Secret references resolve from `env` (default: the process environment), then from
    `secrets_file` (default: `secrets.yaml` next to `config_file`, optional). With
    `require_secrets=False` an unresolved tenant secret is an empty string instead of a problem;
    given tenant names, only those tenants' secrets are required.
    """
    from tasks.inventory import InventoryLoader  # the loader builds the models defined here

    environment = os.environ if env is None else env
    return InventoryLoader(Path(config_file), secrets_file, require_secrets, environment).load()
