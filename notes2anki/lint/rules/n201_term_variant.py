"""N201 term-variant: one term spelled in different ways across the notes.

## What it does
Collects the product-like names of every note (runs of ASCII or full-width letters and digits,
alone, or joined by a space or hyphen when one has a capital) and groups the spellings that differ only in case,
width, spaces or hyphens. Where a group has more than one spelling and at least one has a
capital inside it (`ElastiCache`, `AutoScaling`), every spelling but the most common one is
reported. Terms in the dictionary are left to N202, which knows their right spelling. Works
inside Japanese text, where no space separates `Elasticache` from `は`. `--fix --unsafe-fixes`
writes the most common spelling, which is not always the right one.

## Why is this bad?
Search, tags and your memory all work on exact spellings; the exam uses the official one.

## Example
```markdown
- DataSync はオンプレミスからの転送に使う
- Datasync のエージェントはオンプレミスに置く
- DataSync は転送を検証する
```

## Use instead
```markdown
- DataSync はオンプレミスからの転送に使う
- DataSync のエージェントはオンプレミスに置く
- DataSync は転送を検証する
```
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at, replace_at
from notes2anki.lint.terms import term_key

CODE = "N201"
NAME = "term-variant"
FIX = "unsafe"

_WORD = re.compile(r"[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_ASCII_NEIGHBOUR = re.compile(r"[A-Za-z0-9_@./\\]")
MAX_WORDS = 3


def occurrences(prose: str) -> Iterator[tuple[int, str]]:
    """(column, spelling) of every word, and of every run of two or three words joined by one
    space or hyphen that has a capital in it (``Auto Scaling``; ``set up`` is just English)."""
    words = [match for match in _WORD.finditer(prose) if not _in_identifier(prose, match)]
    for index, first in enumerate(words):
        end = first.end()
        yield first.start(), first.group()
        for following in words[index + 1 : index + MAX_WORDS]:
            if following.start() - end != 1 or prose[end] not in " -":
                break
            end = following.end()
            run = prose[first.start() : end]
            if not run.islower():
                yield first.start(), run


def _in_identifier(prose: str, match: re.Match[str]) -> bool:
    """Part of a file name, path, domain or handle, not a term (``config.yml``, ``a/b``)."""
    start, end = match.span()
    if start and _ASCII_NEIGHBOUR.match(prose[start - 1]):
        return True
    return end + 1 < len(prose) and prose[end] in "./\\@" and prose[end + 1].isalnum()


def _looks_like_a_name(spelling: str) -> bool:
    return any(char.isupper() for char in spelling[1:])


def collect(document, corpus: Corpus) -> dict[str, Counter[str]]:
    """How often the note spells each term each way: the corpus-wide part of this rule."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for _, prose in document.prose_lines():
        for _, spelling in occurrences(prose):
            if len(spelling) >= 3 and not spelling.isdigit():
                counts[term_key(spelling)][spelling] += 1
    return counts


def merge(collected: list[dict[str, Counter[str]]], corpus: Corpus) -> dict[str, str]:
    """For every term spelled more than one way across the notes: the most common spelling."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for document_counts in collected:
        for key, spellings in document_counts.items():
            counts[key].update(spellings)
    preferred = {}
    for key, spellings in counts.items():
        if len(spellings) < 2 or key in corpus.dictionary.keys:
            continue
        distinct = {spelling[0].upper() + spelling[1:] for spelling in spellings}
        if len(distinct) < 2 or not any(_looks_like_a_name(spelling) for spelling in spellings):
            continue
        preferred[key] = max(spellings, key=lambda spelling: (spellings[spelling], _looks_like_a_name(spelling)))
    return preferred


def affected(collected: dict[str, Counter[str]], preferred: dict[str, str]) -> bool:
    """Does this note spell a term other than the preferred way?"""
    return any(
        spelling[1:] != preferred[key][1:]
        for key in collected.keys() & preferred.keys()
        for spelling in collected[key]
    )


def check(document, corpus: Corpus) -> Iterator[Finding]:
    preferred = corpus.merged(sys.modules[__name__])
    if not preferred:
        return
    for number, prose in document.prose_lines():
        reported_until = -1
        for column, spelling in occurrences(prose):
            best = preferred.get(term_key(spelling))
            if best is None or column < reported_until or spelling[1:] == best[1:]:
                continue
            reported_until = column + len(spelling)
            edit = replace_at(document, number, column + 1, spelling, best)
            message = f"'{spelling}' is spelled '{best}' elsewhere in the notes"
            yield at(document, number, column + 1, CODE, message, [edit], safe=False)
