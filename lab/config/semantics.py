"""IOS side effects and reference rules, as tables.

Each row names the command it applies to (normalised full form), what IOS does, the
message IOS prints, and where the text comes from.  `verified` says whether the exact
text was seen in a public capture of a real device; rows marked False follow the
project's issue/seed (IOS refuses) with the closest known IOS wording.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

from lab.config.factory import type9_secret
from lab.config.tree import Block


class Refused(Exception):
    """IOS refuses the line with `message` (no caret); nothing has changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Objects a command may name, found by the top-level line that defines them:
# kind -> (defining line prefix, index of the name token in that line, built-in names).
OBJECTS: dict[str, tuple[str, int, frozenset[str]]] = {
    "vrf": ("vrf definition", 2, frozenset()),
    "zone": ("zone security", 2, frozenset({"self"})),
    "inspect-policy": ("policy-map type inspect", 3, frozenset()),
    "inspect-class": ("class-map type inspect", 4, frozenset()),
    "ipsec-profile": ("crypto ipsec profile", 3, frozenset()),
    "ikev2-profile": ("crypto ikev2 profile", 3, frozenset()),
    "ikev2-keyring": ("crypto ikev2 keyring", 3, frozenset()),
    "transform-set": ("crypto ipsec transform-set", 3, frozenset()),
}


@dataclass(frozen=True)
class Reference:
    """A command that names an object IOS requires to exist already."""

    modes: tuple[str, ...]  # grammar ids where the command lives
    command: str  # normalised prefix of the command
    indexes: tuple[int, ...]  # token positions holding object names (missing = skipped)
    kind: str
    message: str  # `{name}` is the missing object
    verified: bool
    source: str


_IF = ("if-ethernet", "if-tunnel", "if-loopback", "if-subinterface")

REFERENCES: tuple[Reference, ...] = (
    Reference(
        _IF,
        "vrf forwarding",
        (2,),
        "vrf",
        "% VRF {name} not configured.",
        True,
        "IOS reply captured in a public SSH mock test (`ip vrf forwarding MYVRF` -> "
        "`% VRF MYVRF not configured.`); same check for `vrf forwarding`",
    ),
    Reference(
        ("if-tunnel",),
        "tunnel vrf",
        (2,),
        "vrf",
        "% VRF {name} not configured.",
        False,
        "issue 3: IOS refuses `tunnel vrf` to an undefined VRF; wording as vrf forwarding",
    ),
    Reference(
        ("global",),
        "ip route vrf",
        (3,),
        "vrf",
        "%IP routing table {name} does not exist. Create first",
        True,
        "IOS warning matched verbatim by public device drivers' warning regexes "
        "(`^%IP routing table VRF.* does not exist. Create first$`)",
    ),
    Reference(
        _IF,
        "zone-member security",
        (2,),
        "zone",
        "% Zone {name} does not exist",
        False,
        "issue 3 / seed (`zone-member security Inside` with only INSIDE defined fails)",
    ),
    Reference(
        ("global",),
        "zone-pair security",
        (4, 6),
        "zone",
        "% Zone {name} does not exist",
        False,
        "same rule as zone-member",
    ),
    Reference(
        ("sec-zone-pair",),
        "service-policy type inspect",
        (3,),
        "inspect-policy",
        "% Policy-map {name} not configured",
        False,
        "issue 3: IOS refuses an undefined inspect policy-map on a zone-pair",
    ),
    Reference(
        ("pmap",),
        "class type inspect",
        (3,),
        "inspect-class",
        "% class-map {name} not configured",
        False,
        "MQC refuses an undefined class",
    ),
    Reference(
        ("if-tunnel",),
        "tunnel protection ipsec profile",
        (4,),
        "ipsec-profile",
        "% ipsec profile {name} not found",
        False,
        "issue 3: IOS refuses tunnel protection with an undefined IPsec profile",
    ),
    Reference(
        ("ipsec-profile",),
        "set transform-set",
        (2, 3, 4),
        "transform-set",
        'ERROR: transform set with tag "{name}" does not exist.',
        False,
        "IPsec (crypto map/profile) error for an unknown transform-set tag",
    ),
    Reference(
        ("ipsec-profile",),
        "set ikev2-profile",
        (2,),
        "ikev2-profile",
        "% IKEv2 profile {name} not found",
        False,
        "stricter than unsure IOS behaviour; templates define profiles first",
    ),
)
# Accepted silently by IOS (the object may come later), so not in the table:
# `match access-group name X` (class-map), `keyring local X` (IKEv2 profile),
# `ivrf X`, `match fvrf X`.


