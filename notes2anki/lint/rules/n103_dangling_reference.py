"""N103 dangling-reference: a card whose question starts by pointing at its surroundings.

## What it does
Reports cards whose question (or cloze text) begins with a word that refers to nearby text:
前者, 後者, 上記, 下記, 前述, 同上, これ, それ, *the former*, *the latter*, *the above*, ….

## Why is this bad?
In Anki the card is shown alone, days later and in random order: "前者" no longer points at
anything, and the card cannot be answered.

## Example
```markdown
- 停止したインスタンスを起動する
- テンプレートから作り直す

前者：ダウンタイムが短い
```

## Use instead
```markdown
停止したインスタンスを障害時に起動する方式：ダウンタイムが短い
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N103"
NAME = "dangling-reference"
FIX = None

_REFERENCE = re.compile(
    r"^(?:前者|後者|上記|下記|前述|同上|これら|それら|これ|それ|"
    r"(?i:the former|the latter|the above|as above|as mentioned above|see above)(?![A-Za-z]))"
)


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for card in document.cards:
        if card.rule in ("section", "table"):
            continue  # their front is a heading or a table cell, not a sentence
        match = _REFERENCE.match(card.question.strip())
        if match:
            word = match.group()
            column = document.lines[card.line - 1].find(word) + 1 or 1
            yield at(document, card.line, column, CODE, f"the card starts with '{word}', which points at text the card does not show")
