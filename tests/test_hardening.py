"""Bad input and faults: a clear message, the right exit code, nothing lost (README table rows)."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from notes2anki.cli import main
from notes2anki.files import exclusive
from tests.conftest import write_note

GOOD = "---\ntitle: Good\ncategory: Good\n---\n## S\n\n- Question -> Answer\n- **Bold** phrase\n"


def build(notes: Path, out: Path, *more: str) -> int:
    return main(["build", str(notes), "-o", str(out), *more])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("yaml.md", "---\ntitle: [oops\ncategory: Bad\n---\n- a -> b\n", "yaml.md:3: invalid YAML in front matter: expected ',' or ']', but got ':' (while parsing a flow sequence that starts on line 2)"),
        ("fence.md", "---\ntitle: x\n", "fence.md:1: front matter starts with '---' but is never closed"),
        ("sjis.md", "- 質問 -> 答え\n".encode("shift_jis"), "sjis.md:1: the file is not UTF-8 (it decodes as SHIFT-JIS)"),
        ("utf16.md", "- q -> a\n".encode("utf-16"), "utf16.md:1: the file is UTF-16; save it as UTF-8"),
        ("nul.md", b"- q -> a\n\x00\x00", "nul.md:2: the file contains a NUL byte"),
    ],
)
def test_unusable_note_is_reported_and_the_rest_is_built(notes_dir: Path, tmp_path: Path, capsys, name, content, message) -> None:
    write_note(notes_dir, "good.md", GOOD)
    path = notes_dir / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert build(notes_dir, tmp_path / "out") == 1
    assert f"error: {notes_dir / message}" in capsys.readouterr().err
    assert (tmp_path / "out" / "Good.apkg").exists()


def test_symlink_loop_is_reported_and_the_rest_is_built(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "good.md", GOOD)
    (notes_dir / "loop.md").symlink_to(notes_dir / "loop.md")
    (notes_dir / "folder-loop").symlink_to(notes_dir, target_is_directory=True)  # never walked into
    assert build(notes_dir, tmp_path / "out") == 1
    assert f"{notes_dir / 'loop.md'}: cannot read the file: Too many levels of symbolic links" in capsys.readouterr().err
    assert (tmp_path / "out" / "Good.apkg").exists()


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        pytest.param("", 0, id="empty file"),
        pytest.param("".join(f"- {'深い' * i} -> {i}\n" + "  " * (i + 1) for i in range(1000)), None, id="list nested 1000 deep"),
        pytest.param("".join(f"- 長い問い {i} " + "あ" * 80 + " -> 答え\n" for i in range(20_000)), 20_000, id="5 MB note"),
        pytest.param("- before -> card\n\n```sh\nno end\n\n- after -> lost\n", 1, id="unterminated code fence"),
        pytest.param("- " + "（" * 50_000 + " -> x\n" + "**" * 50_000 + "\n", None, id="many brackets and asterisks"),
    ],
)
def test_pathological_notes_build(notes_dir: Path, tmp_path: Path, capsys, text: str, cards) -> None:
    (notes_dir / "odd.md").write_text(text, "utf-8")
    assert build(notes_dir, tmp_path / "out") == 0
    assert main(["lint", str(notes_dir)]) in (0, 1)  # findings at most, never a crash
    out = capsys.readouterr().out
    if cards:
        assert f"{cards} card{'' if cards == 1 else 's'} (" in out
    elif cards == 0:
        assert not (tmp_path / "out" / "Notes.apkg").exists()


def test_images_outside_the_notes_folder_are_refused(notes_dir: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "secret.png").write_bytes(b"png")
    write_note(notes_dir, "a.md", "---\ncategory: A\n---\n- ![x](../secret.png) -> up\n- ![y](/etc/hostname) -> absolute\n")
    assert build(notes_dir, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert "a.md:4: image '../secret.png' is outside the notes folder; refused; the card shows its alt text" in err
    assert "a.md:5: image '/etc/hostname' not found" in err  # looked for under the notes folder only
    with zipfile.ZipFile(tmp_path / "out" / "A.apkg") as archive:
        assert archive.read("media") == b"{}"  # nothing from outside was packed


def test_two_builds_at_once(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "good.md", GOOD)
    with exclusive(tmp_path / "out" / ".notes2anki", "notes2anki build"):
        assert build(notes_dir, tmp_path / "out") == 2
    assert "another notes2anki build is using" in capsys.readouterr().err
    assert build(notes_dir, tmp_path / "out") == 0


def _world_readable_tree() -> Path:
    """A folder that another user can reach (pytest's own folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="notes2anki-"))
    folder.chmod(0o755)
    return folder


def _as_nobody(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run a command as another user")
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "notes2anki", *arguments]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, "HOME": str(cwd)})


