"""Finding a separator (an arrow, a colon, とは) in inline markup, outside brackets and code.

Card rules and lint rules both need to know where a line divides into question and answer, so
the logic lives here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notes2anki.model import Inline, Text, plain_text

OPENING = "(（[［「『【〔{｛"
CLOSING = ")）]］」』】〕}｝"

ARROWS = ("->", "→", "⇒", "=>")
ARROW_PATTERN = re.compile("|".join(re.escape(arrow) for arrow in ARROWS))
# A full-width colon always separates; an ASCII colon only before a space (not in 10:30 or URLs).
COLON_PATTERN = re.compile(r"：|:(?=\s|$)")
# 「XとはY」 defines X, but 「XとはYが違う」-style comparisons do not.
TOWA_PATTERN = re.compile(r"とは(?!異な|違|別|関係|無関係|限ら|言え|いえ|思)")

MAX_TERM_LENGTH = 60


@dataclass(frozen=True)
class Split:
    left: tuple[Inline, ...]
    separator: str
    right: tuple[Inline, ...]


def split_first(inlines: tuple[Inline, ...], pattern: re.Pattern[str]) -> Split | None:
    """Split at the first match of ``pattern`` in top-level text that is outside any bracket."""
    depth = 0
    for index, node in enumerate(inlines):
        if not isinstance(node, Text):
            depth = _depth_after(plain_text((node,)), depth)
            continue
        position = 0
        for match in pattern.finditer(node.text):
            depth = _depth_after(node.text[position : match.start()], depth)
            position = match.start()
            if depth == 0:
                before, after = node.text[: match.start()], node.text[match.end() :]
                left = inlines[:index] + ((Text(before),) if before else ())
                right = ((Text(after),) if after else ()) + inlines[index + 1 :]
                return Split(_strip(left), match.group(), _strip(right, leading=_SEPARATOR_TAIL))
        depth = _depth_after(node.text[position:], depth)
    return None


_BRACKET = re.compile(f"[{re.escape(OPENING + CLOSING)}]")


def _depth_after(text: str, depth: int) -> int:
    for match in _BRACKET.finditer(text):
        if match.group() in OPENING:
            depth += 1
        elif depth > 0:
            depth -= 1
    return depth


_SPACES = " \t\u3000"
# What may follow a separator without belonging to the answer: 「ACIDとは、…」.
_SEPARATOR_TAIL = _SPACES + "、，,"


def _strip(inlines: tuple[Inline, ...], leading: str = _SPACES) -> tuple[Inline, ...]:
    """Drop the spaces around a separator (ASCII and full-width) without touching markup."""
    nodes = list(inlines)
    if nodes and isinstance(nodes[0], Text):
        nodes[0] = Text(nodes[0].text.lstrip(leading))
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text.rstrip(_SPACES))
    return tuple(node for node in nodes if not (isinstance(node, Text) and not node.text))


def arrow(inlines: tuple[Inline, ...]) -> Split | None:
    return split_first(inlines, ARROW_PATTERN)


def definition(inlines: tuple[Inline, ...]) -> Split | None:
    """``Term：explanation``, ``Term: explanation`` or ``TermとはExplanation`` with a short term."""
    for pattern in (COLON_PATTERN, TOWA_PATTERN):
        found = split_first(inlines, pattern)
        if found is None:
            continue
        term = plain_text(found.left).strip()
        if term and len(term) <= MAX_TERM_LENGTH and not _reads_as_sentence(term, found.separator):
            return found
    return None


def _reads_as_sentence(term: str, separator: str) -> bool:
    """A 'term' with sentence punctuation is the start of a sentence, not a label."""
    if separator == "とは":
        return any(mark in term for mark in "、。，．")
    return any(mark in term for mark in "。．") or term.endswith(("、", ","))
