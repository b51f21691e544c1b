"""What makes a card the same card across builds, and the ids Anki matches on.

Every question of identity is answered here and nowhere else: the identity key of a card,
how its text is normalised, pinned identities, GUIDs, clashes between cards, and (see
``identify``) how a card that changed is recognised from the lock file. GUIDs are hashes
computed here rather than by a library, so that upgrading a dependency can never change every
GUID at once.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata

from notes2anki.model import Card, NoteError

# Fixed forever: Anki matches notetypes by id, and a changed id or field list would make every
# user's re-import create a copy of the notetype and stop updating their notes.
BASIC_MODEL_ID = 1795910401
CLOZE_MODEL_ID = 1795910402
# When the templates or CSS last changed. Anki updates a notetype on import only if this is
# newer than what the collection has: bump it with every change to the templates or CSS.
NOTETYPE_MTIME = 1795910400

_PIN_PREFIX = "pin\x1f"


def card_key(file: str, kind: str, section: tuple[str, ...], question: str, pin: str | None = None) -> str:
    """What makes a card the same card across builds: its note file, section, type and question.

    A pinned identity (``<!-- notes2anki-id: NAME -->``) holds wherever the card moves. Otherwise
    the note's title is left out (the file already names the note) and so are the answer, tags
    and line; text is normalised (``normalise``) so that fixing width, case or spacing (a lint
    fix) keeps the card and its review history.
    """
    if pin:
        return _PIN_PREFIX + pin
    return "\x1f".join(normalise(part) for part in (file, kind, *section, question))


def pin_of(key: str) -> str | None:
    """The pin an identity key was made from, if it was pinned."""
    return key[len(_PIN_PREFIX) :] if key.startswith(_PIN_PREFIX) else None


def normalise(text: str) -> str:
    """Width, case and spacing do not make a different question (``AutoScaling``/``Auto Scaling``)."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def identity_clashes(cards: list[Card]) -> list[tuple[Card, Card]]:
    """Pairs (first, clashing) of cards that would share a GUID: Anki would merge them."""
    first_by_key: dict[str, Card] = {}
    clashes = []
    for card in cards:
        first = first_by_key.setdefault(card.key, card)
        if first is not card:
            clashes.append((first, card))
    return clashes


def clash_error(first: Card, clash: Card) -> NoteError:
    return NoteError(clash.note.display, clash.line, clash_message(f"line {first.line}"))


def clash_message(first_place: str) -> str:
    return (
        f"this card has the same identity as the card at {first_place} (same section and question); "
        "reword one of them, or Anki would merge the two"
    )


def guid(key: str) -> str:
    """The GUID of an identity key (see ``card_key``)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.b64encode(digest[:12], altchars=b"-_").decode("ascii")


def deck_id(deck_name: str) -> int:
    """A deck id derived from the deck's name (Anki matches decks by name; the id only has to be stable)."""
    digest = hashlib.sha256(deck_name.encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:7], "big")
