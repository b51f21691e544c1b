"""Packed notes to one ``.apkg``: the only module that imports genanki (only ``build`` needs it).

genanki writes the collection into an in-memory SQLite database; this module then gives each
note its own mtime (see ``state.py``) and zips the result with fixed timestamps, so the same
notes and state always give the same bytes.
"""

from __future__ import annotations

import io
import itertools
import json
import sqlite3
import zipfile
from collections.abc import Iterable
from pathlib import Path

import genanki

from notes2anki import identity
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

def package_bytes(groups: Iterable[list[PackedNote]], media: dict[str, Path], epoch_ms: int, descriptions: dict[str, str] | None = None) -> bytes:
    """The .apkg of the notes, given a group at a time (a note file's notes, in order).

    Each group is written and let go before the next is read, so memory stays that of one
    note file however large the deck. Each note gets its own mtime (see ``state.py``); the
    same input gives the same bytes.
    """
    ids = itertools.count(epoch_ms)
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        genanki.Package([]).write_to_db(cursor, identity.NOTETYPE_MTIME, ids)  # the empty collection
        cursor.execute("CREATE INDEX n2a_guid ON notes (guid)")
        for group in groups:
            for name, notes in itertools.groupby(group, key=lambda packed: packed.deck):
                notes = list(notes)
                deck = genanki.Deck(identity.deck_id(name), name, (descriptions or {}).get(name, ""))
                for packed in notes:
                    model = CLOZE_MODEL if packed.kind == "cloze" else BASIC_MODEL
                    deck.add_note(genanki.Note(model=model, fields=list(packed.fields), tags=list(packed.tags), guid=packed.guid))
                deck.write_to_db(cursor, identity.NOTETYPE_MTIME, ids)
                # genanki gives every note the same mtime; each note gets its own.
                cursor.executemany("UPDATE notes SET mod = ? WHERE guid = ?", [(packed.mtime, packed.guid) for packed in notes])
        cursor.execute("DROP INDEX n2a_guid")
        cursor.execute("UPDATE cards SET mod = (SELECT mod FROM notes WHERE notes.id = cards.nid)")
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "collection.anki2", collection)
        del collection
        names = sorted(media)
        _add(archive, "media", json.dumps({str(i): name for i, name in enumerate(names)}).encode("utf-8"))
        for index, name in enumerate(names):
            _add(archive, str(index), media[name].read_bytes())
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
