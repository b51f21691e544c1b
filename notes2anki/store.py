"""What a build remembers for the next one: one SQLite file in the output folder.

- ``files``: per note file its fingerprint (size, mtime) and content hash, so that an unchanged
  file costs a row lookup and is not even read; its category, deck, description and images.
- ``notes``: every Anki note as it was packed (fields, tags, deck), with hashes of its content
  and the mtime it was given. Anki updates a note on import only when the package's mtime is
  newer, so a note whose content is unchanged keeps its mtime (no churn, no overwriting of edits
  made in Anki) and a changed one gets a newer one. Decks are written from these rows.
- ``cards``: the lock file's entries, as last read from or written to it, each with the line it
  is written as (so that saving the lock after a one-note edit decodes and encodes nothing); the
  lock file's fingerprint is kept too: a lock changed by hand or by git is read again.
- ``decks``: the file each category's deck is written to.

A build is one transaction (``commit`` at the end), the first build's tables included: a build
that dies or fails half-way leaves the last committed state, or none. Every row carries a checksum that is verified when it is read back;
a damaged or foreign file raises ``StoreDamaged`` and the build starts afresh. Rows are read
a file or a deck at a time: memory does not grow with the tree.
"""

from __future__ import annotations

import json
import marshal
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from notes2anki.identity import PIN_PREFIX, Entry, keyed_on
from notes2anki.lock import line as lock_line
from notes2anki.model import PackedNote

STATE_DIR = ".notes2anki"
STATE_FILE = "state.sqlite"
SCHEMA_VERSION = 2
_APPLICATION_ID = 0x4E324153  # "N2AS": a SQLite file of notes2anki's, not any other

_TABLES = {
    "meta": "key TEXT PRIMARY KEY, value TEXT NOT NULL, checksum INTEGER NOT NULL",
    "files": (
        "name TEXT PRIMARY KEY, root TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha TEXT NOT NULL, "
        "category TEXT NOT NULL, deck TEXT NOT NULL, description TEXT NOT NULL, media TEXT NOT NULL, images TEXT NOT NULL, "
        "checksum INTEGER NOT NULL"
    ),
    "notes": (
        "guid TEXT PRIMARY KEY, file TEXT NOT NULL, category TEXT NOT NULL, deck TEXT NOT NULL, kind TEXT NOT NULL, "
        "line INTEGER NOT NULL, fields TEXT NOT NULL, tags TEXT NOT NULL, question TEXT NOT NULL, key TEXT NOT NULL, "
        "body TEXT NOT NULL, source TEXT NOT NULL, mtime INTEGER NOT NULL, removed INTEGER NOT NULL, checksum INTEGER NOT NULL"
    ),
    "cards": (
        "guid TEXT PRIMARY KEY, root TEXT NOT NULL, file TEXT NOT NULL, section TEXT NOT NULL, kind TEXT NOT NULL, "
        "question TEXT NOT NULL, pin TEXT, cloze TEXT NOT NULL, top INTEGER NOT NULL, apart TEXT NOT NULL, key TEXT NOT NULL, "
        "line TEXT NOT NULL, checksum INTEGER NOT NULL"
    ),
    "decks": "category TEXT PRIMARY KEY, file TEXT NOT NULL, checksum INTEGER NOT NULL",
}
_INDEXES = [
    "CREATE INDEX notes_by_file ON notes (file)",
    "CREATE INDEX notes_by_category ON notes (category, file, line, guid)",
    "CREATE INDEX cards_by_file ON cards (file)",
    "CREATE INDEX cards_by_key ON cards (key)",
    "CREATE INDEX cards_in_order ON cards (root, file, section, kind, question, guid)",
]


class StoreDamaged(Exception):
    """The state file is not what notes2anki wrote: the build starts afresh from the notes."""


def _checksum(values: tuple) -> int:
    return zlib.crc32("\x1e".join(map(str, values)).encode("utf-8", "surrogatepass"))


