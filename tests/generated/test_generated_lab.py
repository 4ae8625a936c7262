"""Generated inventories through the real runbooks against the lab (issue 9, deliverable 7).

For each inventory: validate + render, deploy every tenant, deploy again (0 lines), verify, tear
down one tenant -> every other tenant's lines and all host-level config on every device are
unchanged, the torn-down tenant's objects are gone, and drift finds nothing for the others.
"""

from __future__ import annotations

from gen_inventory import GenInventory, inventories
from gen_lab import GenLab, blocks, generated_lab
from gen_profiles import lab_settings
from hypothesis import given
from hypothesis import strategies as st
from oracle import host_level_of, is_host_level, names_tenant

# Device-level lines an operator keeps, naming a tenant (the lab knows these commands).
OPERATOR_LINES = ("ip domain name {t}.lab.example", "username {t}-ops privilege 15 secret 0 x9Y8z7")


def add_operator_lines(gl: GenLab, mention: str) -> None:
    for host in gl.inv.hosts:
        errors = gl.lab.configure(host, [line.format(t=mention) for line in OPERATOR_LINES])
        assert errors == [], errors


def deploy_all(gl: GenLab, order: list[str]) -> None:
    """Every tenant deployed, then deployed again with nothing to push, then verified."""
    for name in order:
        code, report = gl.deploy(name)
        assert (code, report.get("ok")) == (0, True), (name, report)
        hosts = [gl.inv.headend, *(s.name for s in gl.inv.tenant(name).spokes)]
        assert sorted(report["hosts"]) == sorted(hosts)
        assert all(r["status"] == "ok" and r["lines_pushed"] > 0 for r in report["hosts"].values())
    for name in order:
        code, report = gl.deploy(name)
        assert code == 0, (name, report)
        assert {(r["status"], r["lines_pushed"]) for r in report["hosts"].values()} == {
            ("unchanged", 0)
        }, (name, report)
    for name in order:
        code, report = gl.verify(name)
        failed = [c for c in report.get("checks", []) if not c["passed"]]
        assert (code, report.get("passed")) == (0, True), (name, failed or report)


def check_teardown(gl: GenLab, victim: str, before: dict[str, str]) -> None:
    """Only the victim's objects went; everything else on every device is as it was."""
    after = gl.configs()
    gone = gl.inv.tenant(victim)
    own_spokes = {s.name for s in gone.spokes}
    for host in gl.inv.hosts:
        assert host_level_of(after[host]) == host_level_of(before[host]), host
        left = [top for top in blocks(after[host]) if names_tenant(top, gone)]
        assert left == [], f"{host} still holds {victim}: {left}"
        if host == gl.inv.headend:
            kept = {t: b for t, b in blocks(before[host]).items() if not names_tenant(t, gone)}
            now = blocks(after[host])
            changed = [t for t, b in kept.items() if now.get(t) != b and not is_host_level(t)]
            assert changed == [], f"{host}: teardown of {victim} changed {changed}"
        elif host not in own_spokes:
            assert after[host] == before[host], f"teardown of {victim} changed {host}"


def lifecycle(inv: GenInventory, data: st.DataObject, name_tenants: bool) -> None:
    names = [t.name for t in inv.tenants]
    order = data.draw(st.permutations(names), label="deploy order")
    victim = data.draw(st.sampled_from(names), label="torn down")
    mentions = names if name_tenants else ["site"]
    mention = data.draw(st.sampled_from(mentions), label="operator lines name")
    with generated_lab(inv) as gl:
        assert gl.render() == 0  # validates, renders every tenant
        add_operator_lines(gl, mention)
        deploy_all(gl, order)
        before = gl.configs()
        code, report = gl.teardown(victim)
        assert (code, report.get("ok")) == (0, True), report
        check_teardown(gl, victim, before)
        for name in names:
            if name != victim:
                code, report = gl.drift(name)
                assert code == 0, (name, report)


@lab_settings
@given(inventories(min_tenants=2, max_tenants=3, named_hosts=False), st.data())
def test_generated_lifecycle_with_neutral_host_names(inv: GenInventory, data) -> None:
    """Host names and operator lines that name no tenant: isolates everything but name clashes."""
    lifecycle(inv, data, name_tenants=False)


@lab_settings
@given(inventories(min_tenants=2, max_tenants=3), st.data())
def test_generated_lifecycle_with_tenant_names_in_host_names(inv: GenInventory, data) -> None:
    lifecycle(inv, data, name_tenants=True)


@lab_settings
@given(inventories(min_tenants=2, max_tenants=3, named_hosts=False), st.data())
def test_generated_refusal_rolls_back_to_the_config_before(inv: GenInventory, data) -> None:
    """Others deployed, then the headend refuses one line of the last tenant: the headend is
    back to exactly what it held, the report says so, that tenant's spokes were not touched."""
    from lab.api import Fault

    names = [t.name for t in inv.tenants]
    *first, last = data.draw(st.permutations(names), label="deploy order")
    refused = data.draw(
        st.sampled_from(["^tunnel key {key}$", "^ip nhrp network-id {nid}$", "^ivrf {vrf}$"]),
        label="refused line",
    )
    t = inv.tenant(last)
    with generated_lab(inv) as gl:
        for name in first:
            assert gl.deploy(name)[0] == 0, name
        before = gl.configs()
        pattern = refused.format(key=t.tunnel_key, nid=t.nhrp_network_id, vrf=t.vrf)
        gl.lab.inject(inv.headend, Fault(refuse_pattern=pattern))
        code, report = gl.deploy(last)
        gl.lab.clear_faults()
        assert (code, report.get("ok")) == (1, False), report
        hub = report["hosts"][inv.headend]
        assert hub["status"] == "rolled back" and hub["error"], hub
        assert {report["hosts"][s.name]["status"] for s in t.spokes} == {"skipped"}
        assert gl.configs() == before
