"""N002 front-matter-required: a required front matter key is missing.

## What it does
Reports notes whose front matter lacks a required key (by default `title` and `category`;
configurable as `[tool.notes2anki.front-matter] required`).

## Why is this bad?
Without `category` the note's cards go to the default deck `Notes`; without `title` the deck
and every card's context are named after the first heading or the file name.

## Example
```markdown
---
title: Reliability
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

from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N002"
NAME = "front-matter-required"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    if document.note is None or not corpus.config.required:
        return
    meta = document.note.meta
    missing = [key for key in corpus.config.required if meta.get(key) in (None, "", [])]
    if not missing:
        return
    names = " and ".join(f"'{key}'" for key in missing)
    where = "the front matter has no" if document.note.front_matter_end else "no front matter, so no"
    yield at(document, 1, 1, CODE, f"{where} {names}")
