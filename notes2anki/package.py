"""Packed notes to one ``.apkg``: the only module that imports genanki (only ``build`` needs it).

genanki makes the empty collection and every row's values (fields, tags, cards, deck and
notetype JSON); this module writes them into a scratch SQLite file, each note with its own
mtime (see ``store``), and zips it with fixed timestamps, so the same notes and state always
give the same bytes.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import sqlite3
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
blockquote { margin: 0.4em 0; padding-left: 0.8em; border-left: 3px solid #d0d7de; color: #57606a; }
table { border-collapse: collapse; } td { border: 1px solid #d0d7de; padding: 0.15em 0.5em; }
.n2a-code pre { font-size: 0.8em; line-height: 1.4; padding: 0.5em 0.7em; border-radius: 6px; overflow-x: auto; background: #f6f8fa; }
.n2a-code pre code { background: none; padding: 0; font-size: 1em; }
.n2a-code .c, .n2a-code .c1, .n2a-code .cm, .n2a-code .ch, .n2a-code .cs, .n2a-code .cp, .n2a-code .cpf { color: #6e7781; font-style: italic; }
.n2a-code .k, .n2a-code .kc, .n2a-code .kd, .n2a-code .kn, .n2a-code .kp, .n2a-code .kr, .n2a-code .kt, .n2a-code .ow { color: #cf222e; }
.n2a-code .s, .n2a-code .s1, .n2a-code .s2, .n2a-code .sb, .n2a-code .sc, .n2a-code .sd, .n2a-code .se, .n2a-code .sh, .n2a-code .si, .n2a-code .sx, .n2a-code .sr, .n2a-code .ss { color: #0a3069; }
.n2a-code .m, .n2a-code .mi, .n2a-code .mf, .n2a-code .mh, .n2a-code .mo, .n2a-code .il { color: #0550ae; }
.n2a-code .nf, .n2a-code .fm, .n2a-code .nc, .n2a-code .nn, .n2a-code .nd, .n2a-code .nt { color: #8250df; }
.n2a-code .nb, .n2a-code .bp, .n2a-code .na, .n2a-code .nv { color: #953800; }
.nightMode .n2a-code pre, .night_mode .n2a-code pre { background: #2d333b; }
.nightMode .n2a-code .c, .nightMode .n2a-code .c1, .nightMode .n2a-code .cm, .nightMode .n2a-code .ch { color: #8b949e; }
.nightMode .n2a-code .k, .nightMode .n2a-code .kc, .nightMode .n2a-code .kd, .nightMode .n2a-code .kn, .nightMode .n2a-code .kr, .nightMode .n2a-code .kt, .nightMode .n2a-code .ow { color: #ff7b72; }
.nightMode .n2a-code .s, .nightMode .n2a-code .s1, .nightMode .n2a-code .s2, .nightMode .n2a-code .sd, .nightMode .n2a-code .si { color: #a5d6ff; }
.nightMode .n2a-code .m, .nightMode .n2a-code .mi, .nightMode .n2a-code .mf { color: #79c0ff; }
.nightMode .n2a-code .nf, .nightMode .n2a-code .nc, .nightMode .n2a-code .nn, .nightMode .n2a-code .nd, .nightMode .n2a-code .nt { color: #d2a8ff; }
.nightMode .n2a-code .nb, .nightMode .n2a-code .bp, .nightMode .n2a-code .na, .nightMode .n2a-code .nv { color: #ffa657; }
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
    descriptions: dict[str, str],
    scratch: Path,
) -> None:
    """Write the .apkg of the notes into ``stream``, given a group at a time (a note file's notes, in order).

    Each group is written and let go before the next is read, and the collection is built in a
    scratch file in the folder ``scratch`` and zipped from there,
    so memory stays that of one note file however large the deck. genanki's objects decide
    every row (fields, tags, sort field, which cards a note has, deck and notetype JSON); the
    rows are inserted in batches, each note with its own mtime (see ``store``). The same input
    gives the same bytes.
    """
    handle, collection = scratch_file(scratch, "collection.anki2")
    os.close(handle)
    try:
        _write_collection(Path(collection), groups, epoch_ms, descriptions)
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
    """The collection into a scratch file; SQLite failing to write it (a full disk) is an OSError."""
    try:
        _fill_collection(path, groups, epoch_ms, descriptions)
    except sqlite3.Error as error:
        raise OSError(str(error)) from None


def _fill_collection(path: Path, groups: Iterable[list[PackedNote]], epoch_ms: int, descriptions: dict[str, str]) -> None:
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
                note._check_number_model_fields_matches_num_fields()  # never a deck Anki refuses to import
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
