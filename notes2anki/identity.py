"""What makes a card the same card across builds, and the ids Anki matches on.

Every question of identity is answered here and nowhere else: the identity key of a card,
how its text is normalised, pinned identities, GUIDs, clashes between cards, and (see
``reassociate``) how a card that changed is recognised from the lock file. GUIDs are hashes
computed here rather than by a library, so that upgrading a dependency can never change every
GUID at once.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import unicodedata
from dataclasses import dataclass, field

from notes2anki.model import Card, NoteError

# Fixed forever: Anki matches notetypes by id, and a changed id or field list would make every
# user's re-import create a copy of the notetype and stop updating their notes.
BASIC_MODEL_ID = 1795910401
CLOZE_MODEL_ID = 1795910402
# When the templates or CSS last changed. Anki updates a notetype on import only if this is
# newer than what the collection has: bump it with every change to the templates or CSS.
NOTETYPE_MTIME = 1795939200

PIN_PREFIX = "pin\x1f"
SIMILAR = 0.75  # difflib ratio above which a question in the same place is "reworded"


def card_key(file: str, kind: str, section: tuple[str, ...], question: str, pin: str | None = None) -> str:
    """What makes a card the same card across builds: its note file, section, type and question.

    A pinned identity (``<!-- notes2anki-id: NAME -->``) holds wherever the card moves. Otherwise
    the note's title is left out (the file already names the note) and so are the answer, tags
    and line; text is normalised (``normalise``) so that fixing width, case or spacing (a lint
    fix) keeps the card and its review history.
    """
    if pin:
        return PIN_PREFIX + pin
    return _key(file, kind, section, normalise(question))


def _key(file: str, kind: str, section: tuple[str, ...], normalised_question: str) -> str:
    # Normalised text has no whitespace, so the separator (whitespace) never occurs in a part.
    return _PART.join((*(normalise(part) for part in (file, kind, *section)), normalised_question))


_PART = "\x1f"


def keyed_on(key: str, question: str) -> str:
    """The question an unpinned ``key`` was made of (normalised), when it is not ``question``; else ''.

    A card rule may make a key of other text than the question it shows (a reason card's
    statement, a part of a long answer): the lock keeps that text, so that the key can be made
    again from the lock alone.
    """
    if pin_of(key) is not None:
        return ""
    made_of = key[: len(key) - len(apart_of(key))].rsplit(_PART, 1)[-1]
    return "" if made_of == normalise(question) else made_of


def pin_of(key: str) -> str | None:
    """The pin an identity key was made from, if it was pinned."""
    return key[len(PIN_PREFIX) :] if key.startswith(PIN_PREFIX) else None


def normalise(text: str) -> str:
    """Width, case and spacing do not make a different question (``AutoScaling``/``Auto Scaling``)."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def resolve_clashes(cards: list[Card]) -> tuple[list[str], list[NoteError]]:
    """One distinct key per card of a note, and a warning for each card that needed telling apart
    (the build's warning and lint's N105 alike).

    A clash never costs a card: the later card is told apart by its case (when case is the only
    difference), else by its answer, else by its place among the cards with that identity. The
    warning names both lines and suggests a pin, the way to make the identity last.
    """
    keys: list[str] = []
    warnings: list[NoteError] = []
    first_by_key: dict[str, Card] = {}
    for card in cards:
        key = card.key
        first = first_by_key.get(key)
        if first is not None:
            key, how = _told_apart(card, first, key, first_by_key)
            pin = "" if pin_of(card.key) else " or pin one (<!-- notes2anki-id: NAME --> at the end of its line)"
            message = (
                f"this card has the same identity as the card at line {first.line} (same section and question); "
                f"both are built, told apart by {how}; reword one{pin} so that edits cannot swap them"
            )
            warnings.append(NoteError(card.note.display, card.line, message))
        first_by_key[key] = card
        keys.append(key)
    return keys, warnings


APART = "\x1e"  # starts what tells a card apart in its key; whitespace, so no normalised text has it


def apart_of(key: str) -> str:
    """What told a card apart from another with its identity (``resolve_clashes``), or ''."""
    at = key.find(APART)
    return key[at:] if at >= 0 else ""


def _told_apart(card: Card, first: Card, key: str, taken: dict[str, Card]) -> tuple[str, str]:
    cased = "".join(unicodedata.normalize("NFKC", card.question).split())
    if cased != "".join(unicodedata.normalize("NFKC", first.question).split()) and f"{key}{APART}case{APART}{cased}" not in taken:
        return f"{key}{APART}case{APART}{cased}", "its case"
    answer = normalise(card.answer)
    if answer != normalise(first.answer) and f"{key}{APART}answer{APART}{answer}" not in taken:
        return f"{key}{APART}answer{APART}{answer}", "its answer"
    occurrence = 2
    while f"{key}{APART}{occurrence}" in taken:
        occurrence += 1
    return f"{key}{APART}{occurrence}", "its order"


