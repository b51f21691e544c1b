"""N104 empty-side: a question or answer that is empty.

## What it does
Reports `X ->` with nothing after the arrow (or nothing before it), `用語：` with nothing after
the colon and no nested items, and empty cloze deletions such as `{{c1::}}`.

## Why is this bad?
The line was meant to be a card, but no card (or a blank one) is made from it.

## Example
```markdown
- 疎結合にしたい ->
- 冪等性：
```

## Use instead
```markdown
- 疎結合にしたい -> Amazon SQS
- 冪等性：何度実行しても結果が同じ性質
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.lines import EMPTY_ARROW_SIDE, EMPTY_DEFINITION
from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N104"
NAME = "empty-side"
FIX = None

_EMPTY_CLOZE = re.compile(r"\{\{c\d+::\s*(?:::[^}]*)?\}\}")
_MESSAGES = {
    EMPTY_ARROW_SIDE: "nothing on one side of the arrow: no card is made",
    EMPTY_DEFINITION: "nothing after the colon (and no nested items): no card is made",
}


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for skipped in document.skipped:
        if skipped.reason in _MESSAGES and skipped.line <= len(document.lines):
            line = document.lines[skipped.line - 1]
            yield at(document, skipped.line, len(line.rstrip()) or 1, CODE, _MESSAGES[skipped.reason])
    for number, prose in document.prose_lines(_EMPTY_CLOZE):
        for match in _EMPTY_CLOZE.finditer(prose):
            yield at(document, number, match.start() + 1, CODE, "empty cloze deletion: the card would ask for nothing")
