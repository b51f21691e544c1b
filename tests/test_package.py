"""The notetypes: what every user's collection already has, so changes must be deliberate."""

from __future__ import annotations

import hashlib
import json

from notes2anki import identity, package

# NOTETYPE_MTIME → hash of the notetypes it was set for. Changing a template or the CSS without
# a newer NOTETYPE_MTIME means Anki never updates the notetype in users' collections.
RELEASED = {1795910400: "51653356df2eca24", 1795939200: "1ab61c013e5e5393"}


def _notetypes_hash() -> str:
    models = [  # only what notes2anki defines: genanki adds keys to these dicts when it writes
        (m.name, [f["name"] for f in m.fields], [(t["name"], t["qfmt"], t["afmt"]) for t in m.templates], m.css)
        for m in (package.BASIC_MODEL, package.CLOZE_MODEL)
    ]
    return hashlib.sha256(json.dumps(models, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def test_template_changes_come_with_a_newer_notetype_mtime() -> None:
    assert identity.NOTETYPE_MTIME in RELEASED, "record the hash of the notetypes for the new NOTETYPE_MTIME"
    assert RELEASED[identity.NOTETYPE_MTIME] == _notetypes_hash(), (
        "the templates or CSS changed: bump identity.NOTETYPE_MTIME and record the new hash here"
    )


def test_field_names_never_change() -> None:
    """A renamed or added field makes Anki copy the notetype and stop updating every note."""
    assert [f["name"] for f in package.BASIC_MODEL.fields] == ["Front", "Back", "Extra", "Context", "Source"]
    assert [f["name"] for f in package.CLOZE_MODEL.fields] == ["Text", "Extra", "Context", "Source"]
    assert (package.BASIC_MODEL.model_id, package.CLOZE_MODEL.model_id) == (1795910401, 1795910402)
