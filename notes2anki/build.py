"""``notes2anki build``: notes to one .apkg per category, incrementally and without surprises.

- A note file whose size, mtime and content are unchanged is not parsed again: its packed notes
  come from the state in the output folder. A deck is rewritten only when one of its cards was
  added, changed, moved or removed (or the deck file is missing).
- A card that disappears is kept in its deck, tagged ``notes2anki::removed``, so that one search
  in Anki finds everything to delete; ``forget_removed`` drops those once they are deleted.
- A category with a problem (an unreadable note, a missing image, two cards with one identity)
  is not written: its previous deck and state stay as they were.

Library code: returns a report, never prints or exits (``cli.py`` does that).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from notes2anki import __version__, lock, package, state
from notes2anki.cards import clash_message, extract
from notes2anki.media import MediaFiles
from notes2anki.model import Card, Note, NoteError
from notes2anki.parse import parse_text
from notes2anki.source import decode, discover
from notes2anki.state import BuildState, FileRecord, PackedNote

REMOVED_TAG = "notes2anki::removed"
# Built notes depend on the code that built them: another version (or changed templates)
# rebuilds everything once. Unchanged notes still keep their mtimes.
TOOL_KEY = f"{__version__}/{package.NOTETYPE_MTIME}/{state.STATE_VERSION}"

Progress = Callable[[int, int], None]


@dataclass
class Changes:
    added: list[PackedNote] = field(default_factory=list)
    changed: list[PackedNote] = field(default_factory=list)
    moved: list[PackedNote] = field(default_factory=list)  # only the source line changed
    removed: list[PackedNote] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.moved or self.removed)


@dataclass
class DeckResult:
    category: str
    path: Path
    basic: int = 0
    cloze: int = 0
    kept_removed: int = 0  # removed cards still in the deck, tagged notes2anki::removed
    changes: Changes = field(default_factory=Changes)
    written: bool = False
    error: str | None = None  # why the deck was not written (the previous file is kept)


@dataclass
class BuildReport:
    decks: list[DeckResult] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reassociations: list[str] = field(default_factory=list)
    parsed: int = 0  # note files read and parsed this time
    files: int = 0


@dataclass
class _Source:
    path: Path
    root: Path
    name: str  # relative to its notes folder


def build(
    paths: list[Path],
    out_dir: Path,
    dry_run: bool = False,
    forget_removed: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    report = BuildReport()
    previous, warning = state.load(out_dir)
    if warning:
        report.warnings.append(warning)
    fresh = previous.tool != TOOL_KEY
    sources = {}
    for path, root in discover(paths):
        source = _Source(path, root, path.relative_to(root).as_posix() if root in path.parents else path.name)
        sources[source.name] = source
    report.files = len(sources)

    current = BuildState(tool=TOOL_KEY, epoch_ms=previous.epoch_ms)
    held: set[str] = set()  # categories that must not be written this time
    to_parse: list[tuple[_Source, bytes, str]] = []
    for source in sources.values():
        record = previous.files.get(source.name)
        if not fresh and record is not None and _same_stat(source, record):
            current.files[source.name] = record
            continue
        try:
            data = source.path.read_bytes()
        except OSError as error:
            report.errors.append(NoteError(str(source.path), None, f"cannot read the file: {error.strerror or error}"))
            _keep_previous(source.name, previous, current, held)
            continue
        sha = hashlib.sha256(data).hexdigest()
        if not fresh and record is not None and record.sha == sha and _same_images(source, record):
            current.files[source.name] = replace(record, **_stat(source.path))
            continue
        to_parse.append((source, data, sha))

    reopened = {source.name for source, _, _ in to_parse} | (set(previous.files) - set(sources))
    parsed = _parse(to_parse, report, previous, current, held, progress)
    _assign_and_render(parsed, sources, previous, current, reopened, report, held)
    _carry_over(previous, current, sources)
    _stamp_and_remove(previous, current, reopened, forget_removed)
    _check_identities(current, sources, report, held)

    categories = sorted({note.category for note in current.notes.values()} | {note.category for note in previous.notes.values()})
    for category in categories:
        if category in held:
            _revert(category, previous, current)
    for category in categories:
        deck = DeckResult(category, out_dir / f"{package.deck_file_name(category)}.apkg")
        report.decks.append(deck)
        if category in held:
            deck.error = "a note of this category has a problem"
        notes = sorted((n for n in current.notes.values() if n.category == category), key=lambda n: (n.file, n.line, n.guid))
        deck.basic = sum(1 for n in notes if n.kind == "basic" and not n.removed)
        deck.cloze = sum(1 for n in notes if n.kind == "cloze" and not n.removed)
        deck.kept_removed = sum(1 for n in notes if n.removed)
        deck.changes = _changes(category, previous, current)
        needed = bool(deck.changes) or fresh or not deck.path.exists() or _forgotten(category, previous, current)
        if deck.error or not notes or not needed or dry_run:
            continue
        try:
            package.write_package(deck.path, notes, _media(notes, current, sources), current.epoch_ms)
            deck.written = True
        except OSError as error:
            deck.error = f"cannot write {deck.path}: {error.strerror or error}"
            _revert(category, previous, current)

    if not dry_run and current != previous:
        try:
            state.save(out_dir, current)
            _save_locks(current, sources)
        except OSError as error:
            report.warnings.append(f"cannot save the build state in {out_dir}: {error.strerror or error}")
    return report


def _stat(path: Path) -> dict:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _same_stat(source: _Source, record: FileRecord) -> bool:
    try:
        return _stat(source.path) == {"size": record.size, "mtime_ns": record.mtime_ns} and _same_images(source, record)
    except OSError:
        return False


def _same_images(source: _Source, record: FileRecord) -> bool:
    for relative, (size, mtime_ns) in record.images.items():
        try:
            if _stat(source.root / relative) != {"size": size, "mtime_ns": mtime_ns}:
                return False
        except OSError:
            return False
    return True


def _keep_previous(name: str, previous: BuildState, current: BuildState, held: set[str]) -> None:
    """A file that cannot be used now: its category is held back (if it had one)."""
    record = previous.files.get(name)
    if record is not None:
        held.add(record.category)
        current.files[name] = record


def _parse(to_parse, report: BuildReport, previous, current, held, progress) -> list[tuple[_Source, str, Note]]:
    parsed = []
    for index, (source, data, sha) in enumerate(to_parse):
        if progress is not None:
            progress(index, len(to_parse))
        try:
            note = parse_text(decode(data, str(source.path)), source.path, source.root)
        except NoteError as error:
            report.errors.append(error)
            _keep_previous(source.name, previous, current, held)
            continue
        parsed.append((source, sha, note))
    if progress is not None:
        progress(len(to_parse), len(to_parse))
    report.parsed = len(parsed)
    return parsed


def _assign_and_render(parsed, sources, previous: BuildState, current: BuildState, reopened, report, held) -> None:
    """GUIDs for the cards of the parsed notes (through each folder's lock file), then their fields."""
    cards_by_root: dict[Path, list[Card]] = defaultdict(list)
    cards_by_file: dict[str, list[Card]] = {}
    for source, _, note in parsed:
        cards = extract(note).cards
        cards_by_file[source.name] = cards
        cards_by_root[source.root].extend(cards)
    guids: dict[int, str] = {}
    for root, cards in cards_by_root.items():
        try:
            entries = lock.load(root)
        except lock.LockError as error:
            report.errors.append(NoteError(str(root / lock.LOCK_FILE), None, str(error)))
            held.update(card.note.category for card in cards)
            entries = []
        assigned, reassociations = lock.assign(cards, entries, reopened)
        guids.update(assigned)
        report.reassociations.extend(r.describe() for r in reassociations)
    for source, sha, note in parsed:
        media_files = MediaFiles()
        try:
            packed = [package.render_card(card, guids[id(card)], media_files) for card in cards_by_file[source.name]]
        except NoteError as error:
            report.errors.append(error)
            _keep_previous(source.name, previous, current, held)
            held.add(note.category)
            continue
        for note_ in packed:
            current.notes[note_.guid] = note_
        current.files[source.name] = FileRecord(
            **_stat(source.path),
            sha=sha,
            category=note.category,
            guids=[note_.guid for note_ in packed],
            media={name: path.relative_to(source.root.resolve()).as_posix() for name, path in media_files.files.items()},
            images={
                path.relative_to(source.root.resolve()).as_posix(): list(_stat(path).values())
                for path in media_files.files.values()
            },
        )


def _carry_over(previous: BuildState, current: BuildState, sources) -> None:
    """Packed notes of the files that were not parsed again, as the last build made them."""
    for name, record in current.files.items():
        for guid in record.guids:
            if guid not in current.notes and guid in previous.notes:
                current.notes[guid] = previous.notes[guid]


def _stamp_and_remove(previous: BuildState, current: BuildState, reopened: set[str], forget_removed: bool) -> None:
    clock = state.Clock()
    for guid, note in current.notes.items():
        before = previous.notes.get(guid)
        if before is not None and not before.removed and before.content() == note.content():
            note.mtime = before.mtime
        else:
            note.mtime = clock.newer_than(before.mtime if before else 0)
    for guid, before in previous.notes.items():
        if guid in current.notes:
            continue
        if before.removed:
            if not forget_removed:
                current.notes[guid] = before
        elif before.file in reopened:
            tags = sorted({*before.tags, REMOVED_TAG})
            current.notes[guid] = replace(before, removed=True, tags=tags, mtime=clock.newer_than(before.mtime))


def _check_identities(current: BuildState, sources: dict[str, _Source], report: BuildReport, held: set[str]) -> None:
    """Two live notes with one identity in a category: refuse the category (Anki would merge them)."""
    first: dict[tuple[str, str], PackedNote] = {}
    for note in sorted(current.notes.values(), key=lambda n: (n.file, n.line)):
        if note.removed:
            continue
        earlier = first.setdefault((note.category, note.key), note)
        if earlier is not note:
            display = str(sources[note.file].path) if note.file in sources else note.file
            place = f"line {earlier.line}" if earlier.file == note.file else f"{earlier.file}:{earlier.line}"
            report.errors.append(NoteError(display, note.line, clash_message(place)))
            held.add(note.category)


def _revert(category: str, previous: BuildState, current: BuildState) -> None:
    """Leave a category exactly as the last build left it, so the next build tries it again."""
    for guid in [guid for guid, note in current.notes.items() if note.category == category]:
        del current.notes[guid]
    for guid, note in previous.notes.items():
        if note.category == category:
            current.notes[guid] = note
    for name in [name for name, record in current.files.items() if record.category == category]:
        del current.files[name]
    for name, record in previous.files.items():
        if record.category == category:
            current.files[name] = replace(record, sha="", size=-1)  # parsed again next time


def _changes(category: str, previous: BuildState, current: BuildState) -> Changes:
    changes = Changes()
    for guid, note in current.notes.items():
        if note.category != category:
            continue
        before = previous.notes.get(guid)
        if note.removed:
            if before is not None and not before.removed:
                changes.removed.append(note)
        elif before is None or before.removed:
            changes.added.append(note)
        elif before.content() != note.content():
            only_source = before.fields[:-1] == note.fields[:-1] and before.tags == note.tags and before.deck == note.deck
            (changes.moved if only_source else changes.changed).append(note)
    return changes


def _forgotten(category: str, previous: BuildState, current: BuildState) -> bool:
    return any(note.category == category and guid not in current.notes for guid, note in previous.notes.items())


def _media(notes: list[PackedNote], current: BuildState, sources) -> dict[str, Path]:
    media: dict[str, Path] = {}
    for name in sorted({note.file for note in notes}):
        record, source = current.files.get(name), sources.get(name)
        if record is None or source is None:
            continue  # a deleted note's images: its cards are already in Anki
        for media_name, relative in record.media.items():
            media[media_name] = source.root / relative
    return media


def _save_locks(current: BuildState, sources: dict[str, _Source]) -> None:
    by_root: dict[Path, list[lock.Entry]] = defaultdict(list)
    for note in current.notes.values():
        source = sources.get(note.file)
        if source is not None and not note.removed:
            by_root[source.root].append(lock.entry_for(note))
    for root, entries in by_root.items():
        previous = lock.load(root) if (root / lock.LOCK_FILE).exists() else []
        if sorted(previous, key=repr) != sorted(entries, key=repr):
            lock.save(root, entries)
