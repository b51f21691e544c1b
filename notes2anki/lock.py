"""The lock file: each card's identity and its last question, kept beside the notes.

A card's identity is normally a hash of its file, section, type and question. Rewording a
question, renaming a section or renaming the file changes that, and with it the card Anki would
see. The lock file (``notes2anki.lock`` in the notes folder, committed with the notes) records
the identity each card had, so that a card that disappeared from one place can be recognised
in its new form and keep its identity and review history:

- the same question (any file, any section): the file was renamed or the section moved;
- a similar question in the same file, section and type: the question was reworded.

Every such re-association is reported. Nothing is ever written into the notes themselves.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from notes2anki import identity
from notes2anki.files import atomic_write
from notes2anki.state import PackedNote

LOCK_FILE = "notes2anki.lock"
LOCK_VERSION = 1
SIMILAR = 0.75  # difflib ratio above which a question in the same place is "reworded"


@dataclass(frozen=True, slots=True)
class Entry:
    guid: str
    file: str
    section: tuple[str, ...]
    kind: str
    question: str
    pin: str | None = None

    @property
    def key(self) -> str:
        return identity.card_key(self.file, self.kind, self.section, self.question, self.pin)

    @property
    def normalised_question(self) -> str:
        return identity.normalise(self.question)


def entry_for(note: PackedNote) -> Entry:
    return Entry(note.guid, note.file, tuple(note.section), note.kind, note.question, identity.pin_of(note.key))


@dataclass(frozen=True)
class Reassociation:
    note: PackedNote
    previous: Entry
    why: str  # "reworded", "moved" or "renamed"

    def describe(self, where: str) -> str:
        """``where`` is the card's place as the user knows it (``notes/x.md:12``)."""
        if self.why == "reworded":
            return f"{where}: kept the card of the reworded question {self.previous.question!r}"
        return f"{where}: kept the card from {self.previous.file} ({self.why})"


def load(root: Path) -> list[Entry]:
    path = root / LOCK_FILE
    try:
        raw = json.loads(path.read_text("utf-8"))
        return [Entry(e["guid"], e["file"], tuple(e["section"]), e["kind"], e["question"], e.get("pin")) for e in raw["cards"]]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise LockError(f"{path}: unreadable lock file ({error}); restore it from version control or delete it") from None


class LockError(Exception):
    pass


def save(root: Path, entries: list[Entry]) -> None:
    """One card a line, sorted, so that the file diffs well in version control."""
    ordered = sorted(entries, key=lambda e: (e.file, e.section, e.kind, e.question, e.guid))
    lines = [json.dumps({k: getattr(e, k) for k in e.__slots__ if getattr(e, k) is not None}, ensure_ascii=False) for e in ordered]
    text = '{"version": %d, "cards": [\n' % LOCK_VERSION + ",\n".join(lines) + "\n]}\n"
    atomic_write(root / LOCK_FILE, text.encode("utf-8"))


def assign(notes: list[PackedNote], previous: list[Entry], reopened: set[str]) -> list[Reassociation]:
    """Give each note its GUID (in place); returns the re-associations made.

    ``notes`` are the notes of the ``reopened`` files (changed, new or deleted ones): only the
    previous entries of those files can be matched or taken over; every other previous GUID
    stays with its note.
    """
    previous_open = [entry for entry in previous if entry.file in reopened]
    by_key = {entry.key: entry for entry in previous_open}
    claimed: set[str] = set()
    unmatched: list[PackedNote] = []
    for note in notes:
        entry = by_key.get(note.key)
        if entry is not None and entry.guid not in claimed:
            note.guid = entry.guid
            claimed.add(entry.guid)
        else:
            unmatched.append(note)
    current_keys = {note.key for note in notes}
    vanished = [e for e in previous_open if e.guid not in claimed and e.key not in current_keys]
    candidates = []
    for note in unmatched if vanished else ():
        question = identity.normalise(note.question)
        for entry in vanished:
            if entry.kind != note.kind:
                continue
            if entry.normalised_question == question:
                same_file = entry.file == note.file
                candidates.append((2.0 + same_file, id(note), note, entry, "moved" if same_file else "renamed"))
            elif entry.file == note.file and list(entry.section) == note.section:
                ratio = difflib.SequenceMatcher(None, entry.normalised_question, question).ratio()
                if ratio >= SIMILAR:
                    candidates.append((ratio, id(note), note, entry, "reworded"))
    reassociations = []
    for _, _, note, entry, why in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if note.guid or entry.guid in claimed:
            continue
        note.guid = entry.guid
        claimed.add(entry.guid)
        reassociations.append(Reassociation(note, entry, why))
    taken = claimed | {entry.guid for entry in previous}
    for note in unmatched:
        if not note.guid:
            note.guid = _fresh_guid(note.key, taken)
            taken.add(note.guid)
    return reassociations


def _fresh_guid(key: str, taken: set[str]) -> str:
    """The key's GUID, unless an earlier card kept it while being reworded: then a salted one."""
    guid, salt = identity.guid(key), 1
    while guid in taken:
        salt += 1
        guid = identity.guid(f"{key}\x1f{salt}")
    return guid
