"""The configuration archive: `archive` / `path` settings, archive file names, the file list.

Sources: Cisco "Configuration Replace and Configuration Rollback" (`show archive`, the
`archive config` command; https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/config-mgmt/
configuration/xe-16/config-mgmt-xe-16-book/cm-config-rollback.html) and real captures:
`flash:archive-Feb-15-15-56-38.517-1`, `bootflash:/Backup/backup-May--4-13-16-19.360-0`
(the day is padded with `-`; a counter from 0 ends the name), and with no path configured
`show archive` prints ` Archive feature not enabled` (IOL capture, `archive config` adds
`% Error caught by command handler`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lab.config.tree import Block

DEFAULT_MAXIMUM = 10
NOT_ENABLED = " Archive feature not enabled"


@dataclass(frozen=True)
class ArchiveSettings:
    """What the running config's `archive` block says (path None: the feature is off)."""

    path: str | None
    maximum: int = DEFAULT_MAXIMUM
    write_memory: bool = False


def archive_settings(root: Block) -> ArchiveSettings:
    block = root.find("archive")
    if block is None:
        return ArchiveSettings(None)
    path = block.by_slot("path")
    maximum = block.by_slot("maximum")
    return ArchiveSettings(
        path.words[1] if path else None,
        int(maximum.words[1]) if maximum else DEFAULT_MAXIMUM,
        block.by_slot("write-memory") is not None,
    )


def timestamp(when: float) -> str:
    """`Feb-15-15-56-38.517`, `May--4-13-16-19.360`: IOS's archive time stamp."""
    moment = datetime.fromtimestamp(when, UTC)
    day = f"{moment.day:>2}".replace(" ", "-")
    return f"{moment:%b}-{day}-{moment:%H-%M-%S}.{moment.microsecond // 1000:03d}"


def archive_name(path: str, hostname: str, when: float, counter: int) -> str:
    """`<path>-<timestamp>-<n>`; `$h` is the host name, `$t` places the time stamp."""
    name = path.replace("$h", hostname)
    stamp = timestamp(when)
    name = name.replace("$t", stamp) if "$t" in name else f"{name}-{stamp}"
    return f"{name}-{counter}"


@dataclass
class ArchiveList:
    """Archive files saved so far (newest last) and the next counter, kept in `archive.json`."""

    file: Path
    names: list[str] = field(default_factory=list)
    counter: int = 0

    @classmethod
    def load(cls, file: Path) -> ArchiveList:
        try:
            data = json.loads(file.read_text())
            return cls(file, [str(n) for n in data["names"]], int(data["counter"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls(file)

    def save(self) -> None:
        self.file.write_text(json.dumps({"names": self.names, "counter": self.counter}) + "\n")

    def added(self, name: str, maximum: int) -> list[str]:
        """Record `name`; the names beyond `maximum` that IOS deletes (oldest first)."""
        self.names.append(name)
        self.counter += 1
        dropped = self.names[:-maximum] if len(self.names) > maximum else []
        self.names = self.names[len(dropped) :]
        self.save()
        return dropped

    def show(self, settings: ArchiveSettings) -> str:
        """`show archive` as IOS prints it."""
        if settings.path is None:
            return NOT_ENABLED + "\n"
        lines = [
            f"The maximum archive configurations allowed is {settings.maximum}.",
            f"There are currently {len(self.names)} archive configurations saved.",
            f"The next archive file will be named {settings.path}-<timestamp>-{self.counter}",
            " Archive #  Name",
        ]
        for number in range(1, settings.maximum + 1):
            name = self.names[number - 1] if number <= len(self.names) else ""
            recent = " <- Most Recent" if name and number == len(self.names) else ""
            lines.append(f"   {number:<9}{name}{recent}".rstrip())
        return "\n".join(lines) + "\n"
