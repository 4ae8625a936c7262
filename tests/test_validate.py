"""Every broken inventory in tests/fixtures/inventories/ is refused with the expected problems."""

from __future__ import annotations

import doctest
from pathlib import Path
from typing import Any

import pytest
import yaml

import tasks.host_attributes
import tasks.yaml_files
from runbooks import render as render_runbook
from tasks.intent import IntentError, load_intent
from tasks.validate import RULES

CASES_DIR = Path(__file__).parent / "fixtures" / "inventories"
CASES = sorted(CASES_DIR.glob("*.yaml"))
DELETE = "<delete>"


def merge(base: Any, patch: Any) -> Any:
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return patch
    merged = dict(base)
    for key, value in patch.items():
        if value == DELETE:
            merged.pop(key, None)
        else:
            merged[key] = merge(base.get(key), value)
    return merged


def apply_case(case: dict[str, Any], config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inventory = config.parent / "inventory"
    for name, patch in (case.get("patch") or {}).items():
        path = inventory / name
        data = yaml.safe_load(path.read_text()) or {}
        path.write_text(yaml.safe_dump(merge(data, patch), sort_keys=False))
    for name, text in (case.get("raw") or {}).items():
        (inventory / name).write_text(text)
    for name, value in (case.get("env") or {}).items():
        monkeypatch.setenv(name, value)
    for name in case.get("unset_env") or []:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_broken_inventory_is_refused(
    case_file: Path,
    inventory_copy: Path,
    example_secrets: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = yaml.safe_load(case_file.read_text())
    apply_case(case, inventory_copy, monkeypatch)
    args = [str(a) for a in case.get("args") or []]

    code = render_runbook.main(["-c", str(inventory_copy), *args])
    out, err = capsys.readouterr()

    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    for expected in case["expect"]:
        assert any(expected in line for line in lines), f"{expected!r} not in:\n{err}"
    if not args:  # the library reports exactly what the runbook printed
        with pytest.raises(IntentError) as raised:
            load_intent(inventory_copy)
        assert [str(p) for p in raised.value.problems] == lines


def test_every_rule_has_a_broken_inventory() -> None:
    covered = {yaml.safe_load(c.read_text()).get("rule") for c in CASES}
    assert {rule.__name__ for rule in RULES} <= covered


def test_problem_names_file_where_field(
    inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    hosts = inventory_copy.parent / "inventory" / "hosts.yaml"
    hosts.write_text(
        hosts.read_text().replace("tunnel_ip: 172.16.42.12", "tunnel_ip: 172.16.42.11")
    )
    with pytest.raises(IntentError) as raised:
        load_intent(inventory_copy)
    (problem,) = raised.value.problems
    assert Path(problem.file).parts[-2:] == ("inventory", "hosts.yaml")
    assert (problem.where, problem.field) == ("e42-spoke2", "data.tunnel_ip")
    assert str(problem) == f"{problem.file}: e42-spoke2: data.tunnel_ip: {problem.message}"


def test_example_inventory_is_valid(example_config: Path, example_secrets: dict[str, str]) -> None:
    load_intent(example_config)


@pytest.mark.parametrize("module", [tasks.yaml_files, tasks.host_attributes])
def test_doctests(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried and not failures


def test_merge_keys_may_repeat_what_they_override(
    inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    """`<<: *anchor` then an explicit key is YAML's way to override, not a copy-paste slip."""
    hosts = inventory_copy.parent / "inventory" / "hosts.yaml"
    text = hosts.read_text()
    text = text.replace("e42-spoke1:\n", "e42-spoke1: &spoke\n", 1)
    text = text.replace(
        "e42-spoke2:\n  hostname: 10.42.2.1\n",
        "e42-spoke2:\n  <<: *spoke\n  hostname: 10.42.2.1\n",
    )
    hosts.write_text(text)
    intent = load_intent(inventory_copy)
    assert intent.hosts["e42-spoke2"].hostname == "10.42.2.1"


def test_duplicate_secret_is_named_without_its_value(
    inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    secrets = inventory_copy.parent / "secrets.yaml"
    secrets.write_text("DMVPN_PASSWORD: first-value\nDMVPN_PASSWORD: second-value\n")
    with pytest.raises(IntentError) as raised:
        load_intent(inventory_copy)
    (problem,) = raised.value.problems
    assert str(problem) == (
        "secrets.yaml: -: DMVPN_PASSWORD: 'DMVPN_PASSWORD' is given twice, at line 1 and "
        "line 2 (YAML would silently keep only the second)"
    ).replace("secrets.yaml", problem.file)
    assert "value" not in str(problem)


def test_inherited_nornir_attributes_reach_the_intent(
    inventory_copy: Path, example_secrets: dict[str, str]
) -> None:
    groups = inventory_copy.parent / "inventory" / "groups.yaml"
    groups.write_text(
        groups.read_text().replace("headend:\n  data:", "headend:\n  port: 2222\n  data:", 1)
    )
    intent = load_intent(inventory_copy)
    hub = intent.hosts["hub1"]
    assert (hub.hostname, hub.port, hub.platform) == ("198.51.100.10", 2222, "cisco_ios")
    assert intent.hosts["e42-spoke1"].port is None


def test_lab_refuses_a_model_it_does_not_emulate_before_starting(
    inventory_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --lab, an unknown `data.model` is exit 2 naming the known models; nothing starts."""
    from runbooks import verify as verify_runbook

    hosts_file = inventory_copy.parent / "inventory" / "hosts.yaml"
    hosts_file.write_text(hosts_file.read_text().replace("model: ISR4331", "model: ISR9999", 1))
    state = tmp_path / "lab-state"
    argv = ["--tenant", "event42", "--lab", "--lab-state", str(state), "-c", str(inventory_copy)]
    assert verify_runbook.main(argv) == 2
    err = capsys.readouterr().err
    assert "data.model" in err and "'ISR9999'" in err and "Traceback" not in err
    assert "ISR4451-X" in err and "C1111-8P" in err and "C8000V" in err and "IOSv" in err
    assert not (state / "serve.json").exists()
