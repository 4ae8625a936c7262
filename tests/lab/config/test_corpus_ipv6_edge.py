"""The ZBFW edge of the corpus (tests/fixtures/real-configs/iosv_zbfw_edge.cfg, a real IOSv):
its IPv6, ACL, NAT and prefix-list lines load and print where IOS prints them, and lines IOS
refuses (an IPv4 prefix in an IPv6 ACL, an IPv6 summary in the IPv4 address family, a port the
IOSv node does not have) are refused at the word IOS puts its caret under."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.config.store import ConfigStore

EDGE = Path(__file__).parents[2] / "fixtures" / "real-configs" / "iosv_zbfw_edge.cfg"
SKIP = ("!", "Building configuration", "Current configuration")


def _loaded() -> ConfigStore:
    store = ConfigStore.factory("R1", "IOSv")
    context: list[str] = []
    for raw in EDGE.read_text().splitlines():
        if raw.strip() and not raw.strip().startswith(SKIP) and raw.strip() != "end":
            result = store.apply(context, raw)
            assert result.error is None, raw
            context = result.context if result.context is not None else []
    return store


def test_the_edge_prints_its_ipv6_blocks_as_the_real_one() -> None:
    text = _loaded().running_config()
    assert (
        "ipv6 access-list SELF-AND-INSIDE_v6\n permit ipv6 any any\n"
        " sequence 4294967294 deny ipv6 any any\n!\n" in text
    )
    assert (
        " address-family ipv6 unicast autonomous-system 1\n  !\n"
        "  af-interface GigabitEthernet0/0\n   passive-interface\n  exit-af-interface\n" in text
    )
    assert "  topology base\n   distribute-list prefix-list HQ-LAN out Tunnel0\n" in text
    assert " ip nat inside\n ip virtual-reassembly in\n zone-member security INSIDE\n" in text
    assert " media-type rj45\n ipv6 address 2001:470:3857:810A::A/64\n!\n" in text
    assert "ip cef\nipv6 unicast-routing\nipv6 cef\n" in text
    real = EDGE.read_text()
    tunnel6 = real[real.index("interface Tunnel6") : real.index("interface GigabitEthernet0/0")]
    assert tunnel6 in text
    assert (
        "redundancy\n!\nip ssh version 2\nip ssh pubkey-chain\n username thomas\n"
        "  key-hash ssh-rsa [REDACTED]\n!\nclass-map" in text
    )
    assert "snmp-server community techpatix RO\n" in text
    assert text.index("ip nat inside source list 100") < text.index("ip route 0.0.0.0")
    assert text.index("access-list 105 deny ip any any") < text.index("ipv6 access-list ")


def _typed(store: ConfigStore, lines: list[str]) -> tuple[str, int | None]:
    """Type `lines`; the last one's error kind and caret column."""
    context: list[str] = []
    result = None
    for line in lines:
        result = store.apply(context, line)
        context = result.context if result.context is not None else context
    assert result is not None and result.error is not None
    return result.error.kind, result.error.column


REFUSED = [
    # (lines typed, the word of the last line under IOS's caret)
    # `ip` abbreviates `ipv6` there (the only protocol keyword it begins): the address fails
    (["ipv6 access-list V6", "permit ip 10.0.0.0 0.0.0.255 any"], "10.0.0.0"),
    (["ipv6 access-list V6", "permit ipv6 10.0.0.0/8 any"], "10.0.0.0/8"),
    (["ip prefix-list P seq 5 permit 2001:DB8::/32"], "2001:DB8::/32"),
    (["ip prefix-list P seq 5 permit 10.0.0.0/33"], "10.0.0.0/33"),
    (["interface GigabitEthernet0/1", "ipv6 address 2001:DB8::1/129"], "2001:DB8::1/129"),
    (["interface GigabitEthernet0/1", "tunnel mode ipv6ip"], "tunnel"),
    (["interface GigabitEthernet0/16"], "GigabitEthernet0/16"),
    (["access-list 10 permit tcp any any"], "tcp"),
    (
        [
            "router eigrp E",
            "address-family ipv4 unicast autonomous-system 1",
            "af-interface GigabitEthernet0/0",
            "summary-address 2001:DB8::/32",
        ],
        "2001:DB8::/32",
    ),
]


@pytest.mark.parametrize(("lines", "word"), REFUSED)
def test_lines_ios_refuses_are_refused_with_the_caret(lines: list[str], word: str) -> None:
    kind, column = _typed(ConfigStore.factory("R1", "IOSv"), lines)
    assert kind == "invalid"
    assert column == lines[-1].index(word)


def test_an_ipv6_acl_entry_is_removed_by_its_sequence_number() -> None:
    store = ConfigStore.factory("R1", "IOSv")
    context = store.apply([], "ipv6 access-list V6").context or []
    store.apply(context, "sequence 20 permit tcp any any eq 22")
    store.apply(context, "permit udp any any eq snmp")
    assert " sequence 20 permit tcp any any eq 22\n permit udp any any eq snmp\n" in (
        store.running_config()
    )
    store.apply(context, "no sequence 20")
    store.apply(context, "no permit udp any any eq snmp")
    assert "ipv6 access-list V6\n!" in store.running_config()