# --- the lock file's part: recognising a card that changed -----------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A card as the lock file remembers it: its GUID, what made its identity, its cloze numbers."""

    guid: str
    file: str
    section: tuple[str, ...]
    kind: str
    question: str
    pin: str | None = None
    deletions: tuple[tuple[str, int], ...] = ()  # a cloze's deletions (normalised text) → number
    top: int = 0  # the highest cloze number this card ever used
    apart: str = ""  # what told it apart from a card with the same identity (``resolve_clashes``)
    keyed_on: str = ""  # what its key was made of, when not its question (``keyed_on``)
    known_key: str = field(default="", compare=False)  # the key, when the caller has it already

    @property
    def key(self) -> str:
        if self.known_key:
            return self.known_key
        if self.pin:
            return card_key(self.file, self.kind, self.section, self.question, self.pin) + self.apart
        return _key(self.file, self.kind, self.section, self.keyed_on or normalise(self.question)) + self.apart


@dataclass(frozen=True, slots=True)
class Candidate:
    """A card of this build that kept no identity: what is needed to recognise it."""

    ref: int  # the caller's handle
    file: str
    line: int
    kind: str
    section: tuple[str, ...]
    question: str


@dataclass(frozen=True)
class Reassociation:
    ref: int
    previous: Entry
    # "reworded"; "moved" (another section) or "renamed" (another file); "same" when file,
    # section and question are unchanged and only what the key is made of changed (a pin added
    # or removed, a card no longer told apart from another)
    why: str


def reassociate(unmatched: list[Candidate], vanished: list[Entry]) -> list[Reassociation]:
    """Cards whose identity changed, recognised among the lock's entries that lost their card.

    The same question (any file, any section, nearest first) is the same card; a similar one in
    the same file, section and type is the same card reworded. Best matches first; ties go to
    the card that comes first in the notes (file, then line), so the result never depends on
    anything but the notes.
    """
    scored = []
    by_question: dict[str, list[Entry]] = {}
    for entry in vanished:
        by_question.setdefault(normalise(entry.question), []).append(entry)
    for candidate in unmatched:
        question = normalise(candidate.question)
        for entry in by_question.get(question, ()):
            if entry.kind == candidate.kind:
                same_file, same_section = entry.file == candidate.file, entry.section == candidate.section
                why = "renamed" if not same_file else "same" if same_section else "moved"
                scored.append((2.0 + same_file + 0.5 * (same_file and same_section), candidate, entry, why))
        for entry in vanished:
            if entry.kind == candidate.kind and entry.file == candidate.file and entry.section == candidate.section:
                entry_question = normalise(entry.question)
                if entry_question != question:
                    ratio = difflib.SequenceMatcher(None, entry_question, question).ratio()
                    if ratio >= SIMILAR:
                        scored.append((ratio, candidate, entry, "reworded"))
    scored.sort(key=lambda c: (-c[0], c[1].file, c[1].line, c[1].ref, c[2].file, c[2].guid))
    taken_refs: set[int] = set()
    taken_guids: set[str] = set()
    found = []
    for _, candidate, entry, why in scored:
        if candidate.ref in taken_refs or entry.guid in taken_guids:
            continue
        taken_refs.add(candidate.ref)
        taken_guids.add(entry.guid)
        found.append(Reassociation(candidate.ref, entry, why))
    return found


def fresh_guid(key: str, taken) -> str:
    """The key's GUID, unless another card holds it (it kept it while being reworded): then a salted one.

    ``taken``: anything supporting ``in`` for GUIDs.
    """
    value, salt = guid(key), 1
    while value in taken:
        salt += 1
        value = guid(f"{key}\x1f{salt}")
    return value


def cloze_numbers(deletions: tuple[str, ...], previous: Entry | None) -> tuple[tuple[int, ...], int]:
    """The number of each deletion of a cloze, and the highest number used so far.

    Anki keeps a card per number, with its history: a deletion keeps its number as long as its
    text stays, a removed one leaves a gap, and a new one takes a number never used before.
    """
    recorded: dict[str, list[int]] = {}
    for text, number in previous.deletions if previous else ():
        recorded.setdefault(text, []).append(number)
    top = previous.top if previous else 0
    top = max([top, *(number for numbers in recorded.values() for number in numbers)])
    numbers: list[int] = []
    for text in deletions:
        kept = recorded.get(text)
        if kept:
            numbers.append(kept.pop(0))
        else:
            top += 1
            numbers.append(top)
    return tuple(numbers), top


def guid(key: str) -> str:
    """The GUID of an identity key (see ``card_key``)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.b64encode(digest[:12], altchars=b"-_").decode("ascii")


def deck_id(deck_name: str) -> int:
    """A deck id derived from the deck's name (Anki matches decks by name; the id only has to be stable)."""
    digest = hashlib.sha256(deck_name.encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:7], "big")
