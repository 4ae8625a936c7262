"""Shared helpers for the network-model tests: the hand-written lab configs and a Network."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from lab.cli.base import ExecContext
from lab.cli.dispatch import run_exec, run_to_completion
from lab.model.network import Network
from tasks.parse import parse

CONFIG_DIR = Path(__file__).parent / "lab_configs"
SPOKES_42 = ["e42-spoke1", "e42-spoke2", "e42-spoke3"]
SPOKES_43 = ["e43-spoke1", "e43-spoke2"]


def lab_configs() -> dict[str, str]:
    return {p.stem: p.read_text() for p in sorted(CONFIG_DIR.glob("*.cfg"))}


def network(configs: dict[str, str], state_dir: Path, delay: float = 0.0) -> Network:
    """A Network reading `configs` live (tests mutate the dict to reconfigure a device)."""
    return Network(lambda: configs, state_dir, SimpleNamespace(convergence_delay=delay))


def edit(configs: dict[str, str], device: str, old: str, new: str) -> None:
    assert old in configs[device], f"{old!r} not in {device}"
    configs[device] = configs[device].replace(old, new)


def run(net: Network, device: str, command: str) -> str:
    """`command` typed at `device#`, through the exec grammar's rows to the model."""
    ctx = ExecContext(SimpleNamespace(name=device, running_config=lambda: ""), lambda: net)  # type: ignore[arg-type]
    out = run_to_completion(run_exec(ctx, command, 15, 0)).output
    assert "% Invalid input" not in out and "% Incomplete" not in out, (command, out)
    return out


def dmvpn_peers(net: Network, device: str) -> dict[str, list[dict[str, str]]]:
    """Tunnel → its `show dmvpn` rows, through the project's TextFSM template."""
    rows = parse("show dmvpn", run(net, device, "show dmvpn"))
    result: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        result.setdefault(row["interface"], []).append(row)
    return result


def up_peers(net: Network, device: str, tunnel: str) -> set[str]:
    return {
        r["peer_tunnel"] for r in dmvpn_peers(net, device).get(tunnel, []) if r["state"] == "UP"
    }


def ikev2_sas(net: Network, device: str) -> list[dict[str, str]]:
    return parse("show crypto ikev2 sa", run(net, device, "show crypto ikev2 sa"))


def eigrp_neighbors(net: Network, device: str, vrf: str | None) -> set[str]:
    cmd = f"show ip eigrp vrf {vrf} neighbors" if vrf else "show ip eigrp neighbors"
    out = run(net, device, cmd)
    if not out.strip():
        return set()
    return {r["ip_address"] for r in parse(cmd, out)}


def routes(net: Network, device: str, vrf: str | None) -> dict[str, dict[str, str]]:
    cmd = f"show ip route vrf {vrf}" if vrf else "show ip route"
    rows = parse(cmd, run(net, device, cmd))
    return {f"{r['network']}/{r['prefix_length']}": r for r in rows}
