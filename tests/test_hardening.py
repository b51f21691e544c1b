"""Bad input and faults: a clear message, the right exit code, nothing lost (README table rows)."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from notes2anki.cli import main
from notes2anki.files import exclusive
from tests.conftest import as_release_before, write_note

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
    # The deck is written first, by SQLite: a file-size limit is its "disk I/O error", a full disk its "disk is full".
    assert "nothing was saved" in result.stderr and any(cause in result.stderr for cause in ("File too large", "disk is full", "disk I/O error"))
    assert snapshot(out) == before  # previous deck and state untouched, no temporary file left
    assert build(notes_dir, out) == 0  # and the next build, with room, goes through


def test_a_deck_that_cannot_be_written_leaves_every_deck_and_the_lock_as_they_were(notes_dir: Path, tmp_path: Path) -> None:
    write_note(notes_dir, "a.md", GOOD.replace("category: Good", "category: A"))
    write_note(notes_dir, "b.md", GOOD.replace("category: Good", "category: B"))
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    before, lock = snapshot(out), (notes_dir / "notes2anki.lock").read_bytes()
    for name, answer in (("a.md", "Other answer"), ("b.md", "".join(f"{i:05} " for i in range(20_000)))):  # both decks change
        (notes_dir / name).write_text((notes_dir / name).read_text("utf-8").replace("-> Answer", f"-> {answer}"), "utf-8")
    (notes_dir / "notes2anki.lock").write_bytes(lock.replace(b"Question", b"Former question"))  # so that the lock is saved again

    def small_disk() -> None:  # writes past 100 KB fail: deck A fits, deck B does not
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    lock = (notes_dir / "notes2anki.lock").read_bytes()
    command = [sys.executable, "-m", "notes2anki", "build", str(notes_dir), "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=small_disk, check=False)
    assert result.returncode == 2, result.stderr
    assert "nothing was saved" in result.stderr and "written" not in result.stdout, result
    assert snapshot(out) == before
    assert (notes_dir / "notes2anki.lock").read_bytes() == lock


# Runs a build on several processes and kills it (SIGKILL, as `kill -9`) at a chosen point of its progress.
KILLED_BUILD = """
import multiprocessing, os, signal, sys
from pathlib import Path
from notes2anki import parallel
from notes2anki.build import build
parallel.JOBS_PER_PROCESS = 1  # workers, even for a small tree
notes, out, stage, at, pids = sys.argv[1:]
def progress(name, done, total):
    if name == stage and done == int(at):
        Path(pids).write_text(" ".join(str(child.pid) for child in multiprocessing.active_children()))
        os.kill(os.getpid(), signal.SIGKILL)
build([Path(notes)], Path(out), progress=progress)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize(("stage", "at"), [("reading", 3), ("writing", 1)])
def test_killed_build_leaves_previous_decks_and_state_usable_and_no_worker(tmp_path: Path, stage: str, at: int) -> None:
    notes = tmp_path / "notes"
    for number in range(12):
        extra = "".join(f"- Extra {number}.{line} -> x\n" for line in range(30))
        write_note(notes, f"n{number:03}.md", GOOD.replace("Good", f"Cat{number % 3}") + extra)
    out = tmp_path / "out"
    assert build(notes, out) == 0
    before = snapshot(out)
    for path in notes.glob("*.md"):
        path.write_text(path.read_text("utf-8") + "- Added -> y\n", "utf-8")
    pids = tmp_path / "workers"
    killed = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(notes), str(out), stage, str(at), str(pids)], check=False)
    assert killed.returncode == -signal.SIGKILL
    after = snapshot(out)
    assert after[".notes2anki/state.sqlite"] == before[".notes2anki/state.sqlite"]  # the last committed state
    for name in ("Cat0.apkg", "Cat1.apkg", "Cat2.apkg"):  # each deck is its old self or a complete new one
        assert after[name] == before[name] or zipfile.ZipFile(out / name).testzip() is None
    workers = [int(pid) for pid in pids.read_text().split()]
    if stage == "reading":
        assert workers, "the build ran no worker process"
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers)), "workers outlived the build that started them"
    assert build(notes, out) == 0  # the next build finishes the job
    assert not [path for path in tmp_path.rglob("*.tmp")]
    clean = tmp_path / "clean"
    assert build(notes, clean) == 0
    assert {n: {g: v[:3] for g, v in d.items()} for n, d in all_decks(out).items()} == {n: {g: v[:3] for g, v in d.items()} for n, d in all_decks(clean).items()}


