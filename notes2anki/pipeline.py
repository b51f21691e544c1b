"""Reading a notes tree and making its cards: the stages that both ``cards`` and ``build`` use.

Library code: returns results and errors, never prints or exits (``cli.py`` does that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notes2anki import cards as card_rules
from notes2anki.model import Card, Note, NoteError, Skipped
from notes2anki.parse import parse_note
from notes2anki.source import discover


@dataclass
class Notes:
    notes: list[Note] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)


def load_notes(paths: list[Path]) -> Notes:
    """Every readable note under ``paths``; each unreadable one becomes an error, not a stop."""
    loaded = Notes()
    for path, root in discover(paths):
        try:
            loaded.notes.append(parse_note(path, root))
        except NoteError as error:
            loaded.errors.append(error)
    return loaded


@dataclass
class Extracted:
    cards: list[Card] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def extract_cards(notes: list[Note]) -> Extracted:
    extracted = Extracted()
    for note in notes:
        result = card_rules.extract(note)
        extracted.cards.extend(result.cards)
        extracted.skipped.extend(result.skipped)
    return extracted
