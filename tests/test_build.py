"""Decks as Anki sees them: built by ``notes2anki build`` and imported into a real collection."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from notes2anki.cli import main
from notes2anki.parse import DEFAULT_CATEGORY
from tests.conftest import Anki, write_note

RELIABILITY = """
---
title: Reliability
category: AWS
tags: [saa]
---
# 信頼性

## 早引き

- **ストリーミングデータ**をリアルタイムで収集する -> Amazon Kinesis
- RPO（Recovery Point Objective：目標復旧時点）：どこまで遡ってデータを戻せるか
- **SQS** はプル型、**SNS** はプッシュ型

## Route 53

- フェイルオーバールーティング
  - プライマリが不健全ならセカンダリを返す
"""

NETWORKING = """
---
title: Networking basics
category: Computer Science
---
## Layers

| Protocol | Layer |
| --- | --- |
| TCP | Transport |
| IP | Network |
"""


@pytest.fixture
def two_categories(notes_dir: Path) -> Path:
    write_note(notes_dir, "aws/reliability.md", RELIABILITY)
    write_note(notes_dir, "cs/networking.md", NETWORKING)
    return notes_dir


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def build(notes_dir: Path, out: Path) -> int:
    return main(["build", str(notes_dir), "-o", str(out)])


def test_one_deck_per_category_imports_into_anki(two_categories: Path, tmp_path: Path, anki: Anki, capsys) -> None:
    out = tmp_path / "build"
    assert build(two_categories, out) == 0
    assert sorted(path.name for path in out.glob("*.apkg")) == ["AWS.apkg", "Computer Science.apkg"]
    assert f"{out / 'AWS.apkg'}: written: 4 cards (3 basic, 1 cloze); 4 added" in capsys.readouterr().out

    log = anki.import_package(out / "AWS.apkg")
    assert len(log.new) == 4
    assert anki.notetype_names() == {"notes2anki Basic", "notes2anki Cloze"}
    assert anki.deck_names() == {"AWS::Reliability"}
    assert anki.col.card_count() == 5  # the SQS/SNS cloze note has two deletions, so two cards
    assert [question for question, _ in anki.rendered('"note:notes2anki Cloze"')] == [
        "Reliability › 早引き [...] はプル型、SNS はプッシュ型",
        "Reliability › 早引き SQS はプル型、[...] はプッシュ型",
    ]


def test_cards_render_with_context_answer_and_source(two_categories: Path, tmp_path: Path, anki: Anki) -> None:
    out = tmp_path / "build"
    build(two_categories, out)
    anki.import_package(out / "AWS.apkg")
    anki.import_package(out / "Computer Science.apkg")
    cards = dict(anki.rendered())
    assert cards["Reliability › 早引き RPO（Recovery Point Objective：目標復旧時点）"].endswith(
        "どこまで遡ってデータを戻せるか aws/reliability.md:11"
    )
    assert cards["Reliability › Route 53 フェイルオーバールーティング"].endswith(
        "プライマリが不健全ならセカンダリを返す aws/reliability.md:16"
    )
    assert cards["Networking basics › Layers › Protocol / Layer TCP"].endswith("Transport cs/networking.md:9")
    tags = {tuple(note.tags) for note in anki.notes().values()}
    assert tags == {("AWS", "saa"), ("Computer_Science",)}


def _reviewed_collection(notes_dir: Path, out: Path, anki: Anki) -> dict[int, int]:
    """Build, import and answer every card once; returns review counts per card id."""
    assert build(notes_dir, out) == 0
    anki.import_package(out / "AWS.apkg")
    anki.answer_all()
    return anki.review_counts()


def test_reimport_after_an_answer_edit_updates_only_that_note(notes_dir: Path, tmp_path: Path, anki: Anki) -> None:
    note = write_note(notes_dir, "reliability.md", RELIABILITY)
    out = tmp_path / "build"
    history = _reviewed_collection(notes_dir, out, anki)
    before = {guid: (note_.mod, list(note_.fields)) for guid, note_ in anki.notes().items()}

    note.write_text(note.read_text("utf-8").replace("Amazon Kinesis", "Amazon Kinesis Data Streams"), "utf-8")
    assert build(notes_dir, out) == 0
    log = anki.import_package(out / "AWS.apkg")

    assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (0, 1, 3, 0)
    after = anki.notes()
    changed = [guid for guid, note_ in after.items() if list(note_.fields) != before[guid][1]]
    assert len(changed) == 1 and after[changed[0]].fields[1] == "Amazon Kinesis Data Streams"
    assert after[changed[0]].mod > before[changed[0]][0]
    assert all(after[guid].mod == before[guid][0] for guid in after if guid not in changed)
    assert anki.review_counts() == history
    assert "notes2anki Basic+" not in {model.name for model in anki.col.models.all_names_and_ids()}


def test_inserted_lines_and_moved_sections_keep_every_card(notes_dir: Path, tmp_path: Path, anki: Anki) -> None:
    note = write_note(notes_dir, "reliability.md", RELIABILITY)
    out = tmp_path / "build"
    history = _reviewed_collection(notes_dir, out, anki)
    guids = set(anki.notes())

    text = note.read_text("utf-8")
    quick, route = text.split("## Route 53")
    moved = quick.replace("## 早引き\n", "## Route 53" + route + "\n## 早引き\n\n- 新しい行 -> 新しい答え\n")
    note.write_text(moved, "utf-8")
    assert build(notes_dir, out) == 0
    log = anki.import_package(out / "AWS.apkg")

    assert len(log.new) == 1  # only the inserted line
    assert guids < set(anki.notes()) and len(anki.notes()) == len(guids) + 1
    assert {cid: count for cid, count in anki.review_counts().items() if cid in history} == history


def test_rebuild_without_changes_is_byte_identical(two_categories: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert build(two_categories, out) == 0
    first = _files(out)
    assert build(two_categories, out) == 0
    assert _files(out) == first


def test_build_leaves_no_temporary_files(two_categories: Path, tmp_path: Path, monkeypatch) -> None:
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    out = tmp_path / "build"
    assert build(two_categories, out) == 0
    assert sorted(_files(out)) == [".notes2anki/.lock", ".notes2anki/state.sqlite", "AWS.apkg", "Computer Science.apkg"]
    assert list(system_temp.iterdir()) == []


def test_missing_image_costs_only_the_image(two_categories: Path, tmp_path: Path, capsys, anki: Anki) -> None:
    out = tmp_path / "build"
    assert build(two_categories, out) == 0
    note = two_categories / "aws" / "reliability.md"
    note.write_text(note.read_text("utf-8") + "- 構成 -> 図のとおり\n  ![構成図](missing.png)\n", "utf-8")
    capsys.readouterr()

    assert build(two_categories, out) == 0
    captured = capsys.readouterr()
    assert f"warning: {note}:19: image 'missing.png' not found; the card shows its alt text" in captured.err  # the image's line
    assert f"{out / 'AWS.apkg'}: written: 5 cards (4 basic, 1 cloze); 1 added" in captured.out
    anki.import_package(out / "AWS.apkg")
    assert dict(anki.rendered())["Reliability › Route 53 構成"].startswith("Reliability › Route 53 構成 図のとおり[構成図]")


def test_absolute_image_path_is_looked_up_to_the_repository_root(tmp_path: Path, anki: Anki) -> None:
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    (repository / "images").mkdir()
    (repository / "images" / "arch.png").write_bytes(b"\x89PNG arch")
    notes = repository / "docs" / "notes"
    write_note(notes, "a.md", "---\ncategory: A\n---\n- 構成 -> ![arch](/images/arch.png)\n")
    assert build(notes, tmp_path / "out") == 0
    log = anki.import_package(tmp_path / "out" / "A.apkg")
    assert len(log.new) == 1
    (back,) = [note.fields[1] for note in anki.notes().values()]
    assert back.startswith('<img src="arch-') and anki.col.media.have(back.split('"')[1])


@pytest.mark.parametrize("added", ["images/arch.png", "docs/notes/images/arch.png"], ids=["at the root", "nearer the note"])
def test_absolute_image_added_where_it_is_looked_for_reaches_the_next_deck(tmp_path: Path, anki: Anki, capsys, added: str) -> None:
    """Every place an absolute image path is looked for is watched, not only the one that was used."""
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    notes = repository / "docs" / "notes"
    write_note(notes, "a.md", "---\ncategory: A\n---\n- 構成 -> ![arch](/images/arch.png)\n")
    if added != "images/arch.png":  # the image is found at the root first; then one nearer the note takes over
        (repository / "images").mkdir()
        (repository / "images" / "arch.png").write_bytes(b"\x89PNG root")
    assert build(notes, tmp_path / "out") == 0
    (repository / added).parent.mkdir(parents=True, exist_ok=True)
    (repository / added).write_bytes(b"\x89PNG added")
    capsys.readouterr()
    assert build(notes, tmp_path / "out") == 0
    assert "1 note, 1 read this time" in capsys.readouterr().out
    anki.import_package(tmp_path / "out" / "A.apkg")
    (back,) = [note.fields[1] for note in anki.notes().values()]
    assert back.startswith('<img src="arch-') and (Path(anki.col.media.dir()) / back.split('"')[1]).read_bytes() == b"\x89PNG added"


def test_identity_clash_builds_both_cards_and_warns(notes_dir: Path, tmp_path: Path, capsys, anki: Anki) -> None:
    note = write_note(
        notes_dir,
        "dup.md",
        "---\ncategory: AWS\n---\n## S\n\n- Same question -> one\n- Same question -> two\n- キャッシュ：後で確認\n- キャッシュ：後で確認\n- -d：削除\n- -D：強制削除\n",
    )
    assert build(notes_dir, tmp_path / "build") == 0
    err = capsys.readouterr().err
    assert f"warning: {note}:7: this card has the same identity as the card at line 6" in err
    assert "told apart by its answer" in err and "told apart by its order" in err and "told apart by its case" in err
    assert "<!-- notes2anki-id: NAME -->" in err
    log = anki.import_package(tmp_path / "build" / "AWS.apkg")
    assert len(log.new) == 6 and len(anki.notes()) == 6  # nothing merged, nothing lost
    # The same notes always tell the cards apart the same way.
    assert build(notes_dir, tmp_path / "again") == 0
    assert (tmp_path / "again" / "AWS.apkg").read_bytes() != b"" and _guids(tmp_path / "again") == _guids(tmp_path / "build")


def _guids(out: Path) -> list[str]:
    import sqlite3
    import zipfile

    with zipfile.ZipFile(out / "AWS.apkg") as archive:
        data = archive.read("collection.anki2")
    database = sqlite3.connect(":memory:")
    database.deserialize(data)
    return sorted(guid for (guid,) in database.execute("SELECT guid FROM notes"))


def test_unreadable_note_does_not_stop_other_categories(two_categories: Path, tmp_path: Path, capsys) -> None:
    broken = two_categories / "broken.md"
    broken.write_text("---\ntitle: [oops\ncategory: Other\n---\n- a -> b\n", "utf-8")
    out = tmp_path / "build"
    assert build(two_categories, out) == 1
    assert f"error: {broken}:3: invalid YAML in front matter" in capsys.readouterr().err
    assert sorted(path.name for path in out.glob("*.apkg")) == ["AWS.apkg", "Computer Science.apkg"]


def test_note_without_category_builds_into_the_default_deck(notes_dir: Path, tmp_path: Path, anki: Anki) -> None:
    write_note(notes_dir, "loose-note.md", "- Question -> Answer\n")
    out = tmp_path / "build"
    assert build(notes_dir, out) == 0
    anki.import_package(out / f"{DEFAULT_CATEGORY}.apkg")
    assert anki.deck_names() == {f"{DEFAULT_CATEGORY}::loose-note"}


def test_unwritable_output_is_a_clear_error(two_categories: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "not-a-folder"
    out.write_text("a file where the output folder should be")
    assert build(two_categories, out) == 2
    assert f"notes2anki: cannot use the output folder {out}: Not a directory" in capsys.readouterr().err


def test_tag_edit_updates_cards_in_place(notes_dir: Path, tmp_path: Path, anki: Anki) -> None:
    note = write_note(notes_dir, "reliability.md", RELIABILITY)
    out = tmp_path / "build"
    history = _reviewed_collection(notes_dir, out, anki)
    note.write_text(note.read_text("utf-8").replace("tags: [saa]", "tags: [saa, exam-week]"), "utf-8")
    assert build(notes_dir, out) == 0
    log = anki.import_package(out / "AWS.apkg")
    assert (len(log.new), len(log.updated)) == (0, 4)
    assert {tuple(note_.tags) for note_ in anki.notes().values()} == {("AWS", "exam-week", "saa")}
    assert anki.review_counts() == history


def test_anki_field_separator_in_a_note_stays_in_its_field(notes_dir: Path, tmp_path: Path, anki: Anki) -> None:
    """Anki separates a note's fields with \\x1f: one typed into a note must not shift the fields after it."""
    write_note(notes_dir, "a.md", "---\ntitle: A\ncategory: Cat\n---\n## S\n\n- What is X? -> X is\x1fy\n- What\x1f is Z? -> Z\n")
    assert build(notes_dir, tmp_path / "build") == 0
    log = anki.import_package(tmp_path / "build" / "Cat.apkg")
    assert len(log.new) == 2
    fields = sorted((len(note.fields), note["Extra"], note["Context"], note["Source"]) for note in anki.notes().values())
    assert fields == [(5, "", "A › S", "a.md:7"), (5, "", "A › S", "a.md:8")]
    assert sorted(anki.rendered()) == [("A › S What is X?", "A › S What is X? X is y a.md:7"), ("A › S What is Z?", "A › S What is Z? Z a.md:8")]


def test_new_card_rules_read_every_note_again_and_keep_what_did_not_change(tmp_path: Path, monkeypatch, capsys) -> None:
    """An upgrade (or an edited rule) must reach the decks of notes nobody touched since."""
    from notes2anki import build as build_stage

    notes = tmp_path / "notes"
    write_note(notes, "a.md", "---\ncategory: A\n---\n- SSH -> 22\n")
    write_note(notes, "b.md", "---\ncategory: A\n---\n- HTTPS -> 443\n")
    assert build(notes, tmp_path / "out") == 0
    deck = (tmp_path / "out" / "A.apkg").read_bytes()
    capsys.readouterr()
    assert build(notes, tmp_path / "out") == 0
    assert "2 notes, 0 read this time" in capsys.readouterr().out
    monkeypatch.setattr(build_stage, "code_stamp", lambda: "rules of another release")
    assert build(notes, tmp_path / "out") == 0
    out = capsys.readouterr().out
    assert "2 notes, 2 read this time" in out and "no changes" in out
    assert (tmp_path / "out" / "A.apkg").read_bytes() == deck  # the same cards: the same deck, the same mtimes
