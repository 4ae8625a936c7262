"""The config store: modes, fall-through, `no` forms, re-entry, IOS semantics, rendering."""

from __future__ import annotations

import pytest

from lab.config.factory import verify_type9
from lab.config.store import ApplyResult, ConfigStore, factory_config
from lab.hardware.models import MODELS


def push(store: ConfigStore, lines: list[str], context: list[str] | None = None) -> ApplyResult:
    """Apply lines as a paste does; fail on the first refusal."""
    ctx: list[str] = [] if context is None else context
    result = ApplyResult(ctx, "config")
    for line in lines:
        result = store.apply(ctx, line)
        assert result.error is None, (line, result.error)
        ctx = result.context if result.context is not None else []
    return result


@pytest.fixture
def hub() -> ConfigStore:
    store = ConfigStore.factory("hub1", "ISR4331")
    push(
        store,
        [
            "vrf definition VRF-FRONT",
            " address-family ipv4",
            " exit-address-family",
            "vrf definition VRF-EVENT42",
            " address-family ipv4",
            " exit-address-family",
            "zone security OUTSIDE",
            "zone security ZONE-EVENT42",
            "crypto ikev2 keyring KR42",
            " peer SPOKES",
            "  address 0.0.0.0 0.0.0.0",
            "  pre-shared-key secret42",
            "crypto ikev2 profile PROF42",
            " match fvrf VRF-FRONT",
            " keyring local KR42",
            "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac",
            " mode transport",
            "crypto ipsec profile IPSEC42",
            " set transform-set TS",
            " set ikev2-profile PROF42",
        ],
    )
    return store


MODE_WALK = [
    ("vrf definition V1", "config-vrf"),
    ("address-family ipv4", "config-vrf-af"),
    ("ip access-list extended ACL-X", "config-ext-nacl"),
    ("class-map type inspect match-any CM", "config-cmap"),
    ("policy-map type inspect PM", "config-pmap"),
    ("class type inspect CM", "config-pmap-c"),
    ("zone security Z1", "config-sec-zone"),
    ("zone-pair security ZP source Z1 destination self", "config-sec-zone-pair"),
    ("crypto ikev2 proposal P", "config-ikev2-proposal"),
    ("crypto ikev2 policy POL", "config-ikev2-policy"),
    ("crypto ikev2 keyring K", "config-ikev2-keyring"),
    ("peer ANY", "config-ikev2-keyring-peer"),
    ("crypto ikev2 profile PR", "config-ikev2-profile"),
    ("crypto isakmp policy 10", "config-isakmp"),
    ("crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac", "cfg-crypto-trans"),
    ("crypto ipsec profile IP", "ipsec-profile"),
    ("interface Tunnel7", "config-if"),
    ("router eigrp 100", "config-router"),
    ("router eigrp NAMED", "config-router"),
    ("address-family ipv4 unicast autonomous-system 7", "config-router-af"),
    ("af-interface default", "config-router-af-interface"),
    ("exit-af-interface", "config-router-af"),
    ("topology base", "config-router-af-topology"),
    ("line vty 0 4", "config-line"),
    ("control-plane", "config-cp"),
]


def test_each_mode_has_its_ios_prompt() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    ctx: list[str] = []
    for line, prompt in MODE_WALK:
        result = store.apply(ctx, line)
        assert result.error is None, line
        assert result.mode == prompt, line
        assert result.context is not None
        ctx = result.context


@pytest.mark.parametrize(
    "typed", ["int g0/0/0", "interface gi0/0/0", "in Gig 0/0/0", "interface GigabitEthernet0/0/0"]
)
def test_interface_names_are_canonicalised(typed: str) -> None:
    result = ConfigStore.factory("r1", "ISR4321").apply([], typed)
    assert result.context == ["interface GigabitEthernet0/0/0"]


def test_virtual_interfaces_are_created_physical_ones_limited_to_the_model() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    assert store.apply([], "int tu42").context == ["interface Tunnel42"]
    assert store.apply([], "interface loopback 0").context == ["interface Loopback0"]
    refused = store.apply([], "interface GigabitEthernet0/0/2")  # ISR4321 has two ports
    assert refused.error is not None and refused.error.kind == "invalid"
    assert refused.error.column == 10
    assert "interface Tunnel42\n no ip address\n" in store.running_config()


