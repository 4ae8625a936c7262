"""The device's flash filesystem: files under ``<state_dir>/<device>/flash/``, owner-only."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

FLASH_TOTAL_BYTES = 7_194_652_672
_NAME = re.compile(r"^[A-Za-z0-9._+-]+$")


class FlashError(Exception):
    """A flash operation failed; the message is IOS's text."""


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only (configs hold PSKs)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


class Flash:
    """A flat flash: file names only (no subdirectories), as the runbooks use it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise FlashError(f"%Error opening bootflash:/{name} (Invalid argument)")
        return self.directory / name

    def exists(self, name: str) -> bool:
        return _NAME.match(name) is not None and (self.directory / name).is_file()

    def md5(self, name: str) -> str:
        """MD5 of the file's bytes (`verify /md5`)."""
        path = self._path(name)
        if not path.is_file():
            raise FlashError(f"%Error opening bootflash:/{name} (No such file or directory)")
        return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()

    def read(self, name: str) -> str:
        path = self._path(name)
        if not path.is_file():
            raise FlashError(f"%Error opening bootflash:/{name} (No such file or directory)")
        return path.read_text()

    def write(self, name: str, text: str) -> int:
        write_private(self._path(name), text)
        return len(text.encode())

    def delete(self, name: str) -> None:
        path = self._path(name)
        if not path.is_file():
            raise FlashError(f"%Error deleting bootflash:/{name} (No such file or directory)")
        path.unlink()

    def clear(self) -> None:
        if self.directory.is_dir():
            for path in self.directory.iterdir():
                if path.is_file():
                    path.unlink()

    def _files(self) -> list[Path]:
        return sorted(p for p in self.directory.glob("*") if p.is_file() and p.suffix != ".tmp")

    def listing(self, name: str | None = None) -> str:
        """``dir flash:`` (or ``dir flash:NAME``) as IOS-XE prints it (flash: is bootflash:
        on an ISR4k); a missing file is IOS's ``%Error opening`` line."""
        files = self._files()
        used = sum(p.stat().st_size for p in files)
        shown = files
        if name is not None:
            shown = [p for p in files if p.name == name]
            if not shown:
                raise FlashError(f"%Error opening bootflash:/{name} (No such file or directory)")
        lines = [f"Directory of bootflash:/{name or ''}", ""]
        for inode, path in enumerate(files, start=12):
            if path in shown:
                stat = path.stat()
                stamp = datetime.fromtimestamp(stat.st_mtime, UTC).strftime("%b %d %Y %H:%M:%S")
                lines.append(f"{inode:>7}  -rw-{stat.st_size:>17}  {stamp} +00:00  {path.name}")
        if not shown:
            lines.append("No files in directory")
        lines += ["", f"{FLASH_TOTAL_BYTES} bytes total ({FLASH_TOTAL_BYTES - used} bytes free)"]
        return "\n".join(lines)
