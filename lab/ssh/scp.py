"""SCP to and from the device's flash, as IOS's SCP server offers it once `ip scp server
enable` is configured (NAPALM's ios driver copies its candidate files this way):
https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_usr_ssh/configuration/xe-16/sec-usr-ssh-xe-16-book/sec-usr-ssh-sec-copy.html

asyncssh runs the SCP protocol over an SFTP server rooted at the device's flash folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import asyncssh

ENABLED = re.compile(r"^ip scp server enable$", re.MULTILINE)


class FlashSftp(asyncssh.SFTPServer):
    """The device's flash folder as the file system SCP reads and writes."""

    def __init__(self, chan: asyncssh.SSHServerChannel, flash: Path, enabled: bool) -> None:
        if not enabled:  # IOS refuses the copy: no SCP server configured
            raise asyncssh.SFTPPermissionDenied("SCP server not enabled")
        flash.mkdir(parents=True, exist_ok=True, mode=0o700)
        super().__init__(chan, chroot=str(flash).encode())

    def map_path(self, path: bytes) -> bytes:
        """`bootflash:/name` and `flash:name` (IOS file-system prefixes) are the flash root."""
        for prefix in (b"bootflash:", b"flash:"):
            if path.startswith(prefix):
                path = b"/" + path[len(prefix) :].lstrip(b"/")
        return super().map_path(path)


def flash_sftp(
    directory: Callable[[], Path], running_config: Callable[[], str]
) -> Callable[[asyncssh.SSHServerChannel], FlashSftp]:
    """The `sftp_factory` of one device: its flash folder, SCP only when enabled."""

    def factory(chan: asyncssh.SSHServerChannel) -> FlashSftp:
        return FlashSftp(chan, directory(), bool(ENABLED.search(running_config())))

    return factory
