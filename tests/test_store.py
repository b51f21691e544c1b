"""The SQLite state on its own: what it keeps, one transaction a build, and damage never trusted."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from notes2anki.identity import Entry
from notes2anki.model import PackedNote
from notes2anki.store import STATE_DIR, STATE_FILE, FileRow, NoteRow, Store, StoreDamaged
from tests.conftest import as_release_before

NOTE = PackedNote(
    key="k", category="C", deck="C::T", kind="basic", fields=("Q", "A", "", "T", "n.md:3"), tags=("C",),
    file="n.md", line=3, section=("S",), question="Q", guid="g1", mtime=1700000000,
)  # fmt: skip
FILE = FileRow("n.md", "/notes", 10, 20, "sha", "C", "C::T", "", {"a-1.png": "/notes/a.png"}, {"/notes/a.png": [1, 2]})


def _saved(out: Path) -> None:
    store = Store(out)
    store.put_file(FILE)
    store.put_notes([NoteRow(NOTE, "body", "source")])
    store.replace_cards("/notes", ["n.md"], [Entry("g1", "n.md", ("S",), "basic", "Q", deletions=(("x", 2),), top=2)])
    store.set("tool", "t")
    store.commit()
    store.close()


def test_what_is_saved_is_read_back(tmp_path: Path) -> None:
    _saved(tmp_path)
    store = Store(tmp_path)
    assert store.file("n.md") == FILE
    (row,) = store.notes_of_category("C")
    assert row.note == replace(NOTE, section=()) and (row.body, row.source, row.removed) == ("body", "source", False)
    assert list(store.notes_of_category("C"))[0].note.fields == NOTE.fields
    assert store.cards_of_file("n.md") == [Entry("g1", "n.md", ("S",), "basic", "Q", deletions=(("x", 2),), top=2)]
    assert list(store.lock_lines("/notes")) == ['{"file": "n.md", "section": ["S"], "kind": "basic", "question": "Q", "guid": "g1", "cloze": [["x", 2]], "top": 2}']
    assert store.get("tool") == "t" and store.counts("C") == (1, 0, 0)
    store.close()


def test_the_state_of_the_release_before_is_read_and_given_its_lock_lines(tmp_path: Path) -> None:
    _saved(tmp_path)
    store = Store(tmp_path)
    lines, cards = list(store.lock_lines("/notes")), store.cards_of_file("n.md")
    store.close()
    as_release_before(tmp_path / STATE_DIR / STATE_FILE)
    store = Store(tmp_path)
    assert list(store.lock_lines("/notes")) == lines and store.cards_of_file("n.md") == cards
    assert [row.note for row in store.notes_of_category("C")] == [replace(NOTE, section=())]
    store.commit()
    store.close()
    assert sqlite3.connect(tmp_path / STATE_DIR / STATE_FILE).execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_build_that_does_not_commit_leaves_the_last_state(tmp_path: Path) -> None:
    _saved(tmp_path)
    store = Store(tmp_path)
    store.delete_notes(["g1"])
    store.put_file(FileRow("m.md", "/notes", 1, 1, "s", "C", "C::M", "", {}, {}))
    store.close()  # killed or failed: no commit
    store = Store(tmp_path)
    assert [row.note.guid for row in store.notes_of_category("C")] == ["g1"] and store.file("m.md") is None
    store.close()


def test_a_build_that_changes_nothing_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    _saved(tmp_path)
    path = tmp_path / STATE_DIR / STATE_FILE
    before = path.read_bytes()
    store = Store(tmp_path)
    store.set("tool", "t")  # the same value
    store.commit()
    store.close()
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE notes SET fields = 'changed'",
        "UPDATE files SET sha = 'other'",
        "UPDATE cards SET guid = 'other'",
        "UPDATE meta SET value = '\"x\"' WHERE key = 'tool'",
        "DELETE FROM notes",
        "INSERT INTO decks VALUES ('X', 'X.apkg', 0)",
        "ALTER TABLE files ADD COLUMN extra TEXT",
    ],
)
def test_a_row_changed_lost_or_added_behind_its_back_is_damage(tmp_path: Path, statement: str) -> None:
    _saved(tmp_path)
    database = sqlite3.connect(tmp_path / STATE_DIR / STATE_FILE)
    database.execute(statement)
    database.commit()
    database.close()
    with pytest.raises(StoreDamaged):
        store = Store(tmp_path)
        try:
            store.get("tool")
            store.file("n.md")
            list(store.notes_of_category("C"))
            store.cards_of_file("n.md")
            store.deck_files()
        finally:
            store.close()


@pytest.mark.parametrize("content", [b"", b"not sqlite at all", b"SQLite format 3\x00" + b"\x00" * 50])
def test_a_file_that_is_not_a_state_is_damage(tmp_path: Path, content: bytes) -> None:
    (tmp_path / STATE_DIR).mkdir()
    (tmp_path / STATE_DIR / STATE_FILE).write_bytes(content)
    with pytest.raises(StoreDamaged):
        Store(tmp_path)


def test_a_dry_run_reads_the_state_and_creates_nothing(tmp_path: Path) -> None:
    assert Store(tmp_path / "none", read_only=True).get("tool") is None
    assert not (tmp_path / "none").exists()
    _saved(tmp_path)
    before = sorted(p.name for p in (tmp_path / STATE_DIR).iterdir())
    store = Store(tmp_path, read_only=True)
    assert store.get("tool") == "t"
    store.put_notes([])
    store.close()
    assert sorted(p.name for p in (tmp_path / STATE_DIR).iterdir()) == before
