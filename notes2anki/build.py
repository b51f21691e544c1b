"""``notes2anki build``: notes to one .apkg per category, keeping the previous deck on failure.

Library code: returns a report, never prints or exits (``cli.py`` does that).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from notes2anki import cards as card_rules
from notes2anki import package, state
from notes2anki.media import MediaFiles
from notes2anki.model import Card, NoteError
from notes2anki.pipeline import extract_cards, load_notes


@dataclass
class DeckResult:
    category: str
    path: Path
    notes: int
    basic: int = 0
    cloze: int = 0
    error: str | None = None  # why the deck was not written (the previous file is kept)


@dataclass
class BuildReport:
    decks: list[DeckResult] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build(paths: list[Path], out_dir: Path) -> BuildReport:
    """Build one .apkg per category into ``out_dir``.

    A category with a card problem (identity clash, missing image) is not written, so its
    previous deck stays as it was; notes that cannot be read are left out and reported.
    """
    loaded = load_notes(paths)
    report = BuildReport(errors=list(loaded.errors))
    by_category: dict[str, list[Card]] = defaultdict(list)
    notes_by_category: dict[str, set[str]] = defaultdict(set)
    for note in loaded.notes:
        notes_by_category[note.category].add(note.display)
    for card in extract_cards(loaded.notes).cards:
        by_category[card.note.category].append(card)

    build_state, warning = state.load(out_dir)
    if warning:
        report.warnings.append(warning)
    for category in sorted(notes_by_category):
        cards = by_category.get(category, [])
        result = DeckResult(category, out_dir / f"{package.deck_file_name(category)}.apkg", len(notes_by_category[category]))
        report.decks.append(result)
        problems = [card_rules.clash_error(first, clash) for first, clash in card_rules.identity_clashes(cards)]
        media_files = MediaFiles()
        if not problems:
            try:
                packed = package.pack_notes(cards, build_state, media_files)
            except NoteError as error:
                problems.append(error)
        if problems:
            report.errors.extend(problems)
            result.error = f"{len(problems)} card problem{'' if len(problems) == 1 else 's'}"
            continue
        result.basic = sum(1 for card in cards if card.kind == "basic")
        result.cloze = len(cards) - result.basic
        try:
            package.write_package(result.path, packed, media_files, build_state.epoch_ms)
        except OSError as error:
            result.error = f"cannot write {result.path}: {error.strerror or error}"
    written = [deck for deck in report.decks if deck.error is None]
    if written:
        try:
            state.save(out_dir, build_state)
        except OSError as error:
            report.warnings.append(f"cannot save the build state in {out_dir}: {error.strerror or error}")
    return report
