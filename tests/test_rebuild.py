"""The edit → rebuild → re-import loop, in a real Anki collection whose cards were answered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notes2anki.build import REMOVED_TAG, build
from notes2anki.cli import main
from notes2anki.lock import LOCK_FILE
from notes2anki.store import Store
from tests.conftest import FIXTURES, Anki, write_note

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


def _make_stale(out: Path) -> None:
    """The state as another version of notes2anki left it: the next build reads every note again."""
    store = Store(out)
    store.set("tool", "another version")
    store.commit()
    store.close()


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
    assert report.reassociations == [f"{loop.notes / 'aws' / 'sqs-and-sns.md'}: kept 5 cards from {loop.note} (renamed)"]
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


def test_card_removed_is_found_by_the_removed_tag(loop: Loop, capsys) -> None:
    loop.edit("- **Long polling** cuts the cost of empty receives\n", "")
    report, log = loop.rebuild()
    assert len(log.new) == 0 and len(report.decks[0].changes.removed) == 1
    (removed,) = loop.anki.col.find_notes(f"tag:{REMOVED_TAG}")
    assert "Long polling" in loop.anki.col.get_note(removed).fields[0]
    loop.assert_history_kept()
    # After deleting it in Anki, --forget-removed drops it from the next packages.
    loop.anki.col.remove_notes([removed])
    assert main(["build", str(loop.notes), "-o", str(loop.out), "--forget-removed"]) == 0
    assert f"{loop.out / 'AWS.apkg'}: written: 4 cards (4 basic, 0 cloze); 1 removed forgotten" in capsys.readouterr().out
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


def test_identity_lines_report_only_what_the_user_changed(loop: Loop) -> None:
    loop.edit("-> Amazon SQS", "-> Amazon SQS <!-- notes2anki-id: sqs -->")
    report, log = loop.rebuild()  # a pin added: the same card in the same place, nothing to report
    assert report.reassociations == [] and len(log.new) == 0
    loop.edit(" <!-- notes2anki-id: sqs -->", "")
    report, log = loop.rebuild()  # and removed again
    assert report.reassociations == [] and len(log.new) == 0
    loop.edit("- Which service is a pull-based queue? -> Amazon SQS\n", "")
    loop.edit("## Topics\n\n", "## Topics\n\n- Which service is a pull-based queue? -> Amazon SQS\n")
    report, log = loop.rebuild()
    assert report.reassociations == [f"{loop.note}: kept 1 card moved to another section"] and len(log.new) == 0
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
    _make_stale(clean)  # a full re-read
    report = build([loop.notes], clean)
    assert report.parsed == 1
    assert (clean / "AWS.apkg").read_bytes() == (loop.out / "AWS.apkg").read_bytes()


def test_dry_run_reports_and_writes_nothing(loop: Loop, capsys) -> None:
    loop.edit("-> Amazon SNS", "-> Amazon Simple Notification Service")
    files = {path: path.read_bytes() for path in [*loop.out.rglob("*.*"), loop.notes / LOCK_FILE] if path.is_file()}
    assert main(["build", str(loop.notes), "-o", str(loop.out), "--dry-run", "-v"]) == 0
    out = capsys.readouterr().out
    assert f"{loop.out / 'AWS.apkg'}: would write: 5 cards (4 basic, 1 cloze); 1 changed" in out
    assert f"  ~ {loop.note}:13  Which service pushes one message to many subscribers?" in out
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
    _make_stale(several)
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


def test_cloze_numbers_follow_their_deletions(tmp_path: Path, anki: Anki) -> None:
    """A deletion keeps its number while its text stays: Anki's card (and its history) per number stays with it."""
    notes, out = tmp_path / "notes", tmp_path / "build"
    note = write_note(notes, "m.md", "---\ncategory: AWS\n---\n")
    head = "---\ncategory: AWS\n---\n- Services that decouple producers from consumers on AWS include "

    def rebuild(services: str) -> str:
        note.write_text(head + services + "\n", "utf-8")
        assert build([notes], out).errors == []
        anki.import_package(out / "AWS.apkg")
        (only,) = anki.notes().values()
        return only.fields[0].split(" include ")[1]

    def history() -> dict[int, int]:
        return {anki.col.get_card(cid).ord + 1: count for cid, count in anki.review_counts().items()}

    assert rebuild("**SQS**, **SNS** and **EventBridge**") == "{{c1::SQS}}, {{c2::SNS}} and {{c3::EventBridge}}"
    anki.answer_all()
    assert history() == {1: 1, 2: 1, 3: 1}
    # A deletion removed leaves a gap: EventBridge keeps c3, and its card.
    assert rebuild("**SQS**, SNS and **EventBridge**") == "{{c1::SQS}}, SNS and {{c3::EventBridge}}"
    cards = {anki.col.get_card(cid).ord + 1: cid for cid in anki.col.find_cards("")}
    assert anki.text(anki.col.get_card(cards[3]).render_output(reload=True).question_text).endswith("SQS, SNS and [...]")
    # A deletion added takes a number never used before (not SNS's c2, whose card has SNS's history).
    assert rebuild("**SQS**, SNS, **Kinesis** and **EventBridge**") == "{{c1::SQS}}, SNS, {{c4::Kinesis}} and {{c3::EventBridge}}"
    # Deletions reordered keep their numbers.
    assert rebuild("**EventBridge**, SNS, **Kinesis** and **SQS**") == "{{c3::EventBridge}}, SNS, {{c4::Kinesis}} and {{c1::SQS}}"
    assert history() == {1: 1, 2: 1, 3: 1, 4: 0}  # every card kept its own history; the new one has none
    # The numbers live in the lock file: a build with no state gives the same ones.
    shutil.rmtree(out)
    assert build([notes], out).errors == []
    assert anki_notes_in(out / "AWS.apkg")[0][0].endswith("{{c3::EventBridge}}, SNS, {{c4::Kinesis}} and {{c1::SQS}}")


