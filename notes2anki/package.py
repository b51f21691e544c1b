"""Packed notes to one ``.apkg``: the only module that imports genanki (only ``build`` needs it).

genanki writes the collection into an in-memory SQLite database; this module then gives each
note its own mtime (see ``state.py``) and zips the result with fixed timestamps, so the same
notes and state always give the same bytes.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import genanki

from notes2anki import identity
from notes2anki.files import scratch_file
from notes2anki.model import PackedNote

ZIP_DATE = (1980, 1, 1, 0, 0, 0)

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", Meiryo, sans-serif;
  font-size: 20px;
  line-height: 1.55;
  text-align: left;
  color: #1f2328;
  background: #ffffff;
  max-width: 42em;
  margin: 0 auto;
  padding: 0 0.6em;
  overflow-wrap: anywhere;
}
.nightMode.card, .night_mode .card { color: #e6edf3; background: #1e1e1e; }
.n2a-context { font-size: 0.7em; color: #6e7781; margin-bottom: 0.8em; }
.n2a-source { font-size: 0.65em; color: #8c959f; margin-top: 1.2em; }
.n2a-extra { margin-top: 0.8em; font-size: 0.9em; }
.n2a-back ul, .n2a-extra ul { margin: 0.3em 0; padding-left: 1.3em; }
.cloze { font-weight: bold; color: #0550ae; }
.nightMode .cloze, .night_mode .cloze { color: #79c0ff; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; background: rgba(127,127,127,0.15); padding: 0 0.2em; border-radius: 3px; }
img { max-width: 100%; height: auto; }
hr#answer { border: none; border-top: 1px solid #d0d7de; }
"""

_CONTEXT = '<div class="n2a-context">{{Context}}</div>'
_EXTRA = '{{#Extra}}<div class="n2a-extra">{{Extra}}</div>{{/Extra}}'
_SOURCE = '<div class="n2a-source">{{Source}}</div>'

BASIC_MODEL = genanki.Model(
    identity.BASIC_MODEL_ID,
    "notes2anki Basic",
    fields=[{"name": name} for name in ("Front", "Back", "Extra", "Context", "Source")],
    templates=[
        {
            "name": "Card 1",
            "qfmt": f'{_CONTEXT}\n<div class="n2a-front">{{{{Front}}}}</div>',
            "afmt": f'{{{{FrontSide}}}}\n<hr id="answer">\n<div class="n2a-back">{{{{Back}}}}</div>\n{_EXTRA}\n{_SOURCE}',
        }
    ],
    css=CSS,
)

CLOZE_MODEL = genanki.Model(
    identity.CLOZE_MODEL_ID,
    "notes2anki Cloze",
    fields=[{"name": name} for name in ("Text", "Extra", "Context", "Source")],
    templates=[
        {
            "name": "Cloze",
            "qfmt": f"{_CONTEXT}\n<div>{{{{cloze:Text}}}}</div>",
            "afmt": f"{_CONTEXT}\n<div>{{{{cloze:Text}}}}</div>\n{_EXTRA}\n{_SOURCE}",
        }
    ],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)

def write_package(
    stream: BinaryIO,
    groups: Iterable[list[PackedNote]],
    media: dict[str, Path],
    epoch_ms: int,
    descriptions: dict[str, str] | None = None,
    scratch: Path | None = None,
) -> None:
    """Write the .apkg of the notes into ``stream``, given a group at a time (a note file's notes, in order).

    Each group is written and let go before the next is read, and the collection is built in a
    scratch file in ``scratch`` (default: the system's temporary folder) and zipped from there,
    so memory stays that of one note file however large the deck. genanki's objects decide
    every row (fields, tags, sort field, which cards a note has, deck and notetype JSON); the
    rows are inserted in batches, each note with its own mtime (see ``store``). The same input
    gives the same bytes.
    """
    handle, collection = scratch_file(scratch or Path(tempfile.gettempdir()), "collection.anki2")
    os.close(handle)
    try:
        _write_collection(Path(collection), groups, epoch_ms, descriptions or {})
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with open(collection, "rb") as source:
                _add(archive, "collection.anki2", source)
            names = sorted(media)
            _add(archive, "media", io.BytesIO(json.dumps({str(i): name for i, name in enumerate(names)}).encode("utf-8")))
            for index, name in enumerate(names):
                with open(media[name], "rb") as source:
                    _add(archive, str(index), source)
    finally:
        Path(collection).unlink(missing_ok=True)


def _write_collection(path: Path, groups: Iterable[list[PackedNote]], epoch_ms: int, descriptions: dict[str, str]) -> None:
    ids = itertools.count(epoch_ms)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=OFF")  # a scratch file: written once, then zipped
        connection.execute("PRAGMA synchronous=OFF")
        cursor = connection.cursor()
        genanki.Package([]).write_to_db(cursor, identity.NOTETYPE_MTIME, ids)  # the empty collection
        decks: set[str] = set()
        for group in groups:
            notes, cards = [], []
            for packed in group:
                if packed.deck not in decks:  # a deck (and the notetypes) once, when first met
                    decks.add(packed.deck)
                    deck = genanki.Deck(identity.deck_id(packed.deck), packed.deck, descriptions.get(packed.deck, ""))
                    deck.add_model(BASIC_MODEL)
                    deck.add_model(CLOZE_MODEL)
                    deck.write_to_db(cursor, identity.NOTETYPE_MTIME, ids)
                model = CLOZE_MODEL if packed.kind == "cloze" else BASIC_MODEL
                note = genanki.Note(model=model, fields=list(packed.fields), tags=list(packed.tags), guid=packed.guid)
                note._check_invalid_html_tags_in_fields()
                note_id = next(ids)
                notes.append((note_id, note.guid, model.model_id, packed.mtime, -1, note._format_tags(), note._format_fields(), note.sort_field, 0, 0, ""))
                deck_id = identity.deck_id(packed.deck)
                for card in note.cards:
                    cards.append((next(ids), note_id, deck_id, card.ord, packed.mtime, -1, 0, 0, note.due, 0, 0, 0, 0, 0, 0, 0, 0, ""))
            cursor.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", notes)
            cursor.executemany("INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cards)
        connection.commit()
    finally:
        connection.close()


def _add(archive: zipfile.ZipFile, name: str, source: BinaryIO) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with archive.open(info, "w") as target:
        shutil.copyfileobj(source, target, 1 << 20)