def test_interface_config_accepts_abbreviations() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    push(store, ["interface Tunnel42", "description T42"])
    text = store.interface_config("Tu42")
    assert text == "!\ninterface Tunnel42\n description T42\n no ip address\nend\n"
    assert store.interface_config("g0/0/1") is not None
    assert store.interface_config("Tunnel9") is None


def test_a_command_of_a_parent_mode_falls_through_and_pops_the_context() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    result = push(
        store,
        ["router eigrp NAMED", "address-family ipv4 autonomous-system 1", "af-interface default"],
    )
    assert result.mode == "config-router-af-interface"
    deep = result.context
    assert deep is not None
    to_global = store.apply(deep, "hostname spoke9")
    assert to_global.context == [] and to_global.mode == "config"
    assert store.hostname == "spoke9"
    to_interface = store.apply(deep, "interface Tunnel1")
    assert to_interface.context == ["interface Tunnel1"]
    to_af = store.apply(deep, "network 10.0.0.0 0.0.0.255")  # valid one level up
    assert to_af.context == deep[:2] and to_af.mode == "config-router-af"


def test_exit_pops_one_level_and_end_leaves() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    ctx = push(store, ["vrf definition V", "address-family ipv4"]).context
    assert ctx is not None
    assert store.apply(ctx, "exit-address-family").context == ["vrf definition V"]
    assert store.apply(["vrf definition V"], "exit").context == []
    assert store.apply([], "exit").context is None
    assert store.apply(ctx, "end").context is None


def test_leading_spaces_comments_and_blank_lines() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    before = store.running_config()
    assert store.apply([], "   ! a comment").error is None
    assert store.apply([], "").error is None
    assert store.running_config() == before
    assert store.apply([], "    hostname  spaced").error is None
    assert store.hostname == "spaced"


@pytest.mark.parametrize(
    ("line", "kind", "column"),
    [
        ("ip address x.x.x.x x.x.x.x !If you already had", "invalid", 11),
        ("ip mtu 1400 ! Allow Multicast traffic", "invalid", 12),
        ("ip adress 10.0.0.1 255.255.255.0", "invalid", 3),
        ("tunnel key 4294967296", "invalid", 11),
        ("ip nhrp network-id 0", "invalid", 19),
        ("ip tcp adjust-mss 1500", "invalid", 18),
        ("ip nhrp", "incomplete", 7),
        ("ip n", "ambiguous", 3),
    ],
)
def test_refused_lines_change_nothing(line: str, kind: str, column: int) -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    ctx = push(store, ["interface Tunnel1"]).context
    assert ctx is not None
    before = store.running_config()
    result = store.apply(ctx, line)
    assert result.error is not None
    assert (result.error.kind, result.error.column) == (kind, column)
    assert result.context == ctx
    assert store.running_config() == before
    if kind == "ambiguous":
        assert result.error.text == f'% Ambiguous command:  "{line}"'


def test_reentering_a_block_edits_it_and_single_settings_are_replaced() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    push(
        store,
        [
            "interface Tunnel1",
            "description first",
            "ip address 10.0.0.1 255.255.255.0",
            "tunnel key 1",
        ],
    )
    push(
        store,
        [
            "interface Tunnel1",
            "description second",
            "ip address 10.0.1.1 255.255.255.0",
            "tunnel key 2",
        ],
    )
    text = store.interface_config("Tunnel1")
    assert text == (
        "!\ninterface Tunnel1\n description second\n ip address 10.0.1.1 255.255.255.0"
        "\n tunnel key 2\nend\n"
    )
    assert store.running_config().count("interface Tunnel1") == 1


