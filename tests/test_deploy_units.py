"""Pure parts of a deploy: backup names and files, error classification, the summary and JSON."""

from __future__ import annotations

import json
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

from netmiko.exceptions import ConfigInvalidException, NetmikoAuthenticationException, ReadTimeout
from rich.console import Console

from tasks.backup import backup_name, normalize, save_local
from tasks.deploy_report import HostLine, Progress, all_ok, print_plan, summary_json, summary_table
from tasks.push import ERROR_PATTERN, Status, describe
from tasks.secrets import mask

SECRETS = ["s3cret-psk", "nk42"]


def hide(text: str) -> str:
    return mask(text, SECRETS)


def test_local_backup_is_owner_only(tmp_path: Path) -> None:
    when = datetime(2026, 11, 25, 13, 5, 9, 123456, tzinfo=UTC)
    path = save_local(tmp_path / "backups", "hub1", "hostname hub1\n", when)
    assert path == tmp_path / "backups" / "hub1" / "20261125T130509-123456Z.cfg"
    assert path.read_text() == "hostname hub1\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700


def test_flash_names_are_valid_ios_file_names() -> None:
    name = backup_name("event42")
    assert re.fullmatch(r"pre-event42-\d{8}-\d{6}-\d{3}\.cfg", name)


def test_normalize_ignores_what_changes_by_itself() -> None:
    one = "Building configuration...\n\nCurrent configuration : 120 bytes\n!\nhostname r1\n"
    two = "Building configuration...\n\nCurrent configuration : 99 bytes\n!\nhostname r1  \n\n"
    assert normalize(one) == normalize(two) == "hostname r1"
    assert normalize(one) != normalize(one.replace("r1", "r2"))


def test_error_pattern_catches_refusals_not_notices() -> None:
    refused = [
        "% Invalid input detected at '^' marker.",
        "% Incomplete command.",
        '% Ambiguous command:  "in"',
        "%Error opening bootflash:x (No such file or directory)",
    ]
    notices = [
        "% Interface GigabitEthernet0/0/0 IPv4 disabled and address(es) removed due to "
        "enabling VRF VRF-FRONT",
        "% IPv4 addresses from all interfaces in VRF VRF-EVENT42 have been removed",
        "hub1(config-if)#",
    ]
    assert all(re.search(ERROR_PATTERN, text, flags=re.M) for text in refused)
    assert not any(re.search(ERROR_PATTERN, text, flags=re.M) for text in notices)


def test_describe_gives_one_line_per_failure_kind() -> None:
    assert describe(NetmikoAuthenticationException("x\ny")) == "authentication failed"
    assert describe(ReadTimeout("Pattern not detected")).startswith("timed out")
    assert describe(OSError("Socket is closed")).startswith("session lost")
    refused = ConfigInvalidException("Invalid input detected at command: tunnel key 42\nmore")
    assert describe(refused) == "Invalid input detected at command: tunnel key 42"


ROWS = [
    HostLine("hub1", "headend", Status.ROLLED_BACK, 12, "refused: pre-shared-key s3cret-psk", 1.5),
    HostLine("e42-spoke1", "spoke", Status.SKIPPED, 0, "not attempted", 0.2),
    HostLine("e42-spoke2", "spoke", Status.UNCHANGED, 0, None, 0.3),
]


def test_json_has_the_contract_shape_and_no_secret() -> None:
    data = summary_json("event42", ROWS, hide)
    assert data["tenant"] == "event42" and data["ok"] is False
    assert data["hosts"]["hub1"] == {
        "role": "headend",
        "status": "rolled back",
        "lines_pushed": 12,
        "error": "refused: pre-shared-key <masked>",
        "seconds": 1.5,
    }
    assert data["hosts"]["e42-spoke2"]["error"] is None
    assert "s3cret-psk" not in json.dumps(data)


def test_all_ok_only_when_nothing_failed_or_was_skipped() -> None:
    assert all_ok([ROWS[2], HostLine("h", "headend", Status.OK, 3)])
    assert not all_ok(ROWS[1:])
    assert all_ok([])


def test_table_progress_and_plan_are_masked() -> None:
    console = Console(record=True, width=200)
    console.print(summary_table("deploy event42", ROWS, hide))
    Progress(console, hide).host_done(ROWS[0])
    Progress(console, hide).section("hub1", "tunnel", 17)
    print_plan(
        console, "hub1", {"ikev2": ["crypto ikev2 keyring K", "  pre-shared-key s3cret-psk"]}, hide
    )
    text = console.export_text()
    assert "s3cret-psk" not in text
    assert "rolled back" in text and "skipped" in text and "tunnel" in text
    assert "pre-shared-key <masked>" in text and "hub1: 2 lines" in text
