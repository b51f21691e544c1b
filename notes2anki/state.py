"""What a build remembers in the output folder for the next one.

- Per note file: its size, mtime and content hash, so that an unchanged file is not even read.
- Per Anki note: what was packed (fields, tags, deck) and its modification time. Anki updates a
  note on import only when the package's note mtime is newer than the collection's: a note
  whose content is unchanged keeps its mtime (no churn, no overwriting of edits made in Anki);
  a changed note gets a newer one. Notes whose card disappeared stay, tagged as removed.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from notes2anki.files import atomic_write

STATE_FILE = ".notes2anki-state.json"
STATE_VERSION = 2


@dataclass
class PackedNote:
    """One Anki note as it goes into a package, and as the next build remembers it."""

    guid: str
    key: str  # identity key: two notes with one key in a category are refused
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
    removed: bool = False

    def content(self) -> list:
        """What Anki stores of the note: a change here needs a newer mtime."""
        return [self.kind, self.fields, self.tags, self.deck]


@dataclass
class FileRecord:
    size: int
    mtime_ns: int
    sha: str
    category: str
    guids: list[str]
    media: dict[str, str]  # media name → image path relative to the notes folder
    images: dict[str, list[int]]  # image path → [size, mtime_ns]: a changed image rebuilds the note


@dataclass
class BuildState:
    tool: str = ""
    epoch_ms: int = field(default_factory=lambda: int(time.time() * 1000))  # base of note ids ("Added" in Anki)
    files: dict[str, FileRecord] = field(default_factory=dict)
    notes: dict[str, PackedNote] = field(default_factory=dict)


def load(out_dir: Path) -> tuple[BuildState, str | None]:
    """The saved state, or a fresh one (and a warning when the file is unreadable)."""
    path = out_dir / STATE_FILE
    try:
        raw = json.loads(path.read_text("utf-8"))
        if raw.get("version") != STATE_VERSION:
            raise ValueError(f"version {raw.get('version')!r}, expected {STATE_VERSION}")
        return (
            BuildState(
                tool=raw["tool"],
                epoch_ms=int(raw["epoch_ms"]),
                files={name: FileRecord(**record) for name, record in raw["files"].items()},
                notes={guid: PackedNote(**note) for guid, note in raw["notes"].items()},
            ),
            None,
        )
    except FileNotFoundError:
        return BuildState(), None
    except (OSError, ValueError, KeyError, TypeError) as error:
        return BuildState(), f"{path}: build state unreadable ({error}); this build starts afresh"


def save(out_dir: Path, state: BuildState) -> None:
    raw = {
        "version": STATE_VERSION,
        "tool": state.tool,
        "epoch_ms": state.epoch_ms,
        "files": {name: asdict(record) for name, record in sorted(state.files.items())},
        "notes": {guid: asdict(note) for guid, note in sorted(state.notes.items())},
    }
    atomic_write(out_dir / STATE_FILE, json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


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
