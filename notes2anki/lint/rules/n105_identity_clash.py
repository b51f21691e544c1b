"""N105 identity-clash: two cards that would share one identity in Anki.

## What it does
Reports a card with the same identity as an earlier one: same note, same section, same type
and the same question (ignoring case, width and spacing). `build` builds both, telling the
later one apart by its case, else its answer, else its order, and warns the same way.

## Why is this bad?
The later card's identity then hangs on that difference: editing the answer, or reordering
the two, can hand one card's review history to the other.

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

from notes2anki.lint.engine import Corpus, Finding, at
from notes2anki.identity import resolve_clashes

CODE = "N105"
NAME = "identity-clash"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for warning in resolve_clashes(list(document.cards))[1]:
        yield at(document, warning.line, 1, CODE, warning.message)
