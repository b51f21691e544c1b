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
class Mark:
    """``==highlighted==`` text: a cloze deletion in the spaced-repetition plugins' syntax."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Deletion:
    """A cloze deletion the author wrote: ``{{c2::text::hint}}`` or Logseq's ``{{cloze text}}``.

    ``number`` is None where the syntax has none (Logseq): deletions are then numbered in order.
    """

    children: tuple[Inline, ...]
    number: int | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Math:
    """TeX written between ``\\(…\\)``, ``\\[…\\]``, ``$…$`` or ``$$…$$``: kept whole for MathJax."""

    text: str
    display: bool = False


@dataclass(frozen=True)
class Link:
    """A link, or a page reference (``[[Page]]``: no ``url``), shown as its text where not safe to follow."""

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
class SoftBreak:
    """The end of a source line inside a paragraph: a space to a reader, a line to a card rule."""


@dataclass(frozen=True)
class RawHtml:
    """HTML written in a note; it is shown as written, never interpreted."""

    text: str


Inline = Union[Text, Strong, Emphasis, Mark, Deletion, Code, Math, Link, Image, LineBreak, SoftBreak, RawHtml]
Inlines = tuple[Inline, ...]


def plain_text(inlines: Inlines, code: bool = True) -> str:
    """The words a reader sees, without markup: used for identity, matching and messages.

    ``code=False`` leaves code spans out, for looking at what the author wrote as syntax. Math
    keeps its delimiters (``\\(x\\)``), which is how Anki's MathJax reads it.
    """
    parts: list[str] = []
    for index, node in enumerate(inlines):
        if isinstance(node, SoftBreak):
            parts.append(soft_break(inlines, index))
        elif isinstance(node, (Text, RawHtml)) or isinstance(node, Code) and code:
            parts.append(node.text)
        elif isinstance(node, Math):
            parts.append(f"\\[{node.text}\\]" if node.display else f"\\({node.text}\\)")
        elif isinstance(node, (Strong, Emphasis, Mark, Deletion, Link)):
            parts.append(plain_text(node.children, code))
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)


def trimmed(inlines: Inlines, leading: str | None = None) -> Inlines:
    """Without the blank space at either end: spaces, line breaks, empty text. ``leading`` names
    the characters to drop at the start instead of whitespace (a separator's 「、」 as well)."""
    nodes = [node for node in inlines if not (isinstance(node, Text) and not node.text)]
    while nodes and isinstance(nodes[0], (Text, SoftBreak, LineBreak)) and not plain_text((nodes[0],)).strip(leading):
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], (Text, SoftBreak, LineBreak)) and not plain_text((nodes[-1],)).strip():
        nodes.pop()
    if nodes and isinstance(nodes[0], Text):
        nodes[0] = Text(nodes[0].text.lstrip(leading))
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text.rstrip())
    return tuple(nodes)


