"""N101 acronym-mismatch: an acronym whose expansion spells a different one.

## What it does
Checks `ACRONYM（Expansion…）` and `Expansion (ACRONYM)`: the initials of the expansion's
words (small words such as *of* and *and* may be skipped; CamelCase words may give more than
one letter, as in JavaScript Object Notation) must spell the acronym. Acronyms with digits
(S3, EC2) are not checked. `--fix --unsafe-fixes` replaces the acronym with the initials: only
you know whether the acronym or the expansion is the wrong half.

## Why is this bad?
A card that pairs an acronym with the wrong expansion teaches the wrong fact, and exam
questions turn exactly on pairs like RPO and RTO.

## Example
```markdown
- RTO（Recovery Point Objective：目標復旧時点）：どこまで遡るかの目標
```

## Use instead
```markdown
- RPO（Recovery Point Objective：目標復旧時点）：どこまで遡るかの目標
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at, replace_at

CODE = "N101"
NAME = "acronym-mismatch"
FIX = "unsafe"

STOP_WORDS = frozenset({"of", "and", "for", "the", "to", "in", "on", "a", "an", "as", "by", "with", "at", "or"})
_ACRONYM = r"[a-z]?[A-Z][A-Z&]{1,7}"
_WORD = r"[A-Za-z][A-Za-z']*"
# ACRONYM（Expansion words   — the expansion ends at the first character that is not a word
_ACRONYM_FIRST = re.compile(rf"(?<![A-Za-z0-9])({_ACRONYM})\s?[（(]\s*({_WORD}(?:[ \-/]+{_WORD})+)")
# Expansion words (ACRONYM): the acronym is found first, then its expansion is read backwards
# from it (a pattern over the reversed line, anchored there), so that a long run of capitalised
# words is read once, not once per word it starts at.
_BRACKET = re.compile("[（(]")  # every form this rule reads has one
_ACRONYM_AFTER = re.compile(rf"\s?[（(]({_ACRONYM})[）)]")
MAX_WORDS = 12  # of an expansion read backwards: more than an acronym of 8 letters can use
_REVERSED_STOP_WORDS = "|".join(word[::-1] for word in STOP_WORDS)
_REVERSED_EXPANSION = re.compile(rf"[A-Za-z']*[A-Z](?:[ \-]+(?:(?:{_REVERSED_STOP_WORDS})[ \-]+)*[A-Za-z']*[A-Z]){{1,{MAX_WORDS - 1}}}")


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines(_BRACKET):
        for match in _ACRONYM_FIRST.finditer(prose):
            acronym, words = match.group(1), _words(match.group(2))
            if words[0][0].isupper() and not spells(acronym, tuple(words)):
                yield _finding(document, number, match.start(1) + 1, acronym, words)
        if not _ACRONYM_AFTER.search(prose):
            continue
        reversed_prose = prose[::-1]
        for match in _ACRONYM_AFTER.finditer(prose):
            expansion = _REVERSED_EXPANSION.match(reversed_prose, len(prose) - match.start())
            if expansion is None:
                continue
            words, acronym = _words(expansion.group()[::-1]), match.group(1)
            if not any(spells(acronym, tuple(words[i:])) for i in range(len(words))):
                yield _finding(document, number, match.start(1) + 1, acronym, words)


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[ \-/]+", text) if word]


def _finding(document, line: int, column: int, acronym: str, words: list[str]) -> Finding:
    initials = "".join(word[0].upper() for word in words if word.lower() not in STOP_WORDS)
    expansion = " ".join(words)
    edit = replace_at(document, line, column, acronym, initials)
    message = f"'{acronym}' does not match its expansion '{expansion}' (its initials spell {initials})"
    return at(document, line, column, CODE, message, [edit], safe=False)


def spells(acronym: str, words: tuple[str, ...]) -> bool:
    """Can ``acronym`` be read off ``words``: each word gives its initial (plus CamelCase capitals)?

    Word by word, the set of how many letters could be spelled so far: no recursion, so any
    number of words is fine.
    """
    letters = acronym.replace("&", "").casefold()
    spelled = {0}
    for word in words:
        after = set()
        for position in spelled:
            if word.casefold() in STOP_WORDS:
                after.add(position)  # a small word may give no letter
            if position < len(letters) and word[0].casefold() == letters[position]:
                position += 1
                after.add(position)
                for capital in (char.casefold() for char in word[1:] if char.isupper()):
                    if position == len(letters) or letters[position] != capital:
                        break
                    position += 1
                    after.add(position)
        if not after:
            return False
        spelled = after
    return len(letters) in spelled
