"""Card rules: each fixture note sits beside the cards it must make (``notes2anki cards`` output)."""

from __future__ import annotations

from pathlib import Path

import re

import pytest

from notes2anki.cli import main
from tests.conftest import FIXTURES, write_note

CARD_LINE = re.compile(r"^\S+:\d+: (\w+) \((?:basic|cloze)\)", re.MULTILINE)
CARD_FIXTURES = sorted((FIXTURES / "cards").glob("*.md"))


@pytest.mark.parametrize("note", CARD_FIXTURES, ids=lambda path: path.stem)
def test_fixture_makes_the_expected_cards(note: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(note.parent)
    assert main(["cards", note.name]) == 0
    expected = note.with_suffix(".cards").read_text(encoding="utf-8")
    assert capsys.readouterr().out == expected


def test_every_rule_has_a_fixture() -> None:
    rules = set()
    for expected in (FIXTURES / "cards").glob("*.cards"):
        rules.update(CARD_LINE.findall(expected.read_text(encoding="utf-8")))
    assert rules == {"arrow", "definition", "children", "cloze", "table", "section"}


def test_cards_of_a_folder_report_unreadable_notes_and_go_on(notes_dir: Path, capsys) -> None:
    write_note(notes_dir, "good.md", "- Q -> A\n")
    (notes_dir / "bad.md").write_bytes("- 質問 -> 答え\n".encode("shift_jis"))
    assert main(["cards", str(notes_dir)]) == 1
    captured = capsys.readouterr()
    assert "good.md:1: arrow" in captured.out
    assert f"{notes_dir / 'bad.md'}:1: the file is not UTF-8 (it decodes as SHIFT-JIS)" in captured.err
