"""Bytes on disk to text: UTF-8 (with or without BOM), LF or CRLF, nothing guessed silently."""

from __future__ import annotations

import codecs
import hashlib
import os
import time
from pathlib import Path

from notes2anki.model import NoteError

# Encodings a note written outside UTF-8 is most likely in; used only to word the error.
_LIKELY_ENCODINGS = ("shift_jis", "cp932", "euc_jp", "iso2022_jp", "gb18030", "cp1252")


def read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes; a NoteError naming the file when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise NoteError(display, None, f"cannot read the file: {error.strerror or error}") from None


def read_text(path: Path, display: str) -> str:
    """The note's text with LF line ends; a clear NoteError for anything that is not UTF-8 text."""
    return decode(read_bytes(path, display), display)


def decode(data: bytes, display: str) -> str:
    """``read_text`` for bytes already read."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NoteError(display, 1, "the file is UTF-16; save it as UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NoteError(display, line, f"the file is not UTF-8{_encoding_hint(data)}; save it as UTF-8") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise NoteError(display, line, "the file contains a NUL byte: it looks binary, not a note")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _encoding_hint(data: bytes) -> str:
    for encoding in _LIKELY_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return f" (it decodes as {encoding.replace('_', '-').upper()})"
    return ""


def fingerprint(path: Path | str) -> tuple[int, int] | None:
    """(size, mtime in ns) of a file, None when it is missing or unreadable.

    The one test of "may this file have changed?" for the build state and the lint cache
    alike: an equal fingerprint means the file is taken as unchanged without reading it.
    """
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return (stat.st_size, stat.st_mtime_ns)


def code_stamp() -> str:
    """A hash of notes2anki's own modules: besides a note itself, what decides its cards and its
    findings. A new release or an edited rule (an editable install) reads every note again;
    reinstalling the same code does not."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


SECOND_NS = 1_000_000_000
SETTLING_NS = 2 * SECOND_NS  # the coarsest timestamp step in common use (FAT)


def fingerprint_before_reading(path: Path | str) -> tuple[int, int] | None:
    """The fingerprint to record for a file about to be read; take it before reading.

    A save after this changes the fingerprint, so the next build reads the file again, unless
    the file system keeps whole seconds (FAT, HFS+, ext3, some network shares: an mtime with no
    nanoseconds) and the save falls in the step of the file's last change. Such a file, changed
    that recently, is recorded with an mtime no file has (-1): the next build compares its content.
    """
    found = fingerprint(path)
    if found is not None and found[1] % SECOND_NS == 0 and found[1] > time.time_ns() - SETTLING_NS:
        return (found[0], -1)
    return found


def unchanged(recorded: dict[str, list[int] | tuple[int, int] | None]) -> bool:
    """Whether every file of ``recorded`` (path → its fingerprint then) still has that fingerprint."""
    return all(fingerprint(path) == (tuple(value) if value is not None else None) for path, value in recorded.items())


def root_of(given: Path) -> Path:
    """The notes folder of a path given on the command line: itself, or a file's folder."""
    return given if given.is_dir() else given.parent


def source_key(path: Path, root: Path) -> str:
    """A note's path relative to its notes folder: how cards, caches and the lock name it."""
    return path.relative_to(root).as_posix() if root in path.parents else path.name


def discover(paths: list[Path]) -> list[tuple[Path, Path]]:
    """Every Markdown file under ``paths`` as (file, the folder it was found under), sorted.

    Files are sorted so that builds and reports do not depend on directory order. Symbolic
    links to folders are not followed (a loop cannot trap the walk); a link named ``*.md`` is
    listed even when it leads nowhere, so that reading it reports why. Names starting with
    ``.`` are skipped.
    """
    found: list[tuple[Path, Path]] = []
    for given in paths:
        if not given.is_dir():
            found.append((given, root_of(given)))
            continue
        for folder, folders, files in os.walk(given, followlinks=False):
            folders[:] = [name for name in folders if not name.startswith(".")]
            found.extend((Path(folder) / name, given) for name in files if name.endswith(".md") and not name.startswith("."))
    return sorted(found)
