"""What a build remembers in the output folder for the next one.

- ``.notes2anki/index.json`` (small, read by every build): per note file its size, mtime and
  content hash, so that an unchanged file is not even read; per Anki note a stamp: content
  hashes and modification time. Anki updates a note on import only when the package's note
  mtime is newer than the collection's, so a note whose content is unchanged keeps its mtime
  (no churn, no overwriting of edits made in Anki) and a changed note gets a newer one.
- ``.notes2anki/files/*.json`` (read only when needed): the packed notes of each note file, to
  write a deck again without parsing the notes that did not change.
- ``.notes2anki/removed.json``: notes whose card disappeared, still packed, tagged as removed.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field, fields
from pathlib import Path

from notes2anki.files import atomic_write

STATE_DIR = ".notes2anki"
STATE_VERSION = 3


@dataclass(slots=True)
class PackedNote:
    """One Anki note as it goes into a package, and as the next build remembers it."""

    guid: str
    key: str  # identity key: two live notes with one key in a category are refused
    category: str
    deck: str
    kind: str  # "basic" or "cloze"
    fields: list[str]
    tags: list[str]
    file: str  # source file, relative to the notes folder
    line: int
    section: list[str]  # headings above the card, for the lock file
    question: str  # plain text, for reports and the lock file
    mtime: int = 0

    def stamp(self) -> Stamp:
        body = _digest([self.kind, self.fields[:-1], self.tags, self.deck])
        return Stamp(self.file, self.category, self.kind, body, _digest(self.fields[-1]))



@dataclass(slots=True)
class Stamp:
    """What the index keeps of each note: enough to tell what changed, without its fields."""

    file: str
    category: str
    kind: str
    body: str  # hash of everything Anki stores but the Source field
    source: str  # hash of the Source field (file:line): a change there alone is a move
    mtime: int = 0
    removed: bool = False

    def same_content(self, other: Stamp) -> bool:
        return (self.body, self.source) == (other.body, other.source)


@dataclass
class FileRecord:
    size: int
    mtime_ns: int
    sha: str
    category: str
    guids: list[str]
    media: dict[str, str]  # media name → image path relative to the notes folder
    images: dict[str, list[int]]  # image path → [size, mtime_ns]: a changed image rebuilds the note
    pins: list[str]  # identities pinned in this file: they must be unique across files


@dataclass
class BuildState:
    out_dir: Path
    tool: str = ""
    epoch_ms: int = field(default_factory=lambda: int(time.time() * 1000))  # base of note ids ("Added" in Anki)
    files: dict[str, FileRecord] = field(default_factory=dict)
    stamps: dict[str, Stamp] = field(default_factory=dict)
    removed: dict[str, PackedNote] = field(default_factory=dict)  # packed notes of removed cards

    def packed(self, name: str) -> list[PackedNote]:
        """The packed notes of one note file, as the build that wrote them left them."""
        record = self.files.get(name)
        if record is None:
            return []
        mtimes = [self.stamps[guid].mtime if guid in self.stamps else 0 for guid in record.guids]
        return read_cache(cache_path(self.out_dir, name, record.sha), record.guids, mtimes)


_CACHED = [name for name in PackedNote.__slots__ if name not in ("guid", "mtime")]


def cache_bytes(notes: list[PackedNote]) -> bytes:
    """A note file's packed notes, without what the build decides later (GUIDs, mtimes)."""
    return json.dumps([[getattr(note, name) for name in _CACHED] for note in notes], ensure_ascii=False).encode("utf-8")


def read_cache(path: Path, guids: list[str], mtimes: list[int]) -> list[PackedNote]:
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [
        PackedNote(guid=guid, mtime=mtime, **dict(zip(_CACHED, values))) for guid, mtime, values in zip(guids, mtimes, raw)
    ]


def as_dict(note: PackedNote) -> dict:
    return {name: getattr(note, name) for name in PackedNote.__slots__}


def cache_path(out_dir: Path, name: str, sha: str) -> Path:
    """A cache file per note file and content: never rewritten, so an index always finds its own."""
    return out_dir / STATE_DIR / "files" / f"{hashlib.sha256(name.encode('utf-8')).hexdigest()[:20]}-{sha[:20]}.json"


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()[:20]


def load(out_dir: Path) -> tuple[BuildState, str | None]:
    """The saved state, or a fresh one (and a warning when the index is unreadable)."""
    path = out_dir / STATE_DIR / "index.json"
    try:
        raw = json.loads(path.read_text("utf-8"))
        if raw.get("version") != STATE_VERSION:
            raise ValueError(f"version {raw.get('version')!r}, expected {STATE_VERSION}")
        return (
            BuildState(
                out_dir,
                tool=raw["tool"],
                epoch_ms=int(raw["epoch_ms"]),
                files={name: FileRecord(**record) for name, record in raw["files"].items()},
                stamps={guid: Stamp(*stamp) for guid, stamp in raw["stamps"].items()},
                removed={guid: PackedNote(**note) for guid, note in raw["removed"].items()},
            ),
            None,
        )
    except FileNotFoundError:
        return BuildState(out_dir), None
    except (OSError, ValueError, KeyError, TypeError) as error:
        return BuildState(out_dir), f"{path}: build state unreadable ({error}); this build starts afresh"


def save(state: BuildState) -> None:
    """Write the index, once the caches it names are written (``cache_path``, ``cache_bytes``).

    The index replaces the old one at once: a save that fails half-way leaves the previous
    state whole (cache files never change, and the old ones go only after the new index).
    """
    stamp_fields = [f.name for f in fields(Stamp)]
    raw = {
        "version": STATE_VERSION,
        "tool": state.tool,
        "epoch_ms": state.epoch_ms,
        "files": {name: vars(record) for name, record in sorted(state.files.items())},
        "stamps": {guid: [getattr(stamp, name) for name in stamp_fields] for guid, stamp in sorted(state.stamps.items())},
        "removed": {guid: as_dict(note) for guid, note in sorted(state.removed.items())},
    }
    atomic_write(state.out_dir / STATE_DIR / "index.json", json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    cache = state.out_dir / STATE_DIR / "files"
    wanted = {cache_path(state.out_dir, name, record.sha).name for name, record in state.files.items()}
    for stale in cache.glob("*.json") if cache.is_dir() else ():
        if stale.name not in wanted:
            stale.unlink(missing_ok=True)


class Clock:
    """Modification times for changed notes: now, but always newer than the note's last one."""

    def __init__(self) -> None:
        self.now = int(time.time())

    def newer_than(self, previous: int) -> int:
        if previous >= self.now:
            # Rebuilt within the same second after an edit: wait rather than write a future mtime.
            time.sleep(max(0.0, previous + 1 - time.time()) + 0.01)
            self.now = int(time.time())
        return self.now
