"""The automation's management path, judged on planned lines before anything is sent, and the
baseline render of type-6 key storage and management ACLs."""

from __future__ import annotations

import pytest

from tasks.intent import Intent, IntentError, load_intent
from tasks.management_path import ManagementPathError, check_management_path
from tasks.render import render_baseline

HUB = """\
vrf definition MGMT
!
interface GigabitEthernet0/0/1
 vrf forwarding MGMT
 ip address 198.51.100.10 255.255.255.0
!
ip route vrf MGMT 0.0.0.0 0.0.0.0 198.51.100.1
ip access-list extended ACL-VTY-MGMT
 permit tcp 198.51.100.0 0.0.0.255 any eq 22
 permit tcp 10.9.9.0 0.0.0.255 any eq 22
!
line vty 0 4
 access-class ACL-VTY-MGMT in vrf-also
 login local
 transport input ssh
"""


@pytest.fixture
def intent(example_config, example_secrets, monkeypatch) -> Intent:
    monkeypatch.setenv("DMVPN_USERNAME", "admin")
    return load_intent(example_config)


@pytest.mark.parametrize(
    ("lines", "why"),
    [
        (["interface GigabitEthernet0/0/1", " shutdown"], "cut the management interface"),
        (["interface GigabitEthernet0/0/1", " no vrf forwarding MGMT"], "management interface"),
        (["no vrf definition MGMT"], "remove the management VRF"),
        (["no ip route vrf MGMT 0.0.0.0 0.0.0.0 198.51.100.1"], "remove a management route"),
        (["line vty 0 4", " transport input telnet"], "stop SSH logins"),
        (["line vty 0 4", " no login local"], "stop SSH logins"),
        (["no username admin"], "remove the automation's user"),
    ],
)
def test_structural_cuts_are_refused(intent: Intent, lines: list[str], why: str) -> None:
    with pytest.raises(ManagementPathError, match=why):
        check_management_path(intent, "hub1", HUB, {"acl": lines})


def test_an_acl_change_is_judged_by_where_the_automation_comes_from(intent: Intent) -> None:
    prune = {
        "acl": [
            "ip access-list extended ACL-VTY-MGMT",
            " no permit tcp 10.9.9.0 0.0.0.255 any eq 22",
        ]
    }
    check_management_path(intent, "hub1", HUB, prune, ["198.51.100.7"])
    check_management_path(intent, "hub1", HUB, prune)  # source unknown: structure only
    with pytest.raises(ManagementPathError, match=r"no longer permit SSH from 10\.9\.9\.20"):
        check_management_path(intent, "hub1", HUB, prune, ["10.9.9.20"])


def test_unrelated_lines_pass(intent: Intent) -> None:
    lines = ["interface Tunnel42", " shutdown", "no crypto ipsec profile IPSEC-PROFILE-EVENT42"]
    check_management_path(intent, "hub1", HUB, {"tunnel": lines}, ["198.51.100.7"])


def test_baseline_renders_type_6_storage_with_the_master_key(intent: Intent) -> None:
    keys = render_baseline(intent, "hub1")["keys"]
    master = intent.hosts["hub1"].master_key
    assert master and f"key config-key password-encrypt {master}\npassword encryption aes" in keys


def test_an_unresolved_master_key_refuses_the_baseline(
    example_config, example_secrets, monkeypatch
) -> None:
    monkeypatch.delenv("DMVPN_MASTER_KEY")
    intent = load_intent(example_config, require_secrets=False)
    with pytest.raises(IntentError, match="DMVPN_MASTER_KEY is not set"):
        render_baseline(intent, "hub1")


def test_a_spoke_reached_over_its_lan_is_not_judged_by_its_wan_acl(intent: Intent) -> None:
    """e42-spoke1's inventory address is its LAN address: ACL-MANAGEMENT (OUTSIDE -> self) is
    not on the way in, so pruning an SSH line from it cuts nothing; reached through its WAN, it
    would."""
    running = "ip access-list extended ACL-MANAGEMENT\n permit tcp any any eq 22\n"
    prune = {"acl": ["ip access-list extended ACL-MANAGEMENT", " no permit tcp any any eq 22"]}
    check_management_path(intent, "e42-spoke1", running, prune, ["203.0.113.9"])
    intent.hosts["e42-spoke1"].hostname = "100.64.1.2"  # its carrier address, say
    with pytest.raises(ManagementPathError, match="ACL-MANAGEMENT"):
        check_management_path(intent, "e42-spoke1", running, prune, ["203.0.113.9"])
