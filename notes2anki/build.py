"""``notes2anki build``: notes to one .apkg per category, incrementally and without surprises.

- A note file whose size, mtime and content are unchanged is not parsed again, and a deck is
  rewritten only when one of its cards was added, changed, moved or removed (or the deck file
  is missing); its other notes come from the packed-note cache of the last build.
- A card that disappears is kept in its deck, tagged ``notes2anki::removed``, so that one search
  in Anki finds everything to delete; ``forget_removed`` drops those once they are deleted.
- A category with a problem (an unreadable note, a missing image, two cards with one identity)
  is not written: its previous deck and state stay as they were, and the next build tries again.

Library code: returns a report, never prints or exits (``cli.py`` does that).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from notes2anki import __version__, identity, lock, parallel, render, state
from notes2anki.cards import extract
from notes2anki.identity import clash_error, identity_clashes, pin_of
from notes2anki.files import atomic_write, exclusive, remove_leftovers
from notes2anki.media import MediaFiles
from notes2anki.model import NoteError
from notes2anki.parse import parse_text
from notes2anki.source import decode, discover, root_of, source_key
from notes2anki.state import BuildState, FileRecord, PackedNote, Stamp

REMOVED_TAG = "notes2anki::removed"
# Built notes depend on the code that built them: another version (or changed templates)
# reads every note again once. Unchanged notes still keep their mtimes.
TOOL_KEY = f"{__version__}/{identity.NOTETYPE_MTIME}/{state.STATE_VERSION}"
_FILE_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]')

BIG_DECKS = 5000  # notes to package at least, for packaging decks in several processes to pay

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
class BuildReport:
    decks: list[DeckResult] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reassociations: list[str] = field(default_factory=list)
    parsed: int = 0  # note files read and parsed this time
    files: int = 0
    state_error: str | None = None  # decks were written but the state was not: the next build re-stamps
    deck_moves: list[DeckMove] = field(default_factory=list)


@dataclass
class _Source:
    path: Path
    root: Path
    name: str  # relative to its notes folder


@dataclass
class _Built:
    """One note file read and packed this time (GUIDs are given afterwards, from the lock file)."""

    source: _Source
    category: str | None = None  # None when the note could not be read at all
    record: FileRecord | None = None
    packed: list[PackedNote] = field(default_factory=list)
    stamps: list[Stamp] = field(default_factory=list)  # of ``packed``, computed where they were made
    cache: bytes = b""  # ``packed`` as the state keeps them
    errors: list[NoteError] = field(default_factory=list)


def _build_file(job: tuple[_Source, bytes, str]) -> _Built:
    """Parse, extract and render one note file: no shared state, so it can run in any process."""
    source, data, sha = job
    built = _Built(source)
    try:
        note = parse_text(decode(data, str(source.path)), source.path, source.root)
        built.category = note.category
        cards = extract(note).cards
        built.errors = [clash_error(first, clash) for first, clash in identity_clashes(cards)]
        media_files = MediaFiles()
        built.packed = [render.packed_note(card, "", media_files) for card in cards]
    except NoteError as error:
        built.errors.append(error)
        return built
    built.stamps = [note.stamp() for note in built.packed]
    built.cache = state.cache_bytes(built.packed)
    root = source.root.resolve()
    built.record = FileRecord(
        **_stat(source.path),
        sha=sha,
        category=note.category,
        guids=[],
        media={name: path.relative_to(root).as_posix() for name, path in media_files.files.items()},
        images={path.relative_to(root).as_posix(): list(_stat(path).values()) for path in media_files.files.values()},
        pins=sorted({card.key for card in cards if pin_of(card.key)}),
    )
    return built


class _Build:
    """One run of ``build``: the previous state, the state being made, and what happened."""

    def __init__(self, paths: list[Path], out_dir: Path, forget_removed: bool, dry_run: bool, progress: Progress | None) -> None:
        self.report = BuildReport()
        self.dry_run = dry_run
        self.previous, warning = state.load(out_dir)
        if warning:
            self.report.warnings.append(warning)
        self.fresh = self.previous.tool != TOOL_KEY
        self.current = BuildState(out_dir, tool=TOOL_KEY, epoch_ms=self.previous.epoch_ms)
        self.forget_removed = forget_removed
        self.progress = progress
        self.sources: dict[str, _Source] = {}
        for path, root in discover(paths):
            name = source_key(path, root)
            self.sources[name] = _Source(path, root, name)
        self.report.files = len(self.sources)
        self.roots = {root_of(path) for path in paths}
        self.held: set[str] = set()  # categories that must not be written this time
        self.held_why: dict[str, str] = {}  # why, when it is not a problem in a note
        self.built: dict[str, _Built] = {}
        self.locks: dict[Path, list[lock.Entry]] = {}  # lock entries of the notes folders rebuilt from
        self.clock = state.Clock()

    # --- which files to read -----------------------------------------------------------------

    def read_changed(self) -> None:
        to_parse = []
        for source in self.sources.values():
            record = self.previous.files.get(source.name)
            if not self.fresh and record is not None and _same_stat(source, record):
                self.current.files[source.name] = record
                continue
            try:
                data = source.path.read_bytes()
            except OSError as error:
                self._fail(source.name, NoteError(str(source.path), None, f"cannot read the file: {error.strerror or error}"))
                continue
            sha = hashlib.sha256(data).hexdigest()
            if not self.fresh and record is not None and record.sha == sha and _same_images(source, record):
                self.current.files[source.name] = replace(record, **_stat(source.path))
                continue
            to_parse.append((source, data, sha))
        for built in parallel.map_jobs(_build_file, to_parse, self.progress):
            for error in built.errors:
                self._fail(built.source.name, error, built.category)
            if built.record is not None and not built.errors:
                self.built[built.source.name] = built
                self._keep(built)
        self.report.parsed = len(to_parse)

    def _keep(self, built: _Built) -> None:
        """Store a built file's packed notes in its cache now, and keep only what the run needs.

        Cache files are named by content and never change, so writing them before the index
        is safe; the rendered fields are read back from them when a deck is written.
        """
        if self.dry_run:
            return
        path = state.cache_path(self.current.out_dir, built.source.name, built.record.sha)
        try:
            atomic_write(path, built.cache)
        except OSError as error:
            self.held.add(built.category)
            self.held_why[built.category] = f"cannot write {path.parent}: {error.strerror or error}"
            return
        built.cache = b""
        for note in built.packed:
            note.fields = []

    def _fail(self, name: str, error: NoteError, category: str | None = None) -> None:
        """A note that cannot be used now: its category keeps its previous deck."""
        self.report.errors.append(error)
        record = self.previous.files.get(name)
        if record is not None:
            self.held.add(record.category)
        if category is not None:
            self.held.add(category)

    @property
    def reopened(self) -> set[str]:
        """Files whose cards are being rebuilt: parsed again, or deleted."""
        return set(self.built) | (set(self.previous.files) - set(self.sources))

    # --- identities, fields and stamps ---------------------------------------------------------

    def identify(self) -> None:
        """GUIDs for the notes built, through each notes folder's lock file."""
        by_root: dict[Path, list[PackedNote]] = defaultdict(list)
        for built in self.built.values():
            by_root[built.source.root].extend(built.packed)
        deleted = set(self.previous.files) - set(self.sources)
        for root in sorted(self.roots if deleted else set(by_root)):
            try:
                self.locks[root] = lock.load(root)
            except lock.LockError as error:
                self.report.errors.append(NoteError(str(root / lock.LOCK_FILE), None, str(error)))
                self.held.update(note.category for note in by_root.get(root, []))
                continue
            for reassociation in lock.assign(by_root.get(root, []), self.locks[root], self.reopened):
                note = reassociation.note
                self.report.reassociations.append(reassociation.describe(f"{self.sources[note.file].path}:{note.line}"))
        for name, built in self.built.items():
            built.record.guids = [note.guid for note in built.packed]
            self.current.files[name] = built.record
        self._check_pins()

    def _check_pins(self) -> None:
        """A pinned identity is unique across files (other identities include their file)."""
        owners: dict[str, str] = {}
        for name, record in sorted(self.current.files.items()):
            for pin in record.pins:
                first = owners.setdefault(pin, name)
                if first != name:
                    where = str(self.sources[name].path) if name in self.sources else name
                    message = f"the identity '{pin_of(pin)}' is pinned in {first} too"
                    self._fail(name, NoteError(where, None, message), record.category)

    def stamp(self) -> None:
        """Each live note's stamp (kept mtime if unchanged); cards that disappeared become removed."""
        for name, record in self.current.files.items():
            built = self.built.get(name)
            if built is None:
                for guid in record.guids:
                    if guid in self.previous.stamps:
                        self.current.stamps[guid] = self.previous.stamps[guid]
                continue
            for note, stamp in zip(built.packed, built.stamps):
                self.current.stamps[note.guid] = self._stamped(note, stamp)
        for guid, note in self.previous.removed.items():
            if guid not in self.current.stamps and not self.forget_removed:
                self.current.removed[guid] = note
                self.current.stamps[guid] = self.previous.stamps[guid]
        new_decks = {note.guid: note.deck for built in self.built.values() for note in built.packed}
        for name in sorted(self.reopened):
            moved: dict[tuple[str, str], int] = defaultdict(int)
            for note in self.previous.packed(name):
                if note.guid in new_decks and new_decks[note.guid] != note.deck:
                    moved[(note.deck, new_decks[note.guid])] += 1
                if note.guid not in self.current.stamps:
                    removed = replace(note, tags=sorted({*note.tags, REMOVED_TAG}))
                    removed.mtime = self.clock.newer_than(self.previous.stamps[note.guid].mtime)
                    self.current.removed[note.guid] = removed
                    self.current.stamps[note.guid] = replace(removed.stamp(), mtime=removed.mtime, removed=True)
            where = str(self.sources[name].path) if name in self.sources else name
            self.report.deck_moves.extend(DeckMove(where, old, new, count) for (old, new), count in moved.items())

    def _stamped(self, note: PackedNote, stamp: Stamp) -> Stamp:
        before = self.previous.stamps.get(note.guid)
        if before is not None and not before.removed and before.same_content(stamp):
            note.mtime = before.mtime
        else:
            note.mtime = self.clock.newer_than(before.mtime if before else 0)
        stamp.mtime = note.mtime
        return stamp

    def hold_back(self) -> None:
        """A held category is left exactly as the last build left it."""
        for category in self.held:
            stamps = {g: s for g, s in self.current.stamps.items() if s.category != category}
            stamps.update({g: s for g, s in self.previous.stamps.items() if s.category == category})
            self.current.stamps = stamps
            removed = {g: n for g, n in self.current.removed.items() if n.category != category}
            removed.update({g: n for g, n in self.previous.removed.items() if n.category == category})
            self.current.removed = removed
            for name in [n for n, r in self.current.files.items() if r.category == category]:
                del self.current.files[name]
                self.built.pop(name, None)
            for name, record in self.previous.files.items():
                if record.category == category:
                    self.current.files[name] = record

    # --- decks -------------------------------------------------------------------------------------

    def categories(self) -> list[str]:
        return sorted({s.category for s in self.current.stamps.values()} | {s.category for s in self.previous.stamps.values()})

    def changes(self, category: str) -> Changes:
        """What changed in a category since the last build: only rebuilt files can have changes."""
        changes = Changes()
        new = {note.guid: note for built in self.built.values() if built.category == category for note in built.packed}
        candidates = [*new, *(g for g, n in self.current.removed.items() if n.category == category)]
        for guid in candidates:
            stamp = self.current.stamps.get(guid)
            if stamp is None or stamp.category != category:
                continue
            before = self.previous.stamps.get(guid)
            if stamp.removed:
                if before is not None and not before.removed:
                    changes.removed.append(self.current.removed[guid])
            elif before is None or before.removed:
                changes.added.append(new[guid])
            elif not before.same_content(stamp):
                (changes.moved if before.body == stamp.body else changes.changed).append(new[guid])
        for group in (changes.added, changes.changed, changes.moved, changes.removed):
            group.sort(key=lambda note: (note.file, note.line))
        return changes

    def deck_job(self, category: str) -> _DeckJob:
        """What writing a category's deck needs: its notes' caches, its removed notes, its media."""
        job = _DeckJob([note for note in self.current.removed.values() if note.category == category], [], {}, self.current.epoch_ms)
        for name, record in sorted(self.current.files.items()):
            if record.category != category:
                continue
            mtimes = [self.current.stamps[guid].mtime for guid in record.guids]
            job.caches.append((name, state.cache_path(self.current.out_dir, name, record.sha), record.guids, mtimes))
            if name in self.sources:  # a deleted note's images are in Anki already
                job.media.update({media: self.sources[name].root / path for media, path in record.media.items()})
        return job

    def save(self) -> None:
        state.save(self.current)
        self._save_locks()

    def _save_locks(self) -> None:
        """Each notes folder's lock: unchanged files keep their entries, rebuilt ones get new ones."""
        for root, previous in self.locks.items():
            kept = [entry for entry in previous if entry.file in self.current.files and entry.file not in self.built]
            fresh = [lock.entry_for(note) for built in self.built.values() if built.source.root == root for note in built.packed]
            if set(previous) != set(kept + fresh):
                lock.save(root, kept + fresh)


