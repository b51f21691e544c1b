"""Lint stays linear in the size of a note, whatever shape the note takes.

Each shape is linted at two sizes in this process, and the CPU time of the rules (the parser's
and the card rules' time left out: they are not lint's) must grow no faster than the text: a
rule that rescans a line per match, or backtracks over a long run, grows with the square of the
size and fails here by a wide margin. Before these shapes were fixed, a 1,000-deep list took
10 s to lint and a line of mismatched brackets minutes.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from notes2anki.lint import fix
from notes2anki.lint.config import Config
from notes2anki.lint.document import Document
from notes2anki.lint.engine import Corpus, lint
from notes2anki.lint.rules import RULES
from notes2anki.lint.terms import load as load_dictionary

FOLDER = Path("/nonexistent-notes")
DICTIONARY = load_dictionary(None, True)
GROWTH = 8  # the larger note is made from a size this many times the smaller's
SLACK = 3  # linear rules grow within SLACK x the text's growth; quadratic ones near its square

SHAPES = {
    "deep list": lambda n: "".join("  " * depth + f"- item {depth}\n" for depth in range(2 * n)),
    "deep list of arrows": lambda n: "".join(f"- {'深い' * (depth % 5)} -> {depth}\n" + "  " * (depth + 1) for depth in range(2 * n)),
    "long run of spaces": lambda n: "- a" + " " * (25 * n) + "b\n",
    "mismatched brackets": lambda n: "- " + "「" * (20 * n) + "）" * (20 * n) + "\n",
    "unopened brackets": lambda n: "- " + "）" * (20 * n) + "\n",
    "dictionary terms": lambda n: "- " + "Elasticache " * (5 * n) + "\n",
    "capitalised words": lambda n: "- " + "Alpha " * (20 * n) + "\n",
    "long acronym expansion": lambda n: "- ABC（" + "Word " * (20 * n) + "\n",
    "small words in an expansion": lambda n: "- ABC（Alpha " + "of " * (20 * n) + "Beta）\n",
    "asterisks": lambda n: "- " + "**a。" * (10 * n) + "\n",
    "inline markup": lambda n: "- " + "``a` <a ](x) @b https://c " * (2 * n) + "\n",
}


def _corpus(document: Document) -> Corpus:
    return Corpus([document], Config(root=FOLDER, notes=()), DICTIONARY)


def _rules_seconds(text: str, repeat: int) -> float:
    """CPU seconds of this process (others on the machine do not count), without the collector,
    of the rules over a note read beforehand."""
    best = float("inf")
    for _ in range(repeat):
        document = Document.from_text(text, FOLDER / "note.md", FOLDER)
        gc.disable()
        try:
            start = time.process_time()
            lint([document], {document.display}, _corpus(document), RULES)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _fix_seconds(text: str, repeat: int) -> float:
    """CPU seconds of applying every fix of a note linted beforehand."""
    document = Document.from_text(text, FOLDER / "note.md", FOLDER)
    findings = lint([document], {document.display}, _corpus(document), RULES)
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fix.apply(text, findings)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_lint_time_grows_no_faster_than_the_note(shape) -> None:
    small, large = shape(40), shape(40 * GROWTH)
    assert _rules_seconds(large, 1) / _rules_seconds(small, 3) < SLACK * len(large) / len(small)


def test_fixing_a_problem_on_every_line_grows_no_faster_than_the_note() -> None:
    def shape(n: int) -> str:
        return "".join(f"- 行 {number} \n" for number in range(10 * n))

    assert _fix_seconds(shape(40 * GROWTH), 1) / _fix_seconds(shape(40), 3) < SLACK * GROWTH


def test_an_expansion_of_any_length_is_checked_without_recursion() -> None:
    """A long run of small words once overflowed Python's stack (a traceback, not a finding)."""
    document = Document.from_text("- ABC（Alpha " + "of " * 5000 + "Beta）\n", FOLDER / "note.md", FOLDER)
    findings = lint([document], {document.display}, _corpus(document), RULES)
    assert [finding.code for finding in findings if finding.code == "N101"] == ["N101"]