def test_no_forms_remove_lines_and_blocks(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "interface Tunnel42",
            "description x",
            "ip address 172.16.42.1 255.255.255.0",
            "no ip redirects",
            "shutdown",
            "zone-pair security ZP source OUTSIDE destination self",
            "router eigrp E42",
            "address-family ipv4 autonomous-system 42",
        ],
    )
    push(
        hub,
        ["no description", "no ip address", "ip redirects", "no shutdown"],
        context=["interface Tunnel42"],
    )
    assert hub.interface_config("Tunnel42") == "!\ninterface Tunnel42\n no ip address\nend\n"
    push(
        hub,
        [
            "no interface Tunnel42",
            "no zone-pair security ZP",
            "no router eigrp E42",
            "no crypto ikev2 profile PROF42",
        ],
    )
    text = hub.running_config()
    for gone in (
        "interface Tunnel42",
        "zone-pair security ZP",
        "router eigrp E42",
        "crypto ikev2 profile PROF42",
    ):
        assert gone not in text
    refused = hub.apply([], "no interface GigabitEthernet0/0/0")
    assert refused.error is not None and refused.error.kind == "refused"


def test_vrf_forwarding_removes_the_address_with_the_ios_warning(hub: ConfigStore) -> None:
    result = push(
        hub,
        [
            "interface GigabitEthernet0/0/0",
            "ip address 192.0.2.10 255.255.255.0",
            "zone-member security OUTSIDE",
            "vrf forwarding VRF-FRONT",
        ],
    )
    assert result.messages == [
        "% Interface GigabitEthernet0/0/0 IPv4 disabled and address(es) removed due to "
        "enabling VRF VRF-FRONT"
    ]
    text = hub.interface_config("g0/0/0") or ""
    assert "192.0.2.10" not in text and "zone-member" not in text
    assert " vrf forwarding VRF-FRONT\n no ip address\n" in text
    again = hub.apply(["interface GigabitEthernet0/0/0"], "vrf forwarding VRF-FRONT")
    assert again.messages == []  # same VRF: nothing changes
    info = next(i for i in hub.interfaces() if i.name == "GigabitEthernet0/0/0")
    assert (info.ip, info.vrf) == (None, "VRF-FRONT")


@pytest.mark.parametrize(
    ("context", "line", "message"),
    [
        (["interface Tunnel42"], "vrf forwarding VRF-NOPE", "% VRF VRF-NOPE not configured."),
        (["interface Tunnel42"], "tunnel vrf FVRF2", "% VRF FVRF2 not configured."),
        (
            [],
            "ip route vrf MGMT 0.0.0.0 0.0.0.0 198.51.100.1",
            "%IP routing table MGMT does not exist. Create first",
        ),
        (["interface Tunnel42"], "zone-member security Inside", "% Zone Inside does not exist"),
        (
            [],
            "zone-pair security ZP source Inside destination self",
            "% Zone Inside does not exist",
        ),
        (
            ["zone-pair security ZP source OUTSIDE destination self"],
            "service-policy type inspect POLICY-NOPE",
            "% Policy-map POLICY-NOPE not configured",
        ),
        (
            ["interface Tunnel42"],
            "tunnel protection ipsec profile NOPE shared",
            "% ipsec profile NOPE not found",
        ),
        (
            ["crypto ipsec profile IPSEC42"],
            "set transform-set NOPE",
            'ERROR: transform set with tag "NOPE" does not exist.',
        ),
    ],
)
def test_dangling_references_are_refused(
    hub: ConfigStore, context: list[str], line: str, message: str
) -> None:
    push(hub, ["interface Tunnel42", "zone-pair security ZP source OUTSIDE destination self"])
    before = hub.running_config()
    result = hub.apply(context, line)
    assert result.error is not None
    assert (result.error.kind, result.error.text) == ("refused", message)
    assert hub.running_config() == before


def test_defined_references_are_accepted(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "interface Tunnel42",
            "vrf forwarding VRF-EVENT42",
            "tunnel vrf VRF-FRONT",
            "zone-member security ZONE-EVENT42",
            "tunnel protection ipsec profile IPSEC42 shared",
            "ip route vrf VRF-FRONT 0.0.0.0 0.0.0.0 192.0.2.1",
        ],
    )


def test_objects_in_use_cannot_be_deleted(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "interface Tunnel42",
            "zone-member security ZONE-EVENT42",
            "tunnel protection ipsec profile IPSEC42 shared",
        ],
    )
    before = hub.running_config()
    for line in ("no crypto ipsec profile IPSEC42", "no zone security ZONE-EVENT42"):
        result = hub.apply([], line)
        assert result.error is not None and result.error.kind == "refused", line
        assert "Tunnel42" in result.error.text
    assert hub.running_config() == before
    push(
        hub,
        ["no tunnel protection ipsec profile", "no zone-member security"],
        context=["interface Tunnel42"],
    )
    push(hub, ["no crypto ipsec profile IPSEC42", "no zone security ZONE-EVENT42"])
    assert "IPSEC42" not in hub.running_config().split("crypto ipsec profile")[-1]


