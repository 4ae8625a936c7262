"""Handlers of the control plane's exec commands: ask the model, format with lab/show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lab.cli.base import ExecContext, ExecMatch, Handler, Reply
from lab.model.world import World
from lab.model.zbfw import zone_pair_lines
from lab.show.crypto import show_crypto_session, show_ikev2_sa
from lab.show.dmvpn import show_dmvpn, show_ip_nhrp
from lab.show.eigrp import show_neighbors
from lab.show.nat import show_nat_translations
from lab.show.pim import show_ip_rpf, show_pim_interface, show_pim_neighbor
from lab.show.ping import ping_text, traceroute_text
from lab.show.route import show_ip_route
from lab.show.troubleshoot import (
    show_crypto_ipsec_sa,
    show_ip_eigrp_topology,
    show_ip_nhrp_nhs,
    show_zone_pair_policy,
)

Answer = Callable[[World, str, ExecMatch], str]


def _reply(ctx: ExecContext, m: ExecMatch, answer: Answer) -> Reply:
    network: Any = ctx.network()
    device = ctx.device.name
    output = network.query(device, lambda w: answer(w, device, m)) if network else None
    if output is None:  # not a modelled device: IOS would not know the last word
        return Reply(refused_word=len(m.words) - 1)
    return Reply(output if output.endswith("\n") or not output else output + "\n")


def shows(answer: Answer) -> Callable[[ExecContext, ExecMatch], Handler]:
    """An exec handler that formats the model's world with `answer`."""

    def handler(ctx: ExecContext, m: ExecMatch) -> Handler:
        return _reply(ctx, m, answer)
        yield  # pragma: no cover - makes this a generator

    return handler


def _vrf(m: ExecMatch) -> str:
    return m.args.get("WORD", "") if "vrf" in m.words else ""


def _detail(m: ExecMatch) -> bool:
    return m.words[-1] == "detail"


show_dmvpn_cmd = shows(lambda w, d, m: show_dmvpn(w, d, _detail(m)))
show_ikev2_sa_cmd = shows(lambda w, d, m: show_ikev2_sa(w, d, _detail(m)))
show_crypto_session_cmd = shows(lambda w, d, m: show_crypto_session(w, d, _detail(m)))
show_ip_nhrp_cmd = shows(lambda w, d, m: show_ip_nhrp(w, d))
show_eigrp_neighbors_cmd = shows(lambda w, d, m: show_neighbors(w, d, _vrf(m)))
show_ip_nhrp_nhs_cmd = shows(lambda w, d, m: show_ip_nhrp_nhs(w, d))
show_crypto_ipsec_sa_cmd = shows(lambda w, d, m: show_crypto_ipsec_sa(w, d, _detail(m)))
show_eigrp_topology_cmd = shows(lambda w, d, m: show_ip_eigrp_topology(w, d, _vrf(m)))
show_zone_pair_policy_cmd = shows(
    lambda w, d, m: show_zone_pair_policy(w, d, m.words[-1] == "sessions")
)
show_pim_neighbor_cmd = shows(lambda w, d, m: show_pim_neighbor(w, d, _vrf(m)))
show_pim_interface_cmd = shows(lambda w, d, m: show_pim_interface(w, d, _vrf(m)))
show_ip_rpf_cmd = shows(lambda w, d, m: show_ip_rpf(w, d, _vrf(m), m.args["A.B.C.D"]))
show_ip_route_cmd = shows(lambda w, d, m: show_ip_route(w, d, _vrf(m), m.args.get("A.B.C.D")))


def _zone_pairs(world: World, device: str, m: ExecMatch) -> str:
    lines = zone_pair_lines(world.cfgs[device])
    return "\n".join(lines) + ("\n" if lines else "")


show_zone_pair_cmd = shows(_zone_pairs)


def _ping(world: World, device: str, m: ExecMatch, network: Any) -> str:
    source = m.args.get("SOURCE")
    dst = m.args["A.B.C.D"]
    result = network.trace(world, device, _vrf(m), dst, source)
    if result.bad_source:
        return f"% Invalid source interface - {source}\n"
    if m.words[0] == "ping":
        count = int(m.words[m.words.index("repeat") + 1]) if "repeat" in m.words else 5
        timeout = int(m.words[m.words.index("timeout") + 1]) if "timeout" in m.words else 2
        return ping_text(dst, result.source if source else None, result.ok, count, timeout)
    return traceroute_text(dst, _vrf(m), result.hops, result.ok)


def nat_translations_cmd(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`show ip nat translations`: the entries this lab's pings created on the device."""
    network: Any = ctx.network()
    return _reply(ctx, m, lambda w, d, m: show_nat_translations(network.nat_translations(d)))
    yield  # pragma: no cover


def ping_cmd(ctx: ExecContext, m: ExecMatch) -> Handler:
    """`ping` and `traceroute`: the model walks the path both ways."""
    return _reply(ctx, m, lambda w, d, m: _ping(w, d, m, ctx.network()))
    yield  # pragma: no cover


def clearing(what: str) -> Callable[[ExecContext, ExecMatch], Handler]:
    """`clear crypto ...` (`crypto`), `clear ip nhrp` (`nhrp`) or `clear ip nat translation *`
    (`nat`): the model forgets them."""

    def handler(ctx: ExecContext, m: ExecMatch) -> Handler:
        network: Any = ctx.network()
        if network is None:
            return Reply(refused_word=len(m.words) - 1)
        network.clear(ctx.device.name, what)
        return Reply("")
        yield  # pragma: no cover

    return handler
