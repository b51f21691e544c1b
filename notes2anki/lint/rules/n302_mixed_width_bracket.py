"""N302 mixed-width-bracket: a parenthesis opened full-width and closed half-width, or the reverse.

## What it does
Reports `（…)` and `(…）`. `--fix` makes the closing parenthesis match the opening one.

## Why is this bad?
It is almost always a typo, it looks uneven on the card, and it hides from searches for the
term as written elsewhere.

## Example
```markdown
- RTO（Recovery Time Objective：目標復旧時間)：復旧までの時間
```

## Use instead
```markdown
- RTO（Recovery Time Objective：目標復旧時間）：復旧までの時間
```
"""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.lint import brackets
from notes2anki.lint.engine import Corpus, Finding, at, replace_at

CODE = "N302"
NAME = "mixed-width-bracket"
FIX = "safe"


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines(brackets.ANY):
        for problem in brackets.scan(prose):
            if problem.kind != "mixed":
                continue
            closer = brackets.PAIRS[problem.opener]
            edit = replace_at(document, number, problem.column + 1, problem.char, closer)
            message = f"'{problem.opener}' (column {problem.opener_column + 1}) is closed by '{problem.char}'; use '{closer}'"
            yield at(document, number, problem.column + 1, CODE, message, [edit])
