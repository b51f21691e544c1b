"""N304 broken-cloze: cloze syntax that Anki will not read as a deletion.

## What it does
Reports `{{c1::` with no closing `}}` on the line, `{{c1:` with one colon, `{c1::` with one
brace, `{{C1::` with a capital C, and `{{c0::` (numbers start at 1).

## Why is this bad?
Anki shows the braces as text, and a cloze card without a working deletion is an empty card.

## Example
```markdown
- {{c1::可視性タイムアウト} の間は他の受信者から見えない
```

## Use instead
```markdown
- {{c1::可視性タイムアウト}} の間は他の受信者から見えない
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N304"
NAME = "broken-cloze"
FIX = None

_OPENING = re.compile(r"\{\{c(\d+)::")
_ANY_CLOZE = re.compile(r"\{[cC]\d")  # every form this rule reads has one
_MALFORMED = [
    (re.compile(r"\{\{[cC]\d+:(?!:)"), "cloze needs two colons: '{{c1::…}}'"),
    (re.compile(r"(?<!\{)\{[cC]\d+::"), "cloze needs two opening braces: '{{c1::…}}'"),
    (re.compile(r"\{\{C\d+::"), "cloze number needs a lowercase c: '{{c1::…}}'"),
    (re.compile(r"\{\{c0+::"), "cloze numbers start at 1: '{{c1::…}}'"),
]


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines(_ANY_CLOZE):
        for pattern, message in _MALFORMED:
            for match in pattern.finditer(prose):
                yield at(document, number, match.start() + 1, CODE, message)
        last_closing = prose.rfind("}}")
        for match in _OPENING.finditer(prose):
            if last_closing < match.end():
                yield at(document, number, match.start() + 1, CODE, f"'{{{{c{match.group(1)}::' is never closed with '}}}}'")
