"""Configuration lines IOS answers with a question before it acts.

Removing a dynamic NAT rule while translations it created are live: IOS asks "Dynamic mapping
in use, do you want to delete all entries? [no]:" and removes the rule (and the entries) only on
a yes; otherwise the rule stays ("%Dynamic Mapping in Use, Cannot remove"). Cisco Tech Note 13779,
https://www.cisco.com/en/US/tech/tk648/tk361/technologies_tech_note09186a0080094422.shtml
The question reads the next line typed: in a paste, that is the following config line.
"""

from __future__ import annotations

NAT_IN_USE_QUESTION = "Dynamic mapping in use, do you want to delete all entries? [no]: "
NAT_IN_USE_REFUSAL = "%Dynamic Mapping in Use, Cannot remove\n"
YES = ("y", "ye", "yes")

_NAT_RULE = (("ip",), ("nat",), ("inside", "outside"), ("source",))


def removes_nat_rule(text: str) -> bool:
    """Whether ``text`` is ``no ip nat {inside|outside} source ...`` (abbreviations allowed)."""
    words = text.lower().split()
    if len(words) <= len(_NAT_RULE) + 1 or words[0] != "no":
        return False
    return all(
        any(full.startswith(word) for full in fulls)
        for word, fulls in zip(words[1:], _NAT_RULE, strict=False)
    )