def test_deleting_a_vrf_strips_it_and_its_addresses_from_interfaces(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "interface Tunnel42",
            "vrf forwarding VRF-EVENT42",
            "ip address 172.16.42.1 255.255.255.0",
            "ip route vrf VRF-EVENT42 10.0.0.0 255.0.0.0 172.16.42.2",
        ],
    )
    result = hub.apply([], "no vrf definition VRF-EVENT42")
    assert result.error is None
    assert result.messages == [
        "% IPv4 addresses from all interfaces in VRF VRF-EVENT42 have been removed"
    ]
    text = hub.running_config()
    assert "VRF-EVENT42" not in text and "172.16.42.1" not in text


def test_bad_mask_and_overlapping_subnets_are_refused() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    push(
        store,
        [
            "interface GigabitEthernet0/0/1",
            "ip address 10.42.1.1 255.255.255.0",
            "interface Tunnel1",
        ],
    )
    bad = store.apply(["interface Tunnel1"], "ip address 10.0.0.1 255.0.255.0")
    overlap = store.apply(["interface Tunnel1"], "ip address 10.42.1.2 255.255.0.0")
    assert bad.error is not None and bad.error.text.startswith("Bad mask 0xFF00FF00")
    assert overlap.error is not None
    assert overlap.error.text == "% 10.42.0.0 overlaps with GigabitEthernet0/0/1"
    push(store, ["interface Tunnel1", "ip address 172.16.0.1 255.255.255.0"])


def test_running_config_prints_in_ios_order_and_round_trips(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "ip access-list extended ACL-ESP",
            "permit esp any any",
            "router eigrp E42",
            "address-family ipv4 vrf VRF-EVENT42 autonomous-system 42",
            "af-interface default",
            "passive-interface",
            "exit-af-interface",
            "network 172.16.42.0 0.0.0.255",
            "interface Tunnel42",
            "tunnel key 42",
            "ip mtu 1400",
            "description T42",
            "interface Loopback0",
            "ip address 10.255.0.1 255.255.255.255",
            "ip route vrf VRF-FRONT 0.0.0.0 0.0.0.0 192.0.2.1",
        ],
    )
    text = hub.running_config()
    order = [
        "version",
        "hostname hub1",
        "boot-start-marker",
        "vrf definition VRF-FRONT",
        "enable secret 9 ",
        "username admin",
        "crypto ikev2 keyring",
        "crypto ikev2 profile",
        "zone security",
        "crypto ipsec transform-set",
        "crypto ipsec profile",
        "interface Loopback0",
        "interface Tunnel42",
        "interface GigabitEthernet0/0/0",
        "router eigrp E42",
        "ip forward-protocol nd",
        "ip route vrf",
        "ip access-list extended",
        "control-plane",
        "line con 0",
        "line vty 0 4",
        "end",
    ]
    positions = [text.index("\n" + item) for item in order]
    assert positions == sorted(positions)
    assert (
        " address-family ipv4 unicast vrf VRF-EVENT42 autonomous-system 42\n  !\n"
        "  af-interface default\n   passive-interface\n  exit-af-interface\n  !\n"
        "  topology base\n  exit-af-topology\n  network 172.16.42.0 0.0.0.255\n"
        " exit-address-family\n!\n"
    ) in text
    assert (
        "interface Tunnel42\n description T42\n no ip address\n ip mtu 1400\n tunnel key 42\n!"
        in text
    )
    assert ConfigStore.from_text(text).running_config() == text
    assert text.endswith("!\nend\n")


def test_from_text_names_the_refused_line() -> None:
    with pytest.raises(ValueError, match="line 2: 'interface Tunnel1 bogus'"):
        ConfigStore.from_text("hostname r1\ninterface Tunnel1 bogus\n", model="ISR4321")


def test_copy_is_independent() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    clone = store.copy()
    push(clone, ["hostname other"])
    assert store.hostname == "r1" and clone.hostname == "other"