@dataclass(frozen=True)
class InUse:
    """`no <defining line>` while another command still names the object."""

    kind: str
    user_modes: tuple[str, ...]
    user_command: str
    user_index: int
    action: Literal["refuse", "cascade"]
    message: str
    verified: bool
    source: str


IN_USE: tuple[InUse, ...] = (
    InUse(
        "ipsec-profile",
        ("if-tunnel",),
        "tunnel protection ipsec profile",
        4,
        "refuse",
        "% Profile {name} is in use by {user}, remove it from the interface first",
        False,
        "brief: IOS refuses to delete an IPsec profile applied to a tunnel",
    ),
    InUse(
        "zone",
        _IF,
        "zone-member security",
        2,
        "refuse",
        "% Zone {name} has member interface {user}, remove the zone-member first",
        False,
        "brief: `no zone security X` with members",
    ),
    InUse(
        "inspect-policy",
        ("sec-zone-pair",),
        "service-policy type inspect",
        3,
        "refuse",
        "% Policy-map {name} is in use by zone-pair {user}",
        False,
        "MQC refuses deleting an attached policy-map",
    ),
    InUse(
        "vrf",
        _IF,
        "vrf forwarding",
        2,
        "cascade",
        "% IPv4 addresses from all interfaces in VRF {name} have been removed",
        False,
        "IOS removes the VRF from its interfaces (and their addresses) when it is deleted",
    ),
)

# `vrf forwarding` (and `no vrf forwarding`) clears the interface's IPv4 configuration.
# The seed article notes zone membership goes too.
VRF_CHANGE_REMOVES = ("ip address", "zone-member security")
VRF_ENABLE_MESSAGE = (
    "% Interface {interface} IPv4 disabled and address(es) removed due to enabling VRF {vrf}"
)
VRF_DISABLE_MESSAGE = (
    "% Interface {interface} IPv4 disabled and address(es) removed due to disabling VRF {vrf}"
)
# source: the enabling text is quoted verbatim in many public lab write-ups
# (e.g. "% Interface GigabitEthernet0/0/0 IPv4 disabled and address(es) removed due to
# enabling VRF CUST-A"); the disabling text is its IOS counterpart.

# Zone members must share one VRF (seed article: "zones must be in the same VRF ... you
# need separate ones between VRFs"); wording not verified.
ZONE_VRF_MESSAGE = (
    "% Zone {zone} already has member {interface} in VRF {vrf}; zone members must be in "
    "the same VRF"
)
# IOS refuses an address whose subnet overlaps another interface's in the same VRF
OVERLAP_MESSAGE = "% {network} overlaps with {interface}"
DUPLICATE_SEQUENCE_MESSAGE = "% Duplicate sequence number"
BAD_MASK_MESSAGE = "Bad mask 0x{mask:X} for address {address}"
PHYSICAL_DELETE_MESSAGE = "% Physical interfaces cannot be deleted"


# ---------------------------------------------------------------- the rules, applied
def names(root: Block, kind: str) -> set[str]:
    """Names of the defined objects of `kind` (plus built-ins such as zone `self`)."""
    prefix, index, builtins = OBJECTS[kind]
    found = set(builtins)
    for child in root.children:
        if child.line.startswith(prefix + " ") and len(child.words) > index:
            found.add(child.words[index])
    return found


