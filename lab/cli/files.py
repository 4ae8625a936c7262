"""Lifecycle commands: write memory, flash (copy, dir, delete, more), configure replace, reload."""

from __future__ import annotations

import time

from lab.cli.base import Ask, ExecContext, ExecMatch, Handler, Reply
from lab.cli.merge import prompts_quiet
from lab.config.change_control import ChangeRefused
from lab.config.flash import FlashError


def write_memory(ctx: ExecContext, m: ExecMatch) -> Handler:
    if m.words[0] == "copy":
        answer = yield Ask("Destination filename [startup-config]? ")
        if answer.strip() not in ("", "startup-config"):
            return Reply("%Error: only startup-config is writable this way in the lab\n")
    ctx.device.write_memory()
    return Reply("Building configuration...\n[OK]\n")


def _file(m: ExecMatch, index: int = 0) -> str:
    """The flash file name of the command's `index`-th `flash:NAME` word."""
    urls = [w for w in m.words if w.startswith("flash:")]
    return urls[index].split(":", 1)[1]


def _copy_to_flash(ctx: ExecContext, name: str, text: str) -> Handler:
    """IOS's destination and overwrite questions (none with `file prompt quiet`), then the
    write and its byte count."""
    quiet = prompts_quiet(ctx)
    answer = "" if quiet else (yield Ask(f"Destination filename [{name}]? ")).strip()
    name = answer.split(":", 1)[-1].lstrip("/") or name
    if ctx.device.flash.exists(name) and not quiet:
        confirm = yield Ask(
            "%Warning:There is a file already existing with this name\n"
            "Do you want to over write? [confirm]"
        )
        if confirm.strip().lower() not in ("", "y", "yes"):
            return Reply("")
    started = time.perf_counter()
    try:
        size = ctx.device.flash.write(name, text)
    except FlashError as exc:
        return Reply(f"{exc}\n")
    secs = max(time.perf_counter() - started, 0.001)
    return Reply(f"{size} bytes copied in {secs:.3f} secs ({int(size / secs)} bytes/sec)\n")


def copy_running_to_flash(ctx: ExecContext, m: ExecMatch) -> Handler:
    return (yield from _copy_to_flash(ctx, _file(m), ctx.device.running_config()))


def copy_flash_to_flash(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`copy flash:A flash:B`."""
    try:
        text = ctx.device.flash.read(_file(m, 0))
    except FlashError as exc:
        return Reply(f"{exc}\n")
    return (yield from _copy_to_flash(ctx, _file(m, 1), text))


def dir_file(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`dir flash:NAME`: the one file's line, or IOS's `%Error opening`."""
    try:
        return Reply(ctx.device.flash.listing(_file(m)) + "\n")
    except FlashError as exc:
        return Reply(f"{exc}\n")
    yield  # pragma: no cover


def verify_md5(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`verify /md5 flash:NAME` as IOS prints it (netmiko's process_md5 reads `= <hash>`)."""
    name = _file(m)
    try:
        digest = ctx.device.flash.md5(name)
    except FlashError as exc:
        return Reply(f"{exc}\n")
    return Reply(f".MD5 of bootflash:/{name} Done!\nverify /md5 (bootflash:/{name}) = {digest}\n")
    yield  # pragma: no cover


def dir_flash(ctx: ExecContext, m: ExecMatch) -> Handler:
    return Reply(ctx.device.flash.listing() + "\n")
    yield  # pragma: no cover


def delete(ctx: ExecContext, m: ExecMatch) -> Handler:
    name = _file(m)
    if "/force" not in m.words:
        answer = (yield Ask(f"Delete filename [{name}]? ")).strip()
        name = answer.split(":", 1)[-1] or name
        confirm = yield Ask(f"Delete bootflash:/{name}? [confirm]")
        if confirm.strip().lower() not in ("", "y", "yes"):
            return Reply("")
    try:
        ctx.device.flash.delete(name)
    except FlashError as exc:
        return Reply(f"{exc}\n")
    return Reply("")


def more(ctx: ExecContext, m: ExecMatch) -> Handler:
    try:
        return Reply(ctx.device.flash.read(_file(m)))
    except FlashError as exc:
        return Reply(f"{exc}\n")
    yield  # pragma: no cover


REPLACE_WARNING = (
    "This will apply all necessary additions and deletions\n"
    "to replace the current running configuration with the\n"
    "contents of the specified configuration file, which is\n"
    "assumed to be a complete configuration, not a partial\n"
    "configuration. Enter Y if you are sure you want to proceed. ? [no]: "
)


def configure_replace(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`configure replace flash:X [force] [revert trigger timer N | time N]`: with a timer,
    the running config is archived first and restored unless `configure confirm` comes in
    time (Cisco command reference `configure replace`; the backup line comes before the
    question, as in the byteworks.com capture cited in lab/config/rollback.py)."""
    name = _file(m)
    try:
        text = ctx.device.flash.read(name)
    except FlashError as exc:
        return Reply(f"{exc}\n")
    started = ""
    if "<1-120>" in m.args:
        user, owner = (m.caller.user, m.caller.session) if m.caller else ("admin", 0)
        try:
            started = ctx.device.start_revert(
                int(m.args["<1-120>"]), False, user, owner, time.time()
            )
        except ChangeRefused as exc:
            return Reply(f"{exc}\n")
    if "force" not in m.words:
        answer = yield Ask(started + REPLACE_WARNING, default="Y")
        started = ""
        if answer.strip().lower() not in ("y", "yes"):
            return Reply("")
    try:
        ctx.device.replace_running(text)
    except ValueError as exc:  # IOS aborts and keeps the running config
        return Reply(f"Failed to apply command {exc}\nAborting Rollback.\nRollback failed.\n")
    return Reply(started + "Total number of passes: 1\nRollback Done\n\n")


def reload(ctx: ExecContext, m: ExecMatch) -> Handler:
    if ctx.device.is_modified():
        while True:
            answer = yield Ask(
                "\nSystem configuration has been modified. Save? [yes/no]: ", default="no"
            )
            answer = answer.strip().lower()
            if answer in ("y", "ye", "yes", "n", "no"):
                break
            # IOS asks again until it gets a yes or a no
        if answer.startswith("y"):
            ctx.device.write_memory()
    confirm = yield Ask("Proceed with reload? [confirm]")
    if confirm.strip().lower() not in ("", "y", "yes"):
        return Reply("")
    ctx.device.reload()
    network = ctx.network()
    if network is not None:  # its peers keep their stale SAs until dead-peer detection
        network.reloaded(ctx.device.name)
    return Reply("", close=True)
