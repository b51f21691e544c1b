"""The package stage: which categories get a new ``.apkg``, under which file name, written from the state.

A deck is written from the notes the state holds for its category (those read this time and
those that were not), so a build of one note file rewrites only its category's deck, whole.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

from notes2anki import files
from notes2anki.model import PackedNote
from notes2anki.store import Store, StoreDamaged

_FILE_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]')
MAX_NAME_BYTES = 120  # well inside every common file system's 255, with room for a suffix


def file_name(category: str, taken: set[str], suffix: str = ".apkg") -> str:
    """A deck file name for ``category``, safe on every common file system and unique among ``taken``.

    ``AWS`` → ``AWS.apkg``. A name that had to be changed (characters a file system refuses,
    too long) or that would collide with another deck's, ignoring case as macOS and Windows
    do (``taken`` holds names case-folded), gets a short hash of the category, so no two
    categories share a file.
    """
    safe = _FILE_UNSAFE.sub("_", category).strip(" .") or "_"
    tag = f"-{hashlib.sha256(category.encode('utf-8')).hexdigest()[:8]}"
    if len(safe.encode("utf-8")) > MAX_NAME_BYTES:
        safe = safe.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
        return safe + tag + suffix
    if safe != category or (safe + suffix).casefold() in taken:
        return safe + tag + suffix
    return safe + suffix


def assign_file_names(store: Store, categories: list[str]) -> dict[str, str]:
    """Each category's deck file: the one it had, or a new one that collides with none."""
    known = store.deck_files()
    names = {category: known[category] for category in categories if category in known}
    taken = {name.casefold() for name in known.values()}
    for category in categories:
        if category not in names:
            names[category] = file_name(category, taken)
            taken.add(names[category].casefold())
            store.set_deck_file(category, names[category])
    return names


def deck_input(store: Store, category: str) -> tuple[Iterator[list[PackedNote]], dict[str, Path], dict[str, str]]:
    """A category's notes a note file at a time, its images and its decks' descriptions."""
    media: dict[str, Path] = {}
    descriptions: dict[str, str] = {}
    for row in store.files():
        if row.category != category:
            continue
        descriptions[row.deck] = row.description
        media.update({name: Path(path) for name, path in row.media.items() if Path(path).is_file()})
    rows = (row.note for row in store.notes_of_category(category))
    groups = (list(notes) for _, notes in groupby(rows, key=lambda note: note.file))
    return groups, media, descriptions


def write_beside(store: Store, category: str, path: Path, epoch_ms: int) -> Path:
    """A category's deck, written whole into a temporary file beside ``path`` (``files.write_beside``),
    its notes read from the state as it goes: the build puts every deck in place once all are written."""
    from notes2anki import package as writer  # genanki: imported only when a deck is written

    groups, media, descriptions = deck_input(store, category)
    guids: set[str] = set()
    count = 0

    def checked():
        """A damaged index could repeat or skip rows that each look whole: count them against the table."""
        nonlocal count
        for group in groups:
            for note in group:
                if note.guid in guids:
                    raise StoreDamaged(f"{store.path}: the note {note.guid} is read twice")
                guids.add(note.guid)
            count += len(group)
            yield group

    def content(stream) -> None:
        writer.write_package(stream, checked(), media, epoch_ms, descriptions, scratch=path.parent)
        if count != store.category_size(category):
            raise StoreDamaged(f"{store.path}: the deck {category!r} does not get every note the state holds")

    return files.write_beside(path, content)
