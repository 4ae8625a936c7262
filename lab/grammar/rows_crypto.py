"""IKEv2, IKEv1 (ISAKMP) and IPsec configuration commands."""

from __future__ import annotations

from lab.grammar.engine import Cmd

_EXITS = [Cmd("exit", store="exit"), Cmd("end", store="end")]

_ESP_ENC = "{esp-aes [{128|192|256}]|esp-gcm [{128|256}]|esp-gmac [{128|256}]|esp-3des|esp-des}"
_ESP_AUTH = "[{esp-sha-hmac|esp-sha256-hmac|esp-sha384-hmac|esp-sha512-hmac|esp-md5-hmac}]"
_IKE_ENC = "{aes-cbc-128|aes-cbc-192|aes-cbc-256|aes-gcm-128|aes-gcm-256|3des|des}"
_IKE_INT = "{sha1|sha256|sha384|sha512|md5}"
_DH = "{1|2|5|14|15|16|19|20|21|24}"
_FVRF = "match fvrf {any|WORD}"

GLOBAL: list[Cmd] = [
    Cmd("crypto ikev2 proposal WORD", enters="ikev2-proposal"),
    Cmd("crypto ikev2 policy WORD", enters="ikev2-policy"),
    Cmd("crypto ikev2 keyring WORD", enters="ikev2-keyring"),
    Cmd("crypto ikev2 profile WORD", enters="ikev2-profile"),
    Cmd("crypto ikev2 dpd <10-3600> <2-60> {on-demand|periodic}", key=3),
    Cmd("crypto ikev2 nat keepalive <5-3600>", key=4),
    Cmd("crypto isakmp aggressive-mode disable", key=3),
    Cmd("crypto isakmp policy <1-10000>", enters="isakmp"),
    Cmd("crypto isakmp keepalive <10-3600> [<2-60>] [{on-demand|periodic}]", key=3),
    Cmd("crypto isakmp nat keepalive <5-3600>", key=4),
    Cmd("crypto isakmp key [{0|6}] WORD address A.B.C.D [A.B.C.D]"),
    Cmd(
        f"crypto ipsec transform-set WORD {{[ah-sha-hmac] {_ESP_ENC} {_ESP_AUTH}|ah-sha-hmac}}",
        key=4,
        enters="transform-set",
    ),
    Cmd("crypto ipsec profile WORD", enters="ipsec-profile"),
    Cmd("crypto ipsec security-association replay window-size [{64|128|256|512|1024}]", key=5),
    # Generates the SSH host key pair; IOS keeps keys in NVRAM, not in running-config.
    # https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_usr_ssh/configuration/xe-16/sec-usr-ssh-xe-16-book/sec-secure-shell-v2.html
    Cmd(
        "crypto key generate rsa [general-keys] [label WORD] [exportable] modulus <360-4096>",
        store="noop",
    ),
]

IKEV2_PROPOSAL: list[Cmd] = [
    Cmd(f"encryption {_IKE_ENC} [{_IKE_ENC}] [{_IKE_ENC}]", key=1),
    Cmd(f"integrity {_IKE_INT} [{_IKE_INT}] [{_IKE_INT}]", key=1),
    Cmd(f"prf {_IKE_INT} [{_IKE_INT}]", key=1),
    Cmd(f"group {_DH} [{_DH}] [{_DH}]", key=1),
    *_EXITS,
]

IKEV2_POLICY: list[Cmd] = [
    Cmd("proposal WORD"),
    Cmd(_FVRF, key=2),
    Cmd("match address local A.B.C.D"),
    *_EXITS,
]

IKEV2_KEYRING: list[Cmd] = [
    Cmd("peer WORD", enters="ikev2-keyring-peer"),
    *_EXITS,
]

IKEV2_KEYRING_PEER: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd("address A.B.C.D [A.B.C.D]", key=1),
    Cmd("hostname WORD", key=1),
    Cmd("identity {address A.B.C.D|fqdn [domain] WORD|email [domain] WORD|key-id WORD}", key=1),
    Cmd("pre-shared-key [{0|6}] WORD", key=1),
    Cmd("pre-shared-key {local|remote} [{0|6}] WORD", key=2),
    *_EXITS,
]

IKEV2_PROFILE: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd(_FVRF, key=2),
    Cmd(
        "match identity remote {address A.B.C.D [A.B.C.D]|fqdn [domain] WORD|"
        "email [domain] WORD|key-id WORD}"
    ),
    Cmd("identity local {address A.B.C.D|fqdn WORD|email WORD|key-id WORD|dn}", key=2),
    Cmd("authentication {local|remote} {pre-share|rsa-sig|ecdsa-sig}", key=2),
    Cmd("keyring local WORD", key=1),
    Cmd("ivrf WORD", key=1),
    Cmd("lifetime <120-86400>", key=1),
    Cmd("dpd <10-3600> <2-60> {on-demand|periodic}", key=1),
    Cmd("nat keepalive <5-3600>", key=2),
    *_EXITS,
]

ISAKMP_POLICY: list[Cmd] = [
    Cmd("encryption {des|3des|aes [{128|192|256}]}", key=1),
    Cmd("hash {sha|sha256|sha384|sha512|md5}", key=1),
    Cmd("authentication {pre-share|rsa-sig|rsa-encr}", key=1),
    Cmd("group {1|2|5|14|15|16|19|20|21|24}", key=1),
    Cmd("lifetime <60-86400>", key=1),
    *_EXITS,
]

TRANSFORM_SET: list[Cmd] = [
    Cmd("mode {transport|tunnel}", key=1),
    *_EXITS,
]

IPSEC_PROFILE: list[Cmd] = [
    Cmd("description LINE", key=1),
    Cmd("set transform-set WORD [WORD] [WORD]", key=2),
    Cmd("set ikev2-profile WORD", key=2),
    Cmd("set pfs [{group2|group5|group14|group15|group16|group19|group20|group21|group24}]", key=2),
    Cmd(
        "set security-association lifetime {seconds <120-2592000>|kilobytes <2560-4294967295>}",
        key=4,
    ),
    *_EXITS,
]
