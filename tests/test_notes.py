"""The project's own notes: ``make decks`` builds them, and together they use every card rule."""

from __future__ import annotations

import shutil
from pathlib import Path

from notes2anki.cards import EXPLICIT_ONLY, RULES
from notes2anki.cli import main
from notes2anki.pipeline import read_tree
from tests.conftest import Anki

NOTES = Path(__file__).parent.parent / "notes"


def test_project_notes_use_every_card_rule() -> None:
    tree = read_tree([NOTES])
    assert tree.errors == []
    assert {card.rule for card in tree.cards} == set(RULES)
    assert {note.category for note in tree.notes} == {"AWS", "Computer Science"}
    # Every line of our notes is on a card, but for what a note that marks its own cards left out.
    assert {item.reason for item in tree.skipped} == {EXPLICIT_ONLY}


def test_project_notes_build_into_decks_anki_imports(tmp_path: Path, anki: Anki) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)  # a build updates the lock file beside the notes
    out = tmp_path / "build"
    assert main(["build", str(notes), "-o", str(out)]) == 0
    for deck in sorted(out.glob("*.apkg")):
        log = anki.import_package(deck)
        assert log.new and not log.conflicting
    assert anki.deck_names() == {
        "AWS::信頼性と障害対策",
        "Computer Science::Networking fundamentals",
        "Computer Science::Kubernetes objects",
        "Computer Science::Cryptography basics",
    }
    assert not anki.col.get_empty_cards().notes
