"""The HTML page, pure: drawn from a real verify result (the judges over one poll round's parsed
rows) with one spoke's PSK wrong and one phase-3 shortcut up; drift from a drift JSON; masking.

The browser tests (`test_html_browser.py`) load these pages in Chromium."""

from __future__ import annotations

import doctest
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tasks import html_report, overlay_drawing
from tasks.checks import judge
from tasks.html_report import drift_page, split_hint, verify_page
from tasks.intent import Intent, load_intent
from tasks.judges_nat import NAT_RULES_CMD
from tasks.report import verify_json
from tasks.secrets import mask
from tasks.verify import plan_from_intent
from tasks.verify_plan import (
    Observed,
    SpokePlan,
    TenantPlan,
    dmvpn_cmd,
    hub_eigrp_cmd,
    ping_cmd,
    probe_cmd,
)

ROOT = Path(__file__).resolve().parents[1]
WHEN = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
SECRETS = {"EVENT42_PSK": "page-psk-42", "EVENT42_NHRP_KEY": "pnhrp42"}


@pytest.fixture(scope="module")
def intent() -> Intent:
    return load_intent(ROOT / "config.yaml", None, require_secrets=False, env=SECRETS)


@pytest.fixture(scope="module")
def plan(intent: Intent) -> TenantPlan:
    return plan_from_intent(intent, "event42")


def nbma(spoke: int) -> str:
    return f"203.0.113.{40 + spoke}"


UP = {"status": "up", "proto": "up"}


def dmvpn_row(tunnel: int, peer: str, nbma_ip: str, state: str, attribute: str) -> dict:
    return {
        "interface": f"Tunnel{tunnel}",
        "peer_tunnel": peer,
        "peer_nbma": nbma_ip,
        "state": state,
        "attribute": attribute,
    }


def hub_rows(plan: TenantPlan, healthy: list[tuple[int, SpokePlan]]) -> dict[str, list[dict]]:
    """The hub's parsed outputs: only the healthy spokes registered, with SA, neighbor, route."""
    assert plan.isolation_target is not None
    return {
        "show ip interface brief": [
            {"interface": plan.hub_wan_interface, **UP, "ip_address": plan.hub_wan_ip}
        ],
        dmvpn_cmd(plan): [
            dmvpn_row(plan.tunnel, s.tunnel_ip, nbma(i), "UP", "D") for i, s in healthy
        ],
        "show crypto ikev2 sa": [{"remote_ip": nbma(i), "status": "READY"} for i, _ in healthy],
        hub_eigrp_cmd(plan): [
            {"interface": f"Tu{plan.tunnel}", "ip_address": s.tunnel_ip} for _, s in healthy
        ],
        f"show ip route vrf {plan.vrf}": [
            {"network": s.lan_prefix.split("/")[0], "prefix_length": "24"}
            | {"nexthop_ip": s.tunnel_ip, "nexthop_if": f"Tunnel{plan.tunnel}"}
            for _, s in healthy
        ],
        ping_cmd(plan.isolation_target[1], vrf=plan.vrf): [{"success_pct": "0"}],
        # event42 has multicast: the healthy spokes are PIM neighbours on its tunnel
        f"show ip pim vrf {plan.vrf} neighbor": [
            {"neighbor": s.tunnel_ip, "interface": f"Tunnel{plan.tunnel}"} for _, s in healthy
        ],
        f"show ip pim vrf {plan.vrf} interface": [{"interface": f"Tunnel{plan.tunnel}"}],
        NAT_RULES_CMD: [],  # no NAT rule on the hub
    }


def spoke_rows(plan: TenantPlan, n: int, spoke: SpokePlan, broken: str) -> dict[str, list[dict]]:
    """A spoke's parsed outputs; a shortcut to its ring neighbour when both ends are healthy."""
    ok = spoke.name != broken
    target = dict((a.name, b) for a, b in plan.ring())[spoke.name]
    pair_ok = ok and target.name != broken
    dmvpn = [
        dmvpn_row(plan.tunnel, plan.hub_tunnel_ip, plan.hub_wan_ip, "UP" if ok else "NHRP", "S")
    ]
    if pair_ok:
        other = nbma(plan.spokes.index(target) + 1)
        dmvpn.append(dmvpn_row(plan.tunnel, target.tunnel_ip, other, "UP", "DT1"))
    return {
        "show ip interface brief": [
            {"interface": spoke.wan_interface, **UP, "ip_address": f"100.64.0.{n}"},
            {"interface": spoke.lan_interface, **UP, "ip_address": spoke.lan_ip},
        ],
        dmvpn_cmd(plan): dmvpn,
        "show crypto ikev2 sa": [{"remote_ip": plan.hub_wan_ip, "status": "READY"}] * ok,
        "show ip eigrp neighbors": [
            {"interface": f"Tunnel{plan.tunnel}", "ip_address": plan.hub_tunnel_ip}
        ]
        * ok,
        ping_cmd(plan.hub_tunnel_ip, spoke.lan_interface): [{"success_pct": str(100 * ok)}],
        ping_cmd(target.lan_ip, spoke.lan_interface): [{"success_pct": str(100 * pair_ok)}],
        "show ip route": [],  # no other tenant's prefix in the spoke's table
        "show ip pim interface": [
            {"interface": f"Tunnel{plan.tunnel}"},
            {"interface": spoke.lan_interface},
        ],
        f"show ip rpf {target.lan_ip}": [
            {
                "neighbor": plan.hub_tunnel_ip,
                "interface": f"Tunnel{plan.tunnel}",
                "type": "multicast (static)",
                "failed": "",
            }
        ],
        # the local internet exit does not depend on the overlay; no other tenant answers
        ping_cmd(str(spoke.internet_probe), spoke.lan_interface): [{"success_pct": "100"}],
        **{
            probe_cmd(p.address, spoke.lan_interface): [{"success_pct": "0"}]
            for p in plan.isolation_probes
            if p.source == spoke.name
        },
    }