def test_unreadable_note_and_unwritable_output_as_a_normal_user() -> None:
    folder = _world_readable_tree()
    try:
        notes = folder / "notes"
        write_note(notes, "good.md", GOOD)
        write_note(notes, "secret.md", GOOD.replace("Good", "Secret"))
        notes.chmod(0o777)
        (notes / "secret.md").chmod(0o000)
        out = folder / "out"
        out.mkdir()
        out.chmod(0o777)
        result = _as_nobody("build", "notes", "-o", "out", cwd=folder)
        assert result.returncode == 1, result.stderr
        assert "notes/secret.md: cannot read the file: Permission denied" in result.stderr
        assert (out / "Good.apkg").exists()

        locked = folder / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        result = _as_nobody("build", "notes", "-o", "locked", cwd=folder)
        assert result.returncode == 2
        assert "notes2anki: cannot use the output folder locked: Permission denied" in result.stderr
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(folder)


def test_disk_full_while_writing_keeps_the_previous_deck(notes_dir: Path, tmp_path: Path) -> None:
    write_note(notes_dir, "good.md", GOOD)
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    before = snapshot(out)
    with (notes_dir / "good.md").open("a", encoding="utf-8") as note:
        note.write("".join(f"- 追加の問い {i} -> 答え {i}\n" for i in range(1500)))

    def small_disk() -> None:  # writes past 20 KB fail, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    command = [sys.executable, "-m", "notes2anki", "build", str(notes_dir), "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=small_disk, check=False)
    assert result.returncode == 2, result.stderr
    assert "nothing was saved" in result.stderr and ("File too large" in result.stderr or "disk is full" in result.stderr)
    assert snapshot(out) == before  # previous deck and state untouched, no temporary file left
    assert build(notes_dir, out) == 0  # and the next build, with room, goes through


def test_killed_build_leaves_previous_decks_and_state_usable(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    for number in range(120):
        extra = "".join(f"- Extra {number}.{line} -> x\n" for line in range(30))
        write_note(notes, f"n{number:03}.md", GOOD.replace("Good", f"Cat{number % 3}") + extra)
    out = tmp_path / "out"
    assert build(notes, out) == 0
    before = snapshot(out)
    for path in notes.glob("*.md"):
        path.write_text(path.read_text("utf-8") + "- Added -> y\n", "utf-8")
    process = subprocess.Popen([sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(out)])
    time.sleep(0.6)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = snapshot(out)
    for name, data in after.items():  # every file is either its old self or a complete new one
        assert name in before or not name.endswith(".tmp")
    for name in ("Cat0.apkg", "Cat1.apkg", "Cat2.apkg"):
        assert after[name] == before[name] or after[name][:2] == b"PK"
    assert build(notes, out) == 0
    assert not [path for path in out.rglob("*.tmp")]


def test_build_never_writes_a_note(notes_dir: Path, tmp_path: Path) -> None:
    write_note(notes_dir, "good.md", GOOD)
    write_note(notes_dir, "sub/other.md", GOOD.replace("Good", "Other") + "- ![x](missing.png) -> y\n")
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in notes_dir.rglob("*.md")}
    build(notes_dir, tmp_path / "out")
    build(notes_dir, tmp_path / "out", "--forget-removed")
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in notes_dir.rglob("*.md")} == before
    assert sorted(p.name for p in notes_dir.rglob("*") if p.is_file() and p.suffix != ".md") == ["notes2anki.lock"]
