"""N307 indented-prose: text indented four spaces, which Markdown shows as code.

## What it does
Reports a block that Markdown reads as an indented code block (four or more spaces deeper than
the text around it, after a blank line or a heading) when it reads as prose: list items,
Japanese sentences, English sentences, or card syntax such as `->`, `→`, `：` and `**bold**`.
A block with a line that reads as code (a shell prompt, a comment, `=`, `;`, braces, `::`) is
left alone. There is no automatic fix: only you know whether the block is code.

## Why is this bad?
Notes pasted from an editor or a web page often arrive indented. Markdown shows the text as
code, so every item in it silently makes no card. Code is better fenced anyway (```` ``` ````),
which also names its language.

## Example
```markdown
## Amazon SQS

    - 可視性タイムアウト：処理中のメッセージを他から見えなくする時間
    - メッセージ保持期間：最長14日
```

## Use instead
```markdown
## Amazon SQS

- 可視性タイムアウト：処理中のメッセージを他から見えなくする時間
- メッセージ保持期間：最長14日
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.lint.engine import Corpus, Finding, at

CODE = "N307"
NAME = "indented-prose"
FIX = None

_CONTAINER = re.compile(r"(?:[ \t]*>(?= |$))*[ \t]*")  # block quote markers and indentation
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,3}[.)])[ \t]+(?![\w.-]+:(?:\s|$))\S")  # not a YAML "- key: value"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_CARD_SYNTAX = re.compile(r" (?:->|=>|→) |→|：|\*\*[^*]+\*\*")
_SENTENCE = re.compile(r"[A-Z][a-z']*(?: [A-Za-z'(),-]+){3,}[.?!:]")
_COMMENT_OR_PROMPT = re.compile(r"(?:#|//|--|/\*|\*/|;|%|\$ |>>> |\.\.\. |PS>|C:\\)")
_CODE_SIGNS = re.compile(r"[;{}<|\\$`]|=(?!>)|(?<![-=])>|::|\(\)|\[\]|&&")  # but not the arrows -> and =>


def check(document, corpus: Corpus) -> Iterator[Finding]:
    for block in document.code:
        if block.kind != "indented":
            continue
        lines = [_CONTAINER.sub("", document.lines[number - 1], count=1) for number in range(block.first, block.last + 1)]
        lines = [line for line in lines if line.strip()]
        if not any(_is_code(line) for line in lines) and 2 * sum(map(_is_prose, lines)) >= len(lines):
            first = document.lines[block.first - 1]
            column = len(first) - len(first.lstrip(" \t>")) + 1
            yield at(document, block.first, column, CODE, _message(len(lines)))


def _is_code(line: str) -> bool:
    return bool(_COMMENT_OR_PROMPT.match(line) or _CODE_SIGNS.search(line))


def _is_prose(line: str) -> bool:
    return bool(_LIST_ITEM.match(line) or _JAPANESE.search(line) or _CARD_SYNTAX.search(line) or _SENTENCE.fullmatch(line.strip()))


def _message(lines: int) -> str:
    if lines == 1:
        return "this line is indented four spaces, so Markdown shows it as code and it makes no card; unindent it (or fence code with ```)"
    return f"these {lines} lines are indented four spaces, so Markdown shows them as code and they make no card; unindent them (or fence code with ```)"