def test_build_never_writes_a_note(notes_dir: Path, tmp_path: Path) -> None:
    write_note(notes_dir, "good.md", GOOD)
    write_note(notes_dir, "sub/other.md", GOOD.replace("Good", "Other") + "- ![x](missing.png) -> y\n")
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in notes_dir.rglob("*.md")}
    build(notes_dir, tmp_path / "out")
    build(notes_dir, tmp_path / "out", "--forget-removed")
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in notes_dir.rglob("*.md")} == before
    assert sorted(p.name for p in notes_dir.rglob("*") if p.is_file() and p.suffix != ".md") == ["notes2anki.lock"]


# --- issue 10: every file the tool reads or writes can be damaged; nothing costs more than itself ---


def deck_notes(deck: Path) -> dict[str, tuple]:
    """What Anki would import from a deck: each note's GUID → fields, tags, deck name, notetype."""
    with zipfile.ZipFile(deck) as archive:
        data = archive.read("collection.anki2")
    database = sqlite3.connect(":memory:")
    database.deserialize(data)
    decks = {}
    for (raw,) in database.execute("SELECT decks FROM col"):
        decks = {int(key): value["name"] for key, value in json.loads(raw).items()}
    cards = dict(database.execute("SELECT nid, did FROM cards"))
    return {guid: (flds, tags.strip(), decks.get(cards.get(nid)), mid) for nid, guid, flds, tags, mid in database.execute("SELECT id, guid, flds, tags, mid FROM notes")}


def all_decks(out: Path) -> dict[str, dict[str, tuple]]:
    return {deck.name: deck_notes(deck) for deck in sorted(out.glob("*.apkg"))}


def test_unreadable_note_keeps_its_last_good_cards(notes_dir: Path, tmp_path: Path, capsys, anki) -> None:
    write_note(notes_dir, "a.md", GOOD)
    broken = write_note(notes_dir, "b.md", GOOD.replace("Question", "Other question").replace("**Bold**", "**Strong**"))
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    anki.import_package(out / "Good.apkg")
    broken.write_text("---\ntitle: [oops\ncategory: Good\n---\n- a -> b\n", "utf-8")
    write_note(notes_dir, "a.md", GOOD + "- New -> card\n")
    capsys.readouterr()
    assert build(notes_dir, out) == 1
    assert f"{broken}:3: invalid YAML in front matter" in capsys.readouterr().err
    log = anki.import_package(out / "Good.apkg")
    assert len(log.new) == 1 and len(anki.notes()) == 5  # a.md's new card; b.md's two kept
    assert not anki.col.find_notes("tag:notes2anki::removed")


DAMAGE = {
    "deleted": lambda path: path.unlink(),
    "emptied": lambda path: path.write_bytes(b""),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3]),
    "json instead": lambda path: path.write_bytes(b"[]"),
    "null": lambda path: path.write_bytes(b"null"),
    "a row changed": lambda path: _sql(path, "UPDATE notes SET fields = 'x' WHERE rowid = 1"),
    "a row deleted": lambda path: _sql(path, "DELETE FROM notes WHERE rowid = 2"),
    "a file forgotten": lambda path: _sql(path, "DELETE FROM files WHERE rowid = 1"),
    "a mtime made up": lambda path: _sql(path, "UPDATE notes SET mtime = 5"),
    "another schema": lambda path: _sql(path, "DROP TABLE decks"),
    "a later release's": lambda path: _sql(path, "PRAGMA user_version = 7"),
    "another SQLite file": lambda path: (path.unlink(), _sql(path, "CREATE TABLE t (x)")),
}


