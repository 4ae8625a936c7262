"""Type-6 key records: pure judgement of salted keys, and the manifest format that carries the
records (older manifests without them still read)."""

from __future__ import annotations

import pytest

from tasks.intent import IntentError
from tasks.manifest import Claim, ManifestError, format_manifest, parse_manifest
from tasks.sealed_keys import (
    SealedKey,
    fingerprint,
    judge,
    master_key_needed,
    seal,
    shown_digest,
    unseal,
)

PLACE = ("crypto ikev2 keyring IKEv2-KEYRING-EV7", "peer SPOKES-EV7", "pre-shared-key")
INTENDED = "crypto ikev2 keyring IKEv2-KEYRING-EV7\n peer SPOKES-EV7\n  pre-shared-key psk-7\n"
SHOWN = "crypto ikev2 keyring IKEv2-KEYRING-EV7\n peer SPOKES-EV7\n  pre-shared-key 6 QWE[R\\TY\n"
OLD_MANIFEST = (
    "! dmvpn-runbook ownership manifest, format 1\n"
    "tenant ev7\n deployed 2026-12-01T01:00:00Z by ops@a\n owns interface Tunnel7\n"
)


def recorded(plain: str = "psk-7", type6: str = "QWE[R\\TY") -> dict:
    return {PLACE: SealedKey(PLACE, fingerprint("mk", "hub1", PLACE, plain), shown_digest(type6))}


def test_a_recorded_unchanged_key_reads_as_the_intent() -> None:
    holds = judge(SHOWN, INTENDED, recorded(), "mk", "hub1")
    assert holds == {PLACE}
    assert unseal(SHOWN, INTENDED, holds) == INTENDED


@pytest.mark.parametrize(
    "records",
    [
        recorded(plain="old-psk"),  # the intent's key changed since the deploy
        recorded(type6="OTHER[STRING"),  # the device's key changed by hand
        {},  # never recorded (a device encrypted by hand)
    ],
)
def test_a_key_not_vouched_for_stays_as_the_device_shows_it(records: dict) -> None:
    holds = judge(SHOWN, INTENDED, records, "mk", "hub1")
    assert holds == set() and unseal(SHOWN, INTENDED, holds) == SHOWN


def test_keys_in_clear_are_compared_as_they_are_and_type_6_needs_the_master_key() -> None:
    assert judge(INTENDED, INTENDED, {}, None, "hub1") == {PLACE}
    with pytest.raises(IntentError, match="master key"):
        judge(SHOWN, INTENDED, recorded(), None, "hub1")


def test_seal_records_only_trusted_type_6_places_and_never_the_key() -> None:
    (key,) = seal(SHOWN, INTENDED, {PLACE}, "mk", "hub1")
    assert key == recorded()[PLACE]
    assert "psk-7" not in repr(key) and seal(SHOWN, INTENDED, set(), "mk", "hub1") == frozenset()
    assert seal(INTENDED, INTENDED, {PLACE}, "mk", "hub1") == frozenset()  # clear: no record


def test_the_fingerprint_depends_on_master_key_host_and_place() -> None:
    base = fingerprint("mk", "hub1", PLACE, "psk-7")
    assert base != fingerprint("mk2", "hub1", PLACE, "psk-7")
    assert base != fingerprint("mk", "hub2", PLACE, "psk-7")
    assert base != fingerprint("mk", "hub1", (*PLACE[:2], "pre-shared-key local"), "psk-7")


def test_the_master_key_is_sent_only_while_the_device_needs_it() -> None:
    assert master_key_needed(INTENDED)  # no `password encryption aes` yet
    assert master_key_needed("password encryption aes\n" + INTENDED)  # keys still in clear
    assert not master_key_needed("password encryption aes\n" + SHOWN)


def test_manifest_round_trips_key_records_and_old_manifests_still_read() -> None:
    claim = Claim(frozenset({("interface Tunnel7",)}), "t", "me", frozenset(recorded().values()))
    text = format_manifest({"ev7": claim})
    assert "psk-7" not in text and "\\" not in text
    assert parse_manifest(text)["ev7"] == claim
    old = parse_manifest(OLD_MANIFEST)["ev7"]
    assert old.paths == frozenset({("interface Tunnel7",)}) and old.keys == frozenset()


def test_a_place_the_manifest_cannot_carry_is_refused() -> None:
    odd = SealedKey(("crypto ikev2 keyring A|B", "peer P", "pre-shared-key"), "ab", "cd")
    with pytest.raises(ManifestError):
        format_manifest({"ev7": Claim(frozenset(), keys=frozenset({odd}))})
