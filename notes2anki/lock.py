"""The lock file: each card's identity and its last question, kept beside the notes.

A card's identity is normally a hash of its file, section, type and question. Rewording a
question, renaming a section or renaming the file changes that, and with it the card Anki would
see. The lock file (``notes2anki.lock`` in the notes folder, committed with the notes) records
the identity each card had and its cloze numbers, so that a card that disappeared from one place
can be recognised in its new form (``identity.reassociate``) and keep its review history.

The format is one JSON object a line, sorted by file, each line complete on its own: it diffs
well, and git's ``merge=union`` can merge it (both sides' lines are kept; a card both sides
changed appears twice and is repaired on the next build). Nothing is ever written into the notes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from notes2anki import identity
from notes2anki.files import atomic_write
from notes2anki.identity import Entry

LOCK_FILE = "notes2anki.lock"
LOCK_VERSION = 2
HEADER = json.dumps({"notes2anki-lock": LOCK_VERSION}) + "\n"
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


class LockError(Exception):
    """A lock file that cannot be used without risking a card taking another's history."""


@dataclass
class Loaded:
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load(root: Path) -> Loaded:
    """The entries of ``root``'s lock file (none when it is missing); damaged lines are left out.

    Raises LockError for merge conflict markers and for one GUID on two cards where nothing
    says which card it belongs to.
    """
    path = root / LOCK_FILE
    loaded = Loaded()
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return loaded
    except OSError as error:
        raise LockError(f"{path}: cannot read the lock file: {error.strerror or error}") from None
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.startswith(_CONFLICT):
            raise LockError(f"{path}:{number}: the lock file has merge conflict markers; resolve them by keeping the lines of both sides (or add `{LOCK_FILE} merge=union` to .gitattributes)")
    if text.startswith('{"version"'):  # the first format: one JSON document
        lines = _first_format(text)
    by_guid: dict[str, tuple[int, Entry]] = {}
    for number, line in enumerate(lines, start=1):
        line = line.strip().rstrip(",")
        if not line or line.startswith('{"notes2anki-lock"'):
            continue
        entry = _entry(line)
        if entry is None:
            loaded.warnings.append(f"{path}:{number}: not a lock entry; left out (its card gets its identity again)")
            continue
        if entry.guid in by_guid:
            first_number, first = by_guid[entry.guid]
            if first == entry:
                continue
            owner = [e for e in (first, entry) if identity.guid(e.key) == e.guid]
            if len(owner) != 1:
                raise LockError(
                    f"{path}:{number}: the GUID {entry.guid} is given to two cards (lines {first_number} and {number}); "
                    "keep the line of the card it belongs to and delete the other (a bad merge or a hand edit?)"
                )
            dropped = number if owner[0] is first else first_number
            loaded.warnings.append(f"{path}:{dropped}: the GUID {entry.guid} is given to the card at line {first_number if dropped == number else number} too; this line is left out")
            if owner[0] is first:
                continue
        by_guid[entry.guid] = (number, entry)
    loaded.entries = [entry for _, entry in by_guid.values()]
    return loaded


def _first_format(text: str) -> list[str]:
    try:
        return [json.dumps(card) for card in json.loads(text)["cards"]]
    except (ValueError, KeyError, TypeError):
        return text.split("\n")


def _entry(line: str) -> Entry | None:
    try:
        raw = json.loads(line)
        entry = Entry(
            guid=raw["guid"],
            file=raw["file"],
            section=tuple(raw["section"]),
            kind=raw["kind"],
            question=raw["question"],
            pin=raw.get("pin"),
            deletions=tuple((text, number) for text, number in raw.get("cloze", ())),
            top=raw.get("top", 0),
            apart=raw.get("apart", ""),
            keyed_on=raw.get("keyed_on", ""),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    texts = [entry.guid, entry.file, entry.kind, entry.question, entry.apart, entry.keyed_on, *entry.section, *(text for text, _ in entry.deletions)]
    numbers = [entry.top, *(number for _, number in entry.deletions)]
    if not all(isinstance(text, str) for text in texts) or entry.pin is not None and not isinstance(entry.pin, str):
        return None
    if not all(type(number) is int and number >= 0 for number in numbers) or not entry.guid or entry.kind not in ("basic", "cloze"):
        return None
    if (entry.kind == "cloze") != bool(entry.deletions) or any(number > entry.top for _, number in entry.deletions):
        return None  # a cloze has deletions, numbered up to its top; a basic card has none
    return entry


def line(entry: Entry) -> str:
    """One entry as a line of the lock file."""
    raw = {"file": entry.file, "section": list(entry.section), "kind": entry.kind, "question": entry.question, "guid": entry.guid}
    if entry.pin:
        raw["pin"] = entry.pin
    if entry.apart:
        raw["apart"] = entry.apart
    if entry.keyed_on:
        raw["keyed_on"] = entry.keyed_on
    if entry.deletions:
        raw["cloze"] = [list(pair) for pair in entry.deletions]
        raw["top"] = entry.top
    return json.dumps(raw, ensure_ascii=False)


def save(root: Path, lines: Iterable[str]) -> None:
    """Write the lock file from its entries' ``line``s, in the order given (the state gives them by
    file, section, type, question and GUID), one at a time: it is never held whole in memory."""
    atomic_write(root / LOCK_FILE, lambda stream: stream.writelines(text.encode("utf-8") for text in chain((HEADER,), (text + "\n" for text in lines))))
