"""N301 unbalanced-bracket: a bracket that is never closed, or closed by the wrong kind.

## What it does
Checks the brackets of each line outside code: `()`, `（）`, `「」`, `『』`, `【】`, `［］`,
`〔〕`. Reports an opening bracket that is never closed, a closing one that was never opened,
and one closed by a different kind. Enumeration labels such as `例)` or `1)` at the start of an
item are not brackets. (Full-width opened, half-width closed is N302.)

## Why is this bad?
A bracket left open usually means a clause was cut off, so the card states half a fact; and a
colon inside an unclosed bracket can end up splitting a definition in the wrong place.

## Example
```markdown
- 「ファンアウト構成は SNS と SQS で作る
```

## Use instead
```markdown
- 「ファンアウト」構成は SNS と SQS で作る
```
"""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.lint import brackets
from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N301"
NAME = "unbalanced-bracket"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines(brackets.ANY):
        for problem in brackets.scan(prose):
            if problem.kind == "unclosed":
                message = f"'{problem.char}' is never closed (expected '{brackets.PAIRS[problem.char]}')"
            elif problem.kind == "unopened":
                message = f"'{problem.char}' closes nothing (no '{brackets.CLOSERS[problem.char]}' before it)"
            elif problem.kind == "mismatched":
                message = (
                    f"'{problem.char}' closes '{problem.opener}' from column {problem.opener_column + 1} "
                    f"(expected '{brackets.PAIRS[problem.opener]}')"
                )
            else:
                continue
            yield at(document, number, problem.column + 1, CODE, message)
