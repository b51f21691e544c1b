"""Reading a note: bytes → text → front matter and outline → cards, and packing its Anki notes.

``read_note`` reads a note for ``build``, ``cards`` and ``preview``; lint, whose fixes work on
text, decodes it with ``source.read_text`` and goes on with ``note_from_text``, as ``read_note``
does. ``pack`` is the build's per-file stage: pure (no shared state, no output), so it runs on
every core; what it returns is immutable and carries no GUID or mtime yet (later stages give
those).

Library code: returns results and errors, never prints or exits (``cli.py`` does that).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from notes2anki import identity, render
from notes2anki.cards import UNMADE, extract
from notes2anki.discover import Source
from notes2anki.media import MediaFiles
from notes2anki.model import Card, Note, NoteError, PackedNote, Paragraph, Skipped, plain_text
from notes2anki.parse import parse_text
from notes2anki.source import decode, discover, fingerprint_before_reading, read_bytes, read_text
from notes2anki.store import FIELD_SEPARATOR


@dataclass(frozen=True)
class ReadNote:
    path: Path
    root: Path
    text: str | None = None  # None when the file could not be read or decoded
    note: Note | None = None  # None when it could not be parsed either
    cards: tuple[Card, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    error: NoteError | None = None


def read_note(path: Path, root: Path, data: bytes | None = None) -> ReadNote:
    """One note read, parsed and turned into cards; an unusable note gives its error, never raises.

    ``data``: the file's bytes when the caller has them already.
    """
    display = str(path)
    try:
        text = read_text(path, display) if data is None else decode(data, display)
    except NoteError as error:
        return ReadNote(path, root, error=error)
    return note_from_text(text, path, root)


def note_from_text(text: str, path: Path, root: Path, positions: bool = False) -> ReadNote:
    """``read_note`` for text already decoded. ``positions``: front matter that knows each key's
    line (lint's findings point at keys; it costs time)."""
    try:
        note = parse_text(text, path, root, positions)
    except NoteError as error:
        return ReadNote(path, root, text, error=error)
    extraction = extract(note)
    return ReadNote(path, root, text, note, tuple(extraction.cards), tuple(extraction.skipped))


@dataclass
class Tree:
    """Every note under some folders, read: their cards, the items that made none, the notes that
    could not be read, and how many could."""

    cards: list[Card] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def read_tree(paths: list[Path]) -> Tree:
    """Every note under ``paths``, read, in path order (``cards`` and ``preview`` show them)."""
    tree = Tree()
    for path, root in discover(paths):
        read = read_note(path, root)
        if read.note is None:
            tree.errors.append(read.error)
            continue
        tree.notes.append(read.note)
        tree.cards.extend(read.cards)
        tree.skipped.extend(read.skipped)
    return tree


# --- the build's per-file stage ----------------------------------------------------------------


@dataclass(frozen=True)
class PackedFile:
    """What one note file gives a build: its Anki notes (no GUIDs yet) and what they depend on."""

    source: Source
    fingerprint: tuple[int, int] | None  # taken before the file was read (``source.fingerprint_before_reading``)
    sha: str = ""  # of the bytes read
    same: bool = False  # the bytes are those the state has: nothing was parsed
    category: str | None = None  # None when the note could not be read
    deck: str = ""
    description: str = ""  # the deck's description in Anki
    notes: tuple[PackedNote, ...] = ()
    media: tuple[tuple[str, str], ...] = ()  # media name → image file
    images: tuple[tuple[str, tuple[int, int] | None], ...] = ()  # every image looked for → its fingerprint
    warnings: tuple[NoteError, ...] = ()
    error: NoteError | None = None


def pack(job: tuple[Source, str | None]) -> PackedFile:
    """Read one note file and pack its Anki notes: runs in any process.

    ``job``: the file, and the hash of the content the state has for it (None: none to trust);
    that same content is not parsed again.
    """
    source, known_sha = job
    recorded = fingerprint_before_reading(source.path)
    try:
        data = read_bytes(source.path, str(source.path))
    except NoteError as error:
        return PackedFile(source, recorded, error=error)
    sha = hashlib.sha256(data).hexdigest()
    if sha == known_sha:
        return PackedFile(source, recorded, sha, same=True)
    read = read_note(source.path, source.root, data)
    if read.note is None:
        return PackedFile(source, recorded, sha, error=read.error)
    note = read.note
    media_files = MediaFiles(read.text.split("\n"))
    keys, warnings = identity.resolve_clashes(list(read.cards))
    deck = render.deck_name(note)
    notes = [_packed_note(card, key, deck, media_files) for card, key in zip(read.cards, keys)]
    warnings.extend(NoteError(note.display, item.line, f"{item.reason}: {item.text}; no note made") for item in read.skipped if item.reason.startswith(UNMADE))
    warnings.extend(media_files.problems)
    return PackedFile(
        source,
        recorded,
        sha,
        category=note.category,
        deck=deck,
        description=_description(note),
        notes=tuple(notes),
        media=tuple(sorted((name, str(path)) for name, path in media_files.files.items())),
        images=tuple(sorted((str(path), found) for path, found in media_files.looked_at.items())),
        warnings=tuple(sorted(warnings, key=lambda warning: warning.line or 0)),
    )


def _packed_note(card: Card, key: str, deck: str, media_files: MediaFiles) -> PackedNote:
    fields = (render.cloze_fields if card.kind == "cloze" else render.basic_fields)(card, media_files)
    return PackedNote(
        key=key,
        category=card.note.category,
        deck=deck,
        kind=card.kind,
        fields=tuple(field.replace(FIELD_SEPARATOR, "&#x1f;") for field in fields),  # shown the same, and never a separator
        tags=tuple(render.tags_for(card)),
        file=card.note.source_key,
        line=card.line,
        section=tuple(card.context[1:]),
        question=card.question,
        deletions=tuple(identity.normalise(text) for text in render.deletions(card)),
    )


def _description(note: Note) -> str:
    """The deck's description: front matter ``description``, else the note's first paragraph."""
    described = note.meta.get("description")
    if isinstance(described, str) and described.strip():
        return render.escape(described.strip())
    for block in note.blocks:
        if isinstance(block, Paragraph):
            text = " ".join(plain_text(block.inlines).split())
            if text:
                return render.escape(text)
    return ""
