"""Card rules: each fixture note sits beside the cards it must make (``notes2anki cards`` output)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from notes2anki import cards as card_rules
from notes2anki import lines
from notes2anki.cli import main
from notes2anki.lines import qa_pair
from notes2anki.model import BulletList, ListItem
from notes2anki.parse import parse_text
from tests.conftest import FIXTURES, write_note

CARD_LINE = re.compile(r"^\S+:\d+: ([\w-]+) \((?:basic|cloze)\)", re.MULTILINE)
SKIP_LINE = re.compile(r"^\S+:\d+: no card: (.+?): ", re.MULTILINE)
CARD_FIXTURES = sorted((FIXTURES / "cards").glob("*.md"))


@pytest.mark.parametrize("note", CARD_FIXTURES, ids=lambda path: path.stem)
def test_fixture_makes_the_expected_cards(note: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(note.parent)
    assert main(["cards", note.name]) == 0
    expected = note.with_suffix(".cards").read_text(encoding="utf-8")
    assert capsys.readouterr().out == expected


def test_every_rule_and_every_reason_has_a_fixture(monkeypatch, capsys) -> None:
    monkeypatch.chdir(FIXTURES / "cards")
    assert main(["cards", "--format", "json", "."]) == 0
    output = json.loads(capsys.readouterr().out)
    assert {card["rule"] for card in output["cards"]} == set(card_rules.RULES)
    reasons = {value for module in (card_rules, lines) for name, value in vars(module).items() if name.isupper() and isinstance(value, str) and " " in value}
    assert {skipped["reason"].split(" (")[0] for skipped in output["skipped"]} == {reason.split(" (")[0] for reason in reasons}


def test_json_output_has_every_card_and_every_skipped_line(monkeypatch, capsys) -> None:
    monkeypatch.chdir(FIXTURES / "cards")
    assert main(["cards", "--format", "json", "cloze.md", "skipped.md"]) == 0
    output = json.loads(capsys.readouterr().out)
    first = output["cards"][0]
    assert first == {
        "path": "cloze.md",
        "line": 7,
        "rule": "cloze",
        "type": "cloze",
        "context": ["Cloze", "Messaging"],
        "front": "{{c1::SQS}} is pull-based and {{c2::SNS}} is push-based",
        "back": "",
        "extra": "",
    }
    assert {"path": "skipped.md", "line": 14, "text": "https://example.com/faq", "reason": lines.LINKS} in output["skipped"]
    expected = "".join((FIXTURES / "cards" / name).read_text(encoding="utf-8") for name in ("cloze.cards", "skipped.cards"))
    assert len(output["skipped"]) == len(SKIP_LINE.findall(expected))
    assert len(output["cards"]) == len(CARD_LINE.findall(expected))


def test_cards_of_a_folder_report_unreadable_notes_and_go_on(notes_dir: Path, capsys) -> None:
    write_note(notes_dir, "good.md", "- Q -> A\n")
    (notes_dir / "bad.md").write_bytes("- 質問 -> 答え\n".encode("shift_jis"))
    assert main(["cards", str(notes_dir)]) == 1
    captured = capsys.readouterr()
    assert "good.md:1: arrow" in captured.out
    assert f"{notes_dir / 'bad.md'}:1: the file is not UTF-8 (it decodes as SHIFT-JIS)" in captured.err


# --- one item more or less never touches the cards of the others ---------------------------------


def _keys(text: str) -> dict[str, int]:
    """The identity of each card, with its line. A card that resolves 前者/後者 names the item
    it refers to, so it goes with that item: it is left out."""
    note = parse_text(text, Path("notes/note.md"), Path("notes"))
    return {card.key: card.line for card in card_rules.extract(note).cards if card.rule != "reference"}


def _lists(text: str) -> list[BulletList]:
    note = parse_text(text, Path("notes/note.md"), Path("notes"))
    return [block for block in note.blocks if isinstance(block, BulletList)]


def _leaves_with_siblings(items: list[ListItem]):
    """One-line items that are not the only answer of the item above them (nor the ``A:`` of
    the ``Q:`` item before them)."""
    for previous, item in zip([None, *items], items):
        answers = previous is not None and qa_pair(previous.inlines, item.inlines) is not None
        if not item.children and not item.body and len(items) > 1 and not answers:
            yield item
        yield from _leaves_with_siblings(item.children)


def _edits(text: str):
    """Each one-line list item removed in turn, and a quick-reference line added to each list."""
    lines = text.split("\n")
    for block in _lists(text):
        for item in _leaves_with_siblings(block.items):
            yield f"without line {item.line}", item.line, "\n".join(lines[: item.line - 1] + lines[item.line :])
        last = block.items[-1]
        end = last.line  # the last item ends where its indented lines (nested items, code) do
        while end < len(lines) and lines[end].startswith((" ", "\t")):
            end += 1
        indent = re.match(r"\s*(?:[-*+]|\d+[.)])\s", lines[last.line - 1])
        if indent:
            added = indent.group().rstrip().rstrip("0123456789.)") + ("- " if indent.group().strip()[-1] in ".)" else " ") + "問い -> 答え"
            yield f"with a line after {end}", None, "\n".join(lines[:end] + [added.lstrip() if not indent.group()[0].isspace() else added] + lines[end:])


@pytest.mark.parametrize("note", CARD_FIXTURES, ids=lambda path: path.stem)
def test_one_item_more_or_less_keeps_every_other_card(note: Path) -> None:
    text = note.read_text(encoding="utf-8")
    before = _keys(text)
    for edit, removed, edited in _edits(text):
        after = _keys(edited)
        kept = {key for key, line in before.items() if line != removed and "(part" not in key}
        assert kept <= set(after), f"{edit}: lost {sorted(kept - set(after))}"


# --- nothing is lost without a word ---------------------------------------------------------------


def _lines_of(blocks):
    """(line, text) of every list item and paragraph a reader would take for a fact, and of each
    further line an item is wrapped over (``-> so firms raise prices`` under its item)."""
    from notes2anki.model import Details, Paragraph, Quote, plain_text, source_lines

    for block in blocks:
        if isinstance(block, Paragraph) and plain_text(block.inlines).strip():
            yield block.line, plain_text(block.inlines)
        elif isinstance(block, BulletList):
            for item in block.items:
                if plain_text(item.inlines).strip():
                    yield item.line, plain_text(item.inlines)
                for offset, line in enumerate(source_lines(item.inlines)[1:], start=1):
                    if plain_text(line).strip():
                        yield item.line + offset, plain_text(line)
                yield from _lines_of(item.body)
                yield from _lines_of([BulletList(item.line, item.children)])
        elif isinstance(block, Details):
            yield from _lines_of(block.body)
        elif isinstance(block, Quote):  # a callout: reported whole, at its first line, if it makes no card
            yield block.line, plain_text(block.title) or "callout"


def _on_a_card(text: str, shown: str) -> bool:
    """The line's words are on some card: whole, or part by part (a 前者/後者 line is split
    between the cards of what it refers to; a lead-in loses its colon)."""
    from notes2anki import wording

    key = wording.normalised(text).rstrip(":：")
    if key in shown:
        return True
    parts = [re.sub(r"^(?:前者|後者)は?", "", part) for part in re.split(r"[、。,;:：]", key)]
    return all(part in shown for part in parts if len(part) >= 3)


@pytest.mark.parametrize("note", CARD_FIXTURES, ids=lambda path: path.stem)
def test_every_item_and_paragraph_is_on_a_card_or_says_why_not(note: Path) -> None:
    from notes2anki import render, wording

    parsed = parse_text(note.read_text(encoding="utf-8"), note, note.parent)
    extraction = card_rules.extract(parsed)
    shown = wording.normalised(" ".join(" ".join([*render.card_text(card).values(), card.question, *card.context]) for card in extraction.cards))
    accounted = {card.line for card in extraction.cards} | {item.line for item in extraction.skipped}
    for line, text in _lines_of(parsed.blocks):
        if text.strip() != "%":  # mdanki's separator is syntax, not a line of the note
            assert line in accounted or _on_a_card(text, shown), f"line {line} ({text!r}) is on no card and not reported"


def test_the_readme_shows_every_card_rule_with_an_example() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    rules = set(re.findall(r"^\| `([\w-]+)` \| .+ \| .+ \|$", readme, re.MULTILINE))
    assert rules >= set(card_rules.RULES)
