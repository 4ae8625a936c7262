"""The pure parts of the change pipeline: prerequisites, manifest, lease, and telling whose
change is on a device before a rollback."""

from __future__ import annotations

import pytest

from tasks.host_plan import missing_prerequisites, stamp
from tasks.lease import Lease, format_lease, parse_lease
from tasks.manifest import Claim, ManifestError, format_manifest, parse_manifest
from tasks.owned_diff import others_changed, undo_remediation

BASELINE = "configuration mode exclusive auto\narchive\n path flash:dmvpn-archive\n maximum 10\n"
BACKUP = (
    "hostname hub1\n"
    "vrf definition VRF-FRONT\n address-family ipv4\n exit-address-family\n"
    "interface GigabitEthernet0/0/0\n vrf forwarding VRF-FRONT\n"
    " ip address 192.0.2.10 255.255.255.0\n"
    "interface Tunnel43\n ip address 172.16.43.1 255.255.255.0\n"
)
REMEDIATION = {
    "tunnel": ["interface Tunnel42", " ip address 172.16.42.1 255.255.255.0", " tunnel key 42"],
    "zbfw": ["interface GigabitEthernet0/0/0", " zone-member security OUTSIDE"],
}
OURS = BACKUP.replace(
    "interface Tunnel43\n",
    "interface Tunnel42\n ip address 172.16.42.1 255.255.255.0\n tunnel key 42\n"
    "interface Tunnel43\n",
).replace(
    " ip address 192.0.2.10 255.255.255.0\n",
    " ip address 192.0.2.10 255.255.255.0\n zone-member security OUTSIDE\n",
)


def test_a_device_without_the_baseline_is_refused() -> None:
    assert missing_prerequisites(BASELINE + BACKUP) == []
    assert len(missing_prerequisites(BACKUP)) == 2
    no_path = "configuration mode exclusive auto\narchive\n maximum 10\n"
    assert missing_prerequisites(no_path) == [
        "a configuration archive (the revert timer needs its path)"
    ]


def test_only_our_change_means_the_backup_may_be_restored() -> None:
    assert not others_changed(BACKUP, OURS, REMEDIATION)
    assert undo_remediation(BACKUP, OURS, REMEDIATION) == {
        "undo": [
            "no interface Tunnel42",
            "interface GigabitEthernet0/0/0",
            " no zone-member security OUTSIDE",
        ]
    }


def test_someone_elses_change_is_never_replaced_away() -> None:
    theirs = OURS.replace(
        "interface Tunnel43\n ip address 172.16.43.1 255.255.255.0\n",
        "interface Tunnel43\n ip address 172.16.43.1 255.255.255.0\n tunnel key 43\n",
    )
    assert others_changed(BACKUP, theirs, REMEDIATION)
    undo = [
        line for lines in undo_remediation(BACKUP, theirs, REMEDIATION).values() for line in lines
    ]
    assert "no interface Tunnel42" in undo
    assert not [line for line in undo if "Tunnel43" in line or "tunnel key 43" in line]
    assert undo_remediation(BACKUP, BACKUP, REMEDIATION) == {}


def test_manifest_round_trip_is_readable_and_stable() -> None:
    claims = {
        "ev7": Claim(
            frozenset(
                {
                    ("interface Tunnel7",),
                    ("interface GigabitEthernet0/0/1", "description LAN TENANT EV7"),
                    ("router eigrp R", "address-family ipv4 unicast vrf V7 autonomous-system 7"),
                }
            ),
            "2026-12-02T01:05:09Z",
            "ops@a pid 1",
        ),
        "ev70": Claim(frozenset({("interface Tunnel70",)}), "2026-12-02T01:06:00Z", "ops@b pid 2"),
    }
    text = format_manifest(claims)
    assert parse_manifest(text) == claims
    assert format_manifest(parse_manifest(text)) == text
    assert " within interface GigabitEthernet0/0/1\n  owns description LAN TENANT EV7" in text
    assert parse_manifest("") == {} and parse_manifest("%Error opening flash:x") == {}
    with pytest.raises(ManifestError):
        format_manifest({"x": Claim(frozenset({("banner motd {x}",)}))})


def test_stamp_records_and_forgets() -> None:
    claims = stamp({}, "ev7", frozenset({("interface Tunnel7",)}))
    assert claims["ev7"].paths == {("interface Tunnel7",)} and claims["ev7"].deployed
    assert stamp(claims, "ev7", frozenset()) == {}
    again = stamp(claims, "ev7", frozenset({("interface Tunnel7",)}))
    assert again == claims  # unchanged paths keep their stamp: the manifest is not rewritten


def test_lease_text_round_trip_and_unreadable_lease_is_never_free() -> None:
    lease = Lease("ops@a pid 7", "ev7", 100.0, 400.0, "n1")
    assert parse_lease(format_lease(lease)) == lease
    assert lease.expired(400.0) and not lease.expired(399.0)
    assert parse_lease(None) is None and parse_lease("") is None
    garbage = parse_lease("something else entirely")
    assert garbage is not None and not garbage.expired(10**12)


def test_a_secret_never_goes_into_the_manifest(example_config, example_secrets, monkeypatch):
    """The manifest is a plain file on flash: an owned node carrying a secret is refused."""
    import tasks.plans
    from tasks.intent import IntentError, load_intent

    intent = load_intent(example_config)
    psk = example_secrets["EVENT42_PSK"]
    monkeypatch.setattr(
        tasks.plans,
        "rendered_ownership",
        lambda _intent, _host: {
            "event42": frozenset({(f"crypto isakmp key {psk} address 0.0.0.0",)})
        },
    )
    with pytest.raises(IntentError) as raised:
        tasks.plans.deploy_planner(intent, "event42", ["hub1"])
    assert psk not in str(raised.value)
