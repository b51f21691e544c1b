"""Applying fixes: text edits on spans, never overlapping, repeated until nothing changes."""

from __future__ import annotations

from collections.abc import Callable

from notes2anki.lint.engine import Edit, Finding

MAX_PASSES = 10


def apply(text: str, findings: list[Finding]) -> tuple[str, int]:
    """Apply every fixable finding's edits that do not overlap an earlier one; (new text, fixes applied)."""
    chosen: list[Edit] = []
    applied = 0
    for finding in sorted(findings, key=lambda f: min(edit.start for edit in f.edits) if f.edits else 0):
        if not finding.fixable:
            continue
        if any(_overlaps(edit, other) for edit in finding.edits for other in chosen):
            continue  # the next pass gets it, on the text this pass leaves
        chosen.extend(finding.edits)
        applied += 1
    pieces, position = [], 0
    for edit in sorted(chosen, key=lambda e: e.start):
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), applied


def _overlaps(a: Edit, b: Edit) -> bool:
    return a.start < b.end and b.start < a.end or (a.start == a.end == b.start == b.end)


def fix_until_stable(text: str, lint_text: Callable[[str], list[Finding]]) -> tuple[str, int]:
    """Lint and fix repeatedly until no fix applies; (fixed text, number of fixes)."""
    total = 0
    for _ in range(MAX_PASSES):
        text, applied = apply(text, lint_text(text))
        if not applied:
            break
        total += applied
    return text, total
