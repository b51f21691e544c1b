"""Property-based tests: random Markdown, front matter and bytes never crash a stage.

The suite runs a short version; ``HYPOTHESIS_PROFILE=campaign`` runs a long one.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
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
    "::", "Status:: ", " means ", " is used for ", " is ", "後者は", "と", "の違い：", "Q: ", "A: ", " #card", "| 1789 | ",
    "；", "?", "## NAT Gateway\n", "Lets ",
]  # fmt: skip
MARKDOWN = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=60).map("".join)
READ_MARKDOWN = MARKDOWN.map(lambda text: text.replace("\r", ""))  # lint sees text as the reader returns it: every line end \n
DICTIONARY = load_dictionary(None, True)


def _document(text: str, folder: Path) -> Document:
    return Document.from_text(text, folder / "note.md", folder)


@given(MARKDOWN)
@example("**Q: `**")  # found by the campaign: a bold Q: line, whose question was looked for unbolded
@example("- **Q: Which port?**\n  - 443\n")  # the same, with its answer under it (a traceback in the last landing)
@example("- **方法：**\n  - 再起動する\n")  # any line bold from end to end over items: the rules read its words
def test_parse_cards_and_render_never_crash(text: str) -> None:
    folder = Path("/nonexistent-notes")
    try:
        note = parse_text(text, folder / "note.md", folder)
    except NoteError:
        return
    for card in extract(note).cards:
        (cloze_fields if card.kind == "cloze" else basic_fields)(card, MediaFiles())  # a missing image is a noted problem


@given(READ_MARKDOWN)
@example("- ```---\n- ```")  # found by the campaign: the second item's fence was taken for the first's closing one
def test_every_lint_rule_copes_with_any_text(text: str) -> None:
    folder = Path("/nonexistent-notes")
    document = _document(text, folder)
    corpus = Corpus([document], Config(root=folder, notes=()), DICTIONARY)
    for finding in lint([document], {document.display}, corpus, RULES):
        assert 1 <= finding.line <= len(document.lines) and finding.column >= 1


@given(READ_MARKDOWN)
def test_fix_changes_only_reported_lines_and_converges(text: str) -> None:
    folder = Path("/nonexistent-notes")
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
).map(lambda parts: ("---\n" + "".join(parts) + "\n---\n- q -> a\n").replace("\r\n", "\n").replace("\r", "\n"))  # as the reader gives it


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


# --- damaged state and lock files: detected, never trusted, never a traceback or a wrong deck ------

DAMAGE_EXAMPLES = int(os.environ.get("DAMAGE_EXAMPLES", "25"))
_NOTES = {
    "aws/a.md": "---\ntitle: A\ncategory: AWS\n---\n## S\n\n- Q1 -> A1\n- **SQS** pulls, **SNS** pushes\n- Same -> one\n- Same -> two\n",
    "aws/b.md": "---\ntitle: B\ncategory: AWS\n---\n- Q2 -> A2 <!-- notes2anki-id: pinned -->\n- T：定義\n",
    "c.md": "---\ncategory: Other\n---\n| k | v |\n| --- | --- |\n| x | y |\n- Q3 -> A3\n",
}
_STATE = ".notes2anki/state.sqlite"
_TABLES = ["meta", "files", "notes", "cards", "decks"]


def _deck_contents(out: Path, with_guids: bool) -> dict[str, list]:
    import sqlite3

    decks = {}
    for deck in sorted(out.glob("*.apkg")):
        with zipfile.ZipFile(deck) as archive:
            database = sqlite3.connect(":memory:")
            database.deserialize(archive.read("collection.anki2"))
        rows = database.execute("SELECT guid, flds, tags FROM notes").fetchall()
        # Without GUIDs (a lock edited by hand may legitimately hand a GUID to another card): the live cards.
        decks[deck.name] = sorted(row if with_guids else row[1:] for row in rows if with_guids or "notes2anki::removed" not in row[2])
    return decks


def _clean_tree(root: Path) -> Path:
    """Notes, their lock and a clean build of them, made once."""
    if not (root / "out").exists():
        for name, text in _NOTES.items():
            (root / "notes" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "notes" / name).write_text(text, "utf-8")
        assert build([root / "notes"], root / "out").errors == []
    return root


STATE_DAMAGE = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("bytes"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete")),
    st.tuples(st.just("cell"), st.sampled_from(_TABLES), st.integers(0, 40), st.integers(0, 15),
              st.one_of(st.none(), st.integers(-5, 2**40), st.text(max_size=8), st.binary(max_size=8))),
    st.tuples(st.just("row"), st.sampled_from(_TABLES), st.integers(0, 40)),
)  # fmt: skip
LOCK_DAMAGE = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("line"), st.integers(0, 12), st.text(max_size=40)),
    st.tuples(st.just("field"), st.integers(0, 12), st.sampled_from(["guid", "file", "section", "kind", "question", "cloze", "top", "pin"]),
              st.one_of(st.none(), st.integers(-3, 3), st.text(max_size=6), st.lists(st.integers(), max_size=2))),
    st.tuples(st.just("copy guid"), st.integers(0, 12), st.integers(0, 12)),
    st.tuples(st.just("delete")),
)  # fmt: skip


def _damage_state(path: Path, damage: tuple) -> None:
    import sqlite3

    kind = damage[0]
    if kind == "delete":
        path.unlink()
    elif kind == "truncate":
        path.write_bytes(path.read_bytes()[: int(path.stat().st_size * damage[1])])
    elif kind == "bytes":
        data = bytearray(path.read_bytes())
        at = int(len(data) * damage[1])
        data[at : at + len(damage[2])] = damage[2]
        path.write_bytes(bytes(data))
    else:
        database = sqlite3.connect(path)
        try:
            rows = database.execute(f"SELECT rowid FROM {damage[1]}").fetchall()
            if rows:
                rowid = rows[damage[2] % len(rows)][0]
                if kind == "row":
                    database.execute(f"DELETE FROM {damage[1]} WHERE rowid = ?", (rowid,))
                else:
                    columns = [row[1] for row in database.execute(f"PRAGMA table_info({damage[1]})")]
                    column = columns[damage[3] % len(columns)]
                    database.execute(f"UPDATE {damage[1]} SET {column} = ? WHERE rowid = ?", (damage[4], rowid))
            database.commit()
        except (sqlite3.Error, ValueError):
            pass  # a constraint, or an earlier damage already broke the file
        finally:
            database.close()


def _damage_lock(path: Path, damage: tuple) -> None:
    import json

    kind = damage[0]
    if kind == "delete":
        path.unlink(missing_ok=True)
        return
    if not path.exists():
        return
    lines = path.read_text("utf-8", errors="replace").split("\n")
    if kind == "truncate":
        path.write_text("\n".join(lines)[: int(len("\n".join(lines)) * damage[1])], "utf-8")
        return
    index = damage[1] % len(lines)
    if kind == "line":
        lines[index] = damage[2]
    else:
        try:
            entry = json.loads(lines[index])
            if kind == "field":
                entry[damage[2]] = damage[3]
            else:
                entry["guid"] = json.loads(lines[damage[2] % len(lines)])["guid"]
            lines[index] = json.dumps(entry, ensure_ascii=False)
        except (ValueError, TypeError, KeyError, AttributeError):
            return
    path.write_text("\n".join(lines), "utf-8", errors="replace")


@settings(max_examples=DAMAGE_EXAMPLES)
@given(st.lists(STATE_DAMAGE, max_size=3), st.lists(LOCK_DAMAGE, max_size=2), st.booleans())
@example([], [("field", 4, "cloze", "")], False)  # found by the campaign: a cloze entry without its deletions renumbered them
@example([], [("field", 1, "cloze", [["q1", 1]])], False)  # a basic card's entry given deletions
def test_damaged_state_and_lock_never_crash_nor_write_a_wrong_deck(tmp_path_factory, state_damage, lock_damage, drop_decks) -> None:
    import shutil

    clean = _clean_tree(Path(tmp_path_factory.getbasetemp()) / "damage-clean")
    work = tmp_path_factory.mktemp("damaged")
    shutil.copytree(clean / "notes", work / "notes")
    shutil.copytree(clean / "out", work / "out")
    for damage in state_damage:
        if (work / "out" / _STATE).exists():
            _damage_state(work / "out" / _STATE, damage)
    for damage in lock_damage:
        _damage_lock(work / "notes" / "notes2anki.lock", damage)
    if drop_decks:  # so that every deck is written from what the damaged state holds
        for deck in (work / "out").glob("*.apkg"):
            deck.unlink()
    report = build([work / "notes"], work / "out")  # never raises
    decks = _deck_contents(work / "out", with_guids=not lock_damage)
    if report.errors:  # a lock that had to be refused: nothing was written
        assert all("notes2anki.lock" in error.path for error in report.errors)
        return
    assert decks == _deck_contents(clean / "out", with_guids=not lock_damage), report
    guids = [row[0] for deck in _deck_contents(work / "out", with_guids=True).values() for row in deck]
    assert len(guids) == len(set(guids))  # never two notes with one GUID
