"""A vty's input buffer on its own: lines handed to the CLI one at a time, CR LF split across
two packets read as one Enter, what arrives beyond the buffer while the CLI is busy lost."""

from __future__ import annotations

import asyncio

from lab.cli.vty_input import VtyInput


def read_all(vty: VtyInput) -> list[str]:
    async def run() -> list[str]:
        got = []
        while chunk := await vty.read():
            got.append(chunk)
        return got

    return asyncio.run(run())


def test_lines_come_one_at_a_time_and_a_split_cr_lf_is_one_enter() -> None:
    async def run() -> list[str]:
        vty = VtyInput(1024)
        vty.feed("show clock\r")
        first = await vty.read()
        vty.feed("\nshow users\r\nexit\n")
        vty.close()
        return [first, *[c for c in [await vty.read(), await vty.read(), await vty.read()] if c]]

    assert asyncio.run(run()) == ["show clock\r", "show users\r\n", "exit\n"]


def test_input_beyond_the_buffer_is_lost_and_counted() -> None:
    vty = VtyInput(100)
    vty.feed("".join(f"description line {n:02}\n" for n in range(10)))  # 200 characters at once
    vty.close()
    assert vty.dropped == 100
    assert read_all(vty) == [f"description line {n:02}\n" for n in range(5)]


def test_room_comes_back_as_the_cli_reads() -> None:
    async def run() -> list[str]:
        vty = VtyInput(40)
        vty.feed("interface Loopback1\n")  # 20 of 40
        first = await vty.read()
        vty.feed("description after the first read\n")  # 33: fits once the first line is read
        vty.close()
        return [first, await vty.read()]

    assert asyncio.run(run()) == ["interface Loopback1\n", "description after the first read\n"]