def test_views_for_show_commands(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "interface GigabitEthernet0/0/0",
            "vrf forwarding VRF-FRONT",
            "ip address 192.0.2.10 255.255.255.0",
            "no shutdown",
            "interface GigabitEthernet0/0/1",
            "ip address dhcp",
        ],
    )
    infos = {i.name: i for i in hub.interfaces()}
    wan = infos["GigabitEthernet0/0/0"]
    assert (wan.ip, wan.mask, wan.vrf, wan.shutdown, wan.dhcp) == (
        "192.0.2.10",
        "255.255.255.0",
        "VRF-FRONT",
        False,
        False,
    )
    assert infos["GigabitEthernet0/0/1"].dhcp and infos["GigabitEthernet0/0/2"].shutdown
    vrfs = {v.name: v for v in hub.vrfs()}
    assert vrfs["VRF-FRONT"].interfaces == ["GigabitEthernet0/0/0"]
    assert vrfs["VRF-FRONT"].address_families == ["ipv4"]


@pytest.mark.parametrize("model", sorted(MODELS))
def test_factory_config_of_each_model(model: str) -> None:
    text = factory_config("r1", model, username="ops", password="pw1", enable_secret="en1")
    for expected in (
        "hostname r1\n",
        "boot-start-marker\nboot-end-marker\n",
        "no ip http server\n",
        "ip ssh version 2\n",
        "line vty 0 4\n login local\n transport input ssh\n",
    ):
        assert expected in text
    hardware = MODELS[model]
    ethernet = (
        " duplex auto\n speed auto\n media-type rj45\n"
        if hardware.software.classic
        else (" negotiation auto\n")
    )
    for name in hardware.routed:
        assert f"interface {name}\n no ip address\n shutdown\n{ethernet}!" in text
    for name in hardware.switchports:  # layer-2 LAN ports print no lines of their own
        assert f"interface {name}\n!" in text
    if hardware.management:
        assert f"interface {hardware.management}\n vrf forwarding Mgmt-intf\n" in text
        assert "vrf definition Mgmt-intf\n !\n address-family ipv4\n" in text
    assert f"version {hardware.release}\n" in text
    assert "pw1" not in text and "en1" not in text
    enable = next(line for line in text.splitlines() if line.startswith("enable secret 9 "))
    user = next(line for line in text.splitlines() if line.startswith("username ops"))
    assert verify_type9("en1", enable.split()[-1]) and verify_type9("pw1", user.split()[-1])
    assert ConfigStore.from_text(text).model == model


def test_plain_secrets_typed_in_config_are_stored_hashed() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    push(store, ["enable secret s3cret", "username bob privilege 15 secret hunter2"])
    text = store.running_config()
    assert "s3cret" not in text and "hunter2" not in text
    assert "username bob privilege 15 secret 9 $9$" in text


def test_zone_members_must_share_one_vrf(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "interface GigabitEthernet0/0/0",
            "vrf forwarding VRF-FRONT",
            "zone-member security OUTSIDE",
            "interface Tunnel42",
            "vrf forwarding VRF-EVENT42",
        ],
    )
    result = hub.apply(["interface Tunnel42"], "zone-member security OUTSIDE")
    assert result.error is not None and result.error.kind == "refused"
    assert "GigabitEthernet0/0/0" in result.error.text
    push(hub, ["zone-member security ZONE-EVENT42"], context=["interface Tunnel42"])


def test_acl_entries_are_numbered_deduplicated_and_removed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    acl = ["ip access-list extended ACL-T"]
    push(
        store,
        [
            "ip access-list extended ACL-T",
            "permit esp any any",
            "permit gre any any",
            "5 permit udp any any eq isakmp",
            "permit esp any any",
        ],
    )
    text = store.running_config()
    block = text.split("ip access-list extended ACL-T\n")[1].split("!")[0]
    assert block == " permit udp any any eq isakmp\n permit esp any any\n permit gre any any\n"
    duplicate = store.apply(acl, "20 permit tcp any any eq 22")
    assert duplicate.error is not None and duplicate.error.text == "% Duplicate sequence number"
    from lab.config import print_order

    monkeypatch.setattr(print_order, "ACL_SEQUENCE_NUMBERS", True)
    assert " 5 permit udp any any eq isakmp\n 10 permit esp any any\n 20 permit gre" in (
        store.running_config()
    )
    assert ConfigStore.from_text(store.running_config()).running_config() == (
        store.running_config()
    )
    push(store, ["no 10", "no permit gre any any"], context=acl)
    assert " 5 permit udp any any eq isakmp\n!" in store.running_config()


