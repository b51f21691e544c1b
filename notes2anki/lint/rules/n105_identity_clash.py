"""N105 identity-clash: two cards that would share one identity in Anki.

## What it does
Reports a card with the same identity as an earlier one: same note, same section, same type
and the same question (ignoring case, width and spacing). `build` refuses to write the deck
while such a pair exists.

## Why is this bad?
Anki matches notes by identity: the two cards would overwrite each other on every import, and
their review history would be mixed up.

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
from notes2anki.identity import clash_error, identity_clashes

CODE = "N105"
NAME = "identity-clash"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for first, clash in identity_clashes(document.cards):
        yield at(document, clash.line, 1, CODE, clash_error(first, clash).message)