def anki_notes_in(deck: Path) -> list[list[str]]:
    import sqlite3
    import zipfile

    with zipfile.ZipFile(deck) as archive:
        database = sqlite3.connect(":memory:")
        database.deserialize(archive.read("collection.anki2"))
    return [flds.split("\x1f") for (flds,) in database.execute("SELECT flds FROM notes")]


def test_cloze_syntax_inside_a_deletion_is_text(tmp_path: Path, anki: Anki) -> None:
    notes, out = tmp_path / "notes", tmp_path / "build"
    write_note(notes, "m.md", "---\ncategory: AWS\n---\n- **bold}}break** and **second**\n- **x::hint** is not a hint\n")
    assert build([notes], out).errors == []
    anki.import_package(out / "AWS.apkg")
    answers = [answer for _, answer in anki.rendered()]
    assert sum("m bold}}break and second m.md:4" in answer for answer in answers) == 2
    assert any("x::hint is not a hint m.md:5" in answer for answer in answers)
    questions = sorted(question for question, _ in anki.rendered())
    assert questions == sorted(["m [...] and second", "m bold}}break and [...]", "m [...] is not a hint"])


def test_progress_is_reported_while_reading_and_while_writing(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    for number in range(3):
        write_note(notes, f"n{number}.md", f"---\ncategory: C{number}\n---\n- Q{number} -> A\n")
    calls: list[tuple[str, int, int]] = []
    build([notes], tmp_path / "out", progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert [call for call in calls if call[0] == "reading"] == [("reading", n, 3) for n in range(4)]
    assert [call for call in calls if call[0] == "writing"] == [("writing", n, 3) for n in range(4)]


def test_deck_description_from_front_matter_or_first_paragraph(tmp_path: Path, anki: Anki) -> None:
    notes = tmp_path / "notes"
    write_note(notes, "a.md", "---\ntitle: Described\ncategory: AWS\ndescription: 可用性の<まとめ>\n---\nFirst paragraph.\n\n- Q -> A\n")
    write_note(notes, "b.md", "---\ntitle: Paragraph\ncategory: AWS\n---\n# Heading\n\nWhat this note is **about**.\n\n- Q -> A\n")
    assert build([notes], tmp_path / "out").errors == []
    anki.import_package(tmp_path / "out" / "AWS.apkg")
    assert anki.col.decks.by_name("AWS::Described")["desc"] == "可用性の&lt;まとめ&gt;"
    assert anki.col.decks.by_name("AWS::Paragraph")["desc"] == "What this note is about."


@pytest.mark.parametrize("same_mtime", [False, True], ids=["", "same mtime"])
@pytest.mark.parametrize("saved", ["note", "image"])
@pytest.mark.parametrize(("stage", "at"), [("reading", 0), ("writing", 0)])
def test_a_save_during_a_build_reaches_the_next_deck(tmp_path: Path, anki: Anki, stage: str, at: int, saved: str, same_mtime: bool) -> None:
    """A note or image saved while a build runs is built by the next build, even on a file system
    that keeps whole seconds (where a second save can leave size and mtime as they were)."""
    import hashlib
    import os
    import time

    notes, out = tmp_path / "notes", tmp_path / "build"
    note = write_note(notes, "a.md", "---\ntitle: A\ncategory: Cat\n---\n## S\n\n- What is X? -> X is x ![d](d.png)\n")
    image = notes / "d.png"
    image.write_bytes(b"\x89PNG old")
    changed = note if saved == "note" else image
    if same_mtime:  # a file system with whole seconds, the file just saved
        second = time.time_ns() // 10**9 * 10**9
        os.utime(changed, ns=(second, second))

    def save_now(name: str, done: int, total: int) -> None:
        if (name, done) == (stage, at):
            before = changed.stat()
            changed.write_bytes(changed.read_bytes().replace(b"x ![d]", b"y ![d]").replace(b"old", b"new"))  # the same size
            if same_mtime:
                os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns))

    assert build([notes], out, progress=save_now).errors == []
    assert build([notes], out).errors == []
    anki.import_package(out / "Cat.apkg")
    ((_, answer),) = anki.rendered()
    assert answer.startswith("A › S What is X? X is y" if saved == "note" else "A › S What is X? X is x")
    (back,) = [note_.fields[1] for note_ in anki.notes().values()]
    packed = b"\x89PNG new" if saved == "image" else b"\x89PNG old"
    assert f"d-{hashlib.sha1(packed).hexdigest()[:10]}.png" in back


