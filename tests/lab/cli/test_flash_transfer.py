"""Small files onto flash the way netmiko's InLineTransfer (tclsh) writes them, and the flash
commands around them (`verify /md5`, `dir`, `more`, `copy`, `delete`), also with `do`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from netmiko import file_transfer
from netmiko.cisco.cisco_ios import InLineTransfer

from lab.api import Lab

CANDIDATE = "interface Loopback42\n description pushed inline\n!\nip route 0.0.0.0 0.0.0.0 Null0\n"


def test_netmiko_file_transfer_inline_writes_and_verifies(
    lab: Lab, ios: Any, tmp_path: Path
) -> None:
    source = tmp_path / "candidate.cfg"
    source.write_text(CANDIDATE)
    conn = ios(lab)
    conn.enable()
    result = file_transfer(
        conn, source_file=str(source), dest_file="candidate.cfg", inline_transfer=True
    )
    assert result == {"file_exists": True, "file_transferred": True, "file_verified": True}
    on_flash = lab.state_dir / "hub1" / "flash" / "candidate.cfg"
    assert on_flash.read_text() == CANDIDATE + "\n"  # Tcl's puts adds the last newline
    again = file_transfer(
        conn, source_file=str(source), dest_file="candidate.cfg", inline_transfer=True
    )
    assert again["file_transferred"] is False and again["file_verified"] is True


def test_inline_transfer_of_a_config_text_then_flash_commands(lab: Lab, ios: Any) -> None:
    conn = ios(lab)
    conn.enable()
    with InLineTransfer(conn, source_config=CANDIDATE, dest_file="inline.cfg") as transfer:
        transfer.transfer_file()
        assert transfer.verify_file()
        assert transfer.check_file_exists()
        assert transfer.remote_file_size() == len(CANDIDATE) + 1
    digest = hashlib.md5((CANDIDATE + "\n").encode()).hexdigest()
    md5 = conn.send_command("verify /md5 flash:inline.cfg")
    assert md5.splitlines()[-1] == f"verify /md5 (bootflash:/inline.cfg) = {digest}"
    assert conn.send_command("more flash:inline.cfg") == CANDIDATE  # + the blank last line
    listing = conn.send_command("dir flash:inline.cfg")
    assert listing.startswith("Directory of bootflash:/inline.cfg")
    assert f"-rw-{len(CANDIDATE) + 1:>17}" in listing
    missing = conn.send_command("dir flash:nothing.cfg")
    assert missing == "%Error opening bootflash:/nothing.cfg (No such file or directory)"


def test_copy_between_flash_files_asks_like_ios(lab: Lab, enabled_terminal: Any) -> None:
    assert lab.exec("hub1", "copy running-config flash:a.cfg")  # the API answers defaults
    term = enabled_terminal(lab)
    assert "Destination filename [b.cfg]? " in term.command(
        "copy flash:a.cfg flash:b.cfg", prompt=r"\? $"
    )
    assert "bytes copied in" in term.command("", prompt="hub1#")
    term.send("copy flash:a.cfg flash:b.cfg\r")
    term.read_until(r"\[b\.cfg\]\? ")
    term.send("\r")
    asked = term.read_until(r"\[confirm\]")
    assert "%Warning:There is a file already existing with this name" in asked
    term.send("n")
    term.read_until("hub1#")
    flash = lab.state_dir / "hub1" / "flash"
    assert (flash / "a.cfg").read_text() == (flash / "b.cfg").read_text()
    assert "%Error opening bootflash:/none.cfg" in term.command(
        "copy flash:none.cfg flash:c.cfg", prompt="hub1#"
    )


def test_flash_commands_work_with_do_from_any_config_mode(lab: Lab, enabled_terminal: Any) -> None:
    term = enabled_terminal(lab)
    term.command("configure terminal", prompt=r"\(config\)#")
    term.command("interface Loopback3", prompt=r"\(config-if\)#")
    term.command("do copy running-config flash:keep.cfg", prompt=r"\? $")
    assert "bytes copied" in term.command("", prompt=r"\(config-if\)#")
    assert "interface Loopback3" in term.command("do more flash:keep.cfg", prompt=r"\(config-if\)#")
    assert "keep.cfg" in term.command("do dir flash:", prompt=r"\(config-if\)#")
    assert "= " in term.command("do verify /md5 flash:keep.cfg", prompt=r"\(config-if\)#")
    term.command("do delete /force flash:keep.cfg", prompt=r"\(config-if\)#")
    assert not (lab.state_dir / "hub1" / "flash" / "keep.cfg").exists()
