"""The control plane behind the lab API: configure by CLI lines, poll `show`, break and restore."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from netmodel_helpers import CONFIG_DIR

from lab.api import Lab, LabSettings
from tasks.parse import parse

REPO = Path(__file__).resolve().parents[3]
DELAY = 0.3


def config_lines(name: str) -> list[str]:
    text = (CONFIG_DIR / f"{name}.cfg").read_text()
    return [
        ln
        for ln in text.splitlines()
        if ln.strip() and not ln.strip().startswith("!") and ln.strip() != "end"
    ]


def poll(check: Callable[[], bool], timeout: float = 8.0) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    settings = LabSettings(convergence_delay=DELAY, latency=0.0)
    with Lab.from_inventory(REPO / "inventory", tmp_path, port_base=0, settings=settings) as lab:
        for name in ("hub1", "e42-spoke1", "e42-spoke2"):
            assert lab.configure(name, config_lines(name)) == []
        yield lab


def hub_up(lab: Lab) -> set[str]:
    rows = parse("show dmvpn", lab.exec("hub1", "show dmvpn"))
    return {r["peer_tunnel"] for r in rows if r["interface"] == "Tunnel42" and r["state"] == "UP"}


def test_hand_configured_tenant_converges_then_breaks_on_psk_change(lab: Lab) -> None:
    assert hub_up(lab) == set()  # nothing is instant
    assert poll(lambda: hub_up(lab) == {"172.16.42.11", "172.16.42.12"})
    assert {
        s["status"] for s in parse("show crypto ikev2 sa", lab.exec("hub1", "show crypto ikev2 sa"))
    } == {"READY"}
    cmd = "show ip eigrp vrf VRF-EVENT42 neighbors"
    assert poll(lambda: len(parse(cmd, lab.exec("hub1", cmd))) == 2)
    # an abbreviated exec command reaches the model in its full form
    assert "Routing Table: VRF-EVENT42" in lab.exec("hub1", "sh ip ro vrf VRF-EVENT42")

    psk = "  pre-shared-key psk-event42-secret"
    errors = lab.configure(
        "e42-spoke1",
        [
            "crypto ikev2 keyring IKEv2-KEYRING-EVENT42",
            " peer EVENT42-PEERS",
            "  pre-shared-key other-key",
        ],
    )
    assert errors == []
    assert "172.16.42.11" in hub_up(lab)  # the established SA survives the change
    lab.exec("e42-spoke1", "clear crypto session")
    time.sleep(3 * DELAY)
    assert "172.16.42.11" not in hub_up(lab)
    assert parse("show crypto ikev2 sa", lab.exec("e42-spoke1", "show crypto ikev2 sa")) == []

    assert (
        lab.configure(
            "e42-spoke1",
            ["crypto ikev2 keyring IKEv2-KEYRING-EVENT42", " peer EVENT42-PEERS", psk.strip()],
        )
        == []
    )
    assert poll(lambda: "172.16.42.11" in hub_up(lab))


def test_reload_typed_on_the_hub_forgets_its_sas_but_not_the_spokes(
    lab: Lab, enabled_terminal: Any
) -> None:
    """`reload` at the CLI is a reboot for the network too, not only for the config: the hub
    forgets every SA, while a spoke without DPD keeps its stale one (docs/ios-rules.md, rule 2)."""
    assert poll(lambda: hub_up(lab) == {"172.16.42.11", "172.16.42.12"})
    term = enabled_terminal(lab)
    term.send("reload\r")
    term.read_until(r"\[yes/no\]: ")
    term.send("yes\r")
    term.read_until(r"Proceed with reload\? \[confirm\]")
    term.send("\r")
    assert term.closed()
    assert parse("show crypto ikev2 sa", lab.exec("hub1", "show crypto ikev2 sa")) == []
    assert len(parse("show crypto ikev2 sa", lab.exec("e42-spoke1", "show crypto ikev2 sa"))) == 1
    assert hub_up(lab) == set()


NAT_EXIT = [
    "ip access-list extended ACL-NAT-LAN",
    " permit ip 10.42.1.0 0.0.0.255 any",
    "ip nat inside source list ACL-NAT-LAN interface GigabitEthernet0/0/0 overload",
    "ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/0/0 dhcp",
]
NO_NAT_RULE = "no ip nat inside source list ACL-NAT-LAN interface GigabitEthernet0/0/0 overload"


def test_removing_a_nat_rule_in_use_asks_first_and_a_paste_answers_with_its_next_line(
    lab: Lab, enabled_terminal: Any
) -> None:
    """IOS asks before it deletes live translations (Cisco Tech Note 13779): typed, `yes`
    removes the rule; in a paste the next config line is taken as the answer, so the rule and
    that line's object both stay."""
    spoke = "e42-spoke1"
    assert lab.configure(spoke, NAT_EXIT) == []
    assert "Success rate is 100 percent" in lab.exec(
        spoke, "ping 8.8.8.8 source GigabitEthernet0/0/1"
    )
    term = enabled_terminal(lab, spoke)
    term.command("configure terminal", r"\(config\)#")
    term.send(NO_NAT_RULE + "\rno ip access-list extended ACL-NAT-LAN\r")
    assert "%Dynamic Mapping in Use, Cannot remove" in term.read_until(r"\(config\)#")
    running = lab.running_config(spoke)
    assert NAT_EXIT[2] in running and "ip access-list extended ACL-NAT-LAN" in running

    term.send(NO_NAT_RULE + "\r")
    term.read_until(r"delete all entries\? \[no\]: ")
    term.send("yes\r")
    term.read_until(r"\(config\)#")
    assert NAT_EXIT[2] not in lab.running_config(spoke)
    assert lab.exec(spoke, "show ip nat translations").strip().splitlines()[1:] == []
