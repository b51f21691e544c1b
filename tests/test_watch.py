"""``notes2anki build --watch``: a running watcher rebuilds when a note or an image changes,
and not when the build writes its own files. And the progress display: on a terminal only."""

from __future__ import annotations

import fcntl
import os
import pty
import queue
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import zipfile
from pathlib import Path

from tests.conftest import write_note

IMAGE_NOTE = """
---
category: AWS
---
# Architecture

- Overview -> ![diagram](diagram.png)
"""


class Watcher:
    """``notes2anki build --watch`` in its own process, its output read line by line."""

    def __init__(self, notes: Path, out: Path) -> None:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(out), "--watch"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line.rstrip("\n")) for line in self.process.stdout], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 20) -> list[str]:
        """The lines printed until one containing ``text``."""
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"no line with {text!r} within {timeout} s; got {seen}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=10)


def _media(deck: Path) -> list[bytes]:
    with zipfile.ZipFile(deck) as archive:
        return [archive.read(name) for name in archive.namelist() if name.isdigit()]


def test_watch_rebuilds_on_image_and_note_edits_only(notes_dir: Path, tmp_path: Path) -> None:
    note = write_note(notes_dir, "arch.md", IMAGE_NOTE)
    image = notes_dir / "diagram.png"
    image.write_bytes(b"\x89PNG first version")
    deck = tmp_path / "build" / "AWS.apkg"
    watcher = Watcher(notes_dir, tmp_path / "build")
    try:
        watcher.wait_for("watching")
        assert _media(deck) == [b"\x89PNG first version"]

        # "watching" is printed just before the watch starts: an edit made at once may come too early.
        # Each try waits long enough for a rebuild on a busy machine, so that no try starts a second one.
        for _ in range(10):
            image.write_bytes(b"\x89PNG second version")
            try:
                lines = watcher.wait_for("read this time", timeout=5)
                break
            except AssertionError:
                continue
        assert lines[0] == f"changed: {image}"
        assert "AWS.apkg: written: 1 card" in lines[1] and "1 changed" in lines[1]
        assert _media(deck) == [b"\x89PNG second version"]

        note.write_text(note.read_text(encoding="utf-8") + "- Latency: the time a message takes\n", encoding="utf-8")
        assert "1 added" in watcher.wait_for("read this time")[-2]
        time.sleep(0.5)  # the lock file and the state the build just wrote start no build
        assert watcher.lines.empty(), [watcher.lines.get() for _ in range(watcher.lines.qsize())]
    finally:
        status = watcher.stop()
    assert status == 130
    assert "interrupted" in watcher.wait_for("interrupted")[-1]


def _stderr(notes: Path, out: Path, terminal: bool) -> str:
    """What a build writes to stderr, on a pseudo-terminal or a pipe, outside CI."""
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    command = [sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(out)]
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, env=environment, check=True).stderr
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a size
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=follower, env=environment, check=True)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return output.decode()


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    for number in range(25):
        write_note(notes, f"note{number:02}.md", f"- Question {number} -> Answer {number}\n")
    shown = _stderr(notes, tmp_path / "tty", terminal=True)
    assert "reading notes:" in shown and "/25 [" in shown  # a bar of the 25 notes read
    assert "writing decks:" in shown and "/1 [" in shown  # then one of the deck written
    assert shown.endswith("\r")  # and cleared: the report is what stays on the screen
    assert _stderr(notes, tmp_path / "pipe", terminal=False) == ""
