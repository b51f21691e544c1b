"""N102 duplicate-label: the same label defined twice in a category, differently.

## What it does
Compares the definitions (`用語：説明`, `Term: explanation`, `用語とは説明`) of every note in a
category. When a label (the term without its bracketed expansion, ignoring case and width) is
defined again with a different explanation, it reports the later definition and points to the
first one.

## Why is this bad?
Two cards ask the same question and expect different answers: one of them is wrong, or the
label is, and review turns into guessing which card you are looking at.

## Example
```markdown
- RTO（Recovery Point Objective）：どこまで遡るか
- RTO（Recovery Time Objective）：どれだけで復旧するか
```

## Use instead
```markdown
- RPO（Recovery Point Objective）：どこまで遡るか
- RTO（Recovery Time Objective）：どれだけで復旧するか
```
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at
from notes2anki.lint.terms import term_key
from notes2anki.model import Card, plain_text

CODE = "N102"
NAME = "duplicate-label"
FIX = None

_BRACKETED = re.compile(r"[（(][^（()）]*[）)]")


def label(card: Card) -> str:
    return term_key(_BRACKETED.sub("", plain_text(card.front)))


def _first_definitions(corpus: Corpus) -> dict[tuple[str, str], Card]:
    """The first definition of each (category, label) across the whole corpus."""
    first: dict[tuple[str, str], Card] = {}
    by_place: dict[str, list[Card]] = defaultdict(list)
    for document in corpus.documents:
        for card in document.cards:
            if card.rule == "definition":
                by_place[card.note.display].append(card)
    for display in sorted(by_place):
        for card in by_place[display]:
            first.setdefault((card.note.category, label(card)), card)
    return first


def check(document, corpus: Corpus) -> Iterator[Finding]:
    first = corpus.once(CODE, _first_definitions)
    for card in document.cards:
        if card.rule != "definition":
            continue
        original = first[(card.note.category, label(card))]
        if original is card or term_key(plain_text(original.back)) == term_key(plain_text(card.back)):
            continue
        where = f"line {original.line}" if original.note is card.note else original.source
        term = _BRACKETED.sub("", plain_text(card.front)).strip()
        yield at(document, card.line, _column(document, card), CODE, f"'{term}' is defined again, differently (first defined at {where})")


def _column(document, card: Card) -> int:
    line = document.lines[card.line - 1]
    position = line.find(plain_text(card.front)[:1])
    return position + 1 if position >= 0 else 1
