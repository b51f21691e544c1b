"""The stamp stage: each identified note gets its mtime, and the state learns what changed.

Anki updates a note on import only when the package's mtime is strictly newer than its own
(see ``store``): a note whose content is unchanged keeps its mtime, a changed one gets a newer
one from the clock. A card that disappeared stays, tagged ``notes2anki::removed``, until
``--forget-removed``. What changed is counted per category (and listed, with ``details``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace

from notes2anki.clock import Clock
from notes2anki.model import PackedNote
from notes2anki.render import renumber_cloze
from notes2anki.store import FIELD_SEPARATOR, NoteRow, Store

REMOVED_TAG = "notes2anki::removed"
_BATCH = 2000


@dataclass(frozen=True)
class Change:
    path: str  # the note file as the user named it
    line: int
    question: str


UNLISTED = Change("", 0, "")  # a change counted but not listed


@dataclass
class Changes:
    """What changed in a category's deck since the last build."""

    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    moved: list[Change] = field(default_factory=list)  # only the source line changed
    removed: list[Change] = field(default_factory=list)
    left: list[Change] = field(default_factory=list)  # now in another category's deck
    forgotten: int = 0  # removed cards dropped by --forget-removed
    descriptions: int = 0  # notes whose deck description changed (``build`` counts them: no card changes)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.moved or self.removed or self.left or self.forgotten or self.descriptions)


@dataclass(frozen=True)
class DeckMove:
    """A note file whose cards now go to another deck (its title or category changed).

    Anki never moves existing cards on import: they stay in the old deck until moved by hand.
    """

    path: str
    old: str
    new: str
    cards: int


@dataclass
class Stamped:
    changes: dict[str, Changes] = field(default_factory=lambda: defaultdict(Changes))
    deck_moves: list[DeckMove] = field(default_factory=list)


def content_hashes(note: PackedNote) -> tuple[str, str]:
    """(everything Anki stores but the Source field, the Source field): a change in the second alone is a move."""
    body = "\x1e".join((note.kind, FIELD_SEPARATOR.join(note.fields[:-1]), FIELD_SEPARATOR.join(note.tags), note.deck))
    return _digest(body), _digest(note.fields[-1])


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def stamp(
    store: Store,
    clock: Clock,
    reopened: dict[str, set[str]],
    paths: dict[str, str],
    floor: int,
    forget_removed: bool,
    details: bool = True,
) -> Stamped:
    """Stamp the staged notes into the state; ``reopened``: the note files read again or deleted (root → names).

    ``paths``: file name → the path to show. ``floor``: a time every new mtime must be newer
    than. With no state, that is the second the build started in: the last build (which had
    ended by then) cannot have written a newer mtime, so the new ones always win in Anki.
    ``details``: list each change (for ``-v``); otherwise only counted, so that a cold build
    does not hold one entry per card.
    """
    stamped = Stamped()
    moves: dict[tuple[str, str, str], int] = defaultdict(int)

    def newer_than(previous: int) -> int:
        return clock.newer_than(max(previous, floor))

    batch: list[NoteRow] = []
    for note, numbers, before in store.staged():
        if note.kind == "cloze" and numbers and numbers != tuple(range(1, len(numbers) + 1)):
            note = replace(note, fields=(renumber_cloze(note.fields[0], numbers), *note.fields[1:]))
        body, source = content_hashes(note)
        change = Change(paths.get(note.file, note.file), note.line, note.question) if details else UNLISTED
        changes = stamped.changes[note.category]
        if before is None or before.removed:
            changes.added.append(change)
        elif before.note.category != note.category:
            changes.added.append(change)
            stamped.changes[before.note.category].left.append(change)
        elif before.body != body:
            changes.changed.append(change)
        elif before.source != source:
            changes.moved.append(change)
        if before is not None and not before.removed and before.note.deck != note.deck:
            moves[(paths.get(note.file, note.file), before.note.deck, note.deck)] += 1
        if before is not None and not before.removed and (before.body, before.source) == (body, source):
            mtime = before.note.mtime
        else:
            mtime = newer_than(before.note.mtime if before else 0)
        batch.append(NoteRow(replace(note, mtime=mtime), body, source))
        if len(batch) >= _BATCH:
            store.put_notes(batch)
            batch = []
    store.put_notes(batch)

    gone = store.gone_notes(reopened)
    for row in gone:
        change = Change(paths.get(row.note.file, row.note.file), row.note.line, row.note.question) if details else UNLISTED
        stamped.changes[row.note.category].removed.append(change)
    if forget_removed:
        store.delete_notes([row.note.guid for row in gone])
    else:
        store.put_notes([_removed(row, newer_than(row.note.mtime)) for row in gone])
    if forget_removed:
        forgotten = store.removed_notes()
        for category, guids in forgotten.items():
            stamped.changes[category].forgotten += len(guids)
            store.delete_notes(guids)
    stamped.deck_moves = [DeckMove(path, old, new, count) for (path, old, new), count in sorted(moves.items())]
    return stamped


def _removed(row: NoteRow, mtime: int) -> NoteRow:
    note = replace(row.note, tags=tuple(sorted({*row.note.tags, REMOVED_TAG})), mtime=mtime)
    return NoteRow(note, *content_hashes(note), removed=True)
