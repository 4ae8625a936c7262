"""What `show ip nat translations` prints (IOS's five columns; an ICMP entry carries the echo
identifier as its port, outside local = outside global without outside NAT). Format as in Cisco's
NAT troubleshooting examples: `icmp 172.16.1.100:21776 192.168.1.10:21776 172.18.3.2:21776
172.18.3.2:21776` under `Pro Inside global Inside local Outside local Outside global`."""

from __future__ import annotations

ECHO_ID = 1  # the lab's pings all use one identifier


def show_nat_translations(entries: list[tuple[str, str, str]]) -> str:
    """`entries`: (inside global, inside local, outside) addresses."""
    lines = [
        f"{'Pro':<4} {'Inside global':<21} {'Inside local':<21} {'Outside local':<21} "
        "Outside global"
    ]
    for inside_global, inside_local, outside in entries:
        port = f":{ECHO_ID}"
        lines.append(
            f"{'icmp':<4} {inside_global + port:<21} {inside_local + port:<21} "
            f"{outside + port:<21} {outside + port}"
        )
    return "\n".join(lines) + "\n"