# Anki keeps a note's fields in one text, separated by this character, and so does the state: no
# packed field contains it (``pipeline`` writes one typed into a note as its character reference).
FIELD_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class FileRow:
    name: str
    root: str
    size: int
    mtime_ns: int
    sha: str
    category: str
    deck: str
    description: str
    media: dict[str, str]  # media name → image file
    images: dict[str, list[int] | None]  # every image looked for → its fingerprint (None: missing)

    def values(self) -> tuple:
        media, images = json.dumps(self.media, ensure_ascii=False, sort_keys=True), json.dumps(self.images, ensure_ascii=False, sort_keys=True)
        return (self.name, self.root, self.size, self.mtime_ns, self.sha, self.category, self.deck, self.description, media, images)


@dataclass(frozen=True)
class NoteRow:
    """A packed note as stored: the note, the hashes that tell what changed, whether it was removed.

    Its section (identity, not content) is kept with its lock entry, in ``cards``.
    """

    note: PackedNote
    body: str  # hash of everything Anki stores but the Source field
    source: str  # hash of the Source field (file:line): a change there alone is a move
    removed: bool = False

    def values(self) -> tuple:
        n = self.note
        fields, tags = FIELD_SEPARATOR.join(n.fields), FIELD_SEPARATOR.join(n.tags)
        return (n.guid, n.file, n.category, n.deck, n.kind, n.line, fields, tags, n.question, n.key, self.body, self.source, n.mtime, int(self.removed))


def _note_row(row: tuple) -> NoteRow:
    guid, file, category, deck, kind, line, fields, tags, question, key, body, source, mtime, removed = row
    note = PackedNote(
        key=key, category=category, deck=deck, kind=kind, fields=tuple(fields.split(FIELD_SEPARATOR)), tags=tuple(tags.split(FIELD_SEPARATOR)) if tags else (),
        file=file, line=line, section=(), question=question, guid=guid, mtime=mtime,
    )  # fmt: skip
    return NoteRow(note, body, source, bool(removed))


def _entry_values(root: str, entry: Entry) -> tuple:
    section, cloze = json.dumps(list(entry.section), ensure_ascii=False), json.dumps([list(p) for p in entry.deletions], ensure_ascii=False)
    return (entry.guid, root, entry.file, section, entry.kind, entry.question, entry.pin, cloze, entry.top, entry.apart, entry.key, lock_line(entry))


def _entry(row: tuple) -> Entry:
    guid, _root, file, section, kind, question, pin, cloze, top, apart, key, _line = row
    deletions = tuple((t, n) for t, n in json.loads(cloze))
    return Entry(guid, file, tuple(json.loads(section)), kind, question, pin, deletions, top, apart, keyed_on(key, question), key)


