"""Bracket pairs on a line of prose: what opens, what closes, and where they disagree.

Shared by N301 (unbalanced) and N302 (mixed widths). ASCII ``[]`` and ``{}`` are Markdown and
cloze syntax, so they are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

PAIRS = {"(": ")", "（": "）", "［": "］", "「": "」", "『": "』", "【": "】", "〔": "〕"}
CLOSERS = {closer: opener for opener, closer in PAIRS.items()}
FAMILY = {"(": "paren", ")": "paren", "（": "paren", "）": "paren"}


@dataclass(frozen=True)
class Problem:
    kind: str  # "unclosed", "unopened", "mismatched" or "mixed"
    column: int  # 0-based, of the offending character
    char: str
    opener: str = ""  # for mismatched and mixed: the bracket it should close
    opener_column: int = 0


ANY = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")  # any bracket this module reads


@lru_cache(maxsize=4096)  # N301 and N302 scan the same lines
def scan(prose: str) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    stack: list[tuple[str, int]] = []
    awaited: Counter[str] = Counter()  # closers the openers on the stack wait for
    text_start = len(prose) - len(prose.lstrip(" -*+\t"))  # after the list marker

    def pop() -> tuple[str, int]:
        opener, at = stack.pop()
        awaited[PAIRS[opener]] -= 1
        return opener, at

    for match in ANY.finditer(prose):
        column, char = match.start(), match.group()
        if char in PAIRS:
            stack.append((char, column))
            awaited[PAIRS[char]] += 1
        elif char in CLOSERS:
            if not stack:
                if not _is_label(prose, column, text_start):
                    problems.append(Problem("unopened", column, char))
                continue
            opener, opener_column = stack[-1]
            if PAIRS[opener] == char:
                pop()
            elif FAMILY.get(opener) is not None and FAMILY.get(opener) == FAMILY.get(char):
                pop()
                problems.append(Problem("mixed", column, char, opener, opener_column))
            elif awaited[char]:
                while PAIRS[stack[-1][0]] != char:
                    unclosed, at = pop()
                    problems.append(Problem("unclosed", at, unclosed))
                pop()
            else:
                pop()  # one problem, not also an unclosed opener
                problems.append(Problem("mismatched", column, char, opener, opener_column))
    problems.extend(Problem("unclosed", at, opener) for opener, at in stack)
    return tuple(sorted(problems, key=lambda problem: problem.column))


def _is_label(prose: str, column: int, text_start: int) -> bool:
    """``例)``, ``1)``, ``a)`` at the start of an item: an enumeration label, not a bracket."""
    return 0 < column - text_start <= 2 and " " not in prose[text_start:column]
