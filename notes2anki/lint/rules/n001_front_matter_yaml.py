"""N001 front-matter-yaml: front matter that is not valid YAML.

## What it does
Reports front matter that YAML cannot load, or that is not a mapping, or that is never closed,
at the line where the problem is.

## Why is this bad?
The title, category and tags of the note are lost: `build` leaves the note out of every deck
until the front matter loads.

## Example
```markdown
---
title: [Reliability
category: AWS
---
```

## Use instead
```markdown
---
title: "[Reliability]"
category: AWS
---
```
"""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N001"
NAME = "front-matter-yaml"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    if document.error is not None:
        yield at(document, document.error.line or 1, 1, CODE, document.error.message)
