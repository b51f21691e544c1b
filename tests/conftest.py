"""Shared fixtures: notes folders written by the tests, and a real Anki collection to import into."""

from __future__ import annotations

import sqlite3
import textwrap
import time
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest, StripHtmlMode
from anki.scheduler_pb2 import CardAnswer

from notes2anki import clock
from notes2anki.clock import ManualClock
from notes2anki.store import _checksum

FIXTURES = Path(__file__).parent / "fixtures"


def write_note(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def as_release_before(state: Path) -> None:
    """Make a state file what the release before wrote (schema 1): no lock line per card, each
    card row's checksum over the rest."""
    columns = "guid, root, file, section, kind, question, pin, cloze, top, apart, key"
    database = sqlite3.connect(state)
    rows = database.execute(f"SELECT {columns} FROM cards").fetchall()
    database.execute("DROP TABLE cards")
    database.execute(
        "CREATE TABLE cards (guid TEXT PRIMARY KEY, root TEXT NOT NULL, file TEXT NOT NULL, section TEXT NOT NULL, kind TEXT NOT NULL, "
        "question TEXT NOT NULL, pin TEXT, cloze TEXT NOT NULL, top INTEGER NOT NULL, apart TEXT NOT NULL, key TEXT NOT NULL, checksum INTEGER NOT NULL)"
    )
    for index in ("cards_by_file ON cards (file)", "cards_by_key ON cards (key)", "cards_in_order ON cards (root, file, section, kind, question, guid)"):
        database.execute(f"CREATE INDEX {index}")
    database.executemany("INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [(*row, _checksum(row)) for row in rows])
    database.execute("PRAGMA user_version = 1")
    database.commit()
    database.close()


class Anki:
    """A real Anki collection (Anki's own Rust backend), driven the way File › Import drives it."""

    def __init__(self, path: Path) -> None:
        self.col = Collection(str(path))

    def close(self) -> None:
        self.col.close()

    def import_package(self, package: Path):
        request = ImportAnkiPackageRequest(package_path=str(package.resolve()), options=ImportAnkiPackageOptions())
        log = self.col.import_anki_package(request).log
        self.col.models._clear_cache()  # the Python layer caches notetypes across backend imports
        return log

    def notes(self) -> dict[str, object]:
        return {self.col.get_note(nid).guid: self.col.get_note(nid) for nid in self.col.find_notes("")}

    def notetype_names(self) -> set[str]:
        return {self.col.models.get(note.mid)["name"] for note in self.notes().values()}

    def deck_names(self) -> set[str]:
        return {self.col.decks.name(self.col.get_card(cid).did) for cid in self.col.find_cards("")}

    def text(self, html: str) -> str:
        plain = self.col._backend.strip_html(text=html, mode=StripHtmlMode.PRESERVE_MEDIA_FILENAMES)
        return " ".join(plain.split())

    def rendered(self, search: str = "") -> list[tuple[str, str]]:
        """(question, answer) of every card matching ``search``, as plain text, in card-id order."""
        result = []
        for cid in sorted(self.col.find_cards(search)):
            output = self.col.get_card(cid).render_output(reload=True)
            result.append((self.text(output.question_text), self.text(output.answer_text)))
        return result

    def rendered_html(self, search: str = "") -> list[tuple[str, str]]:
        result = []
        for cid in sorted(self.col.find_cards(search)):
            output = self.col.get_card(cid).render_output(reload=True)
            result.append((output.question_text, output.answer_text))
        return result

    def answer_all(self) -> int:
        """Answer every card once (Easy), so that each has review history to keep."""
        answered = 0
        for cid in self.col.find_cards(""):
            states = self.col._backend.get_scheduling_states(cid)
            self.col.sched.answer_card(
                CardAnswer(
                    card_id=cid,
                    current_state=states.current,
                    new_state=states.easy,
                    rating=CardAnswer.EASY,
                    answered_at_millis=int(time.time() * 1000),
                    milliseconds_taken=3000,
                )
            )
            answered += 1
        return answered

    def review_counts(self) -> dict[int, int]:
        return {cid: self.col.db.scalar("select count() from revlog where cid=?", cid) for cid in self.col.find_cards("")}


@pytest.fixture(autouse=True)
def manual_clock(monkeypatch) -> ManualClock:
    """Builds in a test share a clock that moves on when they would wait: no test sleeps for a new second."""
    shared = ManualClock()
    monkeypatch.setattr(clock, "default", lambda: shared)
    return shared


@pytest.fixture
def anki(tmp_path: Path):
    folder = tmp_path / "collection"
    folder.mkdir()
    collection = Anki(folder / "collection.anki2")
    yield collection
    collection.close()


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    return folder