def test_the_state_of_the_release_before_keeps_every_deck_as_it_was(notes_dir: Path, tmp_path: Path, capsys) -> None:
    """An upgrade is not damage: a state rebuilt from the notes would give every note a newer
    mtime, and Anki would overwrite what the user edited in Anki on every one."""
    for number in range(3):
        write_note(notes_dir, f"n{number}.md", GOOD + f"- Note {number} -> answer\n")
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    decks, lock = snapshot(out), (notes_dir / "notes2anki.lock").read_bytes()
    as_release_before(out / ".notes2anki" / "state.sqlite")
    capsys.readouterr()
    assert build(notes_dir, out) == 0
    captured = capsys.readouterr()
    assert "no changes" in captured.out and "rebuilt" not in captured.err
    assert {name: data for name, data in snapshot(out).items() if name.endswith(".apkg")} == {name: data for name, data in decks.items() if name.endswith(".apkg")}
    assert (notes_dir / "notes2anki.lock").read_bytes() == lock


def _sql(path: Path, statement: str) -> None:
    database = sqlite3.connect(path)
    database.execute(statement)
    database.commit()
    database.close()


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_state_is_detected_and_rebuilt(notes_dir: Path, tmp_path: Path, capsys, damage: str) -> None:
    for number in range(3):
        write_note(notes_dir, f"n{number}.md", GOOD + f"- Note {number} -> answer\n")
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    clean = all_decks(out)
    (out / "Good.apkg").unlink()  # so that the deck is written from whatever the state holds
    DAMAGE[damage](out / ".notes2anki" / "state.sqlite")
    capsys.readouterr()
    assert build(notes_dir, out) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if damage != "deleted":
        assert "the build state is rebuilt from the notes" in err
    if damage == "a later release's":
        assert "written by another version of notes2anki (state schema 7" in err
    assert {name: {guid: note[:3] for guid, note in notes.items()} for name, notes in all_decks(out).items()} == {
        name: {guid: note[:3] for guid, note in notes.items()} for name, notes in clean.items()
    }
    assert build(notes_dir, out) == 0  # and the state is whole again


def test_first_build_that_fails_leaves_nothing_the_next_build_calls_damage(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "good.md", GOOD)
    out = tmp_path / "out"
    (out / "Good.apkg").mkdir(parents=True)  # a folder where the deck goes: the first build cannot write it
    assert build(notes_dir, out) == 2
    assert "nothing was saved" in capsys.readouterr().err
    (out / "Good.apkg").rmdir()
    assert build(notes_dir, out) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and f"{out / 'Good.apkg'}: written: 2 cards (1 basic, 1 cloze); 2 added" in captured.out


def test_build_that_changes_nothing_leaves_the_state_file_untouched(notes_dir: Path, tmp_path: Path) -> None:
    write_note(notes_dir, "good.md", GOOD)
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    state = out / ".notes2anki" / "state.sqlite"
    before = (state.stat().st_mtime_ns, state.read_bytes())
    assert build(notes_dir, out) == 0
    assert (state.stat().st_mtime_ns, state.read_bytes()) == before


def test_deleted_lock_is_written_again(notes_dir: Path, tmp_path: Path) -> None:
    write_note(notes_dir, "a.md", GOOD)
    assert build(notes_dir, tmp_path / "out") == 0
    written = (notes_dir / "notes2anki.lock").read_bytes()
    (notes_dir / "notes2anki.lock").unlink()
    assert build(notes_dir, tmp_path / "out") == 0
    assert (notes_dir / "notes2anki.lock").read_bytes() == written


def test_lock_that_cannot_be_saved_is_named_and_state_follows_it() -> None:
    folder = _world_readable_tree()
    try:
        notes, out = folder / "notes", folder / "out"
        write_note(notes, "a.md", GOOD)
        notes.chmod(0o777)
        out.mkdir()
        out.chmod(0o777)
        assert _as_nobody("build", "notes", "-o", "out", cwd=folder).returncode == 0
        before = snapshot(out)
        write_note(notes, "a.md", GOOD + "- Added -> card\n")
        notes.chmod(0o555)  # the lock file beside the notes cannot be replaced
        result = _as_nobody("build", "notes", "-o", "out", cwd=folder)
        assert result.returncode == 2
        assert "cannot save the lock file notes/notes2anki.lock: Permission denied" in result.stderr and "build state" not in result.stderr
        assert snapshot(out) == before  # neither the state nor a deck moved on without the lock
        notes.chmod(0o777)
        assert _as_nobody("build", "notes", "-o", "out", cwd=folder).returncode == 0  # the next build repairs it
        assert "Added" in (notes / "notes2anki.lock").read_text("utf-8")
    finally:
        shutil.rmtree(folder)


