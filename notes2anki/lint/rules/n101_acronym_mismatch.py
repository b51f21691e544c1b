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
from functools import cache

from notes2anki.lint.engine import Corpus, Finding, at, replace_at

CODE = "N101"
NAME = "acronym-mismatch"
FIX = "unsafe"

STOP_WORDS = frozenset({"of", "and", "for", "the", "to", "in", "on", "a", "an", "as", "by", "with", "at", "or"})
_ACRONYM = r"[a-z]?[A-Z][A-Z&]{1,7}"
_WORD = r"[A-Za-z][A-Za-z']*"
# ACRONYM（Expansion words   — the expansion ends at the first character that is not a word
_ACRONYM_FIRST = re.compile(rf"(?<![A-Za-z0-9])({_ACRONYM})\s?[（(]\s*({_WORD}(?:[ \-/]+{_WORD})+)")
# Expansion words (ACRONYM)
_EXPANSION_FIRST = re.compile(rf"((?:[A-Z][A-Za-z']*[ \-]+(?:(?:{'|'.join(STOP_WORDS)})[ \-]+)*)+[A-Z][A-Za-z']*)\s?[（(]({_ACRONYM})[）)]")


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines():
        for match in _ACRONYM_FIRST.finditer(prose):
            acronym, words = match.group(1), _words(match.group(2))
            if words[0][0].isupper() and not spells(acronym, tuple(words)):
                yield _finding(document, number, match.start(1) + 1, acronym, words)
        for match in _EXPANSION_FIRST.finditer(prose):
            words, acronym = _words(match.group(1)), match.group(2)
            if not any(spells(acronym, tuple(words[i:])) for i in range(len(words))):
                yield _finding(document, number, match.start(2) + 1, acronym, words)


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[ \-/]+", text) if word]


def _finding(document, line: int, column: int, acronym: str, words: list[str]) -> Finding:
    initials = "".join(word[0].upper() for word in words if word.lower() not in STOP_WORDS)
    expansion = " ".join(words)
    edit = replace_at(document, line, column, acronym, initials)
    message = f"'{acronym}' does not match its expansion '{expansion}' (its initials spell {initials})"
    return at(document, line, column, CODE, message, [edit], safe=False)


@cache
def spells(acronym: str, words: tuple[str, ...]) -> bool:
    """Can ``acronym`` be read off ``words``: each word gives its initial (plus CamelCase capitals)?"""
    letters = acronym.replace("&", "").casefold()

    @cache
    def match(position: int, index: int) -> bool:
        if index == len(words):
            return position == len(letters)
        word = words[index]
        if word.casefold() in STOP_WORDS and match(position, index + 1):
            return True
        if position >= len(letters) or word[0].casefold() != letters[position]:
            return False
        position += 1
        if match(position, index + 1):
            return True
        for capital in (char.casefold() for char in word[1:] if char.isupper()):
            if position < len(letters) and letters[position] == capital:
                position += 1
                if match(position, index + 1):
                    return True
            else:
                break
        return False

    return match(0, 0)
