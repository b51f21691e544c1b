"""N306 unclosed-fence: a code fence that is never closed.

## What it does
Reports a ```` ``` ```` (or `~~~`) fence with no closing fence after it.

## Why is this bad?
Markdown treats everything after the opening fence, to the end of the note, as code: every
item below it silently makes no card, and no lint rule looks at it.

## Example
````markdown
```sh
aws sqs list-queues

- Which service is a pull-based queue? -> Amazon SQS
````

## Use instead
````markdown
```sh
aws sqs list-queues
```

- Which service is a pull-based queue? -> Amazon SQS
````
"""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N306"
NAME = "unclosed-fence"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    line = document.unclosed_fence
    if line is not None:
        remaining = len(document.text.rstrip("\n").split("\n")) - line
        yield at(document, line, 1, CODE, f"this code fence is never closed: the {remaining} lines after it are code and make no cards")
