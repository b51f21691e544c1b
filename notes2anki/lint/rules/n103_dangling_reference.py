"""N103 dangling-reference: a line that starts by pointing at its surroundings.

## What it does
Reports lines that begin with a word that refers to nearby text (前者, 後者, 上記, 下記, 前述,
同上, これ, それ, *the former*, *the latter*, *the above*, …) where the card cannot show what it
refers to: a card whose question starts with it, or a line that makes no card because what it
refers to cannot be told. (前者：… and 後者：… right after two items are resolved to those items,
and not reported.)

## Why is this bad?
In Anki a card is shown alone, days later and in random order: "前者" no longer points at
anything, and the card cannot be answered; a line that makes no card is a fact lost.

## Example
```markdown
- 停止したインスタンスを起動する
- テンプレートから作り直す
- 別のリージョンに切り替える

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

from notes2anki.cards import REFERENCE
from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N103"
NAME = "dangling-reference"
FIX = None

_REFERENCE = re.compile(
    r"^(?:前者|後者|上記|下記|前述|同上|これら|それら|これ|それ|"
    r"(?i:the former|the latter|the above|as above|as mentioned above|see above)(?![A-Za-z]))"
)


_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\[[ xX]\]\s*)?")


def check(document, corpus: Corpus) -> Iterator[Finding]:
    """Lines that start with a reference word and make a card, or were meant to."""
    lines = {card.line for card in document.cards if card.rule not in ("section", "table", "comparison", "description", "reference")}
    lines |= {skipped.line for skipped in document.skipped if skipped.reason == REFERENCE}
    for number in sorted(line for line in lines if line <= len(document.lines)):
        line = document.lines[number - 1]
        start = len(_MARKER.match(line).group())
        match = _REFERENCE.match(line[start:])
        if match:
            word = match.group()
            yield at(document, number, start + 1, CODE, f"the line starts with '{word}', which points at text a card does not show")