def source_lines(inlines: Inlines) -> list[Inlines]:
    """A paragraph's markup cut at the ends of its source lines (its soft breaks)."""
    lines: list[list[Inline]] = [[]]
    for node in inlines:
        if isinstance(node, SoftBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return [tuple(line) for line in lines]


def joined(lines: list[Inlines], separator: Inline | None = None) -> Inlines:
    """Lines of markup as one, each after the first preceded by ``separator`` (a line break)."""
    separator = LineBreak() if separator is None else separator
    nodes: list[Inline] = []
    for line in lines:
        if nodes:
            nodes.append(separator)
        nodes.extend(line)
    return tuple(nodes)


def deletions_in(inlines: Inlines) -> list[Deletion]:
    """Every cloze deletion in the markup, inside bold, italics or a link as well."""
    found: list[Deletion] = []
    for node in inlines:
        if isinstance(node, Deletion):
            found.append(node)
        elif isinstance(node, (Strong, Emphasis, Mark, Link)):
            found.extend(deletions_in(node.children))
    return found


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def soft_break(inlines: Inlines, index: int) -> str:
    """What the end of a source line inside a paragraph becomes: a space, or nothing between two
    Japanese or Chinese characters (a line wrapped in the middle of a sentence). Several in a row
    (where a property line was taken out) are one."""
    if index + 1 < len(inlines) and isinstance(inlines[index + 1], SoftBreak):
        return ""
    start = index
    while start > 0 and isinstance(inlines[start - 1], SoftBreak):
        start -= 1
    before = _edge(inlines[start - 1], last=True) if start > 0 else ""
    after = _edge(inlines[index + 1], last=False) if index + 1 < len(inlines) else ""
    return "" if before and after and _is_cjk(before) and _is_cjk(after) else " "


def _edge(node: Inline, last: bool) -> str:
    """The first or last character a node shows."""
    if isinstance(node, (Text, RawHtml, Code)):
        return node.text[-1:] if last else node.text[:1]
    if isinstance(node, Image):
        return node.alt[-1:] if last else node.alt[:1]
    children = getattr(node, "children", ())
    return _edge(children[-1 if last else 0], last) if children else ""


# --- outline of a note -----------------------------------------------------------------------


@dataclass
class Heading:
    line: int
    level: int
    inlines: Inlines


@dataclass
class Paragraph:
    line: int
    inlines: Inlines
    pin: str | None = None  # an identity written by the author: <!-- notes2anki-id: NAME -->
    suppressed: bool = False  # the author wrote <!-- notes2anki-skip -->: no card from this line
    properties: tuple[tuple[int, str], ...] = ()  # its ``key:: value`` lines (line, text), never card text


@dataclass
class ListItem:
    line: int
    inlines: Inlines  # the item's first paragraph
    children: list[ListItem] = field(default_factory=list)  # the items nested under it
    pin: str | None = None
    body: tuple[Block, ...] = ()  # what else the item holds: more paragraphs, quotes, code
    task: bool = False  # a check box item: ``- [ ] …`` or ``- [x] …``
    flashcard: bool = False  # tagged ``#card`` (Logseq): the item is a question, its children the answer
    suppressed: bool = False  # the author wrote <!-- notes2anki-skip -->: no card from this item itself
    properties: tuple[tuple[int, str], ...] = ()  # its ``key:: value`` lines (line, text), never card text


@dataclass
class BulletList:
    line: int
    items: list[ListItem]
    ordered: bool = False


@dataclass
class TableRow:
    line: int
    cells: tuple[Inlines, ...]


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
    fenced: bool = True  # False: text indented four spaces, which Markdown shows as code


@dataclass
class Quote:
    """A block quote inside a list item, or an Obsidian callout (``> [!note] Title``)."""

    line: int
    blocks: tuple[Block, ...]
    callout: str = ""  # the callout's type (``note``, ``tip``), lower case; "" for a plain quote
    title: Inlines = ()


@dataclass
class Details:
    """``<details><summary>Question</summary>Answer</details>``: a question the author hid."""

    line: int
    summary: Inlines
    body: tuple[Block, ...]


@dataclass
class Flashcard:
    """A card the author wrote in a flashcard syntax (Obsidian_to_Anki, a spaced-repetition plugin).

    ``kind``: ``basic``, ``reversed`` (two cards, one each way) or ``cloze`` (the front holds
    the deletions); ``syntax`` names the syntax, for ``notes2anki cards``.
    """

    line: int
    kind: str
    syntax: str
    front: tuple[Block, ...]
    back: tuple[Block, ...] = ()
    tags: tuple[str, ...] = ()


Block = Union[Heading, Paragraph, BulletList, Table, CodeBlock, Quote, Details, Flashcard]


def title_heading(blocks: list[Block]) -> Heading | None:
    """The note's own ``# Title``: its first block, or the note's only level-1 heading when it
    comes before every other heading (after tags or properties, say)."""
    headings = [block for block in blocks if isinstance(block, Heading)]
    if not headings or headings[0].level != 1:
        return None
    if blocks[0] is headings[0] or sum(1 for heading in headings if heading.level == 1) == 1:
        return headings[0]
    return None


def block_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    """The words of some blocks as plain text, a line per paragraph, list item or code line."""
    return "\n".join(line for _, line in block_lines(blocks))


def block_lines(blocks, depth: int = 0):
    """(depth, text) of each line a reader sees in some blocks: paragraphs, items, code lines
    (those with depth -1)."""
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            yield depth, plain_text(block.inlines).strip()
        elif isinstance(block, BulletList):
            for item in block.items:
                yield depth, plain_text(item.inlines).strip()
                yield from block_lines(item.body, depth + 1)
                yield from block_lines([BulletList(item.line, item.children)], depth + 1) if item.children else ()
        elif isinstance(block, CodeBlock):  # depth -1: a code line, whose spacing is its own
            yield from ((-1, line) for line in block.text.rstrip("\n").split("\n"))
        elif isinstance(block, Quote):
            yield from block_lines(block.blocks, depth)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                yield depth, " | ".join(plain_text(cell).strip() for cell in row.cells)
        elif isinstance(block, Details):
            yield depth, plain_text(block.summary).strip()
            yield from block_lines(block.body, depth + 1)
        elif isinstance(block, Flashcard):
            yield from block_lines(block.front, depth)
            yield from block_lines(block.back, depth + 1)


@dataclass(frozen=True)
class CodeLines:
    """Lines that are not prose, however deeply nested (code, literal HTML, display math): lint
    reads and fixes none of them."""

    first: int
    last: int
    kind: str  # "fenced", "indented" (text indented four spaces), "html" (<pre>, <script>, …) or "math" ($$…$$)
    closed: bool = True  # False: a fence that is never closed, so its container's rest is code


@dataclass
class Note:
    """One Markdown file: its front matter, where its body starts, and its outline."""

    path: Path
    root: Path  # the notes folder the file was found in; images must stay inside it
    display: str  # the path as the user knows it, used in every message
    source_key: str  # path relative to the notes folder, part of each card's identity
    meta: dict  # the front matter's values (with each key's line when read for lint)
    front_matter_end: int  # line of the closing fence ('---', '...' or '+++'); 0 without front matter
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
    front: Inlines = ()
    back: tuple[Block, ...] = ()  # the answer: paragraphs (a line each), lists, code
    extra: tuple[Block, ...] = ()  # shown below the answer: nested remarks, examples, reasons
    cloze: Inlines = ()  # the text, its deletions as Deletion nodes
    tags: tuple[str, ...] = ()  # tags the note gave this card alone (a Tags: line, a tag column)

    @property
    def question(self) -> str:
        """The question as plain text: the front, or the whole text of a cloze."""
        return plain_text(self.cloze if self.kind == "cloze" else self.front)

    @property
    def answer(self) -> str:
        """The answer as plain text, a line per paragraph or item."""
        return block_text(self.back)

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


# --- what a build packs and remembers --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PackedNote:
    """One Anki note as it goes into a package and as the build state keeps it.

    Immutable: the identity stage gives a GUID and the stamp stage an mtime by making a new
    value (``dataclasses.replace``), never by changing one.
    """

    key: str  # identity key (see ``identity.card_key``)
    category: str
    deck: str
    kind: str  # "basic" or "cloze"
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    file: str  # source file, relative to the notes folder
    line: int
    section: tuple[str, ...]  # headings above the card, for the lock file
    question: str  # plain text, for reports and the lock file
    deletions: tuple[str, ...] = ()  # a cloze's deletions (normalised text), numbered 1, 2, … in ``fields``
    guid: str = ""
    mtime: int = 0
