"""The physical bound of a deploy: what no push can avoid, per host.

Per host: the device's processing time for every command it must take (the change's lines and
the pipeline's own commands), plus one link round trip per exchange that has to wait for the
device's answer. Exchanges counted at their minimum (18 per host):

- SSH session setup, 7 round trips: TCP handshake; SSH version + KEXINIT; ECDH key exchange;
  NEWKEYS + service request; password authentication; channel open; pty + shell (RFC 4253,
  4252, 4254 — each step needs the server's answer before the next).
- session preparation, 2: ``terminal length 0`` and ``enable`` typed together, then the enable
  secret once IOS asked for it (typed ahead, a secret would land in the command history when
  ``enable`` does not ask).
- reading the running config and the ownership manifest, 1 (typed together).
- the change lease, 2: the claim file, configuration mode (IOS's exclusive lock) and the
  lease read there; then, depending on what was read, the copy of the claim over it.
- the backup (``copy running-config flash:``), 1; the lock with the revert timer
  (``configure terminal revert timer``), 1.
- the change itself, once: 1 round trip, however many lines.
- leaving configuration mode, ``configure confirm`` and the manifest's write, 1; ``write
  memory``, 1 (never typed ahead of the confirm: a failed confirm must not be saved).
- releasing the lease, 1.

The push cannot reach that one round trip for the change and stay safe: a line that enters a
sub-mode for a new object (``interface Tunnel42``, ``class type inspect X``) must be answered
before its children are typed, or a refused parent would let them land in the object before it
(IOS keeps the session in the previous mode). A parent that re-enters an object the running
config shows is certain to be accepted and does not wait (``tasks.blocks``). So
``safe_round_trips`` counts one more round trip per new object's mode-entering line: the bound
of any push that never lets a child land in another object.

The headend goes before the spokes, the spokes in parallel: the bound of a deploy is the
headend's plus the largest spoke's.
"""

from __future__ import annotations

from dataclasses import dataclass

SSH_SETUP = 7
PIPELINE: tuple[tuple[str, int], ...] = (
    ("ssh setup", SSH_SETUP),
    ("preparation", 2),
    ("read running config + manifest", 1),
    ("lease", 2),
    ("backup", 1),
    ("lock", 1),
    ("change", 1),
    ("leave + confirm + manifest", 1),
    ("save", 1),
    ("release lease", 1),
)
# The device's own commands besides the change's lines: terminal length, enable, the secret;
# the two reads; the claim, the lock, the read, the copy, leaving; the backup; the lock; end,
# confirm, the manifest; write memory; the release.
COMMANDS = 17


def ssh_round_trips() -> int:
    return SSH_SETUP


@dataclass(frozen=True)
class Profile:
    """A lab setting: processing time per command, and the links to the headend and spokes."""

    name: str
    latency: float
    hub_rtt: float
    spoke_rtt: float
    jitter: float = 0.0
    loss: float = 0.0

    def rtt(self, host: str) -> float:
        return self.hub_rtt if host.startswith("hub") else self.spoke_rtt

    def jitter_of(self, host: str) -> float:
        return 0.0 if host.startswith("hub") else self.jitter

    def loss_of(self, host: str) -> float:
        return 0.0 if host.startswith("hub") else self.loss

    def round_trip(self, host: str) -> float:
        """What one exchange costs on the host's link at least, on average: the RTT, half the
        jitter (lab/ssh/link.py: each answer waits RTT + uniform(0, jitter)), and the chance
        of a lost segment times TCP's retransmission timeout (at least 200 ms, or 2 RTT)."""
        rtt = self.rtt(host)
        return rtt + self.jitter_of(host) / 2 + self.loss_of(host) * max(0.2, 2 * rtt)

    def describe(self) -> str:
        link = (
            f"headend RTT {self.hub_rtt * 1000:.0f} ms, spokes {self.spoke_rtt * 1000:.0f} ms"
            f" (jitter {self.jitter * 1000:.0f} ms, loss {self.loss:.1%})"
            if self.spoke_rtt or self.hub_rtt
            else "no link delay"
        )
        return f"{self.latency * 1000:.0f} ms per command, {link}"


@dataclass(frozen=True)
class HostBound:
    """One host's bound and what it is made of."""

    round_trips: int
    commands: int
    lines: int
    rtt: float
    latency: float
    setup_cpu: float

    @property
    def processing(self) -> float:
        return (self.commands + self.lines) * self.latency

    @property
    def total(self) -> float:
        return self.round_trips * self.rtt + self.processing + self.setup_cpu


def host_bound(
    profile: Profile, host: str, lines: int, setup_cpu: float, entering: int = 0
) -> HostBound:
    """The bound of one host taking ``lines`` config lines; ``setup_cpu``: the SSH login's own
    computing (key exchange) measured on this machine; ``entering``: its mode-entering lines,
    each a round trip more for a push that waits for a parent's answer (0: the physical bound)."""
    round_trips = sum(count for _, count in PIPELINE) + entering
    return HostBound(
        round_trips, COMMANDS, lines, profile.round_trip(host), profile.latency, setup_cpu
    )
