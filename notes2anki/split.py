"""Finding a separator (an arrow, a colon, とは, ``::``, ``=``) in inline markup, outside brackets,
code and math.

Card rules and lint rules both need to know where a line divides into question and answer, so
the logic lives here once. Whether the two sides make a good card is ``lines.py``'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notes2anki.model import (
    Inlines,
    Text,
    plain_text,
    trimmed,
)

OPENING = "(（[［「『【〔{｛"
CLOSING = ")）]］」』】〕}｝"

ARROWS = ("->", "→", "⇒", "=>", "⟶", "➡")
ARROW_PATTERN = re.compile("|".join(re.escape(arrow) for arrow in ARROWS))
# A full-width colon always separates; an ASCII colon only before a space (not in 10:30 or URLs).
COLON_PATTERN = re.compile(r"：|(?<!:):(?=\s|$)")
# 「XとはY」 defines X when とは follows a whole term (not the こと of 「…ことは」), and not in
# comparisons such as 「XとはYが違う」.
TOWA_PATTERN = re.compile(r"(?<![\u3040-\u309f])とは(?!異な|違|別|関係|無関係|限ら|言え|いえ|思)")
# obsidian-spaced-repetition: ``front::back``, and ``front:::back`` for a card each way.
DOUBLE_COLON_PATTERN = re.compile(r"(?<!:):{2,3}(?!:)")
EQUALS_PATTERN = re.compile(r"(?<=\s)=(?=\s)|\s*＝\s*")
# ``fe80::1``: an address, not a card's two sides (code names such as ``std::sort`` belong in
# backticks, where no separator is looked for).
_ADDRESS = re.compile(r"(?=.*\d)[0-9A-Fa-f:]+")
# ``Term — explanation``: a dash between spaces.
DASH_PATTERN = re.compile(r"(?<=\s)[—–](?=\s)")
HYPHEN_PATTERN = re.compile(r"(?<=[^\W\d_)）])\s-\s(?=[^\W\d_])")  # between words only: not 「5 - 3」
# ``A MAC address is a 48-bit hardware address``: "is a", "are the".
IS_A_PATTERN = re.compile(r"(?<=\s)(?:is|are)\s+(?=(?:an?|the|one of)\s)")
# ``Cross-site scripting (XSS) is injecting script …``: a named term and what doing it means.
IS_DOING_PATTERN = re.compile(r"(?<=\s)(?:is|are)\s+(?=[a-z]+ing\s)")
# ``The default port of PostgreSQL is 5432``: an attribute of a thing, then its value.
IS_VALUE_PATTERN = re.compile(r"(?<=\s)(?:is|are)\s+(?=\S)")
# ``Elasticity > 1 means demand is elastic``: a term or a condition, then what it means.
MEANS_PATTERN = re.compile(r"(?<=\s)means\s+(?:that\s+)?(?=\S)")
# ``pH is defined as …``, ``SQL stands for …``, ``Latency refers to …``: a term, then what it means.
DEFINED_PATTERN = re.compile(r"(?<=\s)(?:(?:is|are)\s+defined\s+as|refers?\s+to|stands?\s+for|(?:is|are)\s+short\s+for)\s+(?=\S)")
# ``Pilocarpine is used for glaucoma``: a name, then what it is for.
USED_FOR_PATTERN = re.compile(r"(?<=\s)(?:is|are)\s+used\s+(?:for|to)\s+(?=\S)")
# ``etcd, a consistent key-value store``: a name, then what it is.
APPOSITIVE_PATTERN = re.compile(r",\s+(?=(?:an?|the)\s)")

MAX_TERM_LENGTH = 60


@dataclass(frozen=True)
class Split:
    left: Inlines
    separator: str
    right: Inlines


# Between pairs on one line: ``Multi-AZ → 可用性、Read Replica → 読み取り性能``.
PAIRS_PATTERN = re.compile(r"\s*[、；;]\s*")


def parts(inlines: Inlines, pattern: re.Pattern[str]) -> list[Inlines]:
    """``inlines`` cut at every match of ``pattern`` in top-level text outside brackets."""
    found: list[Inlines] = []
    while (cut := split_first(inlines, pattern)) is not None:
        found.append(cut.left)
        inlines = cut.right
    return [*found, inlines]


def split_first(inlines: Inlines, pattern: re.Pattern[str]) -> Split | None:
    """Split at the first match of ``pattern`` in top-level text that is outside any bracket."""
    for index, match in _matches(inlines, pattern):
        node = inlines[index]
        before, after = node.text[: match.start()], node.text[match.end() :]
        left = inlines[:index] + ((Text(before),) if before else ())
        right = ((Text(after),) if after else ()) + inlines[index + 1 :]
        return Split(trimmed(left), match.group(), trimmed(right, leading=_SEPARATOR_TAIL))
    return None


def _split_once(inlines: Inlines, pattern: re.Pattern[str]) -> Split | None:
    """Split where ``pattern`` occurs, when it occurs exactly once: twice, which half is which is a guess."""
    return split_first(inlines, pattern) if count(inlines, pattern) == 1 else None


def count(inlines: Inlines, pattern: re.Pattern[str]) -> int:
    """How many times ``pattern`` separates: in top-level text, outside brackets."""
    return sum(1 for _ in _matches(inlines, pattern))


def _matches(inlines: Inlines, pattern: re.Pattern[str]):
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
                yield index, match
        depth = _depth_after(node.text[position:], depth)


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


def arrow(inlines: Inlines) -> Split | None:
    return split_first(inlines, ARROW_PATTERN)


def arrows(inlines: Inlines) -> int:
    return count(inlines, ARROW_PATTERN)


def colon(inlines: Inlines) -> Split | None:
    return split_first(inlines, COLON_PATTERN)


def towa(inlines: Inlines) -> Split | None:
    return split_first(inlines, TOWA_PATTERN)


def dash(inlines: Inlines) -> Split | None:
    """``Liveness probe — restarts …``; also ``Glomerulus - filtration``, a hyphen between spaces,
    when it is the line's only one and no formula is around it (``a - b = c``)."""
    found = split_first(inlines, DASH_PATTERN)
    if found is None and count(inlines, HYPHEN_PATTERN) == 1 and "=" not in plain_text(inlines):
        found = split_first(inlines, HYPHEN_PATTERN)
    return found


