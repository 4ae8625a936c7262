"""The tenant's overlay as a drawing: which checks colour which part (a table), and where
each part goes (the hub in the centre, spokes on a circle around it). Pure: no SVG text here,
the page template (`report_templates/verify.html.j2`) draws these parts.

Each hub-spoke edge is three strands (NHRP registration, IKEv2 SA, EIGRP adjacency), each
judged from the hub-side and the spoke-side check; a phase-3 shortcut is a spoke-spoke curve
(the LAN ping that triggers it, then the dynamic entry); isolation is a box of its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tasks.verify_plan import TenantPlan

Mask = Callable[[str], str]
Check = Mapping[str, Any]  # one entry of verify_json()["checks"]


@dataclass(frozen=True)
class Layer:
    """One strand of a hub-spoke edge: the check judged on the hub and the one on the spoke."""

    key: str
    label: str
    letter: str
    on_hub: str  # formatted with spoke=, hub=
    on_spoke: str


# Knowledge as data: which checks (names from `tasks.checks`) colour which part of the drawing.
EDGE_LAYERS: tuple[Layer, ...] = (
    Layer("nhrp", "NHRP registration", "N", "nhrp registered {spoke}", "nhrp hub {hub} up"),
    Layer("ikev2", "IKEv2 SA", "I", "ikev2 sa {spoke}", "ikev2 sa {hub}"),
    Layer("eigrp", "EIGRP adjacency", "E", "eigrp neighbor {spoke}", "eigrp neighbor {hub}"),
)
# judged on the source spoke: the LAN ping that triggers the shortcut, then the shortcut itself
SHORTCUT_CHECKS = ("ping {target} lan", "phase3 shortcut {target}")
ISOLATION_CHECK = "isolation from {other}"  # judged on the hub
# Where the judges' details name the spoke's NBMA address as the hub sees it (after NAT).
NBMA_IN_DETAIL = (
    ("nhrp registered {spoke}", re.compile(r"via NBMA (\S+)")),
    ("ikev2 sa {spoke}", re.compile(r"with (\S+) \(NATed NBMA")),
)

BOX = (168, 62)  # spoke box width, height
HUB_BOX = (196, 70)
STRAND_GAP = 8
ISOLATION_BOX = (196, 66)


@dataclass(frozen=True)
class Canvas:
    """The drawing's size for `count` spokes: the hub in the centre, spokes on a circle."""

    count: int

    @property
    def radius(self) -> float:
        return max(265.0, self.count * (BOX[0] + 30) / (2 * math.pi))

    @property
    def size(self) -> tuple[int, int]:
        reach = 1.2 * self.radius + 30  # shortcut curves bow out beyond the spokes
        return round(2 * max(self.radius + BOX[0] / 2, reach) + 40), round(2 * reach + 40)

    @property
    def centre(self) -> tuple[float, float]:
        width, height = self.size
        return width / 2, height / 2

    def spoke_positions(self) -> list[tuple[float, float]]:
        """Spokes on the circle, the first upper left, clockwise.

        >>> canvas = Canvas(2)
        >>> [(round(x - canvas.centre[0]), round(y - canvas.centre[1]))
        ...  for x, y in canvas.spoke_positions()]
        [(-265, 0), (265, 0)]
        """
        (cx, cy), r = self.centre, self.radius
        angles = [
            math.radians(-90 - 180 / self.count + 360 * i / self.count) for i in range(self.count)
        ]
        return [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in angles]


@dataclass
class Strand:
    layer: Layer
    status: str  # pass | fail | unknown
    lines: list[str]  # "host: check: detail" of the checks behind it
    x1: float = 0
    y1: float = 0
    x2: float = 0
    y2: float = 0
    badge: tuple[float, float] = (0, 0)


@dataclass
class Edge:
    spoke: str
    strands: list[Strand]
    status: str


@dataclass
class Node:
    name: str
    role: str  # hub | spoke
    tunnel_ip: str
    nbma: str
    x: float
    y: float
    failed: list[str] = field(default_factory=list)  # failing checks not drawn as an edge
    status: str = "unknown"  # its edge's (spokes) or its own checks' verdict


@dataclass
class Shortcut:
    source: str
    target: str
    status: str
    lines: list[str]
    path: str
    label: tuple[float, float]


@dataclass
class Isolation:
    other: str
    address: str
    status: str
    lines: list[str]


def _status(checks: Sequence[Check]) -> str:
    if not checks:
        return "unknown"
    return "pass" if all(c["passed"] for c in checks) else "fail"


def _line(check: Check, mask: Mask) -> str:
    return mask(f"{check['host']}: {check['check']}: {check['detail']}")


def _box_exit(dx: float, dy: float, box: tuple[int, int]) -> float:
    """Fraction of the vector (dx, dy) from a box's centre at which it leaves the box."""
    half_w, half_h = box[0] / 2 + 4, box[1] / 2 + 4
    return min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)