def test_damaged_lock_lines_are_left_out_with_a_warning(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "a.md", GOOD)
    assert build(notes_dir, tmp_path / "out") == 0
    lock = notes_dir / "notes2anki.lock"
    lines = lock.read_text("utf-8").splitlines()
    lines[1] = lines[1].replace('"guid": "', '"guid": 12, "was": "')
    lines.append("not json at all")
    lock.write_text("\n".join(lines) + "\n", "utf-8")
    capsys.readouterr()
    assert build(notes_dir, tmp_path / "clean") == 0
    err = capsys.readouterr().err
    assert f"{lock}:2: not a lock entry; left out" in err and f"{lock}:4: not a lock entry" in err
    assert "Traceback" not in err


def test_duplicate_guids_in_the_lock_are_repaired_or_refused(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "a.md", GOOD)
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    lock = notes_dir / "notes2anki.lock"
    header, first, second = lock.read_text("utf-8").splitlines()
    guid = json.loads(first)["guid"]
    # A bad merge gave the second card the first one's GUID: the GUID is the first card's (its key's hash).
    lock.write_text("\n".join([header, first, re.sub(r'"guid": "[^"]+"', f'"guid": "{guid}"', second)]) + "\n", "utf-8")
    capsys.readouterr()
    assert build(notes_dir, tmp_path / "fresh") == 0
    assert f"{lock}:3: the GUID {guid} is given to the card at line 2 too; this line is left out" in capsys.readouterr().err
    guids = list(deck_notes(tmp_path / "fresh" / "Good.apkg"))
    assert len(guids) == len(set(guids)) == 2 and guid in guids
    # Neither line's card owns the GUID (a hand edit): nothing says which card it belongs to, so the build refuses.
    made_up = "handmadeGUID0000"
    lock.write_text("\n".join([header, *(re.sub(r'"guid": "[^"]+"', f'"guid": "{made_up}"', line) for line in (first, second))]) + "\n", "utf-8")
    assert build(notes_dir, tmp_path / "refused") == 1
    err = capsys.readouterr().err
    assert f"{lock}:3: the GUID {made_up} is given to two cards (lines 2 and 3)" in err
    assert not (tmp_path / "refused" / "Good.apkg").exists()


