"""The identify stage: each note read this time gets its GUID and cloze numbers, from the lock's entries.

The rules are ``identity``'s; this stage only brings them the rows they need from the store
(a note file's at a time, then only the notes left without a GUID):

1. as each file's notes arrive, a note whose identity key its file's lock entries know takes
   that entry's GUID and cloze numbers;
2. once every file is read, each pin goes to the card that has it (``_place_pins``);
3. the remaining notes are matched against the entries that lost their card
   (``identity.reassociate``: moved, renamed, reworded);
4. the rest are new cards: a GUID from their key.

The lock entries of the files read then become what these notes are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
class Identified:
    found: list[Found] = field(default_factory=list)
    warnings: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, message)


def stage(store: Store, root: str, notes: tuple[PackedNote, ...]) -> None:
    """Step 1 for one file's notes: exact matches with that file's lock entries, then the notes wait in the store."""
    if not notes:
        return
    entries = {entry.key: entry for entry in store.cards_of_file(notes[0].file)}
    staged = []
    for note in notes:
        entry = entries.get(note.key)
        if entry is None:
            staged.append((note, None, (), 0))
        else:
            numbers, top = identity.cloze_numbers(note.deletions, entry)
            staged.append((note, entry.guid, numbers, top))
    store.stage(root, staged)


def identify(store: Store, reopened: dict[str, set[str]]) -> Identified:
    """Steps 2 to 4, then the lock entries of the ``reopened`` files (root → names) are replaced."""
    identified = Identified(warnings=_place_pins(store, reopened))
    vanished = store.vanished(reopened)
    if vanished:
        unmatched = {row[0]: row for row in store.unidentified()}
        candidates = [Candidate(seq, file, line, kind, section, question) for seq, _, file, line, kind, section, question, _ in unmatched.values()]
        updates = []
        for reassociation in identity.reassociate(candidates, vanished):
            seq, key, file, line, kind, section, question, deletions = unmatched[reassociation.ref]
            numbers, top = identity.cloze_numbers(deletions, reassociation.previous)
            updates.append((reassociation.previous.guid, numbers, top, seq))
            identified.found.append(Found(reassociation, file, line))
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
    return identified


def _place_pins(store: Store, reopened: dict[str, set[str]]) -> list[tuple[str, int, str]]:
    """Step 2: where each pin read this time belongs. Returns a warning for each card whose pin another file has too.

    A pin stays with the card that has it: one its own file's entry identified (step 1), or one
    in a file not read this time (it still has it). Only when the card that had it no longer
    does (its file was read or deleted) does the pin, and its card, move: to the first card
    with it, in file order. Every other card with that pin gets an identity of its own.
    """
    holders: dict[str, str] = {}  # pin key → the file whose card has it
    updates, warnings = [], []
    for seq, key, file, line, guid, deletions in store.staged_pins():  # those step 1 identified first
        if key not in holders:
            cards = store.cards_with_key(key)
            unread = [entry.file for root, entry in cards if entry.file not in reopened.get(root, ())]
            if not unread:  # this card has it; if a card read again had it, it comes from there
                holders[key] = file
                moved = [entry for root, entry in cards if entry.file in reopened.get(root, ())]
                if guid is None and moved:
                    numbers, top = identity.cloze_numbers(deletions, moved[0])
                    updates.append((moved[0].guid, numbers, top, seq))
                continue
            holders[key] = unread[0]
        warnings.append((file, line, f"the identity '{identity.pin_of(key)}' is pinned in {holders[key]} too; this card gets an identity of its own"))
    store.identify_staged(updates)
    return warnings


def entry_for(guid, key, kind, file, section, question, deletions, numbers, top) -> Entry:
    """What the lock keeps of a note."""
    apart = identity.apart_of(key)
    pin = identity.pin_of(key[: len(key) - len(apart)])
    return Entry(guid, file, section, kind, question, pin, tuple(zip(deletions, numbers)), top, apart, identity.keyed_on(key, question), key)
