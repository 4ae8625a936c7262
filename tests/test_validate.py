"""Every broken inventory in tests/fixtures/inventories/ is refused with the expected problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

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