def _strands(hub: Node, spoke: Node, strands: list[Strand]) -> None:
    """Parallel strands from hub to spoke; the badges spread over the part between the boxes."""
    dx, dy = spoke.x - hub.x, spoke.y - hub.y
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length  # unit normal
    start, end = _box_exit(dx, dy, HUB_BOX), 1 - _box_exit(dx, dy, BOX)
    for i, strand in enumerate(strands):
        off = (i - (len(strands) - 1) / 2) * STRAND_GAP
        strand.x1, strand.y1 = hub.x + nx * off, hub.y + ny * off
        strand.x2, strand.y2 = spoke.x + nx * off, spoke.y + ny * off
        t = start + (end - start) * (i + 1) / (len(strands) + 1)
        strand.badge = (strand.x1 + dx * t, strand.y1 + dy * t)


def _curve(canvas: Canvas, a: Node, b: Node) -> tuple[str, tuple[float, float]]:
    """A quadratic curve between two spokes bowed away from the hub, and its midpoint."""
    cx, cy = canvas.centre
    mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
    ox, oy = mx - cx, my - cy
    dist = math.hypot(ox, oy)
    if dist < 1:  # opposite spokes: bow downwards, under the hub
        ox, oy, dist = 0.0, 1.0, 1.0
    reach = canvas.radius * 1.35
    qx, qy = cx + ox / dist * reach, cy + oy / dist * reach
    path = f"M {a.x:.1f} {a.y:.1f} Q {qx:.1f} {qy:.1f} {b.x:.1f} {b.y:.1f}"
    return path, ((mx + qx) / 2, (my + qy) / 2)


def _nbma(plan: TenantPlan, spoke: str, by_key: Mapping[tuple[str, str], Check]) -> str:
    for check, pattern in NBMA_IN_DETAIL:
        found = by_key.get((plan.hub, check.format(spoke=spoke)))
        match = pattern.search(str(found["detail"])) if found else None
        if match:
            return match.group(1)
    return "not seen"


@dataclass
class Overlay:
    """Everything the page draws, positioned on a canvas of `size` (width, height)."""

    size: tuple[int, int]
    hub: Node
    spokes: list[Node]
    edges: list[Edge]
    shortcuts: list[Shortcut]
    isolation: Isolation | None


def overlay(plan: TenantPlan, checks: Sequence[Check], mask: Mask) -> Overlay:
    """The drawing's parts from the plan (what should be there) and the checks (what was seen)."""
    by_key = {(str(c["host"]), str(c["check"])): c for c in checks}
    used: set[tuple[str, str]] = set()

    def take(*keys: tuple[str, str]) -> list[Check]:
        found = [by_key[k] for k in keys if k in by_key]
        used.update(k for k in keys if k in by_key)
        return found

    canvas = Canvas(len(plan.spokes))
    hub = Node(plan.hub, "hub", plan.hub_tunnel_ip, plan.hub_wan_ip, *canvas.centre)
    spokes = [
        Node(s.name, "spoke", s.tunnel_ip, mask(_nbma(plan, s.name, by_key)), x, y)
        for s, (x, y) in zip(plan.spokes, canvas.spoke_positions(), strict=True)
    ]
    edges = []
    for spoke in spokes:
        strands = []
        for layer in EDGE_LAYERS:
            behind = take(
                (plan.hub, layer.on_hub.format(spoke=spoke.name, hub=plan.hub)),
                (spoke.name, layer.on_spoke.format(spoke=spoke.name, hub=plan.hub)),
            )
            strands.append(Strand(layer, _status(behind), [_line(c, mask) for c in behind]))
        _strands(hub, spoke, strands)
        edges.append(Edge(spoke.name, strands, _status_of(strands)))
    named = {node.name: node for node in spokes}
    shortcuts = []
    for source, target in plan.ring():
        behind = take(*((source.name, c.format(target=target.name)) for c in SHORTCUT_CHECKS))
        path, label = _curve(canvas, named[source.name], named[target.name])
        lines = [_line(c, mask) for c in behind]
        shortcuts.append(Shortcut(source.name, target.name, _status(behind), lines, path, label))
    isolation = None
    if plan.isolation_target is not None:
        other, address = plan.isolation_target
        behind = take((plan.hub, ISOLATION_CHECK.format(other=other)))
        lines = [_line(c, mask) for c in behind]
        isolation = Isolation(other, address, _status(behind), lines)
    edge_status = {edge.spoke: edge.status for edge in edges}
    for node in [hub, *spokes]:
        own = [c for c in checks if c["host"] == node.name and (node.name, c["check"]) not in used]
        node.failed = [_line(c, mask) for c in own if not c["passed"]]
        drawn = edge_status.get(node.name, _status(own))
        node.status = "fail" if node.failed else drawn
    return Overlay(canvas.size, hub, spokes, edges, shortcuts, isolation)


def _status_of(strands: Sequence[Strand]) -> str:
    states = {s.status for s in strands}
    return "fail" if "fail" in states else "pass" if states == {"pass"} else "unknown"
