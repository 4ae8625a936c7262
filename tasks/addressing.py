"""Pure IPv4 helpers that turn intent into the exact text IOS shows in running-config."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network


def ip_mask(interface: IPv4Interface) -> str:
    """Address and dotted mask as in `ip address A.B.C.D M.M.M.M`.

    >>> ip_mask(IPv4Interface("192.0.2.10/24"))
    '192.0.2.10 255.255.255.0'
    """
    return f"{interface.ip} {interface.netmask}"


def host_mask(address: IPv4Address, network: IPv4Network) -> str:
    """A host address with its subnet's dotted mask (tunnel addresses live in the tenant subnet).

    >>> host_mask(IPv4Address("172.16.42.11"), IPv4Network("172.16.42.0/24"))
    '172.16.42.11 255.255.255.0'
    """
    return f"{address} {network.netmask}"


def classful_prefixlen(address: IPv4Address) -> int:
    """Prefix length of the classful network an address belongs to (A: 8, B: 16, C: 24).

    >>> classful_prefixlen(IPv4Address("10.1.2.3")), classful_prefixlen(IPv4Address("172.16.0.1"))
    (8, 16)
    >>> classful_prefixlen(IPv4Address("192.168.20.1"))
    24
    """
    first = int(address) >> 24
    if first < 128:
        return 8
    if first < 192:
        return 16
    return 24


def eigrp_network(network: IPv4Network) -> str:
    """EIGRP `network` argument as IOS prints it: the wildcard is omitted for a classful network.

    >>> eigrp_network(IPv4Network("172.16.42.0/24"))
    '172.16.42.0 0.0.0.255'
    >>> eigrp_network(IPv4Network("192.168.20.0/24"))
    '192.168.20.0'
    >>> eigrp_network(IPv4Network("10.0.0.0/8"))
    '10.0.0.0'
    """
    if network.prefixlen == classful_prefixlen(network.network_address):
        return str(network.network_address)
    return f"{network.network_address} {network.hostmask}"


def is_usable_host(address: IPv4Address, network: IPv4Network) -> bool:
    """True when `address` can be assigned to an interface in `network`.

    >>> net = IPv4Network("172.16.42.0/24")
    >>> [is_usable_host(IPv4Address(a), net) for a in ("172.16.42.1", "172.16.42.0", "172.16.43.1")]
    [True, False, False]
    >>> is_usable_host(IPv4Address("172.16.42.255"), net)
    False
    """
    if address not in network:
        return False
    if network.prefixlen >= 31:
        return True
    return address not in (network.network_address, network.broadcast_address)


def domains_overlap(a: str, b: str) -> bool:
    """True when an FQDN under one domain could also match the other (`match ... fqdn domain`).

    >>> domains_overlap("event42.example.net", "event43.example.net")
    False
    >>> domains_overlap("example.net", "event42.example.net")
    True
    >>> domains_overlap("Event42.example.net.", "event42.example.net")
    True
    >>> domains_overlap("t42.example.net", "event42.example.net")
    False
    """
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    return a == b or a.endswith("." + b) or b.endswith("." + a)
