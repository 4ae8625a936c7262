"""The physical bound of a deploy: what no push can avoid, per host.

Per host: the device's processing time for every command it must take (the change's lines and
the pipeline's own commands), plus one link round trip per exchange that has to wait for the
device's answer. Exchanges counted at their minimum:

- SSH session setup, 7 round trips: TCP handshake; SSH version + KEXINIT; ECDH key exchange;
  NEWKEYS + service request; password authentication; channel open; pty + shell (RFC 4253,
  4252, 4254 — each step needs the server's answer before the next).
- session preparation, 3 commands: ``terminal length 0``, ``enable``, the enable secret.
- reading the running config (1) and the ownership manifest (1).
- the change lease, 5: write the claim file, enter configuration mode (IOS's exclusive lock),
  read the lease there, copy the claim over it, leave; and 1 to release it after the save.
- the backup (``copy running-config flash:``), 1.
- the lock with the revert timer (``configure terminal revert timer``), 1.
- the change itself, once: 1 round trip, however many lines.
- leaving configuration mode and ``configure confirm``, 2.
- writing the manifest, 1; ``write memory``, 1.

The headend goes before the spokes, the spokes in parallel: the bound of a deploy is the
headend's plus the largest spoke's.
"""

from __future__ import annotations

from dataclasses import dataclass

SSH_SETUP = 7
PIPELINE: tuple[tuple[str, int], ...] = (
    ("ssh setup", SSH_SETUP),
    ("preparation", 3),
    ("read running config", 1),
    ("read manifest", 1),
    ("lease", 5),
    ("backup", 1),
    ("lock", 1),
    ("change", 1),
    ("leave + confirm", 2),
    ("manifest", 1),
    ("save", 1),
    ("release lease", 1),
)


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


def host_bound(profile: Profile, host: str, lines: int, setup_cpu: float) -> HostBound:
    """The bound of one host taking ``lines`` config lines; ``setup_cpu``: the SSH login's own
    computing (key exchange) measured on this machine."""
    round_trips = sum(count for _, count in PIPELINE)
    commands = round_trips - SSH_SETUP
    return HostBound(round_trips, commands, lines, profile.rtt(host), profile.latency, setup_cpu)