def check_references(root: Block, mode: str, tokens: list[str]) -> None:
    line = " ".join(tokens)
    for ref in REFERENCES:
        if mode not in ref.modes or not (line + " ").startswith(ref.command + " "):
            continue
        defined = names(root, ref.kind)
        for index in ref.indexes:
            if index < len(tokens) and tokens[index] not in defined:
                raise Refused(ref.message.format(name=tokens[index]))


def check_key_name(root: Block, tokens: list[str]) -> None:
    """`crypto key generate rsa` without a `label` names the key pair after the router's FQDN
    ("If a key label is not specified, the fully qualified domain name (FQDN) of the router is
    used", http://cisco.com/en/US/docs/ios-xml/ios/security/a1/sec-cr-c4.html), so IOS refuses
    it on a router still called `Router` or without `ip domain name` (wording as printed by IOS
    in public transcripts: "% Please define a domain-name first.")."""
    if tokens[:4] != ["crypto", "key", "generate", "rsa"] or "label" in tokens:
        return
    top = [child.line.split() for child in root.children]
    hostname = next((words[1] for words in top if words[:1] == ["hostname"]), "Router")
    if hostname == "Router":
        raise Refused("% Please define a hostname other than Router.")
    if not any(words[:3] == ["ip", "domain", "name"] for words in top):
        raise Refused("% Please define a domain-name first.")


def interface_vrf(block: Block) -> str | None:
    found = block.by_slot("vrf forwarding")
    return found.words[2] if found else None


def interface_network(block: Block) -> ipaddress.IPv4Network | None:
    found = block.by_slot("ip address")
    if found is None or len(found.words) != 4:
        return None
    return ipaddress.IPv4Network(f"{found.words[2]}/{found.words[3]}", strict=False)


def interfaces(root: Block) -> list[Block]:
    return [b for b in root.children if b.line.startswith("interface ")]


def stored_form(mode: str, tokens: list[str], line: str) -> str:
    """Secrets typed in clear are stored (and shown) as type 9 hashes."""
    plain = len(tokens) == 3 or tokens[2:3] == ["0"]
    if mode == "global" and tokens[:2] == ["enable", "secret"] and plain:
        return f"enable secret 9 {type9_secret(tokens[-1])}"
    if mode == "global" and tokens[0] == "username" and "secret" in tokens:
        at = tokens.index("secret")
        if at + 2 == len(tokens) or tokens[at + 1] == "0":
            return " ".join([*tokens[:at], "secret", "9", type9_secret(tokens[-1])])
    return line


def check_address(root: Block, block: Block, address: str, mask_text: str) -> None:
    """A non-contiguous mask, or a subnet overlapping another interface's in the same
    VRF, is refused."""
    mask = int(ipaddress.IPv4Address(mask_text))
    inverted = (~mask) & 0xFFFFFFFF
    if inverted & (inverted + 1):
        raise Refused(BAD_MASK_MESSAGE.format(mask=mask, address=address))
    network = ipaddress.IPv4Network(f"{address}/{mask_text}", strict=False)
    vrf = interface_vrf(block)
    for other in interfaces(root):
        theirs = interface_network(other)
        if other is block or theirs is None or interface_vrf(other) != vrf:
            continue
        if network.overlaps(theirs):
            raise Refused(
                OVERLAP_MESSAGE.format(network=network.network_address, interface=other.words[1])
            )


def check_zone_vrf(root: Block, block: Block, zone: str) -> None:
    """A zone's member interfaces must all be in one VRF."""
    vrf = interface_vrf(block)
    for other in interfaces(root):
        if other is block or other.find(f"zone-member security {zone}") is None:
            continue
        if interface_vrf(other) != vrf:
            raise Refused(
                ZONE_VRF_MESSAGE.format(
                    zone=zone, interface=other.words[1], vrf=interface_vrf(other) or "global"
                )
            )


