"""N103 dangling-reference: a line that starts by pointing at its surroundings.

## What it does
Reports lines that begin with a word that refers to nearby text (前者, 後者, 上記, 以下, 前述,
同上, 同様, これ, それ, *the former*, *the latter*, *the above*, …) where the card cannot show
what it refers to: a card whose question starts with it (a list item, a heading that asks, a
``Q:`` line), or a line that makes no card because what it refers to cannot be told. (前者：… and 後者：… right after two items are resolved to those items,
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
from notes2anki.wording import JAPANESE_REFERENCES

CODE = "N103"
NAME = "dangling-reference"
FIX = None

_REFERENCE = re.compile(
    "|".join(sorted(JAPANESE_REFERENCES, key=len, reverse=True))
    + r"|(?i:the former|the latter|the above|as above|as mentioned above|see above)(?![A-Za-z])"
)


def check(document, corpus: Corpus) -> Iterator[Finding]:
    """Cards whose question starts with a reference word, and lines meant as cards that made
    none because of one."""
    starts = {card.line: card.question for card in document.cards if card.rule not in ("section", "table", "comparison", "description", "reference")}
    starts |= {skipped.line: skipped.text for skipped in document.skipped if skipped.reason == REFERENCE}
    for number in sorted(line for line in starts if line <= len(document.lines)):
        match = _REFERENCE.match(starts[number].lstrip())
        if match:
            word, line = match.group(), document.lines[number - 1]
            column = line.find(word) + 1 or 1
            yield at(document, number, column, CODE, f"the line starts with '{word}', which points at text a card does not show")
