"""Report writers: JSON shape, JUnit XML structure and counts, tables, secret masking."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console

from tasks.checks import CheckResult
from tasks.report import (
    HostDrift,
    drift_json,
    drift_tables,
    verify_json,
    verify_junit,
    verify_table,
    write_json,
    write_text,
)

RESULTS = [
    CheckResult("hub1", "nhrp registered e42-spoke1", True, "172.16.42.11 UP on Tunnel42"),
    CheckResult(
        "e42-spoke2",
        "ikev2 sa hub1",
        False,
        'no IKEv2 SA to 192.0.2.10 (hub1 lists no registration for 172.16.42.12 on "Tunnel42" <&>)',
    ),
    CheckResult("e42-spoke2", "eigrp neighbor hub1", False, "hub 172.16.42.1 is not a neighbor"),
]


def _render(renderable: object) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_verify_json_shape(tmp_path: Path) -> None:
    path = tmp_path / "out" / "verify.json"
    write_json(path, verify_json("event42", RESULTS))
    data = json.loads(path.read_text())
    assert set(data) == {"tenant", "passed", "checks"}
    assert data["tenant"] == "event42" and data["passed"] is False
    assert data["checks"][1] == {
        "host": "e42-spoke2",
        "check": "ikev2 sa hub1",
        "passed": False,
        "detail": RESULTS[1].detail,
    }
    assert verify_json("event42", RESULTS[:1])["passed"] is True


def test_junit_is_xml_with_one_testcase_per_check(tmp_path: Path) -> None:
    path = tmp_path / "verify.xml"
    write_text(path, verify_junit("event42", RESULTS, seconds=1.5))
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    assert suite.get("errors") == "0" and root.get("time") == "1.500"
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        (r.host, r.check) for r in RESULTS
    ]
    failures = [c.find("failure") for c in cases]
    assert failures[0] is None
    assert failures[1] is not None and failures[1].get("message") == RESULTS[1].detail
    assert len(suite.findall("testcase/failure")) == 2


def test_empty_run_is_still_valid_junit() -> None:
    root = ET.fromstring(verify_junit("event42", []).split("\n", 1)[1])
    assert root.find("testsuite").get("tests") == "0"


def test_verify_table_lists_every_check() -> None:
    text = _render(verify_table("event42", RESULTS))
    assert "1/3 checks passed" in text
    assert text.count("FAIL") == 2 and text.count("PASS") == 1
    assert "hub1 lists no registration for 172.16.42.12" in text


def test_drift_json_and_tables_mask_secrets() -> None:
    secret = "s3cr3t-psk"
    mask = lambda text: text.replace(secret, "<masked>")  # noqa: E731
    hosts = {
        "hub1": HostDrift(
            missing=["crypto ikev2 keyring IKEv2-KEYRING-EVENT42", f"  pre-shared-key {secret}"],
            unexpected=["interface Loopback99"],
        ),
        "e42-spoke1": HostDrift(),
    }
    data = drift_json(hosts, mask)
    assert data == {
        "drift": True,
        "hosts": {
            "hub1": {
                "drift": True,
                "missing": [
                    "crypto ikev2 keyring IKEv2-KEYRING-EVENT42",
                    "  pre-shared-key <masked>",
                ],
                "unexpected": ["interface Loopback99"],
                "removes": [],
                "orphans": {},
            },
            "e42-spoke1": {
                "drift": False,
                "missing": [],
                "unexpected": [],
                "removes": [],
                "orphans": {},
            },
        },
        "orphaned_tenants": [],
    }
    text = " ".join("".join(_render(t) for t in drift_tables(hosts, mask)).split())
    assert secret not in text and "pre-shared-key <masked>" in text
    assert "unknown to the intent (left in place)" in text and "clean" in text
    assert drift_json({"e42-spoke1": HostDrift()})["drift"] is False


def test_verify_table_groups_rows_by_host_in_plan_order() -> None:
    results = [
        CheckResult("hub1", "wan up", True, "hub wan"),
        CheckResult("e42-spoke1", "wan up", True, "spoke wan"),
        CheckResult("hub1", "nhrp registered e42-spoke1", True, "hub nhrp"),
    ]
    text = _render(verify_table("event42", results))
    assert text.index("hub wan") < text.index("hub nhrp") < text.index("spoke wan")
