"""Writing output so that a crash or a full disk never leaves a half-written file behind, and
holding an output folder for one build at a time.

Everything that depends on the platform is here: the folder lock (``filelock``, which works
on Linux, macOS and Windows alike) and watching for the parent process of a worker.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import filelock

# Temporary files carry this in their name, so that clearing leftovers of a killed build can
# never remove a file of the user's (``notes/.ideas.tmp`` is theirs).
TEMPORARY_MARK = ".notes2anki-partial-"
LOCK_NAME = ".lock"


def atomic_write(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Replace ``path`` with ``data`` all at once: readers see the old file or the new one.

    ``data`` may be a function that writes into the stream it is given, so that a large file
    (a deck, a lock file) never has to be held in memory whole.
    """
    temporary = write_beside(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_beside(path: Path, data: bytes | Callable[[BinaryIO], None]) -> Path:
    """``data`` in a new temporary file beside ``path``, whole and on disk, with ``path``'s mode:
    the caller puts it in place with ``os.replace`` (or removes it). Nothing is left on failure."""
    if path.is_dir():  # nothing could replace it: say so before anything is written
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = scratch_file(path.parent, path.name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def scratch_file(folder: Path, name: str) -> tuple[int, str]:
    """A new temporary file in ``folder`` (handle, path), named so that ``remove_leftovers`` finds it."""
    return tempfile.mkstemp(dir=folder, prefix=f"{TEMPORARY_MARK}{name[:100]}.", suffix=".tmp")


class Busy(Exception):
    """Another process holds the lock of a folder."""


@contextmanager
def exclusive(folder: Path, what: str, create: bool = True):
    """Hold ``folder``'s lock for the duration, or raise Busy at once if another process has it.

    The operating system releases the lock when the process ends, even when it is killed, so a
    crashed build never leaves a folder locked. ``create=False`` (a dry run) takes the lock
    only where it already exists, and so creates nothing.
    """
    if not create and not (folder / LOCK_NAME).exists():
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(folder / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise Busy(f"another {what} is using {folder}; try again when it has finished") from None
    try:
        yield
    finally:
        lock.release()


def remove_leftovers(folder: Path) -> None:
    """Temporary files of an ``atomic_write`` that was killed (only call while holding the lock)."""
    for leftover in folder.glob(f"{TEMPORARY_MARK}*.tmp"):
        leftover.unlink(missing_ok=True)


def watch_parent(parent: int) -> None:
    """End this process as soon as ``parent`` (the build that started it) has ended, however it ended.

    Run in each worker: a build killed with ``kill -9`` must not leave workers behind.
    """
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="notes2anki-parent-watch").start()
