"""Property-based tests: random Markdown, front matter and bytes never crash a stage.

The suite runs a short version; ``HYPOTHESIS_PROFILE=campaign`` runs a long one.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes2anki.build import build
from notes2anki.cards import extract
from notes2anki.lint.config import Config
from notes2anki.lint.document import Document
from notes2anki.lint.engine import Corpus, lint
from notes2anki.lint.fix import fix_until_stable
from notes2anki.lint.rules import RULES
from notes2anki.lint.terms import load as load_dictionary
from notes2anki.media import MediaFiles
from notes2anki.model import NoteError
from notes2anki.parse import parse_text
from notes2anki.render import basic_fields, cloze_fields
from notes2anki.source import decode

settings.register_profile("suite", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("campaign", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")), deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

PIECES = [
    "- ", "  - ", "    - ", "\t- ", "1. ", "# ", "## ", "### ", "> ", "**", "*", "`", "```", "~~~", "|", " | ",
    "->", "→", "=>", "：", ": ", "とは", "（", "）", "(", ")", "「", "」", "【", "】", "[", "](", "![", "<b>", "<!--",
    "-->", "{{c1::", "}}", "\u3000", " ", "  ", "\n", "\n\n", "RTO", "Recovery Time Objective", "Elasticache",
    "ElastiCache", "前者", "説明", "AWS", "x", "。", "、", "---\n", "title: t\n", "category: c\n", "\\", "&", "<", "\r\n",
]  # fmt: skip
MARKDOWN = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=60).map("".join)
DICTIONARY = load_dictionary(None, True)


def _document(text: str, folder: Path) -> Document:
    return Document.from_text(text, folder / "note.md", folder)


@given(MARKDOWN)
def test_parse_cards_and_render_never_crash(text: str) -> None:
    folder = Path("/nonexistent-notes")
    try:
        note = parse_text(text, folder / "note.md", folder)
    except NoteError:
        return
    for card in extract(note).cards:
        try:
            (cloze_fields if card.kind == "cloze" else basic_fields)(card, MediaFiles())
        except NoteError:
            pass  # a missing image: a clear error, not a crash


@given(MARKDOWN)
def test_every_lint_rule_copes_with_any_text(text: str) -> None:
    folder = Path("/nonexistent-notes")
    document = _document(text, folder)
    corpus = Corpus([document], Config(root=folder, notes=()), DICTIONARY)
    for finding in lint([document], {document.display}, corpus, RULES):
        assert 1 <= finding.line <= len(document.lines) and finding.column >= 1


@given(MARKDOWN)
def test_fix_changes_only_reported_lines_and_converges(text: str) -> None:
    folder = Path("/nonexistent-notes")
    text = text.replace("\r", "")  # the reader turns every line end into \n
    fixed_lines: set[int] = set()

    def lint_text(current: str):
        document = _document(current, folder)
        findings = lint([document], {document.display}, Corpus([document], Config(root=folder, notes=()), DICTIONARY), RULES)
        fixed_lines.update(f.line for f in findings if f.fixable)
        return findings

    fixed, _ = fix_until_stable(text, lint_text)
    before, after = text.split("\n"), fixed.split("\n")
    assert len(before) == len(after)  # fixes never add or remove lines
    changed = {number for number, (old, new) in enumerate(zip(before, after), start=1) if old != new}
    assert changed <= fixed_lines
    assert fix_until_stable(fixed, lint_text)[0] == fixed


@given(st.binary(max_size=200))
def test_any_bytes_decode_or_give_a_clear_error(data: bytes) -> None:
    try:
        text = decode(data, "note.md")
    except NoteError as error:
        assert error.path == "note.md" and error.message
        return
    assert "\r" not in text


FRONT_MATTER = st.lists(
    st.one_of(st.sampled_from(["title: ", "category: ", "tags: [", "date: ", "]", "{", ": ", "- ", "'", '"', "\n", "  ", "#"]), st.text(max_size=5)),
    max_size=20,
).map(lambda parts: "---\n" + "".join(parts) + "\n---\n- q -> a\n")


@given(FRONT_MATTER)
def test_any_front_matter_loads_or_names_its_line(text: str) -> None:
    folder = Path("/nonexistent-notes")
    try:
        note = parse_text(text, folder / "note.md", folder)
    except NoteError as error:
        assert error.line is not None and 1 <= error.line <= text.count("\n") + 1
        return
    assert isinstance(note.category, str) and isinstance(note.title, str)


@settings(max_examples=max(10, settings().max_examples // 6))
@given(st.lists(MARKDOWN, min_size=1, max_size=3))
def test_build_of_random_notes_never_crashes(tmp_path_factory, notes: list[str]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    for index, text in enumerate(notes):
        (folder / "notes").mkdir(exist_ok=True)
        (folder / "notes" / f"n{index}.md").write_text(text, "utf-8")
    report = build([folder / "notes"], folder / "out")
    for deck in report.decks:
        if deck.written:
            with zipfile.ZipFile(deck.path) as archive:
                assert archive.testzip() is None
