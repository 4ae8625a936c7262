"""The automation's own way in: a plan that would cut it is refused before anything is sent.

Pure: a host's intent, running config and planned lines in, the cuts found out (one line each,
for people). The management path is, as data:

* the interface the automation connects to (the headend's MGMT interface, or whichever
  interface holds the inventory ``hostname``), its VRF and that VRF's static routes;
* SSH on the vty lines (``transport input`` with ssh, ``login local``, the lines themselves)
  and the automation's user;
* the SSH ACLs on the way in: the vty lines' ``access-class`` and, for a device reached through
  its WAN (a spoke, or a headend without MGMT), ``ACL-MANAGEMENT`` (OUTSIDE -> self). With the
  addresses the device sees the automation come from (``sources``), each must still be allowed
  to port 22 after the change.

>>> planned = {"acl": ["interface GigabitEthernet0/0/1", " shutdown"]}
>>> cuts_in("interface GigabitEthernet0/0/1\\n ip address 198.51.100.10 255.255.255.0\\n",
...     planned, {"GigabitEthernet0/0/1"}, set(), [])
['interface GigabitEthernet0/0/1: shutdown would cut the management interface']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from ipaddress import IPv4Address, IPv4Network, ip_address

from tasks.intent import Intent
from tasks.ios_config import parse

INTERFACE_CUTS = (
    "shutdown",
    "no ip address",
    "ip address ",
    "vrf forwarding ",
    "no vrf forwarding",
)
VTY_CUTS = ("no transport input", "no login", "no line vty")
WAN_ACL = "ip access-list extended ACL-MANAGEMENT"


class ManagementPathError(Exception):
    """A plan would cut the automation's own management path (the message says how)."""


def _address(text: str | None) -> IPv4Address | None:
    try:
        found = ip_address(text or "")
    except ValueError:
        return None
    return found if isinstance(found, IPv4Address) and not found.is_loopback else None


def management_interfaces(intent: Intent, host: str, running: str) -> set[str]:
    """The interfaces the automation reaches ``host`` through (by intent and by address)."""
    spec = intent.hosts[host]
    found = {spec.mgmt.interface} if spec.mgmt else set()
    target = _address(spec.hostname)
    for top in parse(running).children:
        if not top.text.startswith("interface "):
            continue
        for child in top.children:
            words = child.text.split()
            if words[:2] == ["ip", "address"] and target and words[2:3] == [str(target)]:
                found.add(top.text.split(" ", 1)[1])
    return found


def _vrfs(running: str, interfaces: set[str]) -> set[str]:
    tree = parse(running)
    vrfs = set()
    for name in interfaces:
        node = tree.children.get(f"interface {name}")
        for child in node.children if node is not None else ():
            if child.text.startswith("vrf forwarding "):
                vrfs.add(child.text.split()[2])
    return vrfs


def cuts_in(
    running: str,
    remediation: Mapping[str, Sequence[str]],
    interfaces: set[str],
    vrfs: set[str],
    users: Iterable[str],
) -> list[str]:
    """Structural cuts: planned lines that remove or alter the management interface, its VRF
    or routes, SSH on the vty lines, or the automation's user."""
    cuts = []
    parent = ""
    names = {f"interface {i}" for i in interfaces}
    for lines in remediation.values():
        for raw in lines:
            line = raw.strip()
            if not raw.startswith(" "):
                parent = line
                if line in {f"no {n}" for n in names} or line.startswith("no line vty"):
                    cuts.append(f"{line} would remove the way in")
                elif any(line.startswith(f"no vrf definition {v}") for v in vrfs):
                    cuts.append(f"{line} would remove the management VRF")
                elif any(line.startswith(f"no ip route vrf {v} ") for v in vrfs):
                    cuts.append(f"{line} would remove a management route")
                elif any(
                    line == f"no username {u}" or line.startswith(f"no username {u} ")
                    for u in users
                ):
                    cuts.append(f"{line} would remove the automation's user")
                continue
            if parent in names and line.startswith(INTERFACE_CUTS):
                cuts.append(f"{parent}: {line} would cut the management interface")
            elif parent.startswith("line vty") and (
                line.startswith(VTY_CUTS)
                or (line.startswith("transport input") and "ssh" not in line.split())
            ):
                cuts.append(f"{parent}: {line} would stop SSH logins")
    return cuts


def _permits(ace: str, source: IPv4Address) -> bool:
    """Whether one ACL entry permits SSH (tcp/22) from ``source`` (to any destination)."""
    words = ace.split()
    if len(words) < 4 or words[0] != "permit" or words[1] not in ("tcp", "ip"):
        return False
    rest = words[2:]
    if rest[0] == "any":
        net, rest = IPv4Network("0.0.0.0/0"), rest[1:]
    elif rest[0] == "host":
        net, rest = IPv4Network(f"{rest[1]}/32"), rest[2:]
    else:
        try:
            net = IPv4Network(f"{rest[0]}/{rest[1]}", strict=False)  # address + wildcard
        except ValueError:
            return False
        rest = rest[2:]
    if source not in net:
        return False
    ports = [rest[i + 1] for i, w in enumerate(rest[:-1]) if w == "eq"]
    return words[1] == "ip" or not ports or any(p in ("22", "ssh") for p in ports)


def acl_cuts(
    running: str, remediation: Mapping[str, Sequence[str]], acls: set[str], sources: Sequence[str]
) -> list[str]:
    """Sources the named ACLs would no longer let in to SSH once the change is made."""
    planned = parse("\n".join(line for lines in remediation.values() for line in lines))
    after = parse(running).future(planned)
    vty = {
        f"ip access-list extended {c.text.split()[1]}"
        for top in after.children
        if top.text.startswith("line vty")
        for c in top.children
        if c.text.startswith("access-class ")
    }
    cuts = []
    for name in sorted(vty | acls):
        node = after.children.get(name)
        if node is None:
            continue
        for source in sources:
            address = _address(source)
            if address and not any(_permits(c.text, address) for c in node.children):
                cuts.append(f"{name} would no longer permit SSH from {source}")
    return cuts


def through_wan(intent: Intent, host: str) -> bool:
    """Whether the automation reaches ``host`` through its WAN (OUTSIDE zone, ACL-MANAGEMENT):
    a headend without MGMT, or a device whose inventory address is neither its LAN nor its
    tunnel address (a spoke reached over its LAN or the overlay is not)."""
    spec = intent.hosts[host]
    if spec.role == "headend":
        return spec.mgmt is None
    inside = {str(a) for a in (spec.lan.address.ip if spec.lan else None, spec.tunnel_ip) if a}
    return _address(spec.hostname) is not None and str(spec.hostname) not in inside


def check_management_path(
    intent: Intent,
    host: str,
    running: str,
    remediation: Mapping[str, Sequence[str]],
    sources: Sequence[str] = (),
) -> None:
    """Raise ManagementPathError naming every cut the plan would make (see the module doc)."""
    interfaces = management_interfaces(intent, host, running)
    spec = intent.hosts[host]
    users = [spec.credentials.username] if spec.credentials.username else []
    cuts = cuts_in(running, remediation, interfaces, _vrfs(running, interfaces), users)
    wan_acls = {WAN_ACL} if through_wan(intent, host) else set()
    cuts += acl_cuts(running, remediation, wan_acls, sources)
    if cuts:
        raise ManagementPathError(
            f"refused: the plan would cut the automation's own management path "
            f"({'; '.join(cuts)}); nothing was sent"
        )
