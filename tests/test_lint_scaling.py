"""Lint stays linear in the size of a note, whatever shape the note takes.

Each shape is linted at two sizes in this process and the CPU times are compared with each other,
and with the parser's on the same texts (deep lists cost the parser more than linear time too):
a rule that rescans a line per match, or backtracks over a long run, grows with the square of
the size and fails here by a wide margin. Before these shapes were fixed, a 1,000-deep list took
10 s to lint and a line of mismatched brackets minutes.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from notes2anki.lint.config import Config
from notes2anki.lint.document import Document
from notes2anki.lint.engine import Corpus, lint
from notes2anki.lint.fix import fix_until_stable
from notes2anki.lint.rules import RULES
from notes2anki.lint.terms import load as load_dictionary
from notes2anki.parse import parse_text

FOLDER = Path("/nonexistent-notes")
DICTIONARY = load_dictionary(None, True)
GROWTH = 8  # the larger text is this many times the smaller
SLACK = 3  # a linear rule stays within GROWTH x SLACK; a quadratic one lands near GROWTH ** 2

SHAPES = {
    "deep list": lambda n: "".join("  " * depth + f"- item {depth}\n" for depth in range(2 * n)),
    "deep list of arrows": lambda n: "".join(f"- {'深い' * (depth % 5)} -> {depth}\n" + "  " * (depth + 1) for depth in range(2 * n)),
    "long run of spaces": lambda n: "- a" + " " * (200 * n) + "b\n",
    "mismatched brackets": lambda n: "- " + "「" * (20 * n) + "）" * (20 * n) + "\n",
    "unopened brackets": lambda n: "- " + "）" * (20 * n) + "\n",
    "unclosed cloze openings": lambda n: "- " + "{{c1::" * (100 * n) + "\n",
    "dictionary terms": lambda n: "- " + "Elasticache " * (5 * n) + "\n",
    "capitalised words": lambda n: "- " + "Alpha " * (20 * n) + "\n",
    "long acronym expansion": lambda n: "- ABC（" + "Word " * (20 * n) + "\n",
    "small words in an expansion": lambda n: "- ABC（Alpha " + "of " * (20 * n) + "Beta）\n",
    "asterisks": lambda n: "- " + "**a。" * (10 * n) + "\n",
    "inline markup": lambda n: "- " + "``a` <a ](x) @b https://c " * (2 * n) + "\n",
}


def _lint(text: str) -> None:
    document = Document.from_text(text, FOLDER / "note.md", FOLDER)
    lint([document], {document.display}, Corpus([document], Config(root=FOLDER, notes=()), DICTIONARY), RULES)


def _fix(text: str) -> None:
    def lint_text(current: str):
        document = Document.from_text(current, FOLDER / "note.md", FOLDER)
        return lint([document], {document.display}, Corpus([document], Config(root=FOLDER, notes=()), DICTIONARY), RULES)

    fix_until_stable(text, lint_text)


def _parse(text: str) -> None:
    parse_text(text, FOLDER / "note.md", FOLDER)


def _seconds(action, text: str, repeat: int) -> float:
    """CPU seconds of this process (other processes on the machine do not count), no collector."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.process_time()
            action(text)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def _growth(action, shape, n: int) -> float:
    return _seconds(action, shape(GROWTH * n), 1) / _seconds(action, shape(n), 3)


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_lint_time_grows_no_faster_than_the_note(shape) -> None:
    n = 40
    allowed = max(GROWTH, _growth(_parse, shape, n)) * SLACK
    assert _growth(_lint, shape, n) < allowed


def test_fixing_a_problem_on_every_line_grows_no_faster_than_the_note() -> None:
    def shape(n: int) -> str:
        return "".join(f"- 行 {number} \n" for number in range(10 * n))

    assert _growth(_fix, shape, 20) < GROWTH * SLACK


def test_an_expansion_of_any_length_is_checked_without_recursion() -> None:
    """A long run of small words once overflowed Python's stack (a traceback, not a finding)."""
    document = Document.from_text("- ABC（Alpha " + "of " * 5000 + "Beta）\n", FOLDER / "note.md", FOLDER)
    findings = lint([document], {document.display}, Corpus([document], Config(root=FOLDER, notes=()), DICTIONARY), RULES)
    assert [finding.code for finding in findings if finding.code == "N101"] == ["N101"]
