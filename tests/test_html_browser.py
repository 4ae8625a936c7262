"""The HTML pages in a real browser: headless Chromium from the distribution's packages loads
each page, and the tests check what a person would see there (every spoke drawn inside the
picture and not covered, a failed edge red, passing ones green, shortcuts dashed, nothing
fetched). Screenshots stay in reports/browser/ (CI keeps reports/ as its artifact).

Without Chromium these tests fail, they do not skip: `.ci/run` installs it.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import tempfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from test_html_report import DRIFT, ROOT, SECRETS, WHEN, broken_report, one_round

from tasks.checks import judge
from tasks.html_report import drift_page, verify_page
from tasks.intent import load_intent
from tasks.report import verify_json
from tasks.secrets import mask
from tasks.verify import plan_from_intent

SHOTS = ROOT / "reports" / "browser"
WINDOW = (1500, 1400)
FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
]
CSP_PROBE = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

# Runs inside the page: what is drawn where, in which colours, as a person would see it.
PROBE = """<script>
(() => {
  const svg = document.getElementById("overlay");
  const box = svg ? svg.getBoundingClientRect() : null;
  const inside = r => box && r.width > 0 && r.height > 0 && r.left >= box.left - 1
    && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  const style = el => getComputedStyle(el);
  const nodes = [...document.querySelectorAll("g.node")].map(g => {
    const r = g.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {name: g.dataset.node, inside: inside(r), on_top: g.contains(hit), width: r.width,
            texts: [...g.querySelectorAll("text")].map(t => t.textContent),
            border: style(g.querySelector("rect")).stroke};
  });
  const strands = [...document.querySelectorAll("line.strand")].map(l => ({
    spoke: l.closest("g.edge").dataset.spoke, layer: l.dataset.layer,
    stroke: style(l).stroke, width: parseFloat(style(l).strokeWidth),
    visible: style(l).visibility === "visible" && style(l).opacity !== "0"}));
  const shortcuts = [...document.querySelectorAll("g.shortcut")].map(g => ({
    from: g.dataset.from, to: g.dataset.to, stroke: style(g.querySelector("path")).stroke,
    dashes: style(g.querySelector("path")).strokeDasharray,
    label: g.querySelector("text").textContent}));
  const verdict = document.getElementById("verdict");
  const out = {
    title: document.title, nodes, strands, shortcuts,
    verdict: verdict.innerText, verdict_bg: style(verdict).backgroundColor,
    failures: [...document.querySelectorAll("li.failure")].map(li => li.innerText),
    hosts: [...document.querySelectorAll("section.host")].map(s => ({
      name: s.dataset.host, text: s.innerText, visible: s.getBoundingClientRect().height > 0})),
    fetched: performance.getEntriesByType("resource").map(e => e.name),
  };
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def chromium() -> str:
    """The distribution's Chromium; its absence fails the test (it is a CI prerequisite)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("headless Chromium is not installed: `apt-get install chromium` (.ci/run)")
    return found


def run_chromium(*args: str) -> str:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        done = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def look_at(page: Path, shot_name: str) -> dict[str, Any]:
    """Load `page` in Chromium: a screenshot of it kept under reports/browser/, then the probe
    run in a copy of it (the copy's policy lets that one inline script run)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{shot_name}.png"
    shot.unlink(missing_ok=True)
    run_chromium(f"--screenshot={shot}", page.as_uri())
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == WINDOW
    html = page.read_text(encoding="utf-8")
    assert "default-src 'none'; style-src 'unsafe-inline'\"" in html
    probe = page.with_name(f"probe-{page.name}")
    probe.write_text(
        html.replace("default-src 'none'; style-src 'unsafe-inline'", CSP_PROBE).replace(
            "</body>", PROBE + "</body>"
        ),
        encoding="utf-8",
    )
    dom = run_chromium("--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, "the probe did not run: " + dom[-500:]
    return json.loads(unescape(found.group(1)))


def rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return r, g, b


def red(css: str) -> bool:
    r, g, b = rgb(css)
    return r > 150 and g < 90 and b < 90


def green(css: str) -> bool:
    r, g, b = rgb(css)
    return g > 100 and g > r + 40 and g > b + 40


def assert_overlay_seen(seen: dict[str, Any], spokes: list[str], broken: str) -> None:
    """What an operator sees: hub and every spoke drawn, uncovered, labelled with their
    addresses; the broken spoke's edge red on every strand, the others green."""
    assert [n["name"] for n in seen["nodes"]] == ["hub1", *spokes]
    for node in seen["nodes"]:
        assert node["inside"] and node["on_top"] and node["width"] >= 150, node  # readable
        assert node["texts"][0].startswith(node["name"])
        assert node["texts"][1].startswith("tunnel 172.16.42.") and node["texts"][2]
    by_spoke: dict[str, list[dict[str, Any]]] = {}
    for strand in seen["strands"]:
        assert strand["visible"] and strand["width"] >= 4
        by_spoke.setdefault(strand["spoke"], []).append(strand)
    assert sorted(by_spoke) == sorted(spokes)
    for spoke, strands in by_spoke.items():
        assert [s["layer"] for s in strands] == ["nhrp", "ikev2", "eigrp"]
        colour = red if spoke == broken else green
        assert all(colour(s["stroke"]) for s in strands), (spoke, strands)
    broken_node = next(n for n in seen["nodes"] if n["name"] == broken)
    assert red(broken_node["border"])
    assert red(seen["verdict_bg"]) and seen["verdict"].startswith("NOT READY")
    assert seen["fetched"] == []


def test_unit_page_in_chromium(tmp_path: Path) -> None:
    intent = load_intent(ROOT / "config.yaml", None, require_secrets=False, env=SECRETS)
    plan = plan_from_intent(intent, "event42")
    page = tmp_path / "verify.html"
    page.write_text(verify_page(broken_report(plan), plan, lambda t: mask(t, intent), WHEN))
    seen = look_at(page, "verify-unit")
    assert_overlay_seen(seen, [s.name for s in plan.spokes], broken="e42-spoke2")
    shortcuts = {(s["from"], s["to"]): s for s in seen["shortcuts"]}
    seen_one = shortcuts[("e42-spoke3", "e42-spoke1")]
    assert green(seen_one["stroke"]) and seen_one["dashes"] not in ("", "none")
    assert seen_one["label"] == "shortcut ✓"
    assert red(shortcuts[("e42-spoke1", "e42-spoke2")]["stroke"])
    assert any("check the pre-shared keys" in f for f in seen["failures"])
    clean = tmp_path / "clean.html"
    report = verify_json(plan.name, judge(plan, one_round(plan, broken="nobody")))
    clean.write_text(verify_page(report, plan, str, WHEN))
    seen = look_at(clean, "verify-unit-clean")
    assert green(seen["verdict_bg"]) and seen["verdict"].startswith("READY")
    assert all(green(s["stroke"]) for s in seen["strands"]) and seen["failures"] == []


def test_drift_page_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "drift.html"
    page.write_text(drift_page(DRIFT, lambda t: mask(t, []), "event42", WHEN))
    seen = look_at(page, "drift-unit")
    assert [h["name"] for h in seen["hosts"]] == ["e42-spoke1"]
    assert "pre-shared-key <masked>" in seen["hosts"][0]["text"]
    assert red(seen["verdict_bg"]) and seen["fetched"] == []


# --- through the runbooks, against the lab ------------------------------------------------

KEYRING = ["crypto ikev2 keyring IKEv2-KEYRING-EVENT42", " peer HUB1"]


@pytest.fixture(scope="module")
def psk_wrong_on_spoke2(deployed):
    """event42 deployed, then e42-spoke2's PSK changed by hand; put back afterwards."""
    from runbooks import verify

    lab, config, state = deployed
    assert verify.main([*lab_argv(config, state), "--wait", "30", "--poll", "0.3"]) == 0
    running = lab.running_config("e42-spoke2")
    keyring = running[running.index(KEYRING[0]) :]
    deployed_psk = re.search(r"^  pre-shared-key .*$", keyring, re.M)
    assert deployed_psk is not None
    assert lab.configure("e42-spoke2", [*KEYRING, "  pre-shared-key wrong-key-42"]) == []
    lab.exec("e42-spoke2", "clear crypto session")
    yield lab, config, state
    assert lab.configure("e42-spoke2", [*KEYRING, deployed_psk.group(0)]) == []
    lab.exec("e42-spoke2", "clear crypto session")


def lab_argv(config: Path, state: Path) -> list[str]:
    return ["--tenant", "event42", "--lab", "--lab-state", str(state), "-c", str(config)]


def test_verify_html_from_the_runbook(psk_wrong_on_spoke2, example_secrets, tmp_path) -> None:
    from runbooks import verify

    _lab, config, state = psk_wrong_on_spoke2
    page = tmp_path / "reports" / "verify-event42.html"
    argv = [*lab_argv(config, state), "--wait", "2", "--poll", "0.3", "--html", str(page)]
    assert verify.main(argv) == 1
    html = page.read_text(encoding="utf-8")
    assert not any(value in html for value in example_secrets.values())
    seen = look_at(page, "verify-event42-lab")
    assert_overlay_seen(seen, ["e42-spoke1", "e42-spoke2", "e42-spoke3"], broken="e42-spoke2")
    hub = seen["nodes"][0]
    assert hub["texts"][1:3] == ["tunnel 172.16.42.1", "NBMA 192.0.2.10"]
    spoke1 = seen["nodes"][1]
    assert re.fullmatch(r"NBMA \d+\.\d+\.\d+\.\d+", spoke1["texts"][2])  # as the hub saw it
    assert any(f.startswith("hub1 · nhrp registered e42-spoke2") for f in seen["failures"])


def test_drift_html_from_the_runbook(psk_wrong_on_spoke2, example_secrets, tmp_path) -> None:
    from runbooks import drift

    _lab, config, state = psk_wrong_on_spoke2
    page = tmp_path / "drift-event42.html"
    assert drift.main([*lab_argv(config, state), "--html", str(page)]) == 1
    html = page.read_text(encoding="utf-8")
    assert "wrong-key-42" not in html
    assert not any(value in html for value in example_secrets.values())
    seen = look_at(page, "drift-event42-lab")
    assert [h["name"] for h in seen["hosts"]] == ["e42-spoke2"]
    text = seen["hosts"][0]["text"]
    assert "Missing: lines that restore intent" in text and "pre-shared-key <masked>" in text
    assert seen["hosts"][0]["visible"] and red(seen["verdict_bg"]) and seen["fetched"] == []
