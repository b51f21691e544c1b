"""Stable identities for Anki: note GUIDs, deck ids and the fixed notetype ids.

A GUID is a hash of the card's identity key (see ``cards.identity_key``), computed here rather
than by a library so that upgrading a dependency can never change every GUID at once.
"""

from __future__ import annotations

import base64
import hashlib
# Fixed forever: Anki matches notetypes by id, and a changed id or field list would make every
# user's re-import create a copy of the notetype and stop updating their notes.
BASIC_MODEL_ID = 1795910401
CLOZE_MODEL_ID = 1795910402
# When the templates or CSS last changed. Anki updates a notetype on import only if this is
# newer than what the collection has: bump it with every change to the templates or CSS.
NOTETYPE_MTIME = 1795910400


def guid(key: str) -> str:
    """The GUID of an identity key (see ``cards.identity_key``)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.b64encode(digest[:12], altchars=b"-_").decode("ascii")


def deck_id(deck_name: str) -> int:
    """A deck id derived from the deck's name (Anki matches decks by name; the id only has to be stable)."""
    digest = hashlib.sha256(deck_name.encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:7], "big")
