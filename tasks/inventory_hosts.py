"""The hosts of one inventory load (`tasks.inventory`): each host's data looked up the way Nornir
does it (host, its groups depth-first, defaults), typed into a headend or a spoke, then linked to
its tenants; every problem goes into the load's list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

from tasks import secrets as secret_refs
from tasks.intent import (
    ROLES,
    Credentials,
    HostIntent,
    Lan,
    Mgmt,
    Problem,
    Settings,
    Sources,
    Tenant,
    Wan,
)
from tasks.inventory_specs import CredentialsSpec, fixed_location

if TYPE_CHECKING:
    from tasks.inventory import InventoryLoader


class HostReader:
    """The hosts part of one `InventoryLoader.load`."""

    def __init__(self, loader: InventoryLoader) -> None:
        self.loader = loader
        self.problems = loader.problems  # the load's list itself, not a copy
        self._settings_cache: dict[tuple[int, ...], Settings] = {}

    def hosts(
        self,
        hosts_raw: dict[str, dict[str, Any]],
        groups_raw: dict[str, dict[str, Any]],
        defaults: dict[str, Any],
        files: dict[str, str],
        sources: Sources,
        tenants: dict[str, Tenant],
    ) -> dict[str, HostIntent]:
        defaults_data = defaults.get("data") or {}
        tenant_of_group = {sources.tenant_group[t]: t for t in tenants}
        tenant_groups = {g for g, e in groups_raw.items() if "tenant" in (e.get("data") or {})}
        hosts: dict[str, HostIntent] = {}
        for name, entry in hosts_raw.items():
            chain: list[str] = []
            for g in entry.get("groups") or []:
                for member in self.loader.chain(str(g), groups_raw):
                    if member not in chain:
                        chain.append(member)
            layers = [(files["hosts"], name, entry.get("data") or {})]
            layers += [(files["groups"], g, groups_raw.get(g, {}).get("data") or {}) for g in chain]
            layers.append((files["defaults"], "defaults", defaults_data))

            def lookup(
                key: str, layers: list[tuple[str, str, Any]] = layers, name: str = name
            ) -> Any:
                for file, where, data in layers:
                    if key in data:
                        sources.host_keys[(name, key)] = (file, where)
                        return data[key]
                return None

            def locate(key: str, name: str = name) -> tuple[str, str]:
                return sources.host_keys.get((name, key), (files["hosts"], name))

            def attr(key: str, entry: dict[str, Any] = entry, chain: list[str] = chain) -> Any:
                """A Nornir host attribute (hostname, platform), inherited like data."""
                for value in [entry.get(key), *(groups_raw[g].get(key) for g in chain)]:
                    if value is not None:
                        return value
                return defaults.get(key)

            role = lookup("role")
            if role not in ROLES:
                msg = "missing: put the host in group headend or in a tenant group"
                if role is not None:
                    msg = f"must be headend or spoke (got {role!r})"
                self.problems.append(Problem(*locate("role"), "data.role", msg))
                continue
            member_of = [tenant_of_group.get(g) for g in chain if g in tenant_groups]
            settings = self._settings(lookup, locate)
            credentials = self._credentials(lookup("credentials"), name, locate)
            master_key, master_ref = self._master_key(lookup("master_key"), locate)
            wan = self.loader.parse(
                Wan, lookup("wan"), functools.partial(fixed_location, locate("wan")), "data.wan"
            )
            model = lookup("model")
            if not isinstance(model, str) or not model:
                self.problems.append(
                    Problem(
                        *locate("model"), "data.model", "must name the device model (e.g. ISR4331)"
                    )
                )
            common = {
                "name": name,
                "model": str(model),
                "hostname": attr("hostname"),
                "port": attr("port"),
                "platform": attr("platform"),
                "credentials": credentials,
                "master_key": master_key,
                "master_key_ref": master_ref,
            }
            if role == "headend":
                host = self._headend(name, lookup, locate, wan, settings, common, member_of, files)
            else:
                host = self._spoke(name, lookup, locate, wan, settings, common, member_of, files)
            if host is None:
                continue
            hosts[name] = host
        self._link(hosts, tenants, sources)
        return hosts

    def _settings(
        self, lookup: Callable[[str], Any], locate: Callable[[str], tuple[str, str]]
    ) -> Settings:
        parts = {
            key: lookup(key) for key in ("crypto", "timers", "tunnel", "management", "internet")
        }
        cache_key = tuple(id(v) for v in parts.values())
        if cache_key not in self._settings_cache:
            given = {k: v for k, v in parts.items() if v is not None}
            parsed = self.loader.parse(Settings, given, locate, "data")
            self._settings_cache[cache_key] = parsed or Settings()
        return self._settings_cache[cache_key]

    def _credentials(
        self, raw: Any, host: str, locate: Callable[[str], tuple[str, str]]
    ) -> Credentials:
        if raw is None:
            return Credentials()
        spec = self.loader.parse(
            CredentialsSpec,
            raw,
            functools.partial(fixed_location, locate("credentials")),
            "data.credentials",
        )
        if spec is None:
            return Credentials()
        values: dict[str, str | None] = {}
        missing = []
        for key in ("username", "password", "enable"):
            value = getattr(spec, key)
            if value is None:
                values[key] = None
                continue

            def fail(msg: str, key: str = key) -> None:
                self.problems.append(
                    Problem(*locate("credentials"), f"data.credentials.{key}", msg)
                )

            values[key] = self.loader.secret(value, False, fail)
            ref = secret_refs.reference_name(value)
            if values[key] is None and ref:
                missing.append(ref)
        return Credentials(
            username=values["username"],
            password=values["password"],
            enable=values["enable"],
            missing=tuple(missing),
        )

    def _master_key(
        self, raw: Any, locate: Callable[[str], tuple[str, str]]
    ) -> tuple[str | None, str | None]:
        """The type-6 master key (value, reference name); never required at load: the baseline
        refuses a host whose reference does not resolve, a deploy only needs it to judge keys."""
        if raw is None:
            return None, None

        def fail(msg: str) -> None:
            self.problems.append(Problem(*locate("master_key"), "data.master_key", msg))

        value = self.loader.secret(str(raw), False, fail)
        if value is not None and (len(value.split()) != 1 or any(c in value for c in '?"\\')):
            fail("the master key is one IOS word: no spaces, question marks, quotes or backslashes")
            return None, None
        return value, secret_refs.reference_name(str(raw))

    def _headend(
        self,
        name: str,
        lookup: Callable[[str], Any],
        locate: Callable[[str], tuple[str, str]],
        wan: Wan | None,
        settings: Settings,
        common: dict[str, Any],
        member_of: list[str | None],
        files: dict[str, str],
    ) -> HostIntent | None:
        if member_of:
            self.problems.append(
                Problem(files["hosts"], name, "groups", "a headend must not be in a tenant group")
            )
        mgmt_raw = lookup("mgmt")
        mgmt = None
        if mgmt_raw is not None:
            mgmt = self.loader.parse(
                Mgmt, mgmt_raw, functools.partial(fixed_location, locate("mgmt")), "data.mgmt"
            )
        if wan is not None and wan.dhcp:
            self.problems.append(
                Problem(
                    *locate("wan"),
                    "data.wan.dhcp",
                    "a headend needs a static WAN address (spokes dial it)",
                )
            )
            return None
        if wan is None or (mgmt_raw is not None and mgmt is None):
            return None
        return HostIntent(role="headend", wan=wan, mgmt=mgmt, settings=settings, **common)

    def _spoke(
        self,
        name: str,
        lookup: Callable[[str], Any],
        locate: Callable[[str], tuple[str, str]],
        wan: Wan | None,
        settings: Settings,
        common: dict[str, Any],
        member_of: list[str | None],
        files: dict[str, str],
    ) -> HostIntent | None:
        if len(member_of) != 1:
            what = "in no tenant group" if not member_of else "in more than one tenant group"
            self.problems.append(
                Problem(
                    files["hosts"],
                    name,
                    "groups",
                    f"a spoke must be in exactly one tenant-<name> group ({what})",
                )
            )
            return None
        tenant = member_of[0]
        lan = self.loader.parse(
            Lan, lookup("lan"), functools.partial(fixed_location, locate("lan")), "data.lan"
        )
        tunnel_ip: IPv4Address | None = None
        try:
            raw_ip = lookup("tunnel_ip")
            if raw_ip is None:
                self.problems.append(
                    Problem(*locate("tunnel_ip"), "data.tunnel_ip", "required field is missing")
                )
            else:
                tunnel_ip = IPv4Address(str(raw_ip))
        except ValueError:
            self.problems.append(
                Problem(
                    *locate("tunnel_ip"), "data.tunnel_ip", f"not an IPv4 address (got {raw_ip!r})"
                )
            )
        if tenant is None or wan is None or lan is None or tunnel_ip is None:
            return None
        return HostIntent(
            role="spoke",
            wan=wan,
            lan=lan,
            tunnel_ip=tunnel_ip,
            tenant=tenant,
            settings=settings,
            **common,
        )

    def _link(
        self, hosts: dict[str, HostIntent], tenants: dict[str, Tenant], sources: Sources
    ) -> None:
        for host in hosts.values():
            if host.role == "spoke" and host.tenant in tenants:
                tenants[host.tenant].spokes.append(host.name)
        for tenant in sorted(tenants.values(), key=lambda t: t.name):
            hub = hosts.get(tenant.headend)
            if hub is None or hub.role != "headend":
                what = "no such host" if hub is None else "that host is not a headend"
                self.problems.append(
                    sources.at_tenant(tenant.name, "headend", f"{tenant.headend!r}: {what}")
                )
                continue
            hub.tenants.append(tenant.name)
