"""runbooks/topology.py: a CML rehearsal of a tenant, proven without a CML server.

The topology is read back by an independent reader (cml2gns, pinned dev dependency) and
converted to a GNS3 project; the overlay inventory goes through the project's own validation
and render; the limits CML enforces are refused before anything is written.
"""

from __future__ import annotations

import doctest
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cml2gns.parsers.cml_parser import CMLParser

import tasks.cml_nodes
from runbooks.topology import git_would_commit, main
from tasks.intent import load_intent
from tasks.render import intended_config, render_baseline, render_host

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Rehearse-Pw-7731"
ENABLE = "Rehearse-En-4410"


@pytest.fixture
def creds(example_secrets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("DMVPN_USERNAME", "netops")
    monkeypatch.setenv("DMVPN_PASSWORD", PASSWORD)
    monkeypatch.setenv("DMVPN_ENABLE", ENABLE)
    return {**example_secrets, "DMVPN_PASSWORD": PASSWORD, "DMVPN_ENABLE": ENABLE}


def run(tmp_path: Path, *extra: str, config: Path | None = None) -> tuple[int, Path, Path]:
    cml, out = tmp_path / "lab" / "event42.yaml", tmp_path / "overlay"
    argv = ["--tenant", "event42", "--cml", str(cml), "--out", str(out), *extra]
    if config is not None:
        argv += ["-c", str(config)]
    return main(argv), cml, out


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_overlay_deploys_unchanged_with_mapped_interfaces(creds: object, tmp_path: Path) -> None:
    code, cml, out = run(tmp_path)
    assert code == 0
    intent = load_intent(out / "config.yaml")  # the project's own validation
    lab = yaml.safe_load(cml.read_text())
    configs = {n["id"]: n.get("configuration", "") for n in lab["nodes"]}
    assert set(intent.hosts) == {"hub1", "e42-spoke1", "e42-spoke2", "e42-spoke3"}
    for name, host in intent.hosts.items():  # SSH goes to the address the day-0 config sets
        assert f"ip address {host.hostname} 255.255.255.0" in configs[name]
    hub = intended_config(render_host(intent, "hub1", "event42"))
    assert "interface GigabitEthernet0/1\n description WAN FRONT-DOOR" in hub
    assert " tunnel source GigabitEthernet0/1\n" in hub
    assert "interface GigabitEthernet0/0\n description OUT-OF-BAND MANAGEMENT" in hub
    spoke = intended_config(render_host(intent, "e42-spoke1", "event42"))
    assert "interface GigabitEthernet0/1\n description WAN INTERNET" in spoke
    assert "interface GigabitEthernet0/2\n description LAN TENANT EVENT42" in spoke
    assert "0/0/" not in hub + spoke  # no ISR name is left
    # the deploy refuses a device without the baseline: day-0 carries the product's own
    baseline = render_baseline(intent, "e42-spoke1")["baseline"]
    assert all(baseline in configs[name] for name in intent.hosts)
    # the headend's day-0 management block is what the deploy renders: no diff on first push
    assert hub.split("interface GigabitEthernet0/0\n")[1].split("!")[0] in configs["hub1"]


def test_cat8000v_names_and_management_port(creds: object, tmp_path: Path) -> None:
    code, cml, out = run(tmp_path, "--node-definition", "cat8000v")
    assert code == 0
    intent = load_intent(out / "config.yaml")
    assert intent.hosts["hub1"].wan.interface == "GigabitEthernet2"
    assert intent.hosts["hub1"].mgmt and intent.hosts["hub1"].mgmt.interface == "GigabitEthernet1"
    lan = intent.hosts["e42-spoke2"].lan
    assert lan is not None and lan.interface == "GigabitEthernet3"
    nodes = {n["id"]: n for n in yaml.safe_load(cml.read_text())["nodes"]}
    assert nodes["e42-spoke2"]["node_definition"] == "cat8000v"
    assert (
        "interface GigabitEthernet1\n description OUT-OF-BAND"
        in nodes["e42-spoke2"]["configuration"]
    )


def test_carrier_plays_the_internet(creds: object, tmp_path: Path) -> None:
    code, cml, _ = run(tmp_path)
    assert code == 0
    lab = yaml.safe_load(cml.read_text())
    nodes = {n["id"]: n for n in lab["nodes"]}
    carrier = nodes["carrier"]["configuration"]
    assert "ip address 192.0.2.1 255.255.255.0\n ip nat outside" in carrier  # hub's gateway
    for k in (1, 2, 3):
        assert f"ip dhcp pool SPOKE-E42-SPOKE{k}\n network 100.64.{k}.0 255.255.255.0" in carrier
    assert "ip nat inside source list CARRIER-NAT interface GigabitEthernet0/1 overload" in carrier
    assert nodes["mgmt-ext-conn"]["configuration"] == "bridge0"
    ends = {(link["n1"], link["n2"]) for link in lab["links"]}
    assert {("carrier", "hub1"), ("carrier", "e42-spoke1"), ("mgmt-switch", "hub1")} <= ends


def test_cml2gns_reads_the_topology_and_converts_it(creds: object, tmp_path: Path) -> None:
    code, cml, _ = run(tmp_path)
    assert code == 0
    parsed = CMLParser().parse(cml)
    assert parsed.nodes["hub1"].node_type == "iosv"
    assert "hostname hub1" in parsed.nodes["hub1"].configuration
    wires = {
        (link.node1_id, link.interface1, link.node2_id, link.interface2)
        for link in parsed.links.values()
    }
    assert ("carrier", "GigabitEthernet0/1", "hub1", "GigabitEthernet0/1") in wires
    assert ("mgmt-switch", "port2", "e42-spoke1", "GigabitEthernet0/0") in wires
    project = tmp_path / "gns3"
    cli = Path(sys.executable).with_name("cml2gns")
    done = subprocess.run(
        [str(cli), "convert", "-i", str(cml), "-o", str(project), "--strict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads(next(project.glob("*.gns3")).read_text())
    gns3_nodes = {n["name"]: n["node_type"] for n in document["topology"]["nodes"]}
    assert gns3_nodes["hub1"] == "qemu"
    assert gns3_nodes["mgmt-switch"] == "ethernet_switch"
    assert gns3_nodes["mgmt-ext-conn"] == "cloud"
    assert len(document["topology"]["links"]) == len(parsed.links)
    hub_config = next((project / "configs").glob("hub1_*.cfg")).read_text()
    assert hub_config.startswith("hostname hub1\n")


def test_credentials_masked_in_output_private_on_disk(
    creds: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, cml, out = run(tmp_path, "--show-day0")
    printed = capsys.readouterr()
    assert code == 0
    assert "username netops privilege 15 secret <masked>" in printed.out
    for secret in (PASSWORD, ENABLE):
        assert secret not in printed.out + printed.err
        assert secret in cml.read_text()  # CML needs them to let the runbooks in
    day0 = sorted((out / "day0").iterdir())
    assert [p.name for p in day0] == [
        "carrier.cfg",
        "e42-spoke1.cfg",
        "e42-spoke2.cfg",
        "e42-spoke3.cfg",
        "hub1.cfg",
    ]
    assert all(private(p) for p in [cml, *day0])
    assert not any(PASSWORD in p.read_text() for p in (out / "inventory").iterdir())


def test_out_is_git_ignored_and_a_tracked_path_refused(creds: object, tmp_path: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs the git work tree")
    assert not git_would_commit(REPO / "out" / "cml-event42" / "day0" / "hub1.cfg")
    leak = REPO / "tasks" / "leaked-topology.yaml"
    assert git_would_commit(leak)
    code = main(["--tenant", "event42", "--cml", str(leak), "--out", str(tmp_path / "o")])
    assert code == 2
    assert not leak.exists() and not (tmp_path / "o").exists()


def _edit_hosts(config: Path, change: object) -> None:
    hosts_file = config.parent / "inventory" / "hosts.yaml"
    hosts = yaml.safe_load(hosts_file.read_text())
    change(hosts)  # type: ignore[operator]
    hosts_file.write_text(yaml.safe_dump(hosts))


def test_iosv_interface_limit_refused_nothing_written(
    creds: object, inventory_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def far_lan(hosts: dict) -> None:
        hosts["e42-spoke2"]["data"]["lan"]["interface"] = "GigabitEthernet0/0/15"

    _edit_hosts(inventory_copy, far_lan)
    code, cml, out = run(tmp_path, config=inventory_copy)
    err = capsys.readouterr().err
    assert code == 2
    assert "e42-spoke2" in err and "at most 16 interfaces" in err
    assert not cml.exists() and not out.exists()
    code, cml, out = run(tmp_path, "--node-definition", "cat8000v", config=inventory_copy)
    assert code == 0  # a Cat8000v has room for it


def test_edition_node_cap_refused(
    creds: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, cml, out = run(tmp_path, "--all", "--edition", "free")
    err = capsys.readouterr().err
    assert code == 2
    assert "the lab needs 7 nodes" in err and "CML free runs at most 5" in err
    assert not cml.exists() and not out.exists()
    assert run(tmp_path, "--edition", "free")[0] == 0  # one tenant: hub, 3 spokes, carrier


def test_many_spokes_behind_switches_and_subinterfaces(
    creds: object, inventory_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def twenty_spokes(hosts: dict) -> None:
        template = hosts["e42-spoke1"]
        for k in range(4, 21):
            spoke = yaml.safe_load(yaml.safe_dump(template))
            spoke["data"]["lan"]["address"] = f"10.42.{k}.1/24"
            spoke["data"]["tunnel_ip"] = f"172.16.42.{10 + k}"
            hosts[f"e42-spoke{k}"] = spoke

    _edit_hosts(inventory_copy, twenty_spokes)
    code, _, _ = run(tmp_path, config=inventory_copy)
    assert code == 2 and "the lab needs 24 nodes" in capsys.readouterr().err
    code, cml, _ = run(tmp_path, "--edition", "enterprise", config=inventory_copy)
    assert code == 0
    lab = yaml.safe_load(cml.read_text())
    nodes = {n["id"]: n for n in lab["nodes"]}
    assert nodes["carrier-sw1"]["node_definition"] == "iosvl2"
    assert all(
        len(n["interfaces"]) <= 16
        for n in nodes.values()
        if n["node_definition"] != "unmanaged_switch"
    )
    carrier = nodes["carrier"]["configuration"]
    assert (
        "interface GigabitEthernet0/2.101\n description SPOKE e42-spoke1\n encapsulation dot1Q 101"
        in carrier
    )
    assert "interface GigabitEthernet0/3.120\n" in carrier  # spoke 20 on the second switch
    assert "switchport access vlan 116" in nodes["carrier-sw2"]["configuration"]


def _production_backup(config: Path) -> str:
    """What a backup of the production headend holds: every live tenant, ISR names."""
    intent = load_intent(config)
    text = intended_config(render_host(intent, "hub1", None))
    return (
        "Building configuration...\n\nCurrent configuration : 9999 bytes\n!\nhostname hub1\n"
        "username netops privilege 15 secret 9 $9$abcdefghijkl$mnopqrstuvwxyz\n" + text + "end\n"
    )


def test_headend_from_backup_keeps_other_tenants(
    creds: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "hub1-latest.cfg"
    backup.write_text(_production_backup(REPO / "config.yaml"))
    code, cml, _ = run(tmp_path, "--headend-from-backup", str(backup), "--show-day0")
    printed = capsys.readouterr().out
    assert code == 0
    hub = {n["id"]: n for n in yaml.safe_load(cml.read_text())["nodes"]}["hub1"]["configuration"]
    assert "interface Tunnel43" in hub and "interface Tunnel42" in hub  # coexistence, not a demo
    assert "interface GigabitEthernet0/1\n description WAN FRONT-DOOR" in hub
    assert "GigabitEthernet0/0/" not in hub and "Building configuration" not in hub
    assert "test-psk-event43" not in printed and "$9$abcdefghijkl" not in printed
    # a running-config carries no RSA key: the rehearsal headend gets one, or SSH is dead
    assert hub.endswith("crypto key generate rsa modulus 2048\nip ssh version 2\nend\n")


def test_backup_headend_moves_to_the_lab_management_subnet(creds: object, tmp_path: Path) -> None:
    backup = tmp_path / "hub1-latest.cfg"
    backup.write_text(_production_backup(REPO / "config.yaml"))
    code, cml, out = run(
        tmp_path, "--headend-from-backup", str(backup), "--mgmt-subnet", "10.255.0.0/24"
    )
    assert code == 0
    hub = {n["id"]: n for n in yaml.safe_load(cml.read_text())["nodes"]}["hub1"]["configuration"]
    intent = load_intent(out / "config.yaml")
    assert intent.hosts["hub1"].hostname == "10.255.0.2"  # .1 is the gateway, then the hub
    assert "ip address 10.255.0.2 255.255.255.0" in hub and "198.51.100.10" not in hub
    assert "ip route vrf MGMT 0.0.0.0 0.0.0.0 10.255.0.1" in hub


def test_backup_with_unmappable_interface_refused(
    creds: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "hub1-latest.cfg"
    text = _production_backup(REPO / "config.yaml")
    backup.write_text(text + "interface GigabitEthernet0/1/0\n no ip address\n!\n")
    code, cml, out = run(tmp_path, "--headend-from-backup", str(backup))
    assert code == 2
    assert "GigabitEthernet0/1/0" in capsys.readouterr().err
    assert not cml.exists() and not out.exists()


def test_doctests() -> None:
    failures, tried = doctest.testmod(tasks.cml_nodes)
    assert tried and not failures


def test_node_definition_per_host_from_the_inventory(
    creds: object, inventory_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def hub_on_cat8000v(hosts: dict) -> None:
        hosts["hub1"]["data"]["cml_node_definition"] = "cat8000v"

    _edit_hosts(inventory_copy, hub_on_cat8000v)
    code, cml, out = run(tmp_path, config=inventory_copy)
    assert code == 0
    intent = load_intent(out / "config.yaml")
    assert (intent.hosts["hub1"].model, intent.hosts["hub1"].wan.interface) == (
        "C8000V",
        "GigabitEthernet2",
    )
    assert intent.hosts["e42-spoke1"].wan.interface == "GigabitEthernet0/1"  # iosv by default
    nodes = {n["id"]: n["node_definition"] for n in yaml.safe_load(cml.read_text())["nodes"]}
    assert (nodes["hub1"], nodes["e42-spoke1"], nodes["carrier"]) == ("cat8000v", "iosv", "iosv")

    def typo(hosts: dict) -> None:
        hosts["hub1"]["data"]["cml_node_definition"] = "iosvv"

    _edit_hosts(inventory_copy, typo)
    assert run(tmp_path / "again", config=inventory_copy)[0] == 2
    assert "unknown node definition 'iosvv'" in capsys.readouterr().err