def build(
    paths: list[Path],
    out_dir: Path,
    dry_run: bool = False,
    forget_removed: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build one .apkg per category into ``out_dir``.

    Raises ``files.Busy`` while another build uses ``out_dir``, and OSError when ``out_dir``
    cannot be created.
    """
    with exclusive(out_dir / state.STATE_DIR, "notes2anki build"):
        return _build(paths, out_dir, dry_run, forget_removed, progress)


def _build(paths: list[Path], out_dir: Path, dry_run: bool, forget_removed: bool, progress: Progress | None) -> BuildReport:
    for folder in (out_dir, out_dir / state.STATE_DIR, out_dir / state.STATE_DIR / "files", *map(root_of, paths)):
        remove_leftovers(folder)
    run = _Build(paths, out_dir, forget_removed, dry_run, progress)
    run.read_changed()
    run.identify()
    run.stamp()
    run.hold_back()
    by_category: dict[str, list[Stamp]] = defaultdict(list)
    for stamp in run.current.stamps.values():
        by_category[stamp.category].append(stamp)
    forgotten = {s.category for g, s in run.previous.stamps.items() if g not in run.current.stamps}
    to_write: list[tuple[DeckResult, _DeckJob]] = []
    for category in run.categories():
        deck = DeckResult(category, out_dir / f"{deck_file_name(category)}.apkg")
        run.report.decks.append(deck)
        deck.changes = run.changes(category)
        stamps = by_category[category]
        deck.basic = sum(1 for stamp in stamps if stamp.kind == "basic" and not stamp.removed)
        deck.cloze = sum(1 for stamp in stamps if stamp.kind == "cloze" and not stamp.removed)
        deck.kept_removed = sum(1 for stamp in stamps if stamp.removed)
        if category in run.held:
            deck.error = run.held_why.get(category, "a note of this category has a problem")
        elif stamps and not dry_run and (deck.changes or run.fresh or category in forgotten or not deck.path.exists()):
            to_write.append((deck, run.deck_job(category)))
    big = sum(len(by_category[deck.category]) for deck, _ in to_write) >= BIG_DECKS
    packages = parallel.map_jobs(_package, [job for _, job in to_write], per_process=1 if big else None)
    for (deck, _), data in zip(to_write, packages):
        try:
            atomic_write(deck.path, data)
            deck.written = True
        except OSError as error:
            deck.error = f"cannot write {deck.path}: {error.strerror or error}"
            run.held.add(deck.category)
            run.hold_back()
    if not dry_run and (run.built or run.current.files != run.previous.files or run.current.stamps != run.previous.stamps):
        try:
            run.save()
        except OSError as error:
            run.report.state_error = f"cannot save the build state in {out_dir}: {error.strerror or error}"
    return run.report


@dataclass
class _DeckJob:
    removed: list[PackedNote]  # removed notes, with their fields
    caches: list[tuple[str, Path, list[str], list[int]]]  # per note file: name, cache, GUIDs, mtimes
    media: dict[str, Path]
    epoch_ms: int


def _package(job: _DeckJob) -> bytes:
    """One deck's .apkg bytes, its notes read from the caches: runs in any process."""
    from notes2anki import package  # genanki: imported only when a deck is written

    removed: dict[str, list[PackedNote]] = defaultdict(list)
    for note in job.removed:
        removed[note.file].append(note)
    caches = {name: (cache, guids, mtimes) for name, cache, guids, mtimes in job.caches}

    def groups():
        """Each note file's notes, removed ones included, in file and line order."""
        for name in sorted(caches.keys() | removed.keys()):
            notes = removed.get(name, []) + (state.read_cache(*caches[name]) if name in caches else [])
            yield sorted(notes, key=lambda note: (note.line, note.guid))

    return package.package_bytes(groups(), job.media, job.epoch_ms)


def deck_file_name(category: str) -> str:
    """``AWS`` → ``AWS``; characters a file system refuses become ``_``."""
    return _FILE_UNSAFE.sub("_", category).strip(" .") or "_"


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
