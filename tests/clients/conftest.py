"""One lab per client test module: an ISR4331 headend `r1` with a WAN and a loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lab.api import Lab, LabSettings
from lab.serve.inventory import LabHost

BASE = [
    "interface Loopback0",
    " ip address 10.255.0.1 255.255.255.255",
    "interface GigabitEthernet0/0/0",
    " description WAN",
    " ip address 192.0.2.10 255.255.255.0",
    " no shutdown",
    "vrf definition VRF-EVENT42",
    " rd 65000:42",
    " address-family ipv4",
    "interface GigabitEthernet0/0/1",
    " vrf forwarding VRF-EVENT42",
    " ip address 10.42.0.1 255.255.255.0",
    " no shutdown",
]
# an IOS minute (confirmed-change timers) lasts two seconds here
SETTINGS = LabSettings(convergence_delay=0.1, latency=0.0, minute=2.0)


@pytest.fixture(scope="module")
def client_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with Lab(
        [LabHost("r1", "ISR4331")], tmp_path_factory.mktemp("client"), settings=SETTINGS
    ) as lab:
        assert lab.configure("r1", BASE) == []
        yield lab
