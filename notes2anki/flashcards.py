"""Cards that other flashcard tools let an author write by lines, found before Markdown parsing.

Markdown would read these as ordinary paragraphs and lose their structure, so they are taken
out of the text first (their lines left blank, so every other line keeps its number):

- Obsidian_to_Anki: ``START`` / a note type line / the front / ``Back:`` … / ``Tags:`` / ``END``,
  and the one-line ``STARTI [Basic] front Back: back ENDI``;
- obsidian-spaced-repetition's multi-line cards: the question, a line ``?`` (``??``: one card
  each way), the answer, up to the next blank line.

Each is handed back as a ``Fragment``: the source lines of its front and back, which
``parse.py`` parses as Markdown of their own. Nothing inside a code fence is looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE = re.compile(r"^STARTI\s*\[(?P<type>[^\]\n]+)\]\s*(?P<body>.*?)\s*ENDI\s*$")
_ID_COMMENT = re.compile(r"^<!--\s*ID:\s*\d+\s*-->$")
_FIELD = re.compile(r"^(?P<name>Front|Back|Text|Extra|Tags):\s?(?P<rest>.*)$")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")

# Obsidian_to_Anki note types and the kind of card each makes.
NOTE_TYPES = {
    "basic": "basic",
    "basic (and reversed card)": "reversed",
    "basic (optional reversed card)": "basic",
    "basic (type in the answer)": "basic",
    "cloze": "cloze",
}


@dataclass
class Fragment:
    """One card written in a line syntax: its lines (1-based numbers) and what it makes."""

    line: int
    last: int  # the fragment's last line: with ``line``, the lines to take out of the Markdown
    kind: str  # "basic", "reversed" or "cloze"; "" for a note type notes2anki does not know
    syntax: str
    note_type: str = ""
    front: list[tuple[int, str]] = field(default_factory=list)
    back: list[tuple[int, str]] = field(default_factory=list)
    tags: tuple[str, ...] = ()


def find(lines: list[str], first: int = 0) -> list[Fragment]:
    """Every line-syntax card in ``lines`` from index ``first`` on (the body after front matter)."""
    fragments: list[Fragment] = []
    fence: str | None = None
    index = first
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line.lstrip(" >-*+0123456789."))
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            index += 1
            continue
        if opening:
            fence = opening.group(1)
            index += 1
            continue
        stripped = line.strip()
        if stripped == "START":
            end = _end_of_block(lines, index)
            if end is not None:
                fragments.append(_block(lines, index, end))
                index = end + 1
                continue
        inline = _INLINE.match(stripped)
        if inline:
            fragments.append(_inline(index + 1, inline))
        elif stripped in ("?", "??") and line == stripped:
            fragment = _spaced_repetition(lines, index, first, fragments)
            if fragment is not None:
                fragments.append(fragment)
                index = fragment.last
                continue
        index += 1
    return fragments


def _end_of_block(lines: list[str], start: int) -> int | None:
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped == "END":
            return index
        if stripped == "START":
            return None
    return None


def _block(lines: list[str], start: int, end: int) -> Fragment:
    """``START`` … ``END``: the note type, then fields; a field runs until the next one."""
    note_type = lines[start + 1].strip() if start + 1 < end else ""
    fragment = Fragment(start + 1, end + 1, NOTE_TYPES.get(note_type.casefold(), ""), "Obsidian_to_Anki", note_type)
    target = fragment.front
    tags: list[str] = []
    for index in range(start + 2, end):
        text = lines[index]
        if _ID_COMMENT.match(text.strip()):
            continue
        named = _FIELD.match(text)
        if named and named.group("name") == "Tags":
            tags.extend(named.group("rest").split())
            continue
        if named and named.group("name") in ("Back", "Extra"):
            target = fragment.back
            text = named.group("rest")
        elif named and not target:
            text = named.group("rest")
        target.append((index + 1, text))
    fragment.tags = tuple(tags)
    return fragment


def _inline(number: int, match: re.Match[str]) -> Fragment:
    note_type = match.group("type").strip()
    front, _, back = match.group("body").partition("Back:")
    front = re.sub(r"^(Front|Text):\s*", "", front.strip())
    fragment = Fragment(number, number, NOTE_TYPES.get(note_type.casefold(), ""), "Obsidian_to_Anki", note_type)
    fragment.front = [(number, front.strip())]
    fragment.back = [(number, back.strip())] if back.strip() else []
    return fragment


def _spaced_repetition(lines: list[str], index: int, first: int, taken: list[Fragment]) -> Fragment | None:
    """Question lines up to the separator, answer lines after it, each run ended by a blank line."""
    already = taken[-1].last if taken else 0
    start = index
    while start - 1 >= max(first, already) and lines[start - 1].strip() and not _HEADING.match(lines[start - 1]):
        start -= 1
    end = index + 1
    while end < len(lines) and lines[end].strip() and not _HEADING.match(lines[end]):
        end += 1
    if start == index or end == index + 1:
        return None
    kind = "reversed" if lines[index].strip() == "??" else "basic"
    fragment = Fragment(start + 1, end, kind, "spaced repetition")
    fragment.front = [(number + 1, lines[number]) for number in range(start, index)]
    fragment.back = [(number + 1, lines[number]) for number in range(index + 1, end)]
    return fragment


def blank_out(lines: list[str], fragments: list[Fragment]) -> list[str]:
    """The lines with every fragment's lines (its markers too) left empty, numbers unchanged."""
    result = list(lines)
    for fragment in fragments:
        for number in range(fragment.line, fragment.last + 1):
            result[number - 1] = ""
    return result
