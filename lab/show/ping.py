"""What `ping` and `traceroute` print."""

from __future__ import annotations


def ping_text(dst: str, source: str | None, ok: bool) -> str:
    lines = [
        "Type escape sequence to abort.",
        f"Sending 5, 100-byte ICMP Echos to {dst}, timeout is 2 seconds:",
    ]
    if source:
        lines.append(f"Packet sent with a source address of {source} ")
    if ok:
        lines += ["!!!!!", "Success rate is 100 percent (5/5), round-trip min/avg/max = 1/1/2 ms"]
    else:
        lines += [".....", "Success rate is 0 percent (0/5)"]
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
