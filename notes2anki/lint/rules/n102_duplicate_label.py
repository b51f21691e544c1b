"""N102 duplicate-label: the same label defined twice in a category, differently.

## What it does
Compares the definitions (`用語：説明`, `Term: explanation`, `用語とは説明`) of every note in a
category. When a label (the term without its bracketed expansion, ignoring case and width) is
defined again with a different explanation, it reports the later definition and points to the
first one. When only some notes are checked (pre-commit passes the changed ones) and the other
definitions are all in notes left out, the first definition is reported instead, so that the
changed note is the one that fails.

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


class Merged(NamedTuple):
    first: dict[tuple[str, str], Definition]  # each label's first definition, in path and line order
    # For labels whose differing definitions all lie in notes not reported on: the first of them.
    only_elsewhere: dict[tuple[str, str], Definition]


def merge(collected: list[list[Definition]], corpus: Corpus) -> Merged:
    first: dict[tuple[str, str], Definition] = {}
    elsewhere: dict[tuple[str, str], Definition] = {}
    reported_again: set[tuple[str, str]] = set()
    every = (Definition(*d) for definitions in collected for d in definitions)
    for definition in sorted(every, key=lambda d: (d.path, d.line)):
        key = (definition.category, definition.label)
        if first.setdefault(key, definition).meaning == definition.meaning:
            continue
        if corpus.reported is None or definition.path in corpus.reported:
            reported_again.add(key)
        else:
            elsewhere.setdefault(key, definition)
    return Merged(first, {key: definition for key, definition in elsewhere.items() if key not in reported_again})


def affected(collected: list[Definition], merged: Merged) -> bool:
    return any(_conflict(Definition(*definition), merged) is not None for definition in collected)


def _conflict(definition: Definition, merged: Merged) -> str | None:
    """What to say about a definition: defined earlier, or (the first one) later, differently."""
    key = (definition.category, definition.label)
    original = merged.first[key]
    if original != definition:
        if original.meaning == definition.meaning:
            return None
        return f"is defined again, differently (first defined at {_place(original, definition)})"
    later = merged.only_elsewhere.get(key)
    return None if later is None else f"is defined differently at {_place(later, definition)}"


def _place(other: Definition, definition: Definition) -> str:
    return f"line {other.line}" if other.path == definition.path else f"{other.path}:{other.line}"


def check(document, corpus: Corpus) -> Iterator[Finding]:
    merged = corpus.merged(sys.modules[__name__])
    for definition, card in _definitions(document):
        problem = _conflict(definition, merged)
        if problem is not None:
            term = _BRACKETED.sub("", plain_text(card.front)).strip()
            yield at(document, card.line, _column(document, card), CODE, f"'{term}' {problem}")


def _column(document, card: Card) -> int:
    line = document.lines[card.line - 1]
    position = line.find(plain_text(card.front)[:1])
    return position + 1 if position >= 0 else 1