def test_no_forms_of_list_entries_and_addresses() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    tunnel = ["interface Tunnel1"]
    push(
        store,
        [
            "interface Tunnel1",
            "ip address dhcp",
            "ip nhrp nhs 172.16.42.1 nbma 192.0.2.10 multicast",
            "ip nhrp nhs 172.16.42.2",
        ],
    )
    push(store, ["no ip nhrp nhs 172.16.42.1", "no ip address dhcp"], context=tunnel)
    assert store.interface_config("Tunnel1") == (
        "!\ninterface Tunnel1\n no ip address\n ip nhrp nhs 172.16.42.2\nend\n"
    )
    push(
        store,
        [
            "crypto ikev2 keyring K",
            "peer P",
            "pre-shared-key local one",
            "pre-shared-key remote two",
        ],
    )
    assert "  pre-shared-key local one\n  pre-shared-key remote two\n" in store.running_config()


def test_no_vrf_forwarding_clears_the_address_too(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "interface Tunnel42",
            "vrf forwarding VRF-EVENT42",
            "ip address 172.16.42.1 255.255.255.0",
        ],
    )
    result = push(hub, ["no vrf forwarding"], context=["interface Tunnel42"])
    assert result.messages == [
        "% Interface Tunnel42 IPv4 disabled and address(es) removed due to disabling VRF "
        "VRF-EVENT42"
    ]
    assert hub.interface_config("Tunnel42") == "!\ninterface Tunnel42\n no ip address\nend\n"


def test_an_inspect_policy_in_use_cannot_be_deleted(hub: ConfigStore) -> None:
    push(
        hub,
        [
            "class-map type inspect match-any CM",
            "match protocol tcp",
            "policy-map type inspect PM",
            "class type inspect CM",
            "inspect",
            "class class-default",
            "drop log",
            "zone-pair security ZP source OUTSIDE destination self",
            "service-policy type inspect PM",
        ],
    )
    result = hub.apply([], "no policy-map type inspect PM")
    assert result.error is not None and result.error.kind == "refused"
    assert "ZP" in result.error.text
    text = hub.running_config()
    assert (
        "policy-map type inspect PM\n class type inspect CM\n  inspect\n"
        " class class-default\n  drop log\n"
    ) in text
    assert "class-map type inspect match-any CM\n match protocol tcp\n" in text
    push(
        hub,
        [
            "no zone-pair security ZP source OUTSIDE destination self",
            "no policy-map type inspect PM",
        ],
    )
    assert "policy-map type inspect PM" not in hub.running_config()


def test_no_forms_match_the_canonical_line() -> None:
    store = ConfigStore.factory("r1", "ISR4321")
    push(
        store,
        [
            "vrf definition V",
            "address-family ipv4 unicast",
            "router eigrp E",
            "address-family ipv4 vrf V autonomous-system 1",
        ],
    )
    push(store, ["no address-family ipv4"], context=["vrf definition V"])
    push(
        store,
        ["no address-family ipv4 unicast vrf V autonomous-system 1"],
        context=["router eigrp E"],
    )
    text = store.running_config()
    assert "vrf definition V\n!" in text and "router eigrp E\n!" in text


def test_rsa_keys_need_a_hostname_and_domain_unless_labelled() -> None:
    """An unlabelled key pair is named after the router's FQDN, so IOS refuses it first."""
    store = ConfigStore.factory("hub1", "ISR4331")
    push(store, ["no ip domain name lab.example"])
    generate = "crypto key generate rsa modulus 2048"
    result = store.apply([], generate)
    assert result.error is not None
    assert result.error.text == "% Please define a domain-name first."
    push(store, ["crypto key generate rsa label SSH-KEYS modulus 2048"])
    push(store, ["hostname Router"])
    assert store.apply([], generate).error.text == (  # type: ignore[union-attr]
        "% Please define a hostname other than Router."
    )
    push(store, ["hostname hub1", "ip domain name example.net", generate])
