"""netmiko's calls side by side for one object of 1 + 40 lines, on a 100 ms link, 2 ms per line.

    python bench/bench_netmiko.py [--rtt S] [--latency S] [--lines N]

- ``send_config_set`` (cmd_verify, as the push used it): echo and prompt awaited per line.
- ``send_config_set(cmd_verify=False)``: a 50 ms sleep per line and, with an error pattern, a
  quiet-channel read per line; without it, no per-line refusal at all.
- ``write_channel`` of the block + ``read_until_pattern`` per line: one round trip, but
  netmiko's 10 ms polling, and a read that ends the stream loses what it received.
- ``tasks.push.send_lines``: the parent alone, then the block, read from the channel directly.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netmiko import ConnectHandler

from lab.api import Lab, LabSettings
from lab.serve.inventory import LabHost
from tasks.push import ERROR_PATTERN, Counter, config_prompt, enter_change, send_lines


def connect(lab: Lab) -> Any:
    conn = ConnectHandler(
        device_type="cisco_ios", host="127.0.0.1", port=lab.ports["hub1"], username="admin",
        password="admin", secret="admin", use_keys=False, allow_agent=False,
    )  # fmt: skip
    conn.enable()
    enter_change(conn, None)
    return conn


def lines_for(name: str, count: int) -> list[str]:
    return [f"ip access-list extended ACL-{name}"] + [
        f" permit udp any any eq {1000 + n}" for n in range(count)
    ]


def low_level(conn: Any, lines: list[str]) -> None:
    conn.write_channel(lines[0] + "\n")
    conn.read_until_pattern(config_prompt(conn))
    conn.write_channel("".join(line.strip() + "\n" for line in lines[1:]))
    for _ in lines[1:]:
        conn.read_until_pattern(config_prompt(conn))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rtt", type=float, default=0.1)
    parser.add_argument("--latency", type=float, default=0.002)
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many")
    parser.add_argument("--slow", action="store_true", help="include cmd_verify=False")
    args = parser.parse_args()
    hosts = [LabHost("hub1", "ISR4331")]
    settings = LabSettings(convergence_delay=1.0, latency=args.latency, rtt=args.rtt)
    ways: list[tuple[str, Callable[[Any, list[str]], object]]] = [
        ("send_config_set", lambda c, ls: c.send_config_set(ls, exit_config_mode=False)),
        (
            "send_config_set(cmd_verify=False)",
            lambda c, ls: c.send_config_set(
                ls, exit_config_mode=False, cmd_verify=False, error_pattern=ERROR_PATTERN
            ),
        ),
        ("write_channel + read_until_pattern", low_level),
        ("send_lines (blocks, channel)", lambda c, ls: send_lines(c, ls, Counter(), 30)),
    ]
    floor = 2 * args.rtt + (args.lines + 1) * args.latency
    print(
        f"1 + {args.lines} lines, RTT {args.rtt * 1000:.0f} ms, {args.latency * 1000:.0f} ms per "
        f"line: at best {floor:.2f}s (two round trips: the parent, then its block)"
    )
    if not args.slow:
        ways = [way for way in ways if "cmd_verify=False" not in way[0]]
        print("  (send_config_set(cmd_verify=False) left out: minutes; --slow adds it)")
    with tempfile.TemporaryDirectory() as tmp, Lab(hosts, Path(tmp), settings=settings) as lab:
        for index, (name, way) in enumerate(ways):
            best = float("inf")
            for attempt in range(args.repeat):
                conn = connect(lab)
                tag = f"{re.sub(r'[^A-Z]', '', name.upper())[:12]}{index}{attempt}"
                started = time.perf_counter()
                way(conn, lines_for(tag, args.lines))
                best = min(best, time.perf_counter() - started)
                conn.disconnect()
            print(f"  {name:<36} {best:6.2f}s  ({best / floor:5.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
