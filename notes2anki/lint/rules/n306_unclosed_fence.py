"""N306 unclosed-fence: a code fence that is never closed.

## What it does
Reports a ```` ``` ```` (or `~~~`) fence with no closing fence after it. A fence opened in a
list item or a quote runs to the end of that item or quote; one opened at the top runs to the
end of the note.

## Why is this bad?
Markdown treats everything after the opening fence as code, to the end of the note (or of the
item or quote it is in): every item there silently makes no card, and no lint rule looks at it.

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
    for block in document.code:
        if block.kind == "fenced" and not block.closed:
            code = "\n".join(document.lines[block.first : block.last]).strip()
            if code:  # a fence with nothing after it hides nothing
                lines = code.count("\n") + 1
                what = "the line after it is code and makes" if lines == 1 else f"the {lines} lines after it are code and make"
                yield at(document, block.first, 1, CODE, f"this code fence is never closed: {what} no cards")