def test_lock_from_another_tree_is_named(notes_dir: Path, tmp_path: Path, capsys) -> None:
    other = tmp_path / "other"
    write_note(other, "elsewhere.md", GOOD)
    assert build(other, tmp_path / "other-out") == 0
    write_note(notes_dir, "a.md", GOOD)
    shutil.copy(other / "notes2anki.lock", notes_dir / "notes2anki.lock")
    capsys.readouterr()
    assert build(notes_dir, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert f"{notes_dir / 'notes2anki.lock'}: none of its 1 note files (elsewhere.md) is in {notes_dir}: it belongs to another notes folder" in err


def test_state_lost_within_the_same_second_still_updates_anki(notes_dir: Path, tmp_path: Path, anki, manual_clock) -> None:
    note = write_note(notes_dir, "a.md", GOOD)
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    anki.import_package(out / "Good.apkg")
    note.write_text(note.read_text("utf-8").replace("-> Answer", "-> Better answer"), "utf-8")
    shutil.rmtree(out)  # the state is lost; the clock has not moved on
    assert build(notes_dir, out) == 0
    log = anki.import_package(out / "Good.apkg")
    assert len(log.updated) == 2 and "Better answer" in {field for note_ in anki.notes().values() for field in note_.fields}


def test_building_part_of_a_tree_never_removes_what_it_did_not_look_at(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "aws/small.md", GOOD)
    write_note(notes_dir, "aws/big.md", GOOD.replace("Question", "Big question"))
    write_note(notes_dir, "other.md", GOOD.replace("Good", "Other"))
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    lock = (notes_dir / "notes2anki.lock").read_bytes()
    decks = all_decks(out)
    capsys.readouterr()
    assert main(["build", str(notes_dir / "aws" / "small.md"), "-o", str(out)]) == 0
    assert "removed" not in capsys.readouterr().out
    assert all_decks(out) == decks and (notes_dir / "notes2anki.lock").read_bytes() == lock
    # A build of one note into a fresh folder leaves the committed lock alone too.
    assert main(["build", str(notes_dir / "other.md"), "-o", str(tmp_path / "elsewhere")]) == 0
    assert (notes_dir / "notes2anki.lock").read_bytes() == lock


def test_one_note_reached_twice_is_one_note_and_one_name_twice_is_an_error(tmp_path: Path, capsys) -> None:
    first, second = tmp_path / "n1", tmp_path / "n2"
    write_note(first, "x.md", GOOD)
    write_note(second, "x.md", GOOD.replace("Question", "Second question"))
    assert main(["build", str(first), str(second), "-o", str(tmp_path / "out")]) == 1
    assert f"{second / 'x.md'}: has the same name (x.md) as {first / 'x.md'}" in capsys.readouterr().err
    assert main(["build", str(first), str(first), "-o", str(tmp_path / "twice")]) == 0
    assert "written: 2 cards" in capsys.readouterr().out
    (first / "link.md").symlink_to(first / "x.md")
    assert main(["build", str(first), "-o", str(tmp_path / "linked")]) == 0
    captured = capsys.readouterr()
    assert "written: 2 cards" in captured.out and f"{first / 'link.md'}: the same file as {first / 'x.md'}; built once" in captured.err


def test_category_file_names_never_collide(notes_dir: Path, tmp_path: Path) -> None:
    categories = ["A/B", "A_B", "A::B", "A__B", "aws", "AWS", "長い" * 150]
    for number, category in enumerate(categories):
        write_note(notes_dir, f"n{number}.md", GOOD.replace("category: Good", f"category: '{category}'"))
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    decks = sorted(out.glob("*.apkg"))
    assert len(decks) == len(categories) and len({deck.name.casefold() for deck in decks}) == len(categories)
    assert all(len(deck.name.encode("utf-8")) <= 255 for deck in decks)
    names = {next(iter(deck_notes(deck).values()))[2].rsplit("::", 1)[0] for deck in decks}
    assert names == set(categories)


def test_note_moved_to_another_category_leaves_its_old_deck(notes_dir: Path, tmp_path: Path, capsys) -> None:
    note = write_note(notes_dir, "a.md", GOOD)
    write_note(notes_dir, "b.md", GOOD.replace("Question", "Stays"))
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    note.write_text(note.read_text("utf-8").replace("category: Good", "category: Better"), "utf-8")
    capsys.readouterr()
    assert build(notes_dir, out) == 0
    printed = capsys.readouterr().out
    assert f"{out / 'Good.apkg'}: written: 2 cards (1 basic, 1 cloze); 2 moved to another deck" in printed
    assert f"deck: {note}: its cards now belong in 'Better::Good'" in printed
    assert len(deck_notes(out / "Good.apkg")) == 2 and len(deck_notes(out / "Better.apkg")) == 2


def test_only_files_the_tool_created_are_deleted(notes_dir: Path, tmp_path: Path) -> None:
    write_note(notes_dir, "a.md", GOOD)
    mine = [notes_dir / ".ideas.tmp", notes_dir / ".a.md.x.tmp", tmp_path / "out" / ".draft.tmp", tmp_path / "out" / "notes.apkg.bak"]
    for path in mine:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("mine")
    assert build(notes_dir, tmp_path / "out") == 0
    assert build(notes_dir, tmp_path / "out", "--forget-removed") == 0
    assert all(path.read_text() == "mine" for path in mine)


def test_dry_run_creates_nothing(notes_dir: Path, tmp_path: Path) -> None:
    write_note(notes_dir, "a.md", GOOD)
    before = sorted(tmp_path.rglob("*"))
    assert build(notes_dir, tmp_path / "out", "--dry-run") == 0
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("- {{c1::}} が空", "a cloze deletion Anki cannot show (empty, or numbered c0): {{c1::}}"),
        ("- {{c0::x}} は存在しない番号", "a cloze deletion Anki cannot show (empty, or numbered c0): {{c0::x}}"),
    ],
)
def test_clozes_anki_cannot_show_warn_and_make_no_note(notes_dir: Path, tmp_path: Path, capsys, line: str, message: str) -> None:
    write_note(notes_dir, "a.md", GOOD + line + "\n")
    assert build(notes_dir, tmp_path / "out") == 0
    captured = capsys.readouterr()
    assert f"warning: {notes_dir / 'a.md'}:9: {message}; no note made" in captured.err
    assert "written: 2 cards" in captured.out and len(deck_notes(tmp_path / "out" / "Good.apkg")) == 2


