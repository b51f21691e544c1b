"""N003 front-matter-date: a date key whose value is not a date.

## What it does
Reports `date` (and `updated`, `lastmod`; configurable as `[tool.notes2anki.front-matter]
dates`) values that are not a date such as `2023-08-21`.

## Why is this bad?
Tools that sort or publish notes by date (Jekyll, Hugo) misread or reject the note.

## Example
```markdown
---
title: Reliability
category: AWS
date: 21/08/2023
---
```

## Use instead
```markdown
---
title: Reliability
category: AWS
date: 2023-08-21
---
```
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from notes2anki.frontmatter import key_line
from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N003"
NAME = "front-matter-date"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    if document.note is None:
        return
    meta = document.note.meta
    for key in corpus.config.dates:
        if key in meta and not _is_date(meta[key]):
            line = key_line(meta, key)
            yield at(document, line, 1, CODE, f"'{key}' is {meta[key]!s:.40} which is not a date (write YYYY-MM-DD)")


def _is_date(value) -> bool:
    if isinstance(value, datetime.date):
        return True
    try:
        datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return True
