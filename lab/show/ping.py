"""What `ping` and `traceroute` print."""

from __future__ import annotations


def ping_text(dst: str, source: str | None, ok: bool, count: int = 5, timeout: int = 2) -> str:
    """`repeat <count>` and `timeout <seconds>` as IOS's extended ping prints them."""
    lines = [
        "Type escape sequence to abort.",
        f"Sending {count}, 100-byte ICMP Echos to {dst}, timeout is {timeout} seconds:",
    ]
    if source:
        lines.append(f"Packet sent with a source address of {source} ")
    if ok:
        rate = f"Success rate is 100 percent ({count}/{count})"
        lines += ["!" * count, f"{rate}, round-trip min/avg/max = 1/1/2 ms"]
    else:
        lines += ["." * count, f"Success rate is 0 percent (0/{count})"]
    return "\n".join(lines) + "\n"


def traceroute_text(dst: str, vrf: str, hops: list[str], ok: bool) -> str:
    lines = ["Type escape sequence to abort.", f"Tracing the route to {dst}"]
    if vrf:
        lines.append("VRF info: (vrf in name/id, vrf out name/id)")
    for n, hop in enumerate(hops, start=1):
        lines.append(f"{n:>3} {hop} 1 msec 1 msec 1 msec")
    if not ok:
        for n in range(len(hops) + 1, 31):
            lines.append(f"{n:>3}  *  *  * ")
    return "\n".join(lines) + "\n"
