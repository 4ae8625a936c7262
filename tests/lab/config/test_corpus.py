"""The real-config corpus: public running-configs, each loaded on the platform it came from,
must keep at least 98% of their configuration lines (comment lines, `Building configuration...`,
`Current configuration ...` and `end` are not configuration lines). Sources in
tests/fixtures/real-configs/SOURCES.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.config.store import ConfigStore
from lab.hardware.models import CATALOGUE

REAL_CONFIGS = Path(__file__).parents[2] / "fixtures" / "real-configs"
THRESHOLD = 0.98
# file -> the platform it was captured on (IOL: IOS-on-Linux lab images)
CORPUS = {
    "csr_ikev2_ivrf_hub.cfg": "CSR1000V",
    "csr_ikev2_ivrf_spoke1.cfg": "CSR1000V",
    "csr_ikev2_ivrf_spoke2.cfg": "CSR1000V",
    "isr4321_router_on_a_stick.cfg": "ISR4321",
    "phase3_ikev2_hub.cfg": "IOL",
    "phase3_ikev2_spoke.cfg": "IOL",
    # ZBFW edge with IPv6 everywhere (ipv6 access-lists, named-EIGRP IPv6 address family),
    # numbered ACLs, NAT, prefix lists, and seven GigabitEthernet ports
    "iosv_zbfw_edge.cfg": "IOSv",
}
NOT_CONFIGURATION = ("!", "Building configuration", "Current configuration")


def load(text: str, model: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Paste `text` on a factory device of `model`: (accepted lines, refused lines with IOS's
    error). Each line is typed in the mode the previous ones left, as when pasting."""
    store = ConfigStore.factory("R1", model)
    context: list[str] = []
    accepted: list[str] = []
    refused: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(NOT_CONFIGURATION) or line == "end":
            continue
        result = store.apply(context, raw)
        if result.error is None:
            accepted.append(line)
        else:
            refused.append((line, result.error.text or result.error.kind))
        context = result.context if result.context is not None else []
    return accepted, refused


def test_every_corpus_file_is_listed_with_its_platform() -> None:
    listed = set(CORPUS) | {"fvrf_spoke_two_clouds.cfg"}  # an excerpt (fidelity)
    assert {p.name for p in REAL_CONFIGS.glob("*.cfg")} == listed
    sources = (REAL_CONFIGS / "SOURCES.md").read_text()
    assert all(name in sources for name in CORPUS)


@pytest.mark.parametrize(("name", "model"), sorted(CORPUS.items()))
def test_real_config_loads_on_its_platform(name: str, model: str) -> None:
    accepted, refused = load((REAL_CONFIGS / name).read_text(), model)
    share = len(accepted) / (len(accepted) + len(refused))
    assert len(accepted) > 40
    assert share >= THRESHOLD, f"{name} on {model}: {share:.1%}, refused {refused}"


def test_csr_hub_keeps_its_dot1q_front_door_and_named_eigrp() -> None:
    store = ConfigStore.factory("HUB", "CSR1000V")
    context: list[str] = []
    for raw in (REAL_CONFIGS / "csr_ikev2_ivrf_hub.cfg").read_text().splitlines():
        if raw.strip() and not raw.strip().startswith(NOT_CONFIGURATION):
            result = store.apply(context, raw)
            context = result.context if result.context is not None else []
    text = store.running_config()
    assert (
        "interface GigabitEthernet1.15\n description INET-Front-door\n encapsulation dot1Q 15\n"
        " vrf forwarding IWAN-TRANSPORT-1\n ip address 202.100.15.1 255.255.255.0\n" in text
    )
    assert " tunnel source GigabitEthernet1.15\n" in text
    assert "redundancy\n" in text and "platform console serial\n" in text


PLATFORM_LINES = [
    # (line, model that lacks it, the word IOS puts its caret under)
    ("platform console serial", "ISR4331", "console"),
    ("virtual-service csr_mgmt", "C8000V", "virtual-service"),
    ("platform qfp utilization monitor load 80", "IOSv", "platform"),
    ("subscriber templating", "IOSv", "subscriber"),
    ("mmi polling-interval 60", "ISR4331", "mmi"),
    ("no scheduler allocate", "C1111-8P", "scheduler"),
]


@pytest.mark.parametrize(("line", "model", "word"), PLATFORM_LINES)
def test_a_line_a_platform_lacks_is_refused_with_the_caret(
    line: str, model: str, word: str
) -> None:
    result = ConfigStore.factory("R1", model).apply([], line)
    assert result.error is not None and result.error.kind == "invalid"
    assert result.error.column == line.index(word)


DEFAULT_LINES = {
    # lines real running-configs of each family carry (sources: SOURCES.md of real-configs and
    # lab/grammar/rows_platform.py)
    "csr1000v": [
        "no platform punt-keepalive disable-kernel-core", "platform console serial",
        "subscriber templating", "multilink bundle-name authenticated",
        "spanning-tree extend system-id", "redundancy", "virtual-service csr_mgmt",
    ],
    "c8000v": [
        "platform console virtual", "subscriber templating",
        "multilink bundle-name authenticated", "redundancy",
    ],
    "isr4300": [
        "platform qfp utilization monitor load 80", "platform punt-keepalive disable-kernel-core",
        "subscriber templating", "multilink bundle-name authenticated",
        "memory free low-watermark processor 68484", "diagnostic bootup level minimal",
        "spanning-tree extend system-id", "redundancy", " mode none",
    ],
    "iosv": [
        "mmi polling-interval 60", "no mmi auto-configure", "no mmi pvc",
        "mmi snmp-timeout 180", "ip cef", "no ipv6 cef", "multilink bundle-name authenticated",
        "redundancy", "no scheduler allocate",
    ],
}  # fmt: skip


@pytest.mark.parametrize("model", [m.name for m in CATALOGUE])
def test_default_lines_of_each_platform_are_accepted(model: str) -> None:
    family = next(m.software for m in CATALOGUE if m.name == model)
    name = next(m.family for m in CATALOGUE if m.name == model)
    lines = DEFAULT_LINES.get(name) or DEFAULT_LINES["isr4300"]
    if family.classic:
        lines = DEFAULT_LINES["iosv"]
    accepted, refused = load("\n".join(lines), model)
    assert refused == []
    assert len(accepted) == len(lines)


def test_isr4321_prints_its_management_port_after_the_slot_ports_as_the_real_one() -> None:
    real = (REAL_CONFIGS / "isr4321_router_on_a_stick.cfg").read_text()
    store = ConfigStore.factory("Router", "ISR4321")
    context: list[str] = []
    for raw in real.splitlines():
        if raw.strip() and not raw.strip().startswith(NOT_CONFIGURATION) and raw != "end":
            result = store.apply(context, raw)
            assert result.error is None, raw
            context = result.context if result.context is not None else []
    text = store.running_config()
    order = [line for line in text.splitlines() if line.startswith("interface ")]
    assert order[-1] == "interface GigabitEthernet0"
    assert order.index("interface GigabitEthernet0/0/1.100") < len(order) - 1
    assert (
        "interface GigabitEthernet0\n vrf forwarding Mgmt-intf\n no ip address\n shutdown\n" in text
    )
