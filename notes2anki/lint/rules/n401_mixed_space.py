"""N401 mixed-space: a full-width space next to a half-width one.

## What it does
Reports a full-width space (U+3000) with ordinary spaces or tabs beside it. `--fix` keeps the
full-width space and drops the others.

## Why is this bad?
The pair is invisible in the editor but shows as an odd gap on the card, and it makes the
same phrase differ from its other occurrences in searches.

## Example
```markdown
- ストリーム処理　 ⇄ バッチ処理
```

## Use instead
```markdown
- ストリーム処理　⇄ バッチ処理
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at, replace_at

CODE = "N401"
NAME = "mixed-space"
FIX = "safe"

_MIXED = re.compile(r"[ \t]+\u3000+[ \t]*|\u3000+[ \t]+")


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines():
        for match in _MIXED.finditer(prose):
            if match.start() == 0:
                continue  # indentation is N403's business
            edit = replace_at(document, number, match.start() + 1, match.group(), "\u3000")
            yield at(document, number, match.start() + 1, CODE, "full-width space next to a half-width space", [edit])