def test_yaml_alias_bomb_is_refused(notes_dir: Path, tmp_path: Path, capsys) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    write_note(notes_dir, "bomb.md", "---\n" + "\n".join(levels) + "\n---\n- q -> a\n")
    write_note(notes_dir, "good.md", GOOD)
    started = time.monotonic()
    assert build(notes_dir, tmp_path / "out") == 1
    assert time.monotonic() - started < 10
    assert "bomb.md:3: front matter uses the YAML alias '*a'; aliases are refused" in capsys.readouterr().err
    assert main(["lint", str(notes_dir / "bomb.md")]) in (1, 2)


def test_one_pin_in_two_files_keeps_both_cards_and_warns(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "a.md", GOOD.replace("Question -> Answer", "Question -> Answer <!-- notes2anki-id: same -->"))
    write_note(notes_dir, "b.md", GOOD.replace("Question -> Answer", "Other -> Answer <!-- notes2anki-id: same -->").replace("**Bold**", "**Strong**"))
    assert build(notes_dir, tmp_path / "out") == 0
    assert "b.md:7: the identity 'same' is pinned in a.md too; this card gets an identity of its own" in capsys.readouterr().err
    assert len(deck_notes(tmp_path / "out" / "Good.apkg")) == 4


def test_lock_with_merge_conflict_markers_is_refused_and_named(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "a.md", GOOD)
    assert build(notes_dir, tmp_path / "out") == 0
    lock = notes_dir / "notes2anki.lock"
    header, *entries = lock.read_text("utf-8").splitlines()
    lock.write_text("\n".join([header, "<<<<<<< HEAD", entries[0], "=======", entries[1], ">>>>>>> other"]) + "\n", "utf-8")
    capsys.readouterr()
    assert build(notes_dir, tmp_path / "out") == 1
    assert f"{lock}:2: the lock file has merge conflict markers" in capsys.readouterr().err


def test_lock_merges_with_git_union_merge(tmp_path: Path) -> None:
    """Two branches add cards to different notes: `merge=union` merges the lock, and a build accepts it."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    repository = tmp_path / "repo"
    notes = repository / "notes"
    write_note(notes, "a.md", GOOD)
    write_note(notes, "b.md", GOOD.replace("Good", "Other"))
    (repository / ".gitattributes").write_text("notes2anki.lock merge=union\n")

    def git(*arguments: str) -> None:
        environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
        subprocess.run(["git", *arguments], cwd=repository, check=True, capture_output=True, env=environment)

    git("init", "-q", "-b", "main")
    assert build(notes, tmp_path / "out") == 0
    git("add", ".")
    git("commit", "-qm", "notes")
    git("checkout", "-qb", "side")
    write_note(notes, "a.md", GOOD + "- Side -> card\n")
    assert build(notes, tmp_path / "side-out") == 0
    git("commit", "-qam", "side")
    git("checkout", "-q", "main")
    write_note(notes, "b.md", GOOD.replace("Good", "Other") + "- Main -> card\n")
    assert build(notes, tmp_path / "main-out") == 0
    git("commit", "-qam", "main")
    git("merge", "-q", "side", "-m", "merge")  # no conflict
    merged = (notes / "notes2anki.lock").read_text("utf-8")
    assert "Side" in merged and "Main" in merged
    assert build(notes, tmp_path / "merged-out") == 0
    assert (notes / "notes2anki.lock").read_text("utf-8") == merged  # the merged lock is already what a build writes


def test_dry_run_with_a_damaged_state_says_so_and_changes_nothing(notes_dir: Path, tmp_path: Path, capsys) -> None:
    write_note(notes_dir, "a.md", GOOD)
    out = tmp_path / "out"
    assert build(notes_dir, out) == 0
    (out / ".notes2anki" / "state.sqlite").write_bytes(b"damaged")
    before = snapshot(out)
    capsys.readouterr()
    assert build(notes_dir, out, "--dry-run") == 0
    assert "the build state is rebuilt from the notes" in capsys.readouterr().err
    assert snapshot(out) == before
