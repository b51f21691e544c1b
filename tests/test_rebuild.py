"""The edit → rebuild → re-import loop, in a real Anki collection whose cards were answered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notes2anki.build import REMOVED_TAG, build
from notes2anki.cli import main
from notes2anki.lock import LOCK_FILE
from tests.conftest import Anki, write_note

NOTE = """
---
title: Messaging
category: AWS
---
## Queues

- Which service is a pull-based queue? -> Amazon SQS
- Visibility timeout: how long a received message stays hidden from other consumers
- **Long polling** cuts the cost of empty receives

## Topics

- Which service pushes one message to many subscribers? -> Amazon SNS
- Fan-out
  - SNS topic
  - one SQS queue per consumer
"""


class Loop:
    """A notes folder, its build folder and a collection that imported and reviewed the deck."""

    def __init__(self, root: Path, anki: Anki) -> None:
        self.notes = root / "notes"
        self.out = root / "build"
        self.anki = anki
        self.note = write_note(self.notes, "messaging.md", NOTE)
        assert build([self.notes], self.out).errors == []
        self.anki.import_package(self.out / "AWS.apkg")
        self.anki.answer_all()
        self.history = self.anki.review_counts()
        self.guids = set(self.anki.notes())

    def edit(self, old: str, new: str) -> None:
        text = self.note.read_text("utf-8")
        assert old in text
        self.note.write_text(text.replace(old, new), "utf-8")

    def rebuild(self):
        report = build([self.notes], self.out)
        assert report.errors == []
        return report, self.anki.import_package(self.out / "AWS.apkg")

    def assert_history_kept(self) -> None:
        counts = self.anki.review_counts()
        assert {cid: counts[cid] for cid in self.history} == self.history


@pytest.fixture
def loop(tmp_path: Path, anki: Anki) -> Loop:
    return Loop(tmp_path, anki)


def test_answer_edited(loop: Loop) -> None:
    loop.edit("-> Amazon SQS", "-> Amazon Simple Queue Service (SQS)")
    report, log = loop.rebuild()
    assert (len(log.new), len(log.updated)) == (0, 1)
    assert [len(report.decks[0].changes.changed), len(report.decks[0].changes.added)] == [1, 0]
    assert set(loop.anki.notes()) == loop.guids
    loop.assert_history_kept()


def test_line_inserted_above(loop: Loop) -> None:
    loop.edit("## Queues\n\n", "## Queues\n\nNote: summarised from the SQS developer guide.\n\n")
    report, log = loop.rebuild()
    assert len(log.new) == 0 and set(loop.anki.notes()) == loop.guids
    assert len(report.decks[0].changes.moved) == 5 and not report.decks[0].changes.changed
    assert {note.fields[-1] for note in loop.anki.notes().values()} >= {"messaging.md:9"}
    loop.assert_history_kept()


def test_section_moved(loop: Loop) -> None:
    text = loop.note.read_text("utf-8")
    queues, topics = text.split("## Topics\n")
    head, queues_section = queues.split("## Queues\n")
    loop.note.write_text(head + "## Topics\n" + topics + "\n## Queues\n" + queues_section, "utf-8")
    _, log = loop.rebuild()
    assert len(log.new) == 0 and set(loop.anki.notes()) == loop.guids
    loop.assert_history_kept()


def test_note_file_renamed(loop: Loop) -> None:
    (loop.notes / "aws").mkdir()
    loop.note.rename(loop.notes / "aws" / "sqs-and-sns.md")
    report, log = loop.rebuild()
    assert len(log.new) == 0 and set(loop.anki.notes()) == loop.guids
    assert len(report.reassociations) == 5
    assert all("(renamed)" in line for line in report.reassociations)
    assert all(note.fields[-1].startswith("aws/sqs-and-sns.md:") for note in loop.anki.notes().values())
    loop.assert_history_kept()


def test_question_reworded_slightly(loop: Loop) -> None:
    loop.edit("Which service is a pull-based queue?", "Which AWS service is a pull-based queue?")
    report, log = loop.rebuild()
    assert (len(log.new), len(log.updated)) == (0, 1)
    assert report.reassociations == [
        f"{loop.note}:7: kept the card of the reworded question 'Which service is a pull-based queue?'"
    ]
    loop.assert_history_kept()
    # The lock file remembers the new wording, so the next rewording starts from it.
    assert "Which AWS service is a pull-based queue?" in (loop.notes / LOCK_FILE).read_text("utf-8")


def test_question_rewritten_makes_a_new_card(loop: Loop) -> None:
    loop.edit("Which service is a pull-based queue?", "Name the managed message queue")
    report, log = loop.rebuild()
    assert len(log.new) == 1 and report.reassociations == []
    tagged = loop.anki.col.find_notes(f"tag:{REMOVED_TAG}")
    assert len(tagged) == 1  # the old wording's card, ready to be deleted


def test_card_removed_is_found_by_the_removed_tag(loop: Loop) -> None:
    loop.edit("- **Long polling** cuts the cost of empty receives\n", "")
    report, log = loop.rebuild()
    assert len(log.new) == 0 and len(report.decks[0].changes.removed) == 1
    (removed,) = loop.anki.col.find_notes(f"tag:{REMOVED_TAG}")
    assert "Long polling" in loop.anki.col.get_note(removed).fields[0]
    loop.assert_history_kept()
    # After deleting it in Anki, --forget-removed drops it from the next packages.
    loop.anki.col.remove_notes([removed])
    assert build([loop.notes], loop.out, forget_removed=True).decks[0].kept_removed == 0
    log = loop.anki.import_package(loop.out / "AWS.apkg")
    assert len(log.new) == 0 and not loop.anki.col.find_notes(f"tag:{REMOVED_TAG}")


def test_cloze_deletion_added(loop: Loop) -> None:
    loop.edit("**Long polling** cuts the cost of empty receives", "**Long polling** cuts the cost of **empty receives**")
    _, log = loop.rebuild()
    assert (len(log.new), len(log.updated)) == (0, 1)
    assert loop.anki.col.card_count() == len(loop.history) + 1
    loop.assert_history_kept()


def test_pinned_identity_survives_a_complete_rewrite(loop: Loop) -> None:
    loop.edit("- Which service is a pull-based queue? -> Amazon SQS", "- Which service is a pull-based queue? -> Amazon SQS <!-- notes2anki-id: sqs -->")
    loop.rebuild()  # the pin takes over the card's identity (found as the same question)
    loop.edit("Which service is a pull-based queue?", "Name the queue you poll for messages")
    report, log = loop.rebuild()
    assert len(log.new) == 0 and report.reassociations == []
    loop.assert_history_kept()


def test_nothing_changed_parses_nothing_and_writes_no_deck(loop: Loop) -> None:
    deck = loop.out / "AWS.apkg"
    before = (deck.stat().st_mtime_ns, deck.read_bytes())
    report = build([loop.notes], loop.out)
    assert report.parsed == 0 and not report.decks[0].written and not report.decks[0].changes
    assert (deck.stat().st_mtime_ns, deck.read_bytes()) == before


def test_editing_one_note_reads_it_alone_and_writes_its_deck_alone(loop: Loop) -> None:
    other = write_note(loop.notes, "networking.md", "---\ntitle: Net\ncategory: CS\n---\n- Port of HTTPS? -> 443\n")
    build([loop.notes], loop.out)
    cs_deck = (loop.out / "CS.apkg").stat().st_mtime_ns
    loop.edit("-> Amazon SNS", "-> Amazon Simple Notification Service")
    report = build([loop.notes], loop.out)
    assert report.parsed == 1
    assert {deck.category: deck.written for deck in report.decks} == {"AWS": True, "CS": False}
    assert (loop.out / "CS.apkg").stat().st_mtime_ns == cs_deck and other.exists()


def test_incremental_result_equals_a_clean_build(loop: Loop, tmp_path: Path) -> None:
    loop.edit("-> Amazon SNS", "-> Amazon Simple Notification Service")
    loop.rebuild()
    clean = tmp_path / "clean"
    shutil.copytree(loop.out, clean)
    index = clean / ".notes2anki" / "index.json"
    index.write_text(index.read_text("utf-8").replace('"tool":"', '"tool":"stale-'), "utf-8")  # a full re-read
    report = build([loop.notes], clean)
    assert report.parsed == 1
    assert (clean / "AWS.apkg").read_bytes() == (loop.out / "AWS.apkg").read_bytes()


def test_dry_run_reports_and_writes_nothing(loop: Loop, capsys) -> None:
    loop.edit("-> Amazon SNS", "-> Amazon Simple Notification Service")
    files = {path: path.read_bytes() for path in [*loop.out.rglob("*.*"), loop.notes / LOCK_FILE] if path.is_file()}
    assert main(["build", str(loop.notes), "-o", str(loop.out), "--dry-run", "-v"]) == 0
    out = capsys.readouterr().out
    assert f"{loop.out / 'AWS.apkg'}: would write: 5 cards (4 basic, 1 cloze); 1 changed" in out
    assert "  ~ messaging.md:13  Which service pushes one message to many subscribers?" in out
    assert {path: path.read_bytes() for path in files} == files


def test_deleting_a_note_file_tags_its_cards_and_prunes_the_lock(loop: Loop) -> None:
    loop.note.unlink()
    report = build([loop.notes], loop.out)
    assert len(report.decks[0].changes.removed) == 5
    assert "messaging.md" not in (loop.notes / LOCK_FILE).read_text("utf-8")
    loop.anki.import_package(loop.out / "AWS.apkg")
    assert len(loop.anki.col.find_notes(f"tag:{REMOVED_TAG}")) == 5


def test_building_on_several_cores_gives_the_same_decks(tmp_path: Path, monkeypatch) -> None:
    from notes2anki import parallel

    notes = tmp_path / "notes"
    for number in range(6):
        write_note(notes, f"n{number}.md", f"---\ncategory: C{number % 2}\n---\n## S\n\n- Q{number} -> A\n- **bold {number}**\n")
    one_core = tmp_path / "one"
    assert build([notes], one_core).errors == []
    several = tmp_path / "several"
    shutil.copytree(one_core, several)
    index = several / ".notes2anki" / "index.json"
    index.write_text(index.read_text("utf-8").replace('"tool":"', '"tool":"stale-'), "utf-8")
    monkeypatch.setattr(parallel, "JOBS_PER_PROCESS", 1)
    report = build([notes], several)
    assert report.parsed == 6 and report.errors == []
    for deck in ("C0.apkg", "C1.apkg"):
        assert (several / deck).read_bytes() == (one_core / deck).read_bytes()


def test_title_change_reports_the_cards_anki_leaves_in_the_old_deck(loop: Loop, capsys) -> None:
    loop.edit("title: Messaging", "title: Messaging services")
    assert main(["build", str(loop.notes), "-o", str(loop.out)]) == 0
    assert (
        f"deck: {loop.note}: its cards now belong in 'AWS::Messaging services', but Anki keeps the 5 it has in "
        "'AWS::Messaging': in Anki's browser, search deck:\"AWS::Messaging\" and use Change Deck"
    ) in capsys.readouterr().out
    log = loop.anki.import_package(loop.out / "AWS.apkg")
    assert (len(log.new), len(log.updated)) == (0, 5)
    assert loop.anki.deck_names() == {"AWS::Messaging"}  # what the report warns about: cards do not move
    loop.assert_history_kept()
