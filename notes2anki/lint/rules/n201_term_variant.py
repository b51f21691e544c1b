"""N201 term-variant: one term spelled in different ways across the notes.

## What it does
Collects the product-like names of every note (runs of ASCII or full-width letters and digits,
alone or joined by a space or hyphen) and groups the spellings that differ only in case,
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
    """(column, spelling) of every run of one to three words joined by one space or hyphen."""
    words = [match for match in _WORD.finditer(prose) if not _in_identifier(prose, match)]
    for index, first in enumerate(words):
        end = first.end()
        yield first.start(), first.group()
        for following in words[index + 1 : index + MAX_WORDS]:
            if following.start() - end != 1 or prose[end] not in " -":
                break
            end = following.end()
            yield first.start(), prose[first.start() : end]


def _in_identifier(prose: str, match: re.Match[str]) -> bool:
    """Part of a file name, path, domain or handle, not a term (``config.yml``, ``a/b``)."""
    before = prose[match.start() - 1] if match.start() else ""
    after = prose[match.end()] if match.end() < len(prose) else ""
    return bool(before and _ASCII_NEIGHBOUR.match(before) or after and after in "./\\@" and match.end() + 1 < len(prose) and prose[match.end() + 1].isalnum())


def _looks_like_a_name(spelling: str) -> bool:
    return any(char.isupper() for char in spelling[1:])


def _preferred(corpus: Corpus) -> dict[str, str]:
    """For every term key spelled more than one way: the most common spelling."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for document in corpus.documents:
        for _, prose in document.prose_lines():
            for _, spelling in occurrences(prose):
                if len(spelling) >= 3 and any(char.isalpha() for char in spelling):
                    counts[term_key(spelling)][spelling] += 1
    preferred = {}
    for key, spellings in counts.items():
        if key in corpus.dictionary.keys or len(spellings) < 2:
            continue
        distinct = {spelling[0].upper() + spelling[1:] for spelling in spellings}
        if len(distinct) < 2 or not any(_looks_like_a_name(spelling) for spelling in spellings):
            continue
        preferred[key] = max(spellings, key=lambda spelling: (spellings[spelling], _looks_like_a_name(spelling)))
    return preferred


def check(document, corpus: Corpus) -> Iterator[Finding]:
    preferred = corpus.once(CODE, _preferred)
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