def one_round(plan: TenantPlan, broken: str) -> Observed:
    """Parsed outputs of a round where `broken`'s PSK is wrong (no SA, no registration) and
    every other spoke is up, with a phase-3 shortcut between the healthy ring neighbours."""
    seen = Observed()
    healthy = [(i, s) for i, s in enumerate(plan.spokes, 1) if s.name != broken]
    rows = {plan.hub: hub_rows(plan, healthy)}
    rows |= {s.name: spoke_rows(plan, i, s, broken) for i, s in enumerate(plan.spokes, 1)}
    for host, outputs in rows.items():
        for command, parsed in outputs.items():
            seen.add(host, command, parsed)
    return seen


def broken_report(plan: TenantPlan, broken: str = "e42-spoke2") -> dict[str, Any]:
    return verify_json(plan.name, judge(plan, one_round(plan, broken)))


class Drawing(HTMLParser):
    """The page's elements with their attributes (class split), and its visible text."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        def matches(attrs: dict[str, str]) -> bool:
            for key, value in wanted.items():
                key = key.rstrip("_").replace("_", "-")
                if key == "class":
                    if not set(value.split()) <= set(attrs.get("class", "").split()):
                        return False
                elif attrs.get(key) != value:
                    return False
            return True

        return [attrs for name, attrs in self.elements if name == tag and matches(attrs)]


def test_every_spoke_is_drawn_with_its_addresses(plan: TenantPlan, intent: Intent) -> None:
    page = verify_page(broken_report(plan), plan, lambda t: mask(t, intent), WHEN)
    drawing = Drawing(page)
    nodes = {attrs["data-node"]: attrs for attrs in drawing.find("g", class_="node")}
    assert list(nodes) == ["hub1", "e42-spoke1", "e42-spoke2", "e42-spoke3"]
    assert "hub" in nodes["hub1"]["class"]
    text = " ".join(drawing.text)
    for n, spoke in enumerate(plan.spokes, 1):
        assert f"tunnel {spoke.tunnel_ip}" in text
        if spoke.name != "e42-spoke2":  # the NBMA as the hub saw it, behind NAT
            assert f"NBMA {nbma(n)}" in text
    assert "NBMA not seen" in text and "NBMA 192.0.2.10" in text
    assert "tenant event42" in text and "2026-12-02 01:30 UTC" in text


def test_the_broken_edge_fails_on_every_strand_and_the_others_pass(plan: TenantPlan) -> None:
    drawing = Drawing(verify_page(broken_report(plan), plan, str, WHEN))
    for spoke in ("e42-spoke1", "e42-spoke2", "e42-spoke3"):
        edge = drawing.find("g", class_="edge", data_spoke=spoke)
        assert len(edge) == 1
    strands = {
        (i // 3, attrs["data-layer"]): attrs["class"].split()[1]
        for i, attrs in enumerate(drawing.find("line", class_="strand"))
    }
    assert strands == {
        (spoke, layer): "fail" if spoke == 1 else "pass"
        for spoke in range(3)
        for layer in ("nhrp", "ikev2", "eigrp")
    }
    assert drawing.find("g", class_="node fail", data_node="e42-spoke2")
    assert drawing.find("g", class_="node pass", data_node="e42-spoke1")
    # the hub's own failure (the missing route) is counted on the hub
    assert drawing.find("g", class_="node fail", data_node="hub1")


def test_shortcuts_are_dashed_spoke_to_spoke_edges(plan: TenantPlan) -> None:
    drawing = Drawing(verify_page(broken_report(plan), plan, str, WHEN))
    shortcuts = {
        (a["data-from"], a["data-to"]): a["class"].split()[1]
        for a in drawing.find("g", class_="shortcut")
    }
    assert shortcuts == {
        ("e42-spoke1", "e42-spoke2"): "fail",
        ("e42-spoke2", "e42-spoke3"): "fail",
        ("e42-spoke3", "e42-spoke1"): "pass",
    }
    assert drawing.find("g", class_="isolation pass", data_other="event43")
    assert "stroke-dasharray" in verify_page(broken_report(plan), plan, str, WHEN)


def test_failed_checks_are_listed_with_their_hints(plan: TenantPlan) -> None:
    report = broken_report(plan)
    drawing = Drawing(verify_page(report, plan, str, WHEN))
    listed = [(a["data-host"], a["data-check"]) for a in drawing.find("li", class_="failure")]
    failed = [(c["host"], c["check"]) for c in report["checks"] if not c["passed"]]
    assert sorted(listed) == sorted(failed) and listed[0][0] == "hub1"
    assert ("hub1", "nhrp registered e42-spoke2") in listed
    assert "check the pre-shared keys and IKEv2 identities" in " ".join(drawing.text)
    assert drawing.find("div", class_="verdict fail")
    assert f"NOT READY — {len(failed)} of {len(report['checks'])} checks failed" in " ".join(
        drawing.text
    )


def test_a_clean_run_is_ready(plan: TenantPlan) -> None:
    report = verify_json(plan.name, judge(plan, one_round(plan, broken="nobody")))
    assert report["passed"]
    drawing = Drawing(verify_page(report, plan, str, WHEN))
    assert drawing.find("div", class_="verdict pass")
    assert not drawing.find("line", class_="strand fail")
    assert len(drawing.find("g", class_="shortcut pass")) == 3


def test_without_dataplane_shortcuts_and_isolation_are_not_checked(plan: TenantPlan) -> None:
    report = verify_json(plan.name, judge(plan, one_round(plan, "nobody"), dataplane=False))
    drawing = Drawing(verify_page(report, plan, str, WHEN))
    assert len(drawing.find("g", class_="shortcut unknown")) == 3
    assert drawing.find("g", class_="isolation unknown")
    assert len(drawing.find("line", class_="strand pass")) == 9
    assert drawing.find("div", class_="verdict pass")
    empty = Drawing(verify_page({"tenant": "event42", "passed": True, "checks": []}, plan, str))
    assert empty.find("div", class_="verdict fail")
    assert not empty.find("line", class_="strand pass")


def test_secrets_are_masked_and_markup_escaped(plan: TenantPlan, intent: Intent) -> None:
    report = broken_report(plan)
    report["checks"][0]["detail"] = "saw pre-shared-key page-psk-42 and <script>alert(1)</script>"
    report["checks"][0]["passed"] = False
    page = verify_page(report, plan, lambda t: mask(t, intent), WHEN)
    assert "page-psk-42" not in page and "<script" not in page
    assert "pre-shared-key &lt;masked&gt;" in page


def test_the_page_fetches_nothing(plan: TenantPlan) -> None:
    page = verify_page(broken_report(plan), plan, str, WHEN)
    assert "default-src 'none'" in page
    assert not re.search(r"(?i)\b(src|href)\s*=|url\(|@import|https?:|<script", page)


def test_doctests() -> None:
    for module in (html_report, overlay_drawing):
        failures, tried = doctest.testmod(module)
        assert tried >= 2 and failures == 0, module


def test_hints_split_from_what_was_seen() -> None:
    assert split_hint("a (b (c))") == ("a", "b (c)")
    assert split_hint("(only a hint)") == ("(only a hint)", "")
    assert split_hint("unbalanced)") == ("unbalanced)", "")


DRIFT = {
    "drift": True,
    "hosts": {
        "hub1": {"drift": False, "missing": [], "unexpected": []},
        "e42-spoke1": {
            "drift": True,
            "missing": ["crypto ikev2 keyring IKEv2-KEYRING-EVENT42", "  pre-shared-key pk"],
            "unexpected": ["interface Tunnel42", " tunnel key 99"],
        },
    },
}


def test_drift_page_lists_hosts_with_missing_and_unexpected_lines() -> None:
    page = drift_page(DRIFT, lambda t: mask(t, []), "event42", WHEN)
    drawing = Drawing(page)
    rows = {a["data-host"]: a["class"] for a in drawing.find("tr")[1:]}
    assert rows == {"hub1": "clean", "e42-spoke1": "drift"}
    assert [a["data-host"] for a in drawing.find("section", class_="host drift")] == ["e42-spoke1"]
    text = "".join(drawing.text)
    assert "pre-shared-key <masked>" in text and " pk" not in text
    assert " tunnel key 99" in text and "drift — tenant event42" in text
    assert drawing.find("div", class_="verdict fail")
    clean = drift_page({"drift": False, "hosts": {"hub1": DRIFT["hosts"]["hub1"]}}, str)
    assert "no drift on 1 hosts" in clean and "all tenants" in clean
    assert "Every host matches the intent." in clean
