"""What a build remembers for the next one: each note's content hash and modification time.

Anki updates a note on import only when the package's note mtime is strictly newer than the
collection's. A note whose content is unchanged keeps its mtime (no churn, no overwriting of the
user's edits in Anki); a changed note gets a newer one.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from notes2anki.files import atomic_write

STATE_FILE = ".notes2anki-state.json"
STATE_VERSION = 1


@dataclass
class Stamp:
    content_hash: str
    mtime: int


@dataclass
class BuildState:
    epoch_ms: int  # first build's time: the base of note ids, which Anki shows as "Added"
    stamps: dict[str, Stamp] = field(default_factory=dict)
    now: int = field(default_factory=lambda: int(time.time()))

    def mtime(self, guid: str, content_hash: str) -> int:
        """The note's mtime: kept if its content is unchanged, otherwise newer than before."""
        previous = self.stamps.get(guid)
        if previous is not None and previous.content_hash == content_hash:
            return previous.mtime
        if previous is not None and previous.mtime >= self.now:
            # Rebuilt within the same second after an edit: wait rather than write a future mtime.
            time.sleep(previous.mtime + 1 - time.time() + 0.01)
            self.now = int(time.time())
        self.stamps[guid] = Stamp(content_hash, self.now)
        return self.now


def load(out_dir: Path) -> tuple[BuildState, str | None]:
    """The saved state, or a fresh one and a warning when the file is unreadable."""
    path = out_dir / STATE_FILE
    try:
        raw = json.loads(path.read_text("utf-8"))
        if raw.get("version") != STATE_VERSION:
            raise ValueError("unknown version")
        stamps = {guid: Stamp(entry[0], int(entry[1])) for guid, entry in raw["notes"].items()}
        return BuildState(int(raw["epoch_ms"]), stamps), None
    except FileNotFoundError:
        return BuildState(int(time.time() * 1000)), None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        warning = f"{path}: build state unreadable ({error}); every note gets a new mtime this time"
        return BuildState(int(time.time() * 1000)), warning


def save(out_dir: Path, state: BuildState) -> None:
    raw = {
        "version": STATE_VERSION,
        "epoch_ms": state.epoch_ms,
        "notes": {guid: [stamp.content_hash, stamp.mtime] for guid, stamp in sorted(state.stamps.items())},
    }
    atomic_write(out_dir / STATE_FILE, json.dumps(raw, ensure_ascii=False, indent=0).encode("utf-8"))
