"""Read Nornir's SimpleInventory files into an `Intent`, collecting every problem on the way.

Host data is looked up the way Nornir does it (host, then its groups depth-first, then defaults),
so what Nornir tasks see and what is validated are the same values. Each looked-up value keeps the
file and host/group it came from, so a problem names what a person has to edit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tasks import secrets as secret_refs
from tasks.host_attributes import NornirAttributes, nornir_keys
from tasks.intent import (
    TENANT_GROUP_PREFIX,
    Intent,
    IntentError,
    Problem,
    Sources,
    Tenant,
)
from tasks.inventory_hosts import HostReader
from tasks.inventory_specs import TenantSpec, fixed_location, pydantic_problems
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


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_M = TypeVar("_M", bound=BaseModel)


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
            self.problems.extend(pydantic_problems(err, locate, prefix))
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
        hosts = HostReader(self).hosts(hosts_raw, groups_raw, defaults, files, sources, tenants)
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
                    functools.partial(fixed_location, (files[kind], name)),
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
            functools.partial(fixed_location, (files["defaults"], "defaults")),
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
            spec = self.parse(TenantSpec, raw, here, prefix)
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
            values = spec.model_dump(exclude={"psk", "nhrp_key", "tunnel_source"})
            values["tunnel_source"] = spec.tunnel_source
            tenants[spec.name] = Tenant(**values, psk=found["psk"], nhrp_key=found["nhrp_key"])
        return tenants
