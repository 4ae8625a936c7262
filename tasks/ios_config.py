"""The project's view of IOS config text as a hier-config tree: one driver, one parser.

hier-config's IOS driver, adjusted as data for the configs this project pushes: ACL lines keep
their text, the nested EIGRP/VRF exits are parsed away and re-emitted by rule, single-valued
commands are replaced in place, and a few negations are shorter than ``no`` + the whole line.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from hier_config import HConfig, MatchRule, get_hconfig
from hier_config.models import (
    IdempotentCommandsRule,
    NegationSubRule,
    PerLineSubRule,
    SectionalExitingRule,
)
from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS, _add_acl_sequence_numbers
from hier_config.platforms.driver_base import HConfigDriverBase, HConfigDriverRules

# Exits IOS prints in running-config for nested modes (kept out of the tree, emitted on push).
NESTED_EXITS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("router eigrp", "address-family", "af-interface"), "exit-af-interface"),
    (("router eigrp", "address-family", "topology"), "exit-af-topology"),
    (("router eigrp", "address-family"), "exit-address-family"),
    (("vrf definition", "address-family"), "exit-address-family"),
)

# Single-valued commands: a new value replaces the old one, so only the new line is sent
# (and an old secret never travels back to the device in a `no` line).
REPLACED_IN_PLACE: tuple[tuple[str, ...], ...] = (
    ("crypto ikev2 keyring ", "peer ", r"^pre-shared-key (local |remote )?"),
    ("interface ", r"^ip nhrp authentication "),
    ("interface ", r"^ip nhrp network-id "),
    ("interface ", r"^ip nhrp holdtime "),
    ("interface ", r"^ip mtu "),
    ("interface ", r"^ip tcp adjust-mss "),
    ("interface ", r"^tunnel key "),
    ("interface ", r"^tunnel source "),
    ("interface ", r"^tunnel protection ipsec profile "),
)

# Negations IOS wants shorter than "no " + the whole line.
NEGATIONS: tuple[tuple[str, str, str], ...] = (
    ("zone-pair security ", r"^no zone-pair security (\S+) .*$", r"no zone-pair security \1"),
    (
        "crypto ipsec transform-set ",
        r"^no crypto ipsec transform-set (\S+) .*$",
        r"no crypto ipsec transform-set \1",
    ),
)


class ProjectIOSDriver(HConfigDriverCiscoIOS):
    """hier-config's IOS driver, adjusted for the configs this project pushes.

    ACL lines keep their text (no sequence numbers are added, so pushed lines are the
    rendered ones); the nested EIGRP exits are parsed away and re-emitted by rule.
    """

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        rules = HConfigDriverCiscoIOS._instantiate_rules()
        return rules.model_copy(
            update={
                "post_load_callbacks": [
                    cb for cb in rules.post_load_callbacks if cb is not _add_acl_sequence_numbers
                ],
                "per_line_sub": [
                    *rules.per_line_sub,
                    *(
                        PerLineSubRule(search=rf"^\s*{word}\s*$", replace="")
                        for word in ("exit-af-interface", "exit-af-topology", "exit-address-family")
                    ),
                ],
                "sectional_exiting": [
                    *rules.sectional_exiting,
                    *(
                        SectionalExitingRule(
                            match_rules=tuple(MatchRule(startswith=p) for p in path),
                            exit_text=text,
                        )
                        for path, text in NESTED_EXITS
                    ),
                ],
                "idempotent_commands": [
                    *rules.idempotent_commands,
                    *(
                        IdempotentCommandsRule(
                            match_rules=tuple(
                                MatchRule(re_search=p)
                                if p.startswith("^")
                                else MatchRule(startswith=p)
                                for p in path
                            )
                        )
                        for path in REPLACED_IN_PLACE
                    ),
                ],
                "negation_sub": [
                    *rules.negation_sub,
                    *(
                        NegationSubRule(
                            match_rules=(MatchRule(startswith=sw),), search=search, replace=repl
                        )
                        for sw, search, repl in NEGATIONS
                    ),
                ],
            }
        )


def ios_driver() -> HConfigDriverBase:
    """The project's IOS driver: its rules are data no tree changes, so one instance serves
    every tree (building the rules costs about as much as parsing a small config)."""
    return _DRIVER


_DRIVER = ProjectIOSDriver()


def parse_sections(sections: Iterable[str]) -> HConfig:
    """One tree of several config texts (a render's sections, in order), merged from their
    shared parses: what ``parse`` of the joined text gives, at a quarter of its cost (spokes of
    a tenant share most sections word for word). The tree is new: it may be changed."""
    tree = HConfig(ios_driver())
    for text in sections:
        tree.merge(parse_shared(text))
    return tree


@functools.lru_cache(maxsize=2048)
def parse_shared(text: str) -> HConfig:
    """``parse(text)``, the same tree for the same text: for reading only, never to change
    (drift and planning parse the same renders and running configs several times per host)."""
    return parse(text)


def parse(text: str) -> HConfig:
    """Parse IOS config text into a hier-config tree with the project's driver.

    An object opened twice (rendered sections reopen ``interface`` blocks) is merged.
    """
    driver = ios_driver()
    blocks = list(_top_level_blocks(text))
    if len(blocks) == 1:  # nothing reopened: no merge (a merge copies every node)
        return get_hconfig(driver, blocks[0])
    tree = HConfig(driver)
    for block in blocks:
        tree.merge(get_hconfig(driver, block))
    return tree


def _top_level_blocks(text: str) -> Iterator[str]:
    """Split config text into chunks that each hold every top-level object at most once."""
    seen: set[str] = set()
    chunk: list[str] = []
    for line in text.splitlines():
        # `!` separates objects in running-config; a comment, not an object opened twice
        top = bool(line) and not line[0].isspace() and not line.startswith("!")
        if top and line.strip() in seen:
            yield "\n".join(chunk)
            seen, chunk = set(), []
        if top:
            seen.add(line.strip())
        chunk.append(line)
    yield "\n".join(chunk)
