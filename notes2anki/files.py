"""Writing output so that a crash or a full disk never leaves a half-written file behind."""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Busy(Exception):
    """Another process holds the lock of a folder."""


@contextmanager
def exclusive(folder: Path, what: str):
    """Hold ``folder``'s lock for the duration, or raise Busy at once if another process has it.

    The lock is released by the kernel when the process ends, even when it is killed, so a
    crashed build never leaves a folder locked.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"another {what} is using {folder}; try again when it has finished") from None
        yield


def remove_leftovers(folder: Path) -> None:
    """Temporary files of an ``atomic_write`` that was killed (only call while holding the lock)."""
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
