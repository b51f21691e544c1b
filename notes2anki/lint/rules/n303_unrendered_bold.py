"""N303 unrendered-bold: `**` that CommonMark will not turn into bold.

## What it does
Pairs the `**` of each line the way CommonMark does. A closing `**` right after punctuation and
right before a letter (`**…。**で`) cannot close; an opening `**` right after a letter and right
before punctuation (`で**「…」**`) cannot open. Both are common in Japanese, where no space
follows punctuation. `--fix` moves the one punctuation mark to the other side of the `**`.

## Why is this bad?
The card shows raw asterisks instead of bold text, and a cloze card loses its deletion.

## Example
```markdown
- **可用性を求めるならマルチAZ。**で覚える
```

## Use instead
```markdown
- **可用性を求めるならマルチAZ**。で覚える
```
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Edit, Finding, at

CODE = "N303"
NAME = "unrendered-bold"
FIX = "safe"

_RUN = re.compile(r"(?<![*\\])\*\*(?!\*)")


def _kind(char: str) -> str:
    if not char or char.isspace():
        return "space"
    return "punctuation" if unicodedata.category(char)[0] in "PS" else "letter"


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines(_RUN):
        finding = _first_problem(document, number, prose)
        if finding is not None:
            yield finding  # one a line: once it is fixed, the line is paired again


def _first_problem(document, number: int, prose: str) -> Finding | None:
    opened: int | None = None
    for match in _RUN.finditer(prose):
        start, end = match.span()
        before = _kind(prose[start - 1] if start else "")
        after = _kind(prose[end] if end < len(prose) else "")
        can_open = after != "space" and (after != "punctuation" or before != "letter")
        can_close = before != "space" and (before != "punctuation" or after != "letter")
        if opened is not None and can_close:
            opened = None
        elif opened is None and can_open:
            opened = start
        elif opened is not None and before == "punctuation" and after == "letter":
            mark = document.offset(number, start)  # the punctuation just before the run
            edit = Edit(mark, mark + 3, "**" + prose[start - 1])
            return at(document, number, start + 1, CODE, _message("closing", prose[start - 1]), [edit])
        elif opened is None and before == "letter" and after == "punctuation":
            run = document.offset(number, start + 1)
            edit = Edit(run, run + 3, prose[end] + "**")
            return at(document, number, start + 1, CODE, _message("opening", prose[end]), [edit])
    if opened is not None:
        return at(document, number, opened + 1, CODE, "'**' is never closed on this line; the card shows the asterisks")
    return None


def _message(which: str, mark: str) -> str:
    where = "after" if which == "closing" else "before"
    return f"this {which} '**' {where} '{mark}' is not bold in CommonMark; the card shows the asterisks (move '{mark}' outside)"
