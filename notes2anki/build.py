"""``notes2anki build``: notes to one .apkg per category, incrementally and without surprises.

The build runs in stages, each in its own module, handing immutable values on. What must
outlive a file (its notes, until its deck is written) waits in the build's SQLite transaction,
so no stage holds every note, or the text of every file, at once:

    discover → pipeline.pack (reads and packs a file, on every core) → assign (GUIDs, from the lock)
             → stamp (mtimes, what changed) → decks (one per category, written beside their files)
             → lock file → decks put in place → state (one commit)

This module only orchestrates them. Library code: returns a report, never prints or exits.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from notes2anki import __version__, assign, decks, identity, lock, parallel
from notes2anki import clock as clocks
from notes2anki.clock import Clock
from notes2anki.discover import Source, Tree, discover_tree
from notes2anki.files import exclusive, remove_leftovers
from notes2anki.model import NoteError
from notes2anki.pipeline import PackedFile, pack
from notes2anki.source import code_stamp, fingerprint, unchanged
from notes2anki.stamp import REMOVED_TAG, Changes, DeckMove, stamp
from notes2anki.store import STATE_DIR, FileRow, Store, StoreDamaged, discard

__all__ = ["REMOVED_TAG", "BuildReport", "DeckResult", "build"]

Progress = Callable[[str, int, int], None]  # (stage: "reading" or "writing", done, total)


@dataclass
class DeckResult:
    category: str
    path: Path
    basic: int = 0
    cloze: int = 0
    kept_removed: int = 0  # removed cards still in the deck, tagged notes2anki::removed
    changes: Changes = field(default_factory=Changes)
    written: bool = False
    error: str | None = None  # why the deck could not be written (the build then fails: ``state_error``)


@dataclass
class BuildReport:
    decks: list[DeckResult] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)  # the note's cards keep their last good version
    warnings: list[NoteError | str] = field(default_factory=list)  # the deck was built; something to look at
    reassociations: list[str] = field(default_factory=list)
    parsed: int = 0  # note files read and parsed this time
    files: int = 0
    state_error: str | None = None  # nothing was saved: the previous decks, lock and state are kept
    deck_moves: list[DeckMove] = field(default_factory=list)


class _Failed(Exception):
    """A write failed: the whole build is rolled back, the previous decks and state stay."""


def build(
    paths: list[Path],
    out_dir: Path,
    dry_run: bool = False,
    forget_removed: bool = False,
    progress: Progress | None = None,
    clock: Clock | None = None,
    details: bool = True,
) -> BuildReport:
    """Build one .apkg per category into ``out_dir``.

    ``details``: list every change in the report (``-v``), not only count them.

    Raises ``files.Busy`` while another build uses ``out_dir``, and OSError when ``out_dir``
    cannot be created.
    """
    clock = clock or clocks.default()
    with exclusive(out_dir / STATE_DIR, "notes2anki build", create=not dry_run):
        report = BuildReport()
        try:
            return _build(paths, out_dir, dry_run, forget_removed, progress, clock, report, details=details)
        except StoreDamaged as damage:
            if not dry_run:
                discard(out_dir)
            fresh = BuildReport(warnings=[f"{damage}; the build state is rebuilt from the notes"])
            return _build(paths, out_dir, dry_run, forget_removed, progress, clock, fresh, afresh=True, details=details)


def _build(
    paths, out_dir: Path, dry_run: bool, forget_removed: bool, progress, clock: Clock, report: BuildReport, afresh: bool = False, details: bool = True
) -> BuildReport:
    if not dry_run:
        for folder in (out_dir, out_dir / STATE_DIR):
            remove_leftovers(folder)
    store = Store(out_dir, read_only=dry_run, afresh=afresh)
    try:
        _run(store, paths, out_dir, dry_run, forget_removed, progress, clock, report, details)
    except _Failed as failure:
        report.state_error = str(failure)
    except OSError as error:  # the state could not be written: nothing of this build is kept
        report.state_error = f"cannot save the build state in {out_dir / STATE_DIR}: {error.strerror or error}; nothing was saved"
    finally:
        store.close()
    return report


def _tool_key() -> str:
    """What made the saved state besides the notes: when it changes (a new release, an edited
    card rule, new templates), every note is read again once; unchanged cards keep their mtimes."""
    return f"{__version__}/{identity.NOTETYPE_MTIME}/{code_stamp()}"


def _run(store: Store, paths, out_dir: Path, dry_run: bool, forget_removed: bool, progress, clock: Clock, report: BuildReport, details: bool) -> None:
    started = clock.now()
    no_previous_state = store.get("tool") is None
    tool_key = _tool_key()
    fresh = store.get("tool") != tool_key
    epoch_ms = store.get("epoch_ms") or int(time.time() * 1000)

    tree = discover_tree(paths, lambda path: _recorded_root(store, path))
    report.files = len(tree.sources)
    report.errors.extend(tree.errors)
    report.warnings.extend(tree.warnings)
    if not dry_run:
        for root in tree.roots:
            remove_leftovers(root)
    locks = store.get("locks", {})
    relocked, refused = _read_locks(store, tree, locks, report)
    to_read = _files_to_read(store, tree, fresh or relocked, refused)
    deleted = _deleted_files(store, tree, refused)

    # Read, parse and pack on every core; each file's notes go to the state as they come.
    reopened: dict[str, set[str]] = {}
    redescribed: dict[str, int] = {}  # category → its notes whose deck description changed
    paths_shown = {source.name: str(source.path) for source in tree.sources}
    reading = (lambda done, total: progress("reading", done, total)) if progress else None
    for packed in parallel.map_jobs(pack, to_read, reading):
        report.warnings.extend(packed.warnings)
        if packed.error is not None:
            report.errors.append(packed.error)  # its cards keep their last good version
            continue
        if packed.same:  # touched, not changed: only its fingerprint may be new
            row = store.file(packed.source.name)
            size, mtime_ns = _recorded(packed)
            if (row.size, row.mtime_ns) != (size, mtime_ns):
                store.put_file(replace(row, size=size, mtime_ns=mtime_ns))
            continue
        report.parsed += 1
        key = str(packed.source.root.resolve())
        reopened.setdefault(key, set()).add(packed.source.name)
        assign.stage(store, key, packed.notes)
        row, before = _file_row(packed, key), store.file(packed.source.name)
        if packed.notes and before is not None and before.description != row.description:
            redescribed[row.category] = redescribed.get(row.category, 0) + 1
        store.put_file(row)
    roots_shown = {str(root.resolve()): root for root in tree.roots}  # the notes folders as the user named them
    for row in deleted:
        reopened.setdefault(row.root, set()).add(row.name)
        paths_shown.setdefault(row.name, str(roots_shown.get(row.root, Path(row.root)) / row.name))
        store.delete_file(row.name)

    identified = assign.identify(store, reopened)
    report.warnings.extend(NoteError(paths_shown.get(file, file), line, message) for file, line, message in identified.warnings)
    report.reassociations = _describe(identified.found, paths_shown)
    stamped = stamp(store, clock, reopened, paths_shown, started if no_previous_state else 0, forget_removed, details)
    report.deck_moves = stamped.deck_moves
    for category, count in redescribed.items():  # the deck holds descriptions too
        stamped.changes[category].descriptions += count

    categories = store.categories()
    names = decks.assign_file_names(store, categories)
    for category in categories:
        deck = DeckResult(category, out_dir / names[category], changes=stamped.changes.get(category, Changes()))
        deck.basic, deck.cloze, deck.kept_removed = store.counts(category)
        report.decks.append(deck)
    if dry_run:
        return
    # Every deck is written beside its file first: one that cannot be written leaves every deck,
    # the lock and the state as they were. Then the lock (if it cannot be saved, nothing else
    # is), the decks put in place, and the state committed.
    written = _write_decks(store, [d for d in report.decks if fresh or d.changes or not d.path.exists()], epoch_ms, progress)
    try:
        _save_locks(store, tree, relocked | set(reopened), refused, locks)
        _put_in_place(written)
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
    _remove_dropped_decks(store, out_dir, set(categories))
    store.set("tool", tool_key)
    store.set("epoch_ms", epoch_ms)
    try:
        store.commit()
    except OSError as error:
        raise _Failed(f"cannot save the build state in {out_dir / STATE_DIR}: {error}") from None


def _read_locks(store: Store, tree: Tree, seen: dict, report: BuildReport) -> tuple[set[str], set[str]]:
    """Each notes folder's lock file, read again when it changed since the state last saw it.

    Returns the folders whose lock was read again (their notes are identified afresh) and
    those whose lock was refused (their notes are left as they were).
    """
    relocked: set[str] = set()
    refused: set[str] = set()
    for root in tree.roots:
        key = str(root.resolve())
        found = fingerprint(root / lock.LOCK_FILE)
        if found is None or list(found) == seen.get(key):
            continue
        try:
            loaded = lock.load(root)
            _refuse_foreign(root, loaded.entries, tree, store, key)
        except lock.LockError as error:
            report.errors.append(NoteError(str(root / lock.LOCK_FILE), None, str(error)))
            refused.add(key)
            continue
        report.warnings.extend(loaded.warnings)
        store.load_cards(key, loaded.entries)
        relocked.add(key)
    return relocked, refused


def _files_to_read(store: Store, tree: Tree, reread: bool | set[str], refused: set[str]) -> list[tuple[Source, str | None]]:
    """The note files to read (``pipeline.pack``'s jobs): an unchanged fingerprint is enough to skip one.

    With each, the content hash the state has for it when an unchanged content would leave its
    notes as they are (then it is not parsed again). ``reread``: True to read every file, or
    the notes folders whose files must all be read.
    """
    to_read = []
    for source in tree.sources:
        key = str(source.root.resolve())
        if key in refused:
            continue
        row = store.file(source.name)
        known = row is not None and row.root == key and not (reread is True or key in reread) and unchanged(row.images)
        if known and fingerprint(source.path) == (row.size, row.mtime_ns):
            continue
        to_read.append((source, row.sha if known else None))
    return to_read


def _deleted_files(store: Store, tree: Tree, refused: set[str]) -> list[FileRow]:
    """Note files the state knows that are gone: only under a folder this build walked."""
    present = {source.name for source in tree.sources}
    return [row for row in store.files() if row.root not in refused and row.name not in present and tree.looked_at(Path(row.root), row.name)]


def _describe(found: list[assign.Found], paths_shown: dict[str, str]) -> list[str]:
    """The re-associations, as the report says them: a renamed file or a moved section is one line;
    a card whose file, section and question are unchanged is not news."""
    lines = []
    grouped: dict[tuple[str, str, str], int] = {}
    for one in found:
        shown = paths_shown.get(one.file, one.file)
        if one.reassociation.why == "reworded":
            lines.append(f"{shown}:{one.line}: kept the card of the reworded question {one.reassociation.previous.question!r}")
        elif one.reassociation.why != "same":
            old = one.reassociation.previous.file
            group = (shown, paths_shown.get(old, old), one.reassociation.why)
            grouped[group] = grouped.get(group, 0) + 1
    for (new, old, why), count in sorted(grouped.items()):
        cards = f"{count} card{'s' if count > 1 else ''}"
        lines.append(f"{new}: kept {cards} from {old} (renamed)" if why == "renamed" else f"{new}: kept {cards} moved to another section")
    return lines


def _write_decks(store: Store, writing: list[DeckResult], epoch_ms: int, progress) -> list[tuple[Path, DeckResult]]:
    """Each deck that changed, written whole from the state beside its file; a failure stops the build (nothing is saved)."""
    written: list[tuple[Path, DeckResult]] = []
    for index, deck in enumerate(writing):
        if progress:
            progress("writing", index, len(writing))
        try:
            written.append((decks.write_beside(store, deck.category, deck.path, epoch_ms), deck))
        except OSError as error:
            for temporary, _ in written:
                temporary.unlink(missing_ok=True)
            deck.error = f"cannot write {deck.path}: {error.strerror or error}"
            raise _Failed(f"nothing was saved: {deck.path} could not be written; the previous decks, lock and state are kept") from None
    if progress and writing:
        progress("writing", len(writing), len(writing))
    return written


def _put_in_place(written: list[tuple[Path, DeckResult]]) -> None:
    """The decks written beside their files replace them, each at once."""
    for temporary, deck in written:
        try:
            os.replace(temporary, deck.path)
        except OSError as error:
            deck.error = f"cannot replace {deck.path}: {error.strerror or error}"
            raise _Failed(f"{deck.path} could not be replaced; the lock and the decks listed as written are new, the state is not saved: the next build finishes the job") from None
        deck.written = True


def _recorded_root(store: Store, path: Path) -> Path | None:
    """The notes folder a file given alone was built from before (so its cards keep their names)."""
    for row in store.files():
        if (Path(row.root) / row.name).resolve() == path:
            return Path(row.root)
    return None


def _refuse_foreign(root: Path, entries, tree: Tree, store: Store, key: str) -> None:
    """A lock file none of whose cards is in this notes folder was copied from another tree."""
    names = {source.name for source in tree.sources if str(source.root.resolve()) == key}
    files = {entry.file for entry in entries}
    if entries and names and not files & names and not store.has_cards(key):
        shown = ", ".join(sorted(files)[:3]) + (", …" if len(files) > 3 else "")
        raise lock.LockError(
            f"{root / lock.LOCK_FILE}: none of its {len(files)} note files ({shown}) is in {root}: "
            "it belongs to another notes folder; restore this folder's own lock file, or delete it to start afresh"
        )


def _recorded(packed: PackedFile) -> tuple[int, int]:
    """The file's fingerprint as the state records it (not there when it was read: one no file has)."""
    return packed.fingerprint or (0, -1)


def _file_row(packed: PackedFile, root: str) -> FileRow:
    size, mtime_ns = _recorded(packed)
    images = {path: list(value) if value else None for path, value in packed.images}
    return FileRow(packed.source.name, root, size, mtime_ns, packed.sha, packed.category, packed.deck, packed.description, dict(packed.media), images)


def _remove_dropped_decks(store: Store, out_dir: Path, categories: set[str]) -> None:
    """A deck file this tool wrote for a category that has no note left."""
    for category, name in store.deck_files().items():
        if category not in categories:
            (out_dir / name).unlink(missing_ok=True)
            store.delete_deck_file(category)


def _save_locks(store: Store, tree: Tree, changed: set[str], refused: set[str], seen: dict) -> None:
    """Each notes folder's lock file, rewritten from the state when its cards changed or it is gone."""
    fingerprints = dict(seen)
    for root in tree.roots:
        key = str(root.resolve())
        path = root / lock.LOCK_FILE
        if key in refused:
            continue
        if key in changed or fingerprint(path) is None or list(fingerprint(path)) != seen.get(key):
            if not store.has_cards(key) and fingerprint(path) is None:
                continue
            try:
                lock.save(root, store.lock_lines(key))
            except OSError as error:
                raise _Failed(f"cannot save the lock file {path}: {error.strerror or error}; nothing was saved, the next build tries again") from None
        fingerprints[key] = list(fingerprint(path) or ())
    store.set("locks", fingerprints)
