"""Typed values shared by the pipeline stages: outline, inline markup, cards, errors.

mistune's dicts stay inside ``parse.py``; everything downstream sees these dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union


class NoteError(Exception):
    """A note that cannot be used as it is: always names the file and, where known, the line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(path, line, message)  # all three, so it crosses process boundaries
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


# --- inline markup -------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Image:
    url: str
    alt: str


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class RawHtml:
    """HTML written in a note; it is shown as written, never interpreted."""

    text: str


Inline = Union[Text, Strong, Emphasis, Code, Link, Image, LineBreak, RawHtml]


def plain_text(inlines: tuple[Inline, ...], code: bool = True) -> str:
    """The words a reader sees, without markup: used for identity, matching and messages.

    ``code=False`` leaves code spans out, for looking at what the author wrote as syntax.
    """
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, RawHtml)) or isinstance(node, Code) and code:
            parts.append(node.text)
        elif isinstance(node, (Strong, Emphasis, Link)):
            parts.append(plain_text(node.children, code))
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)


# --- outline of a note -----------------------------------------------------------------------


@dataclass
class Heading:
    line: int
    level: int
    inlines: tuple[Inline, ...]


@dataclass
class Paragraph:
    line: int
    inlines: tuple[Inline, ...]
    pin: str | None = None  # an identity written by the author: <!-- notes2anki-id: NAME -->


@dataclass
class ListItem:
    line: int
    inlines: tuple[Inline, ...]
    children: list[ListItem] = field(default_factory=list)
    pin: str | None = None


@dataclass
class BulletList:
    line: int
    items: list[ListItem]


@dataclass
class TableRow:
    line: int
    cells: tuple[tuple[Inline, ...], ...]


@dataclass
class Table:
    line: int
    header: TableRow
    rows: list[TableRow]


@dataclass
class CodeBlock:
    line: int
    text: str
    info: str


Block = Union[Heading, Paragraph, BulletList, Table, CodeBlock]


@dataclass(frozen=True)
class CodeLines:
    """Lines that Markdown shows as code, however deeply nested: lint reads and fixes none of them."""

    first: int
    last: int
    kind: str  # "fenced", "indented" (text indented four spaces) or "html" (<pre>, <script>, …)
    closed: bool = True  # False: a fence that is never closed, so its container's rest is code


@dataclass
class Note:
    """One Markdown file: its front matter, where its body starts, and its outline."""

    path: Path
    root: Path  # the notes folder the file was found in; images must stay inside it
    display: str  # the path as the user knows it, used in every message
    source_key: str  # path relative to the notes folder, part of each card's identity
    meta: dict  # the front matter as ruamel.yaml loaded it (key order and positions kept)
    front_matter_end: int  # line of the closing '---'; 0 without front matter
    title: str
    category: str
    tags: tuple[str, ...]
    blocks: list[Block]
    code: tuple[CodeLines, ...] = ()


# --- cards -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One Anki note to be: a Basic front/back pair or a Cloze text.

    ``key`` is what the card is about (its question), which is what its identity is made of;
    the answer, tags and position are left out of it so that editing them updates the card.
    """

    kind: str  # "basic" or "cloze"
    rule: str
    note: Note
    line: int
    context: tuple[str, ...]
    key: str
    front: tuple[Inline, ...] = ()
    back: tuple[Inline, ...] = ()
    back_list: tuple[ListItem, ...] = ()  # nested items shown as the answer
    extra: tuple[ListItem, ...] = ()  # nested items shown below the answer
    cloze: tuple[Inline, ...] = ()

    @property
    def question(self) -> str:
        """The question as plain text: the front, or the whole text of a cloze."""
        return plain_text(self.cloze if self.kind == "cloze" else self.front)

    @property
    def source(self) -> str:
        """Where the card comes from, as the user named the file: for messages."""
        return f"{self.note.display}:{self.line}"

    @property
    def source_field(self) -> str:
        """Where the card comes from, relative to the notes folder: stable wherever one builds."""
        return f"{self.note.source_key}:{self.line}"


@dataclass(frozen=True)
class Skipped:
    """A list item or paragraph that made no card, and why: shown by ``notes2anki cards``."""

    note: Note
    line: int
    text: str
    reason: str
