"""IKEv2 negotiation between an initiator tunnel and a responder, decided from both configs.

Responder profile selection: the profiles are tried in config order and the first whose
`match fvrf` (absent ⇒ global only, `any` ⇒ every VRF) and one `match identity remote`
accept the initiator's identity wins. Overlapping profiles (two tenants both matching
`address 0.0.0.0` in VRF-FRONT) therefore send every spoke to the first profile: the other
tenant's spokes are checked against the wrong keyring and fail authentication, as on IOS.
Keyring lookup: the initiator picks the most specific peer `address` covering the responder;
the responder first looks for a peer whose `identity` matches, then by address.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lab.model.config_view import DeviceConfig, Ikev2Profile, Interface, KeyringPeer
from lab.model.underlay import WanEndpoint, can_reach
from lab.model.zbfw import ESP, IKE, NAT_T, flow_allowed

DEFAULT_PROPOSAL = (
    ["aes-cbc-256", "aes-cbc-192", "aes-cbc-128"],
    ["sha512", "sha384", "sha256", "sha1", "md5"],
    ["5", "2"],
)
HASH_NAMES = {
    "sha1": ("SHA1", "SHA96"),
    "sha256": ("SHA256", "SHA256"),
    "sha384": ("SHA384", "SHA384"),
    "sha512": ("SHA512", "SHA512"),
    "md5": ("MD5", "MD596"),
}


@dataclass
class IkeResult:
    ok: bool
    reason: str = ""  # unreachable, config, zbfw, auth, proposal, transform, pfs, no-protection
    ipsec_ok: bool = False
    init_profile: str = ""
    resp_profile: str = ""
    encr: str = ""
    natted: bool = False


def identity_of(profile: Ikev2Profile, ep: WanEndpoint) -> tuple[str, str]:
    return profile.identity_local or ("address", ep.local_ip)


def identity_matches(spec: tuple[str, str], ident: tuple[str, str]) -> bool:
    """Does a `match identity remote`/keyring `identity` spec accept this identity?"""
    kind, value = spec
    ikind, ivalue = ident
    if kind == "address":
        if ikind != "address":
            return False
        if "/" not in value:
            return value == "0.0.0.0" or value == ivalue
        return ipaddress.IPv4Address(ivalue) in ipaddress.IPv4Network(value, strict=False)
    if kind in ("fqdn", "email"):
        return ikind == kind and ivalue == value
    if kind == "fqdn-domain":
        return ikind == "fqdn" and (ivalue == value or ivalue.endswith("." + value))
    if kind == "email-domain":
        return ikind == "email" and ivalue.endswith("@" + value)
    return False


def _fvrf_ok(profile: Ikev2Profile, fvrf: str) -> bool:
    if profile.match_fvrf is None:
        return fvrf == ""
    return profile.match_fvrf in ("any", fvrf)


def select_profile(cfg: DeviceConfig, fvrf: str, ident: tuple[str, str]) -> Ikev2Profile | None:
    for prof in cfg.profiles.values():
        if _fvrf_ok(prof, fvrf) and any(identity_matches(m, ident) for m in prof.match_remote):
            return prof
    return None


def _peer_by_address(peers: list[KeyringPeer], ip: str) -> KeyringPeer | None:
    addr = ipaddress.IPv4Address(ip)
    found = [p for p in peers if p.address is not None and addr in p.address]
    return max(found, key=lambda p: p.address.prefixlen if p.address else 0, default=None)


def _proposal(cfg: DeviceConfig) -> tuple[list[str], list[str], list[str]]:
    """What the device offers in IKE_SA_INIT. A proposal counts only when a policy names it;
    with none IOS offers its default proposal (Cisco: "Manually configured IKEv2 proposals must
    be linked with an IKEv2 policy; otherwise, the proposals are not used in the negotiation")."""
    names = [n for plist in cfg.policies.values() for n in plist]
    props = [cfg.proposals[n] for n in names if n in cfg.proposals]
    if not props:
        return DEFAULT_PROPOSAL
    return (
        [e for p in props for e in p.encryption],
        [i for p in props for i in p.integrity],
        [g for p in props for g in p.group],
    )


def _choose(a: list[str], b: list[str]) -> str | None:
    return next((x for x in a if x in b), None)


def describe_encr(encr: str, integ: str, group: str) -> str:
    algo, _, size = encr.rpartition("-")
    name = algo.upper() if size.isdigit() else encr.upper()
    prf, hash_ = HASH_NAMES.get(integ, (integ.upper(), integ.upper()))
    keysize = size if size.isdigit() else "0"
    return (
        f"Encr: {name}, keysize: {keysize}, PRF: {prf}, Hash: {hash_}, DH Grp:{group}, "
        "Auth sign: PSK, Auth verify: PSK"
    )


def _transforms(cfg: DeviceConfig, ipsec_profile: str) -> set[tuple[frozenset[str], str]]:
    sets, _ = cfg.ipsec_profiles.get(ipsec_profile, ([], None))
    return {cfg.transform_sets[s] for s in sets if s in cfg.transform_sets}


def _psk_ok(prof: Ikev2Profile) -> bool:
    return prof.auth_local == "pre-share" and "pre-share" in prof.auth_remote


def negotiate(
    init: tuple[DeviceConfig, Interface, WanEndpoint],
    resp: tuple[DeviceConfig, Interface | None, WanEndpoint],
    resp_wan: Interface,
) -> IkeResult:
    """Initiator tunnel `init` → responder device whose tunnel (if any) protects `resp_wan`."""
    icfg, itun, iep = init
    rcfg, rtun, rep = resp
    natted = iep.natted or rep.natted
    if not can_reach(iep, rep):
        return IkeResult(False, "unreachable")
    iwan = icfg.interface(iep.arrival)
    if iwan is None or not flow_allowed((icfg, iwan), (rcfg, resp_wan), IKE):
        return IkeResult(False, "zbfw")
    if natted and not flow_allowed((icfg, iwan), (rcfg, resp_wan), NAT_T):
        return IkeResult(False, "zbfw")
    if not itun.protection or itun.protection not in icfg.ipsec_profiles:
        return IkeResult(False, "config")
    if rtun is None or not rtun.protection or rtun.protection not in rcfg.ipsec_profiles:
        return IkeResult(False, "no-protection")
    _, ike_name = icfg.ipsec_profiles[itun.protection]
    iprof = icfg.profiles.get(ike_name or "default")
    if iprof is None or not iprof.keyring or not _psk_ok(iprof):
        return IkeResult(False, "config")
    # IKE_SA_INIT: proposals
    ie, ii, ig = _proposal(icfg)
    re_, ri, rg = _proposal(rcfg)
    encr, integ, group = _choose(ie, re_), _choose(ii, ri), _choose(ig, rg)
    if not (encr and integ and group):
        return IkeResult(False, "proposal", natted=natted)
    # IKE_AUTH: identities, profiles, keyrings, PSKs
    ident = identity_of(iprof, iep)
    rprof = select_profile(rcfg, rep.vrf, ident)
    if rprof is None or not rprof.keyring or not _psk_ok(rprof):
        return IkeResult(False, "auth", natted=natted)
    ipeer = _peer_by_address(icfg.keyrings.get(iprof.keyring, []), rep.public_ip)
    rpeers = rcfg.keyrings.get(rprof.keyring, [])
    rpeer = next(
        (p for p in rpeers if p.identity and identity_matches(p.identity, ident)), None
    ) or _peer_by_address(rpeers, iep.public_ip)
    if ipeer is None or rpeer is None:
        return IkeResult(False, "auth", natted=natted)
    if not ipeer.psk_local or ipeer.psk_local != rpeer.psk_remote:
        return IkeResult(False, "auth", natted=natted)
    if not rpeer.psk_local or rpeer.psk_local != ipeer.psk_remote:
        return IkeResult(False, "auth", natted=natted)
    # child SA: transform sets and modes must agree
    if not _transforms(icfg, itun.protection) & _transforms(rcfg, rtun.protection):
        return IkeResult(False, "transform", natted=natted)
    # PFS: "If the peer initiates the negotiation and the local configuration specifies PFS,
    # the peer must perform a PFS exchange or the negotiation fails", in the configured group;
    # a responder without `set pfs` accepts what the initiator offers (Cisco, `set pfs`:
    # https://community.cisco.com/t5/security-knowledge-base/how-to-configure-pfs-with-ipsec-vpn/ta-p/3130878)
    resp_pfs = rcfg.ipsec_pfs.get(rtun.protection)
    if resp_pfs and icfg.ipsec_pfs.get(itun.protection) != resp_pfs:
        return IkeResult(False, "pfs", natted=natted)
    data = NAT_T if natted else ESP
    ipsec_ok = flow_allowed((icfg, iwan), (rcfg, resp_wan), data)
    return IkeResult(
        True,
        "" if ipsec_ok else "zbfw",
        ipsec_ok,
        iprof.name,
        rprof.name,
        describe_encr(encr, integ, group),
        natted,
    )
