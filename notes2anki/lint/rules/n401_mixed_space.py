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

_FULL_WIDTH_SPACE = re.compile("\u3000")
_SPACES = re.compile(r"[ \t\u3000]+")  # a whole run at a time: one pass over the line


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines(_FULL_WIDTH_SPACE):
        for match in _SPACES.finditer(prose):
            run = match.group()
            if match.start() == 0 or "\u3000" not in run or not run.strip("\u3000"):
                continue  # indentation is N403's business; full-width spaces alone are fine
            edit = replace_at(document, number, match.start() + 1, run, run.replace(" ", "").replace("\t", ""))
            yield at(document, number, match.start() + 1, CODE, "full-width space next to a half-width space", [edit])
