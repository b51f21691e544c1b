"""N402 trailing-whitespace: spaces or tabs at the end of a line.

## What it does
Reports whitespace at the end of a line outside code blocks, and lines that hold only
whitespace. Two or more spaces that end a line inside a paragraph are a Markdown line break
and are left alone. `--fix` removes the whitespace.

## Why is this bad?
It is invisible, it makes diffs noisy, and a stray full-width space ends up on the card.

## Example
```markdown
- インスタンスがスケールインすると消えるため　
```

## Use instead
```markdown
- インスタンスがスケールインすると消えるため
```
"""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.lint.document import NEW_BLOCK
from notes2anki.lint.engine import Corpus, Edit, Finding, at

CODE = "N402"
NAME = "trailing-whitespace"
FIX = "safe"

_WHITESPACE = " \t\u3000"


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number in range(document.body_start, len(document.lines) + 1):
        if number in document.code_lines:
            continue
        line = document.lines[number - 1]
        text = line.rstrip(_WHITESPACE)  # not a regex search: that retries at every space of a long run
        if len(text) == len(line) or _is_line_break(document, number, line[len(text) :]):
            continue
        start = document.offset(number, len(text) + 1)
        yield at(document, number, len(text) + 1, CODE, "trailing whitespace", [Edit(start, start + len(line) - len(text), "")])


def _is_line_break(document, number: int, whitespace: str) -> bool:
    """Two spaces after text, with the paragraph going on below: a hard line break."""
    line = document.lines[number - 1]
    following = document.lines[number] if number < len(document.lines) else ""
    return (
        len(whitespace) >= 2
        and set(whitespace) == {" "}
        and line.strip() != ""
        and not NEW_BLOCK.match(following)
    )