def clear_ipv4(block: Block, template: str, vrf: str) -> list[str]:
    """Drop the interface's IPv4 settings (VRF_CHANGE_REMOVES); IOS then shows
    `no ip address`.  Returns IOS's message when an address was removed."""
    had_address = any(c.line.startswith("ip address") for c in block.children)
    kept: list[Block] = []
    for child in block.children:
        if child.line.startswith(VRF_CHANGE_REMOVES):
            if child.slot == "ip address" and not any(k.slot == "ip address" for k in kept):
                kept.append(Block("no ip address", None, "ip address"))
            continue
        kept.append(child)
    block.children = kept
    if not had_address or not template:
        return []
    return [template.format(interface=block.words[1], vrf=vrf)]


def interface_effects(root: Block, block: Block, tokens: list[str]) -> list[str]:
    """Checks and side effects of an interface setting, before it is stored."""
    if tokens[0] == "ip" and tokens[1] == "address" and tokens[2] != "dhcp":
        check_address(root, block, tokens[2], tokens[3])
    if tokens[:2] == ["zone-member", "security"]:
        check_zone_vrf(root, block, tokens[2])
    if tokens[:2] != ["vrf", "forwarding"] or interface_vrf(block) == tokens[2]:
        return []
    return clear_ipv4(block, VRF_ENABLE_MESSAGE, tokens[2])


def disable_vrf(block: Block) -> list[str]:
    """`no vrf forwarding`: the interface leaves its VRF and loses its addresses."""
    vrf = interface_vrf(block)
    return clear_ipv4(block, VRF_DISABLE_MESSAGE, vrf) if vrf else []


def users(root: Block, rule: InUse, name: str) -> list[tuple[Block, Block]]:
    """(top-level block, line) pairs that name object `name` as `rule` describes."""
    found = []
    for owner in root.children:
        if owner.mode not in rule.user_modes:
            continue
        for child in owner.children:
            if (
                child.line.startswith(rule.user_command + " ")
                and len(child.words) > rule.user_index
                and child.words[rule.user_index] == name
            ):
                found.append((owner, child))
    return found


def release(root: Block, target: Block) -> list[str]:
    """Apply the in-use rules before the top-level object `target` is deleted: refuse,
    or detach its users.  Returns IOS's messages."""
    for kind, (prefix, index, _builtins) in OBJECTS.items():
        if not target.line.startswith(prefix + " ") or len(target.words) <= index:
            continue
        name = target.words[index]
        messages: list[str] = []
        for rule in (r for r in IN_USE if r.kind == kind):
            found = users(root, rule, name)
            if found and rule.action == "refuse":
                owner = found[0][0].words
                user = owner[1] if owner[0] == "interface" else owner[2]
                raise Refused(rule.message.format(name=name, user=user))
            for owner_block, line in found:
                clear_ipv4(owner_block, "", name)
                owner_block.children.remove(line)
            if found:
                messages.append(rule.message.format(name=name))
        if kind == "vrf":
            root.children = [
                c for c in root.children if not c.line.startswith(f"ip route vrf {name} ")
            ]
        return messages
    return []


def acl_entry(acl: Block, tokens: list[str], remove: bool) -> None:
    """ACEs are keyed by sequence number: typed, or the highest so far + 10; an entry
    already present is kept once; `no <seq>` or `no <entry>` removes."""
    words = tokens[1:] if remove else tokens
    seq = int(words[0]) if words and words[0].isdigit() else None
    body = " ".join(words[1:] if seq is not None else words)
    if remove:
        acl.children = [
            c
            for c in acl.children
            if not (c.slot == str(seq) if seq is not None else c.line == body)
        ]
        return
    if any(c.line == body for c in acl.children):
        return
    if seq is None:
        seq = max((int(c.slot) for c in acl.children), default=0) + 10
    elif acl.by_slot(str(seq)) is not None:
        raise Refused(DUPLICATE_SEQUENCE_MESSAGE)
    acl.children.append(Block(body, None, str(seq)))
