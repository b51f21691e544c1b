"""Applying fixes: text edits on spans, never overlapping, repeated until nothing changes.

Notes are linted with LF line ends whatever the file has; an edit never adds or removes a line,
so that each line can get its own line end back when the fixed note is written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from notes2anki.lint.engine import Edit, Finding

MAX_PASSES = 10


def apply(text: str, findings: list[Finding]) -> tuple[str, int]:
    """Apply every fixable finding's edits that do not overlap an earlier one; (new text, fixes applied)."""
    chosen: list[Edit] = []  # sorted by start; never overlapping, so also by end
    applied = 0
    for finding in sorted(findings, key=lambda f: min(edit.start for edit in f.edits) if f.edits else 0):
        if not finding.fixable or any(_changes_lines(text, edit) for edit in finding.edits):
            continue
        if any(_overlaps_any(edit, chosen) for edit in finding.edits):
            continue  # the next pass gets it, on the text this pass leaves
        for edit in finding.edits:
            bisect.insort(chosen, edit, key=lambda e: (e.start, e.end))
        applied += 1
    pieces, position = [], 0
    for edit in sorted(chosen, key=lambda e: e.start):
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), applied


def _overlaps_any(edit: Edit, chosen: list[Edit]) -> bool:
    """Whether ``edit`` overlaps one of the sorted, disjoint ``chosen`` edits (two insertions at
    one place overlap too): only the neighbours in start order can."""
    index = bisect.bisect_left(chosen, (edit.start, edit.end), key=lambda e: (e.start, e.end))
    return any(_overlaps(edit, chosen[i]) for i in (index - 1, index) if 0 <= i < len(chosen))


def _overlaps(a: Edit, b: Edit) -> bool:
    return a.start < b.end and b.start < a.end or (a.start == a.end == b.start == b.end)


def _changes_lines(text: str, edit: Edit) -> bool:
    return "\n" in edit.replacement or "\n" in text[edit.start : edit.end]


_LINE_END = re.compile(r"\r\n|\r|\n")


def with_line_ends_of(original: str, fixed: str) -> str:
    """``fixed`` (LF line ends) with the line ends of ``original``, line by line: a file with
    mixed line ends keeps each line's own."""
    ends = _LINE_END.findall(original)
    lines = fixed.split("\n")
    return "".join(line + end for line, end in zip(lines, ends)) + lines[-1]


def fix_until_stable(text: str, lint_text: Callable[[str], list[Finding]]) -> tuple[str, int]:
    """Lint and fix repeatedly until no fix applies; (fixed text, number of fixes)."""
    total = 0
    for _ in range(MAX_PASSES):
        text, applied = apply(text, lint_text(text))
        if not applied:
            break
        total += applied
    return text, total