class Store:
    """The state of one output folder, open for one build (``read_only`` for a dry run)."""

    def __init__(self, out_dir: Path, read_only: bool = False, afresh: bool = False) -> None:
        """``afresh`` (with ``read_only``): ignore the saved state, as a dry run must when it is damaged."""
        self.path = out_dir / STATE_DIR / STATE_FILE
        self.read_only = read_only
        self._staging = False
        existed = self.path.exists() and not (read_only and afresh)
        if existed and self.path.stat().st_size == 0:  # SQLite never leaves a file it wrote to empty
            raise StoreDamaged(f"{self.path}: not a notes2anki state (the file is empty)")
        try:
            if read_only:
                # A dry run creates nothing: the saved state is copied into memory and worked on there.
                self.db = sqlite3.connect(":memory:")
                if existed:
                    source = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
                    try:
                        source.backup(self.db)
                    finally:
                        source.close()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, isolation_level=None)
                # One build at a time holds the folder (files.exclusive): exclusive locking needs
                # no shared-memory file beside the database.
                self.db.execute("PRAGMA locking_mode=EXCLUSIVE")
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA temp_store=FILE")
            self.db.execute("BEGIN IMMEDIATE" if not read_only else "BEGIN")
            self._check_or_create()
        except StoreDamaged:
            self.close()
            raise
        except (sqlite3.Error, ValueError) as error:
            self.close()
            if _environmental(error, reading=True):  # a full disk, a folder it may not use: not damage
                raise OSError(f"cannot open {self.path}: {error}") from None
            raise StoreDamaged(f"{self.path}: not a notes2anki state ({error})") from None

    def _check_or_create(self) -> None:
        application = self.db.execute("PRAGMA application_id").fetchone()[0]
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if application == 0 and not self.db.execute("SELECT name FROM sqlite_master").fetchall():
            # No build ever committed here (none has run, or the first one failed): the tables are
            # made in this build's transaction, so that they are saved with its rows or not at all.
            for table, columns in _TABLES.items():
                self.db.execute(f"CREATE TABLE {table} ({columns})")
            for index in _INDEXES:
                self.db.execute(index)
            self.db.execute(f"PRAGMA application_id={_APPLICATION_ID}")
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            return
        if application == _APPLICATION_ID and version == 1:
            self._add_lock_lines()
            version = SCHEMA_VERSION
        if application == _APPLICATION_ID and version != SCHEMA_VERSION:
            raise StoreDamaged(f"{self.path}: written by another version of notes2anki (state schema {version}, this one keeps {SCHEMA_VERSION})")
        if application != _APPLICATION_ID:
            raise sqlite3.DatabaseError(f"application id {application:#x}, schema {version}")
        for table, columns in _TABLES.items():
            found = [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")]
            if found != [column.split()[0] for column in columns.split(", ")]:
                raise sqlite3.DatabaseError(f"table {table} has columns {found}")
        if self.get("rows", {}) != self._row_counts():  # a row lost or added behind the build's back
            raise StoreDamaged(f"{self.path}: its tables do not hold the rows the last build saved")

    def _add_lock_lines(self) -> None:
        """Schema 1 (the release before) kept no lock lines: each is added in this build's
        transaction, so that the notes keep their mtimes (a state rebuilt from the notes would give
        every note a newer one, and Anki would overwrite any edit made to it in Anki)."""
        before = "guid, root, file, section, kind, question, pin, cloze, top, apart, key, checksum"
        for index in ("cards_by_file", "cards_by_key", "cards_in_order"):
            self.db.execute(f"DROP INDEX IF EXISTS {index}")
        self.db.execute("ALTER TABLE cards RENAME TO cards_before")
        self.db.execute(f"CREATE TABLE cards ({_TABLES['cards']})")
        for index in _INDEXES:
            if " ON cards " in index:
                self.db.execute(index)
        rows = self.db.execute(f"SELECT {before} FROM cards_before")
        while batch := rows.fetchmany(1000):
            values = [_entry_values(row[1], _entry((*self._verified(row), ""))) for row in batch]
            self.db.executemany("INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [(*v, _checksum(v)) for v in values])
        self.db.execute("DROP TABLE cards_before")
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _row_counts(self) -> dict[str, int]:
        return {table: next(self._query(f"SELECT COUNT(*) FROM {table}"))[0] for table in _TABLES if table != "meta"}

    # --- reading and writing: SQLite's errors as damage or as the environment ----------------

    def _failure(self, error: Exception, reading: bool) -> Exception:
        """What a failed statement means: an OSError (a full disk, permissions) or a damaged file."""
        if _environmental(error, reading):
            return OSError(f"cannot read {self.path}: {error}" if reading else str(error))
        return StoreDamaged(f"{self.path}: {error}")

    def _query(self, query: str, parameters: tuple = ()) -> Iterator[tuple]:
        """Rows as stored (with their checksum, if the query selects it); counts and keys need no more."""
        try:
            for row in self.db.execute(query, parameters):  # not ``yield from``: a generator left unfinished must not close the cursor
                yield row
        except (sqlite3.Error, ValueError) as error:
            raise self._failure(error, reading=True) from None

    def _rows(self, query: str, parameters: tuple = ()) -> Iterator[tuple]:
        """Rows whose last column is their checksum, each verified, without it."""
        return (self._verified(row) for row in self._query(query, parameters))

    def _verified(self, row: tuple) -> tuple:
        *values, checksum = row
        if _checksum(tuple(values)) != checksum:
            raise StoreDamaged(f"{self.path}: a row does not match its checksum")
        return tuple(values)

    def _write(self, query: str, parameters=()) -> None:
        """Any statement that writes, to the saved tables or this build's temporary ones (``parameters`` a list: once per item)."""
        try:
            if isinstance(parameters, list):
                self.db.executemany(query, parameters)
            else:
                self.db.execute(query, parameters)
        except (sqlite3.Error, ValueError) as error:
            raise self._failure(error, reading=False) from None

    def get(self, key: str, default=None):
        for (value,) in self._rows("SELECT value, checksum FROM meta WHERE key = ?", (key,)):
            return json.loads(value)
        return default

    def set(self, key: str, value) -> None:
        if self.get(key) == json.loads(json.dumps(value)):
            return
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        self._write("INSERT OR REPLACE INTO meta VALUES (?, ?, ?)", (key, text, _checksum((text,))))

    def file(self, name: str) -> FileRow | None:
        for row in self._rows(f"SELECT {_columns('files')} FROM files WHERE name = ?", (name,)):
            return _file_row(row)
        return None

    def files(self) -> Iterator[FileRow]:
        return (_file_row(row) for row in list(self._rows(f"SELECT {_columns('files')} FROM files ORDER BY name")))

    def notes_of_category(self, category: str) -> Iterator[NoteRow]:
        return (_note_row(row) for row in self._rows(f"SELECT {_columns('notes')} FROM notes WHERE category = ? ORDER BY file, line, guid", (category,)))

    def gone_notes(self, reopened: dict[str, set[str]]) -> list[NoteRow]:
        """Live notes of the ``reopened`` files (root → names) that no staged note took over: removed cards."""
        self._reopened(reopened)
        query = (
            f"SELECT {_columns('notes')} FROM notes WHERE file IN (SELECT file FROM reopened) AND NOT removed "
            "AND NOT EXISTS (SELECT 1 FROM staged WHERE staged.guid = notes.guid) ORDER BY file, line, guid"
        )
        return [_note_row(row) for row in self._rows(query)]

    def removed_notes(self) -> dict[str, list[str]]:
        """Category → GUIDs of its removed notes."""
        found: dict[str, list[str]] = {}
        for guid, category in self._query("SELECT guid, category FROM notes WHERE removed ORDER BY guid"):
            found.setdefault(category, []).append(guid)
        return found

    def categories(self) -> list[str]:
        return [category for (category,) in self._query("SELECT DISTINCT category FROM notes ORDER BY category")]

    def counts(self, category: str) -> tuple[int, int, int]:
        """Live basic notes, live cloze notes and removed notes of a category."""
        row = next(self._query(
            "SELECT SUM(kind = 'basic' AND NOT removed), SUM(kind = 'cloze' AND NOT removed), SUM(removed) FROM notes WHERE category = ?",
            (category,),
        ))
        return tuple(value or 0 for value in row)

    def category_size(self, category: str) -> int:
        """The notes of a category, counted from the table itself (not through an index)."""
        return next(self._query("SELECT COUNT(*) FROM notes NOT INDEXED WHERE category = ?", (category,)))[0]

    def cards_of_file(self, file: str) -> list[Entry]:
        return [_entry(row) for row in self._rows(f"SELECT {_columns('cards')} FROM cards WHERE file = ?", (file,))]

    def cards_with_key(self, key: str) -> list[tuple[str, Entry]]:
        """(root, entry) of the lock entries with this key (a pin's: one a file that has it), by file."""
        return [(row[1], _entry(row)) for row in self._rows(f"SELECT {_columns('cards')} FROM cards WHERE key = ? ORDER BY file, guid", (key,))]

    def card_guids(self) -> set[str]:
        return {guid for (guid,) in self._query("SELECT guid FROM cards")}

    def lock_lines(self, root: str) -> Iterator[str]:
        """The lines of ``root``'s lock file, in its order (file, section, type, question, GUID)."""
        query = f"SELECT {_columns('cards')} FROM cards WHERE root = ? ORDER BY file, section, kind, question, guid"
        return (row[-1] for row in self._rows(query, (root,)))

    def has_cards(self, root: str) -> bool:
        return next(self._query("SELECT 1 FROM cards WHERE root = ? LIMIT 1", (root,)), None) is not None

    def deck_files(self) -> dict[str, str]:
        return {category: file for category, file in self._rows("SELECT category, file, checksum FROM decks")}

    # --- this build's notes, before they are identified and stamped (never saved) -------------

    def stage(self, root: str, notes: list[tuple[PackedNote, str | None, tuple[int, ...], int]]) -> None:
        """Notes of a file read this time, with the GUID and cloze numbers found so far (or None)."""
        if not self._staging:
            self._write(
                "CREATE TEMP TABLE staged (seq INTEGER PRIMARY KEY, root TEXT, file TEXT, line INTEGER, key TEXT, kind TEXT, "
                "section TEXT, question TEXT, deletions TEXT, guid TEXT, numbers TEXT, top INTEGER, note BLOB)"
            )
            self._write("CREATE INDEX temp.staged_guid ON staged (guid)")
            self._write("CREATE INDEX temp.staged_key ON staged (key)")
            self._write("CREATE TEMP TABLE reopened (root TEXT, file TEXT)")
            self._staging = True
        self._write(
            "INSERT INTO staged (root, file, line, key, kind, section, question, deletions, guid, numbers, top, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (root, n.file, n.line, n.key, n.kind, json.dumps(n.section, ensure_ascii=False), n.question,
                 json.dumps(n.deletions, ensure_ascii=False), guid, json.dumps(numbers), top, _packed_bytes(n))
                for n, guid, numbers, top in notes
            ],
        )  # fmt: skip

    def staged(self) -> Iterator[tuple[PackedNote, tuple[int, ...], NoteRow | None]]:
        """(note with its GUID, cloze numbers, the state's row of that GUID) of the staged notes, in file order.

        Read a batch at a time, so the caller may write notes between batches.
        """
        if not self._staging:
            return
        after = 0
        columns = ", ".join(f"n.{column}" for column in _columns("notes").split(", "))
        while True:
            rows = list(self._query(
                f"SELECT s.seq, s.guid, s.numbers, s.note, {columns} FROM staged s LEFT JOIN notes n ON n.guid = s.guid "
                "WHERE s.seq > ? ORDER BY s.seq LIMIT 2000",
                (after,),
            ))
            if not rows:
                return
            for seq, guid, numbers, note, *previous in rows:
                yield _packed(note, guid or ""), tuple(json.loads(numbers)), _note_row(self._verified(previous)) if previous[0] is not None else None
            after = rows[-1][0]

    def unidentified(self) -> Iterator[tuple[int, str, str, int, str, tuple[str, ...], str, tuple[str, ...]]]:
        """(seq, key, file, line, kind, section, question, deletions) of staged notes with no GUID yet."""
        if not self._staging:
            return iter(())
        rows = self._query("SELECT seq, key, file, line, kind, section, question, deletions FROM staged WHERE guid IS NULL ORDER BY file, seq")
        return ((seq, key, file, line, kind, tuple(json.loads(section)), question, tuple(json.loads(deletions))) for seq, key, file, line, kind, section, question, deletions in rows)

    def staged_entries(self) -> Iterator[tuple[str, str, str, int, str, tuple[str, ...], str, tuple[str, ...], tuple[int, ...], int]]:
        """(root, guid, key, kind, file, section, question, deletions, numbers, top) of every staged note."""
        if not self._staging:
            return iter(())
        rows = self._query("SELECT root, guid, key, kind, file, section, question, deletions, numbers, top FROM staged ORDER BY root, file, seq")
        return (
            (root, guid, key, kind, file, tuple(json.loads(section)), question, tuple(json.loads(deletions)), tuple(json.loads(numbers)), top)
            for root, guid, key, kind, file, section, question, deletions, numbers, top in rows
        )

    def staged_pins(self) -> Iterator[tuple[int, str, str, int, str | None, tuple[str, ...]]]:
        """(seq, key, file, line, GUID or None, deletions) of staged pinned notes: those with a GUID first, then by file."""
        if not self._staging:
            return iter(())
        end = PIN_PREFIX[:-1] + chr(ord(PIN_PREFIX[-1]) + 1)  # every key starting with the prefix sorts below this
        rows = self._query(
            "SELECT seq, key, file, line, guid, deletions FROM staged WHERE key >= ? AND key < ? ORDER BY guid IS NULL, file, seq", (PIN_PREFIX, end)
        )
        return ((seq, key, file, line, guid, tuple(json.loads(deletions))) for seq, key, file, line, guid, deletions in list(rows))

    def staged_guids(self) -> set[str]:
        return {guid for (guid,) in self._query("SELECT guid FROM staged WHERE guid IS NOT NULL")} if self._staging else set()

    def vanished(self, reopened: dict[str, set[str]]) -> list[Entry]:
        """Lock entries of the ``reopened`` files whose GUID no staged note has taken."""
        self._reopened(reopened)
        query = (
            f"SELECT {_columns('cards')} FROM cards WHERE EXISTS (SELECT 1 FROM reopened r WHERE r.root = cards.root AND r.file = cards.file) "
            "AND guid NOT IN (SELECT guid FROM staged WHERE guid IS NOT NULL) ORDER BY file, guid"
        )
        return [_entry(row) for row in self._rows(query)]

    def _reopened(self, reopened: dict[str, set[str]]) -> None:
        if not self._staging:
            self.stage("", [])
        self._write("DELETE FROM reopened")
        self._write("INSERT INTO reopened VALUES (?, ?)", [(root, file) for root, files in reopened.items() for file in files])

    def identify_staged(self, updates: list[tuple[str, tuple[int, ...], int, int]]) -> None:
        """(GUID, cloze numbers, top, seq) for staged notes."""
        if not updates:
            return
        self._write("UPDATE staged SET guid = ?, numbers = ?, top = ? WHERE seq = ?", [(g, json.dumps(n), t, seq) for g, n, t, seq in updates])

    # --- writing ------------------------------------------------------------------------------

    def put_file(self, row: FileRow) -> None:
        values = row.values()
        self._write("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, _checksum(values)))

    def delete_file(self, name: str) -> None:
        self._write("DELETE FROM files WHERE name = ?", (name,))

    def put_notes(self, rows: list[NoteRow]) -> None:
        values = [row.values() for row in rows]
        self._write("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [(*v, _checksum(v)) for v in values])

    def delete_notes(self, guids: list[str]) -> None:
        self._write("DELETE FROM notes WHERE guid = ?", [(guid,) for guid in guids])

    def replace_cards(self, root: str, files: list[str], entries: list[Entry]) -> None:
        """The lock entries of ``files`` become ``entries``."""
        if files:
            self._write("DELETE FROM cards WHERE file = ? AND root = ?", [(file, root) for file in files])
        values = [_entry_values(root, entry) for entry in entries]
        self._write("INSERT OR REPLACE INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [(*v, _checksum(v)) for v in values])

    def load_cards(self, root: str, entries: list[Entry]) -> None:
        """The lock file of ``root`` as read now replaces what the state had of it."""
        self._write("DELETE FROM cards WHERE root = ?", (root,))
        self.replace_cards(root, [], entries)

    def set_deck_file(self, category: str, file: str) -> None:
        self._write("INSERT OR REPLACE INTO decks VALUES (?, ?, ?)", (category, file, _checksum((category, file))))

    def delete_deck_file(self, category: str) -> None:
        self._write("DELETE FROM decks WHERE category = ?", (category,))

    def commit(self) -> None:
        """The single point where a build's state becomes durable (a build that changed no row writes nothing)."""
        if self.read_only:
            return
        self.set("rows", self._row_counts())
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as error:
            raise OSError(f"{error}") from None

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            try:
                if db.in_transaction:
                    db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            db.close()
            self.db = None


_PACKED = [name for name in PackedNote.__slots__ if name not in ("guid", "mtime")]


def _packed_bytes(note: PackedNote) -> bytes:
    return marshal.dumps(tuple(getattr(note, name) for name in _PACKED))  # a temporary table of this run only


def _packed(data: bytes, guid: str) -> PackedNote:
    return PackedNote(*marshal.loads(data), guid=guid)


_ENVIRONMENT = ("SQLITE_FULL", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_READONLY", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_NOMEM")


def _environmental(error: Exception, reading: bool) -> bool:
    """Whether SQLite failed because of where it runs (a full disk, permissions) rather than what the file holds.

    An I/O error while reading is taken as damage (a truncated file reads short); while writing, as the disk.
    """
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(_ENVIRONMENT) or (not reading and name.startswith("SQLITE_IOERR"))


def _columns(table: str) -> str:
    return ", ".join(column.split()[0] for column in _TABLES[table].split(", "))


def _file_row(row: tuple) -> FileRow:
    name, root, size, mtime_ns, sha, category, deck, description, media, images = row
    return FileRow(name, root, size, mtime_ns, sha, category, deck, description, json.loads(media), json.loads(images))


def discard(out_dir: Path) -> None:
    """Remove a damaged state (and SQLite's companion files), so that the build starts afresh."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        (out_dir / STATE_DIR / f"{STATE_FILE}{suffix}").unlink(missing_ok=True)
