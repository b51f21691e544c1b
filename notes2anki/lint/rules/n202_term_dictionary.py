"""N202 term-dictionary: a term that the dictionary spells differently.

## What it does
Applies the terminology dictionary: notes2anki's built-in one (product names such as
ElastiCache, Redshift, Auto Scaling, Route 53) and the file named by `[tool.notes2anki]
dictionary`, in prh's format, so a textlint-prh rule file can be used as it is. Code, URLs,
link targets, HTML attributes and @handles are never touched, nor text that already contains
the expected form. `--fix` writes the expected form.

## Why is this bad?
Search, tags and your memory all work on exact spellings; the exam uses the official one.

## Example
```markdown
- Amazon Elasticacheはインメモリのデータストア
- RedShift はデータウェアハウス
```

## Use instead
```markdown
- Amazon ElastiCacheはインメモリのデータストア
- Redshift はデータウェアハウス
```
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from notes2anki.frontmatter import key_line
from notes2anki.lint.engine import Corpus, Finding, at, replace_at

CODE = "N202"
NAME = "term-dictionary"
FIX = "safe"


def check(document, corpus: Corpus) -> Iterator[Finding]:
    lines = document.prose_lines()  # each line searched once by find: a search of the whole note for every match cost more
    title = _title_line(document)
    if title is not None:
        lines = itertools.chain([title], lines)
    for number, prose in lines:
        for match in corpus.dictionary.find(prose):
            edit = replace_at(document, number, match.start + 1, match.found, match.expected)
            why = f" ({match.rule.note})" if match.rule.note else ""
            yield at(document, number, match.start + 1, CODE, f"write '{match.expected}', not '{match.found}'{why}", [edit])


def _title_line(document) -> tuple[int, str] | None:
    """The front matter's title line, with everything but the title's value masked."""
    note = document.note
    if note is None or "title" not in note.meta:
        return None
    number = key_line(note.meta, "title")
    line = document.lines[number - 1]
    value_start = line.find(":") + 1
    return number, "\x00" * value_start + line[value_start:]