def is_a(inlines: Inlines) -> Split | None:
    return split_first(inlines, IS_A_PATTERN)


def is_value(inlines: Inlines) -> Split | None:
    return _split_once(inlines, IS_VALUE_PATTERN)


def means(inlines: Inlines) -> Split | None:
    return _split_once(inlines, MEANS_PATTERN)


def defined_as(inlines: Inlines) -> Split | None:
    return _split_once(inlines, DEFINED_PATTERN)


def used_for(inlines: Inlines) -> Split | None:
    return _split_once(inlines, USED_FOR_PATTERN)


def is_doing(inlines: Inlines) -> Split | None:
    return split_first(inlines, IS_DOING_PATTERN)


def appositive(inlines: Inlines) -> Split | None:
    return split_first(inlines, APPOSITIVE_PATTERN)


def equals(inlines: Inlines) -> Split | None:
    return _split_once(inlines, EQUALS_PATTERN)


def double_colon(inlines: Inlines) -> Split | None:
    """``front::back`` (or ``:::``), unless the colons are inside an address (``fe80::1``)."""
    found = split_first(inlines, DOUBLE_COLON_PATTERN)
    if found is None or not found.left or not found.right:
        return None
    left, right = plain_text(found.left), plain_text(found.right)
    token = (left.split() or [""])[-1] + found.separator + (right.split() or [""])[0] if left[-1:].strip() and right[:1].strip() else ""
    if _ADDRESS.fullmatch(token):
        return None
    return found


def position(inlines: Inlines, pattern: re.Pattern[str]) -> int | None:
    """Where in the line's plain text ``pattern`` first separates, to tell which comes first."""
    for index, match in _matches(inlines, pattern):
        return len(plain_text(inlines[:index])) + match.start()
    return None
