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

_WORD_CHARS = "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
# A whole word, not part of a file name, path, domain or handle (``config.yml``, ``a/b``, ``@x``).
_WORD = re.compile(rf"(?<![{_WORD_CHARS}_@./\\])[{_WORD_CHARS}]++(?![./\\@][^\W_])")
MAX_WORDS = 3


def occurrences(prose: str) -> Iterator[tuple[int, str]]:
    """(column, spelling) of every word, and of every run of two or three words joined by one
    space or hyphen that has a capital in it (``Auto Scaling``; ``set up`` is just English)."""
    words = list(_WORD.finditer(prose))
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


def _looks_like_a_name(spelling: str) -> bool:
    return any(char.isupper() for char in spelling[1:])


def collect(document, corpus: Corpus) -> dict[str, int]:
    """How often the note writes each spelling: the corpus-wide part of this rule (small, as it
    travels from every worker and stays in the lint cache)."""
    words = (spelling for _, spelling in occurrences(document.prose_text))  # lines do not join words
    return dict(Counter(spelling for spelling in words if len(spelling) >= 3 and not spelling.isdigit()))


def merge(collected: list[dict[str, int]], corpus: Corpus) -> dict[str, str]:
    """For every term spelled more than one way across the notes: the most common spelling."""
    totals: Counter[str] = Counter()
    for spellings in collected:
        totals.update(spellings)
    by_term: dict[str, dict[str, int]] = defaultdict(dict)
    for spelling, count in totals.items():
        by_term[term_key(spelling)][spelling] = count
    preferred = {}
    for key, spellings in by_term.items():
        if len(spellings) < 2 or key in corpus.dictionary.keys:
            continue
        distinct = {spelling[0].upper() + spelling[1:] for spelling in spellings}
        if len(distinct) < 2 or not any(_looks_like_a_name(spelling) for spelling in spellings):
            continue
        preferred[key] = max(spellings, key=lambda spelling: (spellings[spelling], _looks_like_a_name(spelling)))
    return preferred


def affected(collected: dict[str, int], preferred: dict[str, str]) -> bool:
    """Does this note spell a term other than the preferred way?"""
    return any((best := preferred.get(term_key(spelling))) is not None and spelling[1:] != best[1:] for spelling in collected)


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
