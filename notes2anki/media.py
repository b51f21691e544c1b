"""Local images referenced by notes: found, kept inside the notes tree, named for Anki.

An image that cannot be used (missing, or outside the notes tree) never costs a card or a deck:
the card shows the image's alt text and the build warns at the image's own line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from notes2anki.model import Note, NoteError
from notes2anki.source import fingerprint_before_reading


def is_remote(url: str) -> bool:
    """Remote and inline images are never fetched: a card must not load anything from outside."""
    scheme = urlsplit(url).scheme
    return len(scheme) > 1 or url.startswith("//")


def repository_root(folder: Path) -> Path:
    """The repository a notes folder is in (the nearest folder above it with ``.git``), else itself."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def candidates(note: Note, url: str) -> list[Path]:
    """Where a local image ``url`` may be, in the order looked at; none for a remote one.

    A relative path is relative to the note. An absolute one (``/images/x.png``, as Zenn, Jekyll
    and Hugo write them) is looked for in the notes folder, then in each folder above it up to
    the repository root.
    """
    relative = unquote(urlsplit(url).path)
    if is_remote(url) or not relative:
        return []
    if not relative.startswith("/"):
        return [(note.path.parent / relative).resolve()]
    root = note.root.resolve()
    top = repository_root(root)
    folders = [root, *(parent for parent in root.parents if top == parent or top in parent.parents)]
    return [(folder / relative.lstrip("/")).resolve() for folder in folders]


def target(note: Note, url: str) -> Path | None:
    """Where a local image ``url`` points: the first candidate that is a file (else the first); None for a remote one."""
    found = candidates(note, url)
    return next((path for path in found if path.is_file()), found[0] if found else None)


def resolve(note: Note, url: str, line: int) -> Path:
    """The image file a local ``url`` names; a NoteError (file and line) when it cannot be used."""
    path = target(note, url)
    allowed = repository_root(note.root) if url.startswith("/") else note.root.resolve()
    if path is None or (path != allowed and allowed not in path.parents):
        raise NoteError(note.display, line, f"image {url!r} is outside the notes folder; refused")
    if not path.is_file():
        raise NoteError(note.display, line, f"image {url!r} not found")
    return path


class MediaFiles:
    """The images a note's cards use, each under a name made unique by its content.

    Two notes may both have ``diagram.png``; Anki keeps one file per name, so the name carries
    a hash of the bytes. ``lines`` (the note's text) lets a problem be reported at the image's
    own line rather than the card's.
    """

    def __init__(self, lines: list[str] | None = None) -> None:
        self.files: dict[str, Path] = {}
        self.problems: list[NoteError] = []
        # Every place a local image was looked for, with its fingerprint taken before reading it
        # (None: nothing there): a change in any of them may change the card.
        self.looked_at: dict[Path, tuple[int, int] | None] = {}
        self._lines = lines or []

    def name_for(self, note: Note, url: str, line: int) -> str | None:
        """The media name of a local image, or None (and a problem noted) when it cannot be used."""
        for candidate in candidates(note, url):
            self.looked_at.setdefault(candidate, fingerprint_before_reading(candidate))
            if candidate.is_file():
                break
        try:
            path = resolve(note, url, line)
            data = path.read_bytes()
        except (NoteError, OSError) as error:
            message = error.message if isinstance(error, NoteError) else f"image {url!r} cannot be read"
            self.problems.append(NoteError(note.display, self._line_of(url, line), f"{message}; the card shows its alt text"))
            return None
        name = f"{path.stem}-{hashlib.sha1(data).hexdigest()[:10]}{path.suffix.lower()}"
        self.files[name] = path
        return name

    def _line_of(self, url: str, line: int) -> int:
        """The line of ``](url`` at or after the card's line (an item may span several lines)."""
        for number in range(max(line, 1), len(self._lines) + 1):
            if f"]({url}" in self._lines[number - 1]:
                return number
        return line
