"""N103 dangling-reference: a line that starts by pointing at its surroundings.

## What it does
Reports lines that make (or were meant to make) a card and begin with a word that refers to
nearby text: 前者, 後者, 上記, 下記, 前述, 同上, これ, それ, *the former*, *the latter*, *the above*, ….

## Why is this bad?
In Anki a card is shown alone, days later and in random order: "前者" no longer points at
anything. notes2anki resolves 前者/後者 to the item it names when exactly two items come right
before; otherwise it makes no card. Either way the meaning hangs on the order of the lines:
reorder them and the note says something else.

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
    lines = {card.line for card in document.cards if card.rule not in ("section", "table", "comparison", "description")}
    lines |= {skipped.line for skipped in document.skipped if skipped.reason == REFERENCE}
    for number in sorted(lines):
        line = document.lines[number - 1]
        start = len(_MARKER.match(line).group())
        match = _REFERENCE.match(line[start:])
        if match:
            word = match.group()
            yield at(document, number, start + 1, CODE, f"the line starts with '{word}', which points at text a card does not show")