def test_description_edit_reaches_the_deck(tmp_path: Path, anki: Anki, capsys) -> None:
    notes, out = tmp_path / "notes", tmp_path / "build"
    note = write_note(notes, "a.md", "---\ntitle: Alpha\ncategory: Cat\ndescription: first description\n---\n- What is X? -> X is x\n")
    assert build([notes], out).errors == []
    anki.import_package(out / "Cat.apkg")
    note.write_text(note.read_text("utf-8").replace("first description", "second description"), "utf-8")
    assert main(["build", str(notes), "-o", str(out)]) == 0
    assert f"{out / 'Cat.apkg'}: written: 1 card (1 basic, 0 cloze); 1 description changed" in capsys.readouterr().out
    anki.import_package(out / "Cat.apkg")
    assert anki.col.decks.by_name("Cat::Alpha")["desc"] == "second description"


def test_every_kind_of_card_keeps_its_identity_from_the_lock_alone(tmp_path: Path, anki: Anki) -> None:
    """A fresh clone (or CI, or a deleted build folder) has only the notes and their lock: every card
    the card rules make, whatever text its identity is made of, is the same card, silently."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for fixture in sorted((FIXTURES / "cards").glob("*.md")):
        shutil.copy(fixture, notes / fixture.name)
    assert build([notes], tmp_path / "first").errors == []
    for deck in sorted((tmp_path / "first").glob("*.apkg")):
        anki.import_package(deck)
    lock = (notes / LOCK_FILE).read_bytes()
    report = build([notes], tmp_path / "fresh")
    assert report.errors == [] and report.reassociations == []
    assert (notes / LOCK_FILE).read_bytes() == lock
    new = [len(anki.import_package(deck).new) for deck in sorted((tmp_path / "fresh").glob("*.apkg"))]
    assert new == [0] * len(new) and len(anki.notes()) > 100


@pytest.mark.parametrize("pinned_edited", [False, True], ids=["pinned note unchanged", "pinned note edited"])
@pytest.mark.parametrize("copy", ["a.md", "z.md"], ids=["copy read first", "copy read last"])
def test_pin_copied_into_another_note_takes_nothing_from_the_card_that_has_it(tmp_path: Path, anki: Anki, capsys, copy: str, pinned_edited: bool) -> None:
    notes, out = tmp_path / "notes", tmp_path / "build"
    pinned = write_note(notes, "f.md", "---\ntitle: F\ncategory: Cat\n---\n## S\n\n- What is F? -> F is f <!-- notes2anki-id: shared -->\n")
    other = write_note(notes, copy, "---\ntitle: O\ncategory: Cat\n---\n## S\n\n- What is O? -> O is o\n")
    assert build([notes], out).errors == []
    anki.import_package(out / "Cat.apkg")
    anki.answer_all()
    history = anki.review_counts()
    other.write_text(other.read_text("utf-8").replace("O is o", "O is o <!-- notes2anki-id: shared -->"), "utf-8")
    if pinned_edited:
        pinned.write_text(pinned.read_text("utf-8").replace("F is f", "F is ff"), "utf-8")
    assert main(["build", str(notes), "-o", str(out)]) == 0
    assert f"warning: {other}:7: the identity 'shared' is pinned in f.md too; this card gets an identity of its own" in capsys.readouterr().err
    log = anki.import_package(out / "Cat.apkg")
    assert len(log.new) == 0 and anki.review_counts() == history
    expected = ["F › S What is F? F is ff f.md:7" if pinned_edited else "F › S What is F? F is f f.md:7", f"O › S What is O? O is o {copy}:7"]
    assert sorted(answer for _, answer in anki.rendered()) == expected


def test_pinned_card_moved_to_another_note_keeps_its_history(tmp_path: Path, anki: Anki, capsys) -> None:
    notes, out = tmp_path / "notes", tmp_path / "build"
    head = "---\ntitle: {}\ncategory: Cat\n---\n## S\n\n"
    old = write_note(notes, "z.md", head.format("Z") + "- What is F? -> F is f <!-- notes2anki-id: moving -->\n- What is Z? -> Z\n")
    new = write_note(notes, "a.md", head.format("A") + "- What is A? -> A\n")
    assert build([notes], out).errors == []
    anki.import_package(out / "Cat.apkg")
    anki.answer_all()
    history = anki.review_counts()
    old.write_text(head.format("Z") + "- What is Z? -> Z\n", "utf-8")
    new.write_text(head.format("A") + "- What is A? -> A\n- Which letter is F? -> F <!-- notes2anki-id: moving -->\n", "utf-8")
    assert main(["build", str(notes), "-o", str(out)]) == 0
    assert "warning" not in capsys.readouterr().err
    log = anki.import_package(out / "Cat.apkg")
    assert len(log.new) == 0 and anki.review_counts() == history
    assert sorted(answer for _, answer in anki.rendered()) == [
        "A › S What is A? A a.md:7", "A › S Which letter is F? F a.md:8", "Z › S What is Z? Z z.md:7"
    ]
