"""The identify stage: each note read this time gets its GUID and cloze numbers, from the lock's entries.

The rules are ``identity``'s; this stage only brings them the rows they need, a note file at a
time, so that memory does not grow with the tree:

1. as each file's notes arrive, a note whose identity key the lock knows (in that file, or a
   pinned one anywhere) takes that entry's GUID and cloze numbers;
2. once every file is read, the remaining notes are matched against the entries that lost their
   card (``identity.reassociate``: moved, renamed, reworded);
3. the rest are new cards: a GUID from their key.

The lock entries of the files read then become what these notes are.
"""

from __future__ import annotations

from dataclasses import dataclass

from notes2anki import identity
from notes2anki.identity import Candidate, Entry, Reassociation
from notes2anki.model import PackedNote
from notes2anki.store import Store


@dataclass(frozen=True)
class Found:
    """A re-association, with where the card is now."""

    reassociation: Reassociation
    file: str
    line: int


def stage(store: Store, root: str, notes: tuple[PackedNote, ...]) -> list[tuple[str, int, str]]:
    """Step 1 for one file's notes: exact matches with the lock, then the notes wait in the store.

    Returns warnings as (file, line, message): a pin used in another file too (the card read first keeps it).
    """
    if not notes:
        return []
    warnings = []
    entries = {entry.key: entry for entry in store.cards_of_file(notes[0].file)}
    staged = []
    for note in notes:
        entry = entries.get(note.key)
        pin = identity.pin_of(note.key)
        if pin and (other := store.staged_file_with_key(note.key)) not in (None, note.file):
            warnings.append((note.file, note.line, f"the identity '{pin}' is pinned in {other} too; this card gets an identity of its own"))
            entry = None
        elif entry is None and pin:
            entry = store.card_with_key(note.key)
            if entry is not None and store.is_staged(entry.guid):
                entry = None  # the same pin in another file read this time: that one keeps it
        if entry is None:
            staged.append((note, None, (), 0))
        else:
            numbers, top = identity.cloze_numbers(note.deletions, entry)
            staged.append((note, entry.guid, numbers, top))
    store.stage(root, staged)
    return warnings


def identify(store: Store, reopened: dict[str, set[str]]) -> list[Found]:
    """Steps 2 and 3, then the lock entries of the ``reopened`` files (root → names) are replaced."""
    found: list[Found] = []
    vanished = store.vanished(reopened)
    if vanished:
        unmatched = {row[0]: row for row in store.unidentified()}
        candidates = [Candidate(seq, file, line, kind, section, question) for seq, _, file, line, kind, section, question, _ in unmatched.values()]
        updates = []
        for reassociation in identity.reassociate(candidates, vanished):
            seq, key, file, line, kind, section, question, deletions = unmatched[reassociation.ref]
            numbers, top = identity.cloze_numbers(deletions, reassociation.previous)
            updates.append((reassociation.previous.guid, numbers, top, seq))
            found.append(Found(reassociation, file, line))
        store.identify_staged(updates)
    taken: set[str] | None = None
    updates = []
    for seq, key, _, _, _, _, _, deletions in store.unidentified():  # sorted first: updates do not disturb it
        if taken is None:
            taken = store.card_guids() | store.staged_guids()
        guid = identity.fresh_guid(key, taken)
        taken.add(guid)
        numbers, top = identity.cloze_numbers(deletions, None)
        updates.append((guid, numbers, top, seq))
        if len(updates) >= 5000:
            store.identify_staged(updates)
            updates = []
    store.identify_staged(updates)
    for root, files in reopened.items():
        store.replace_cards(root, sorted(files), [])
    batch: list[Entry] = []
    batch_root = None
    for root, guid, key, kind, file, section, question, deletions, numbers, top in store.staged_entries():
        if batch and (root != batch_root or len(batch) >= 2000):
            store.replace_cards(batch_root, [], batch)
            batch = []
        batch_root = root
        batch.append(entry_for(guid, key, kind, file, section, question, deletions, numbers, top))
    if batch:
        store.replace_cards(batch_root, [], batch)
    return found


def entry_for(guid, key, kind, file, section, question, deletions, numbers, top) -> Entry:
    """What the lock keeps of a note."""
    apart = identity.apart_of(key)
    pin = identity.pin_of(key[: len(key) - len(apart)])
    return Entry(guid, file, section, kind, question, pin, tuple(zip(deletions, numbers)), top, apart, identity.keyed_on(key, question), key)
