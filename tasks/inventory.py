"""Read Nornir's SimpleInventory files into an `Intent`, collecting every problem on the way.

Host data is looked up the way Nornir does it (host, then its groups depth-first, then defaults),
so what Nornir tasks see and what is validated are the same values. Each looked-up value keeps the
file and host/group it came from, so a problem names what a person has to edit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from tasks import secrets as secret_refs
from tasks.host_attributes import NornirAttributes, nornir_keys
from tasks.intent import (
    ROLES,
    TENANT_GROUP_PREFIX,
    Credentials,
    HostIntent,
    Intent,
    IntentError,
    Lan,
    Mgmt,
    Problem,
    Settings,
    Sources,
    Tenant,
    Wan,
    _Spec,
)
from tasks.yaml_files import read_yaml

# SimpleInventory file: (Nornir option naming it, Nornir's default).
NORNIR_FILES = {
    "hosts": ("host_file", "hosts.yaml"),
    "groups": ("group_file", "groups.yaml"),
    "defaults": ("defaults_file", "defaults.yaml"),
}


def inventory_files(config: Any, base: Path) -> dict[str, Path]:
    """The SimpleInventory files a parsed Nornir config names, relative to `base` (the config's
    folder, not the cwd as Nornir would have it); Nornir's defaults where it names none.

    >>> config = {"inventory": {"options": {"host_file": "inv/h.yaml"}}}
    >>> inventory_files(config, Path("/r"))["hosts"]
    PosixPath('/r/inv/h.yaml')
    >>> inventory_files(None, Path("/r"))["defaults"]
    PosixPath('/r/defaults.yaml')
    """
    inventory = config.get("inventory") if isinstance(config, dict) else None
    options = inventory.get("options") if isinstance(inventory, dict) else None
    options = options if isinstance(options, dict) else {}
    return {
        kind: base / str(options.get(key) or default)
        for kind, (key, default) in NORNIR_FILES.items()
    }


class _TenantSpec(_Spec):
    name: str = Field(pattern=r"^[a-z][a-z0-9]{0,19}$")
    headend: str
    vrf: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,32}$")
    tunnel: int = Field(ge=0, le=2147483647)
    tunnel_key: int = Field(ge=0, le=4294967295)
    nhrp_network_id: int = Field(ge=1, le=4294967295)
    tunnel_subnet: IPv4Network
    hub_tunnel_ip: IPv4Address
    eigrp_as: int = Field(ge=1, le=65535)
    ikev2_domain: str = Field(
        max_length=200, pattern=r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"
    )
    multicast: bool = False
    multicast_rp: IPv4Address | None = None  # default: the hub's tunnel address
    summary: IPv4Network | None = None
    psk: str
    nhrp_key: str


class _CredentialsSpec(_Spec):
    username: str
    password: str
    enable: str | None = None


# What a pattern means, for people (pydantic would print the regular expression).
_PATTERN_HINTS = {
    "name": "lower-case letters and digits, starting with a letter, at most 20",
    "vrf": "a VRF name: letters, digits, '_', '.', '-', at most 32",
    "ikev2_domain": "a lower-case DNS domain such as event42.example.net",
    "transform_set": "a name without spaces",
}

_SECRET_FIELDS = frozenset({"psk", "nhrp_key", "credentials", "username", "password", "enable"})


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _pydantic_problems(
    err: ValidationError, locate: Callable[[str], tuple[str, str]], prefix: str
) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = [str(part) for part in e["loc"]]
        file, where = locate(loc[0] if loc else "")
        message = str(e["msg"]).removeprefix("Value error, ")
        if e["type"] == "missing":
            message = "required field is missing"
        elif e["type"] == "extra_forbidden":
            message = "unknown field (typo?)"
        elif e["type"] == "string_pattern_mismatch" and loc and loc[-1] in _PATTERN_HINTS:
            message = f"must be {_PATTERN_HINTS[loc[-1]]} (got {e.get('input')!r})"
        elif not _SECRET_FIELDS.intersection(loc) and not isinstance(e.get("input"), dict):
            message += f" (got {e.get('input')!r})"
        problems.append(Problem(file, where, ".".join([prefix, *loc] if prefix else loc), message))
    return problems


_M = TypeVar("_M", bound=BaseModel)


def _fixed(location: tuple[str, str], _key: str) -> tuple[str, str]:
    """A `locate` for a value that came from one place as a whole (e.g. `wan` from a host)."""
    return location


class InventoryLoader:
    """One load: raw YAML in, `Intent` out, problems collected on the way."""

    def __init__(
        self,
        config_file: Path,
        secrets_file: Path | None,
        require_secrets: bool | Iterable[str],
        env: Mapping[str, str],
    ) -> None:
        self.config_file = Path(config_file)
        self.secrets_file = secrets_file
        self.require_secrets = (
            require_secrets if isinstance(require_secrets, bool) else frozenset(require_secrets)
        )
        self.env = env
        self.problems: list[Problem] = []
        self.secret_file_values: dict[str, str] = {}
        self.secret_file_label = "secrets.yaml"
        self._chains: dict[str, list[str]] = {}
        self._settings_cache: dict[tuple[int, ...], Settings] = {}

    # -- files
    def inventory_paths(self) -> dict[str, Path]:
        label = _display(self.config_file)
        config = read_yaml(self.config_file, label, self.problems, where="-")
        if config is not None and not isinstance(config, dict):
            self.problems.append(Problem(label, "-", "-", "must be a YAML mapping (Nornir config)"))
        elif isinstance(config, dict) and not isinstance(
            (config.get("inventory") or {}).get("options") or {}, dict
        ):
            self.problems.append(Problem(label, "inventory", "options", "must be a mapping"))
        return inventory_files(config, self.config_file.parent)

    def load_secret_file(self) -> None:
        path = self.secrets_file or self.config_file.parent / "secrets.yaml"
        self.secret_file_label = _display(path)
        if self.secrets_file is None and not path.exists():
            return
        data = read_yaml(path, self.secret_file_label, self.problems, where="-")
        if data is None:
            return
        if not isinstance(data, dict):
            self.problems.append(
                Problem(self.secret_file_label, "-", "-", "must be a mapping NAME: value")
            )
            return
        self.secret_file_values = {str(k): str(v) for k, v in data.items() if v is not None}

    # -- Nornir-style inheritance
    def chain(self, group: str, groups: dict[str, Any], seen: tuple[str, ...] = ()) -> list[str]:
        if group in self._chains:
            return self._chains[group]
        result = [group]
        if group in seen:
            return result
        for parent in groups.get(group, {}).get("groups") or []:
            for g in self.chain(parent, groups, (*seen, group)):
                if g not in result:
                    result.append(g)
        self._chains[group] = result
        return result

    def secret(self, value: str, required: bool, fail: Callable[[str], None]) -> str | None:
        name = secret_refs.reference_name(value)
        if name is None:
            fail("must be a reference like ${NAME} (environment or secrets file), never the value")
            return None
        resolved = secret_refs.resolve(name, self.env, self.secret_file_values)
        if resolved is None and required:
            fail(
                f"secret {name} is not set "
                f"(environment variable, or key in {self.secret_file_label})"
            )
        return resolved

    def parse(
        self, model: type[_M], raw: Any, locate: Callable[[str], tuple[str, str]], prefix: str
    ) -> _M | None:
        try:
            return model.model_validate(raw)
        except ValidationError as err:
            self.problems.extend(_pydantic_problems(err, locate, prefix))
            return None

    # -- the whole load
    def load(self) -> Intent:
        paths = self.inventory_paths()
        files = {kind: _display(p) for kind, p in paths.items()}
        whole_file = {"defaults": "defaults"}  # hosts/groups: the top-level key is the place
        raw = {
            kind: read_yaml(p, files[kind], self.problems, whole_file.get(kind))
            for kind, p in paths.items()
        }
        self.load_secret_file()
        for kind in ("hosts", "groups", "defaults"):
            if raw[kind] is None:
                raw[kind] = {}
            if not isinstance(raw[kind], dict):
                self.problems.append(Problem(files[kind], "-", "-", "must be a YAML mapping"))
                raw[kind] = {}
        if self.problems:
            raise IntentError(self.problems)

        sources = Sources(files=files)
        hosts_raw, groups_raw, defaults = self._entries(raw, files)
        tenants = self._tenants(groups_raw, files, sources)
        hosts = self._hosts(hosts_raw, groups_raw, defaults, files, sources, tenants)
        intent = Intent(tenants=tenants, hosts=hosts, config_file=self.config_file, sources=sources)

        from tasks.validate import validate  # here: validate reads Intent, Intent loading calls it

        self.problems.extend(validate(intent))
        if self.problems:
            raise IntentError(self.problems)
        return intent

    def _entries(
        self, raw: dict[str, Any], files: dict[str, str]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, Any]]:
        """Check the Nornir shape (`groups` lists, `data` mappings) of every entry."""
        out: dict[str, dict[str, dict[str, Any]]] = {"hosts": {}, "groups": {}}
        for kind in ("hosts", "groups"):
            for name, entry in raw[kind].items():
                name = str(name)
                entry = entry or {}
                if not isinstance(entry, dict):
                    self.problems.append(Problem(files[kind], name, "-", "must be a mapping"))
                    continue
                if not isinstance(entry.get("groups") or [], list):
                    self.problems.append(Problem(files[kind], name, "groups", "must be a list"))
                    entry = {**entry, "groups": []}
                if not isinstance(entry.get("data") or {}, dict):
                    self.problems.append(Problem(files[kind], name, "data", "must be a mapping"))
                    entry = {**entry, "data": {}}
                self.parse(
                    NornirAttributes,
                    nornir_keys(entry, kind),
                    functools.partial(_fixed, (files[kind], name)),
                    "",
                )
                out[kind][name] = entry
        for kind in ("hosts", "groups"):
            for name, entry in out[kind].items():
                for g in entry.get("groups") or []:
                    if str(g) not in out["groups"]:
                        self.problems.append(
                            Problem(
                                files[kind],
                                name,
                                "groups",
                                f"no group named {g!r} in {files['groups']}",
                            )
                        )
        defaults = raw["defaults"]
        self.parse(
            NornirAttributes,
            nornir_keys(defaults, "defaults"),
            functools.partial(_fixed, (files["defaults"], "defaults")),
            "",
        )
        if not isinstance(defaults.get("data") or {}, dict):
            self.problems.append(
                Problem(files["defaults"], "defaults", "data", "must be a mapping")
            )
            defaults = {}
        return out["hosts"], out["groups"], defaults

    def _tenants(
        self, groups: dict[str, dict[str, Any]], files: dict[str, str], sources: Sources
    ) -> dict[str, Tenant]:
        tenants: dict[str, Tenant] = {}
        for group, entry in groups.items():
            raw = (entry.get("data") or {}).get("tenant")
            if raw is None:
                continue
            prefix = "data.tenant"

            def here(_key: str, group: str = group) -> tuple[str, str]:
                return files["groups"], group

            if not group.startswith(TENANT_GROUP_PREFIX):
                self.problems.append(
                    Problem(
                        files["groups"], group, prefix, "a tenant group must be named tenant-<name>"
                    )
                )
                continue
            spec = self.parse(_TenantSpec, raw, here, prefix)
            if spec is None:
                continue
            if f"{TENANT_GROUP_PREFIX}{spec.name}" != group:
                self.problems.append(
                    Problem(
                        files["groups"],
                        group,
                        f"{prefix}.name",
                        f"must match the group name ({group[7:]!r})",
                    )
                )
                continue
            sources.tenant_group[spec.name] = group
            found: dict[str, str] = {}
            for key in ("psk", "nhrp_key"):

                def fail(msg: str, key: str = key, group: str = group) -> None:
                    self.problems.append(Problem(files["groups"], group, f"data.tenant.{key}", msg))

                required = self.require_secrets is True or (
                    not isinstance(self.require_secrets, bool) and spec.name in self.require_secrets
                )
                found[key] = self.secret(getattr(spec, key), required, fail) or ""
            values = spec.model_dump(exclude={"psk", "nhrp_key"})
            tenants[spec.name] = Tenant(**values, psk=found["psk"], nhrp_key=found["nhrp_key"])
        return tenants

    def _hosts(
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
                for member in self.chain(str(g), groups_raw):
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
            wan = self.parse(
                Wan, lookup("wan"), functools.partial(_fixed, locate("wan")), "data.wan"
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
            parsed = self.parse(Settings, given, locate, "data")
            self._settings_cache[cache_key] = parsed or Settings()
        return self._settings_cache[cache_key]

    def _credentials(
        self, raw: Any, host: str, locate: Callable[[str], tuple[str, str]]
    ) -> Credentials:
        if raw is None:
            return Credentials()
        spec = self.parse(
            _CredentialsSpec,
            raw,
            functools.partial(_fixed, locate("credentials")),
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

            values[key] = self.secret(value, False, fail)
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

        value = self.secret(str(raw), False, fail)
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
            mgmt = self.parse(
                Mgmt, mgmt_raw, functools.partial(_fixed, locate("mgmt")), "data.mgmt"
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
        lan = self.parse(Lan, lookup("lan"), functools.partial(_fixed, locate("lan")), "data.lan")
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
