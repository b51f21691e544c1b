"""N004 front-matter-unknown-key: a front matter key outside the configured schema.

## What it does
Reports keys not in `[tool.notes2anki.front-matter] allowed` (by default the common Jekyll and
Hugo keys: title, date, category, categories, tags, layout, excerpt, description, …). Set
`allowed = "any"` to turn the check off.

## Why is this bad?
An unknown key is most often a typo (`catgory:`), and the value it should have set is silently
ignored.

## Example
```markdown
---
title: Reliability
catgory: AWS
---
```

## Use instead
```markdown
---
title: Reliability
category: AWS
---
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from notes2anki.frontmatter import key_line
from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N004"
NAME = "front-matter-unknown-key"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    allowed = corpus.config.allowed
    if document.note is None or allowed is None:
        return
    meta = document.note.meta
    for key in meta:
        if str(key) not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            yield at(document, key_line(meta, key), 1, CODE, f"unknown front matter key '{key}'{hint}")
