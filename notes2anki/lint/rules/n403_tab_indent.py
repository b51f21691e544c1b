"""N403 tab-indent: a tab in the indentation of a line.

## What it does
Reports tabs in leading whitespace outside code blocks. `--fix` replaces them with spaces to
the next multiple of four columns, which is how CommonMark reads a tab, so the nesting stays
exactly as it is.

## Why is this bad?
How deep a tab-indented item is nested depends on the tab width of whoever reads the file, so
a child item can silently become a sibling, and its card changes.

## Example
```markdown
- 親の項目
	- 子の項目
```

## Use instead
```markdown
- 親の項目
    - 子の項目
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Edit, Finding, at

CODE = "N403"
NAME = "tab-indent"
FIX = "safe"

_INDENT = re.compile(r"^[ \t]*")


def check(document, corpus: Corpus) -> Iterator[Finding]:
    if "\t" not in document.text:
        return
    for number in range(document.body_start, len(document.lines) + 1):
        if number in document.code_lines:
            continue
        indent = _INDENT.match(document.lines[number - 1]).group()
        if "\t" in indent:
            start = document.offset(number, 1)
            edit = Edit(start, start + len(indent), indent.expandtabs(4))
            yield at(document, number, indent.index("\t") + 1, CODE, "tab in indentation; nesting depends on the tab width", [edit])
