r"""N308 unrendered-math: math that will not reach the card as math.

## What it does
notes2anki passes `\(…\)`, `\[…\]`, `$…$` and `$$…$$` to Anki's MathJax untouched. This rule
reports TeX that Markdown would read as text instead, and so change:
`$ x^2 $` (a space inside the dollars, or a digit right after the closing one: read as prices,
as `$5 and $10` are), `\\(…\\)` (an escaped backslash, not a delimiter), a `\(`, `\[` or `$$`
that is never closed, a `|` inside math on a table row (it splits the cell), and `}}` inside
math inside a `{{c1::…}}` deletion (it ends the deletion).

## Why is this bad?
Read as text, the TeX loses what Markdown takes for its own syntax: `\{` loses its backslash,
`a_1 + b_1` turns into emphasis, `*` into bold. The card shows a mangled formula, or the
delimiters as text.

## Example
```markdown
- 正規分布の確率密度 -> $ \frac{1}{\sqrt{2\pi}} e^{-x_1^2/2} $
```

## Use instead
```markdown
- 正規分布の確率密度 -> $\frac{1}{\sqrt{2\pi}} e^{-x_1^2/2}$
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.lint.document import MATH_CLOSING, MATH_OPENING
from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N308"
NAME = "unrendered-math"
FIX = None

# On the prose view, where the math the parser reads is masked already: what is left is text.
_DOUBLED = re.compile(r"\\\\(?:\((?P<paren>.+?)\\\\\)|\[(?P<bracket>.+?)\\\\\])")
_LOOSE_DOLLARS = re.compile(r"(?<![\\$\w])\$(?!\$)(?P<body>[^$\n]+?)(?<!\\)\$(?!\$)")
_TEX = re.compile(r"\\[A-Za-z]+|[\^_{}]")
_AUTHOR_DELETION = re.compile(r"\{\{c\d+::")
_MATH_MARKS = re.compile(r"[\\$]")
_TABLE_ROW = re.compile(r"\s*\|")


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for number, prose in document.prose_lines(_MATH_MARKS, in_text=True):
        if "\\" in prose or "$" in prose:
            yield from _as_text(document, number, prose)
        line = document.lines[number - 1]
        if ("|" in line and _TABLE_ROW.match(line)) or "{{c" in line:
            yield from _broken_by_markup(document, number, line)


def _as_text(document, number: int, prose: str) -> Iterator[Finding]:
    doubled_spans = []
    for match in _DOUBLED.finditer(prose):
        doubled_spans.append(match.span())
        write = "\\(…\\)" if match.group("paren") is not None else "\\[…\\]"
        message = f"'{match.group()[:3]}' is an escaped backslash in Markdown, not a math delimiter: write {write}"
        yield at(document, number, match.start() + 1, CODE, message)
    for match in MATH_OPENING.finditer(prose):  # what is left open: math is masked, over lines too
        if any(start <= match.start() < end for start, end in doubled_spans):
            continue
        opening = match.group()
        if MATH_CLOSING[opening] in prose[match.end() :]:
            continue  # closed, yet not math: "\[1\]" holds no TeX, it is an escaped bracket
        if opening == "$$" and not _TEX.search(prose, match.end()):
            continue  # two dollar signs in text, not math
        shown = "the dollars" if opening == "$$" else f"'{opening[1]}'"
        message = f"'{opening}' is never closed with '{MATH_CLOSING[opening]}': Markdown shows {shown} and the TeX as text"
        yield at(document, number, match.start() + 1, CODE, message)
    for match in _LOOSE_DOLLARS.finditer(prose):
        body = match.group("body")
        if body[0].isdigit() or not _TEX.search(body):
            continue  # a price, or text between two dollar signs
        if body[0].isspace():
            why = "a space after the opening '$'"
        elif body[-1].isspace():
            why = "a space before the closing '$'"
        else:
            why = "a digit right after the closing '$'"
        message = f"'${body}$' is not math ({why}): Markdown reads its TeX as text"
        yield at(document, number, match.start() + 1, CODE, message)


def _broken_by_markup(document, number: int, line: str) -> Iterator[Finding]:
    """Math the parser reads, broken by what surrounds it: a table cell, a cloze deletion."""
    for match in document.inline_math(number):
        if "|" in match.group() and _TABLE_ROW.match(line):
            message = "'|' inside math on a table row splits the cell: write \\vert (or \\lvert … \\rvert)"
            yield at(document, number, match.start() + 1, CODE, message)
        opened = line.rfind("{{c", 0, match.start())
        if "}}" in match.group() and opened >= 0 and _AUTHOR_DELETION.match(line, opened) and "}}" not in line[opened : match.start()]:
            message = "'}}' inside math ends the cloze deletion it is in: write '} }' instead"
            yield at(document, number, match.start() + 1, CODE, message)
