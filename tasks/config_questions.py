"""Configuration lines IOS may answer with a question instead of the next prompt, and what the
push answers.

Such a line ends its write (``tasks.blocks``): in a paste, IOS would take the next line as the
answer, and both would be lost. The push reads up to the prompt or the question and answers it.

- Removing a dynamic NAT rule while translations it created are live: "Dynamic mapping in use,
  do you want to delete all entries? [no]:"; ``yes`` removes the rule and its translations (the
  LAN hosts' sessions through that exit end, which is what a teardown of the exit means).
  Cisco Tech Note 13779,
  https://www.cisco.com/en/US/tech/tk648/tk361/technologies_tech_note09186a0080094422.shtml
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """Lines matching ``line`` may get ``asked`` back; the push types ``answer``."""

    line: re.Pattern[str]
    asked: str  # regex of the question's text, up to where IOS waits
    answer: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        re.compile(r"^no ip nat (?:inside|outside) source "),
        r"Dynamic mapping in use, do you want to delete all entries\? \[no\]:\s*$",
        "yes",
    ),
)


def question_for(text: str) -> Question | None:
    """The question IOS may ask after the config line ``text`` (no indent), if any."""
    return next((q for q in QUESTIONS if q.line.search(text)), None)
