"""Local images referenced by notes: found, kept inside the notes folder, named for Anki."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from notes2anki.model import Note, NoteError


def is_remote(url: str) -> bool:
    """Remote and inline images are never fetched: a card must not load anything from outside."""
    scheme = urlsplit(url).scheme
    return len(scheme) > 1 or url.startswith("//")


def target(note: Note, url: str) -> Path | None:
    """Where a local image ``url`` points, relative to the note; None if it is not a relative path."""
    relative = unquote(urlsplit(url).path)
    if is_remote(url) or not relative or Path(relative).is_absolute():
        return None
    return (note.path.parent / relative).resolve()


def resolve(note: Note, url: str, line: int) -> Path:
    """The image file ``url`` names, relative to the note; errors name the note and line."""
    path = target(note, url)
    if path is None:
        raise NoteError(note.display, line, f"image path {url!r} must be relative to the note")
    root = note.root.resolve()
    if path != root and root not in path.parents:
        raise NoteError(note.display, line, f"image {url!r} is outside the notes folder; refused")
    if not path.is_file():
        raise NoteError(note.display, line, f"image {url!r} not found")
    return path


class MediaFiles:
    """The images a deck uses, each under a name made unique by its content.

    Two notes may both have ``diagram.png``; Anki keeps one file per name, so the name carries
    a hash of the bytes.
    """

    def __init__(self) -> None:
        self.files: dict[str, Path] = {}

    def name_for(self, note: Note, url: str, line: int) -> str:
        path = resolve(note, url, line)
        digest = hashlib.sha1(path.read_bytes()).hexdigest()[:10]
        name = f"{path.stem}-{digest}{path.suffix.lower()}"
        self.files[name] = path
        return name
