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
import sys
from collections.abc import Iterator
from typing import NamedTuple

from notes2anki.lint.engine import Corpus, Finding, at
from notes2anki.lint.terms import term_key
from notes2anki.model import Card, plain_text

CODE = "N102"
NAME = "duplicate-label"
FIX = None

_BRACKETED = re.compile(r"[（(][^（()）]*[）)]")


def label(card: Card) -> str:
    return term_key(_BRACKETED.sub("", plain_text(card.front)))


class Definition(NamedTuple):
    """A plain tuple, so that the lint cache can store it as it is."""

    category: str
    label: str
    meaning: str  # the explanation, normalised
    path: str
    line: int


def _definitions(document) -> Iterator[tuple[Definition, Card]]:
    for card in document.cards:
        if card.rule == "definition":
            definition = Definition(card.note.category, label(card), term_key(card.answer), card.note.display, card.line)
            yield definition, card


def collect(document, corpus: Corpus) -> list[Definition]:
    return [definition for definition, _ in _definitions(document)]


def merge(collected: list[list[Definition]], corpus: Corpus) -> dict[tuple[str, str], Definition]:
    """The first definition of each label in each category, in path and line order."""
    first: dict[tuple[str, str], Definition] = {}
    every = (Definition(*d) for definitions in collected for d in definitions)
    for definition in sorted(every, key=lambda d: (d.path, d.line)):
        first.setdefault((definition.category, definition.label), definition)
    return first


def affected(collected: list[Definition], first: dict[tuple[str, str], Definition]) -> bool:
    return any(_earlier(Definition(*definition), first) is not None for definition in collected)


def _earlier(definition: Definition, first: dict[tuple[str, str], Definition]) -> Definition | None:
    """The first definition of the same label, if it is another one that says something else."""
    original = first[(definition.category, definition.label)]
    if original == definition or original.meaning == definition.meaning:
        return None
    return original


def check(document, corpus: Corpus) -> Iterator[Finding]:
    first = corpus.merged(sys.modules[__name__])
    for definition, card in _definitions(document):
        original = _earlier(definition, first)
        if original is None:
            continue
        where = f"line {original.line}" if original.path == definition.path else f"{original.path}:{original.line}"
        term = _BRACKETED.sub("", plain_text(card.front)).strip()
        yield at(document, card.line, _column(document, card), CODE, f"'{term}' is defined again, differently (first defined at {where})")


def _column(document, card: Card) -> int:
    line = document.lines[card.line - 1]
    position = line.find(plain_text(card.front)[:1])
    return position + 1 if position >= 0 else 1
