"""N105 identity-clash: two cards that would share one identity in Anki.

## What it does
Reports a card with the same identity as an earlier one: same note, same section, same type
and the same question (ignoring case, width and spacing). `build` builds both, telling the
later one apart by its case, its answer or its place, and warns with the same words.

## Why is this bad?
Anki matches notes by identity, and what tells the two cards apart is fragile: reword the
answer or reorder the lines and the cards can swap identities, so that each keeps the other's
review history. Rewording one, or pinning it (`<!-- notes2anki-id: NAME -->`), makes it last.

## Example
```markdown
## Messaging

- Push-based messaging -> SNS
- Push-based messaging -> SNS topics with subscriptions
```

## Use instead
```markdown
## Messaging

- Push-based messaging -> SNS topics with subscriptions
```
"""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.identity import resolve_clashes
from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N105"
NAME = "identity-clash"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    _, warnings = resolve_clashes(document.cards)  # the build's own check and words
    for warning in warnings:
        yield at(document, warning.line, 1, CODE, warning.message)
