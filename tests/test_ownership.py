"""Ownership rules: which config lines a tenant owns, which belong to another tenant."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tasks.ownership import Owner, Ownership, TenantNames, ownership_for

E42 = TenantNames("event42", "VRF-EVENT42", 42)
E43 = TenantNames("event43", "VRF-EVENT43", 43)
OWN = Ownership(E42, (E43,))


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ("vrf definition VRF-EVENT42", Owner.OWNED),
        ("interface Tunnel42", Owner.OWNED),
        ("no interface Tunnel42", Owner.OWNED),
        ("zone security ZONE-EVENT42", Owner.OWNED),
        (
            "zone-pair security ZP-EVENT42-TO-OUTSIDE source ZONE-EVENT42 destination OUTSIDE",
            Owner.OWNED,
        ),
        ("crypto ikev2 keyring IKEv2-KEYRING-EVENT42", Owner.OWNED),
        ("crypto ipsec profile IPSEC-PROFILE-EVENT42", Owner.OWNED),
        ("router eigrp EIGRP-EVENT42", Owner.OWNED),
        ("ip route vrf VRF-EVENT42 10.0.0.0 255.0.0.0 172.16.42.11", Owner.OWNED),
        (" address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42", Owner.OWNED),
        ("af-interface Tunnel42", Owner.OWNED),
        ("interface Tunnel43", Owner.FOREIGN),
        ("vrf definition VRF-EVENT43", Owner.FOREIGN),
        ("crypto ikev2 profile IKEv2-PROFILE-EVENT43", Owner.FOREIGN),
        # shared or unknown: neither tenant's
        ("vrf definition VRF-FRONT", Owner.NEUTRAL),
        ("interface GigabitEthernet0/0/0", Owner.NEUTRAL),
        ("crypto ipsec transform-set TS-SECURE-CIPHERS esp-aes 256 esp-sha-hmac", Owner.NEUTRAL),
        ("zone security OUTSIDE", Owner.NEUTRAL),
        ("hostname hub1", Owner.NEUTRAL),
        ("description LAN TENANT EVENT42", Owner.NEUTRAL),
        # names must match whole: Tunnel420 and EVENT421 are someone else's
        ("interface Tunnel420", Owner.NEUTRAL),
        ("vrf definition VRF-EVENT421", Owner.NEUTRAL),
        ("interface Tunnel4", Owner.NEUTRAL),
    ],
)
def test_classify(line: str, owner: Owner) -> None:
    assert OWN.classify(line) is owner


def test_vrf_not_named_after_the_tenant_is_still_owned() -> None:
    own = Ownership(TenantNames("blue", "CUSTOMER-A", 7), (TenantNames("red", "CUSTOMER-B", 8),))
    assert own.classify("vrf definition CUSTOMER-A") is Owner.OWNED
    assert own.classify("ip route vrf CUSTOMER-B 0.0.0.0 0.0.0.0 10.0.0.1") is Owner.FOREIGN
    assert own.classify("vrf definition CUSTOMER-AB") is Owner.NEUTRAL


def test_ownership_for_reads_intent_tenants() -> None:
    tenants = [
        SimpleNamespace(name="event42", vrf="VRF-EVENT42", tunnel=42),
        SimpleNamespace(name="event43", vrf="VRF-EVENT43", tunnel=43),
    ]
    own = ownership_for(tenants, "event43")
    assert own.tenant == E43 and own.others == (E42,)
    with pytest.raises(KeyError):
        ownership_for(tenants, "event99")
