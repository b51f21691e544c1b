"""The outline of a note to flashcards: one small function per card rule, no I/O.

Rules, tried in this order on each list item (and on each paragraph, without children):

- ``cloze``      the item contains ``{{c1::…}}`` written by the author: kept as written;
- ``arrow``      ``question -> answer`` (also ``→``, ``⇒``, ``=>``): Basic;
- ``definition`` ``term：explanation``, ``term: explanation`` or ``termとはexplanation``: Basic
                 (``term：`` with nothing after it but nested items: a ``children`` card);
- ``cloze``      ``**bold**`` spans in the item: a Cloze card, one deletion per span;
- ``children``   an item with nested items: the item on the front, the nested items on the back;
- ``table``      each row of a two-column table: Basic;
- ``section``    a heading followed by a list in which no item made a card: the heading on the
                 front, the list on the back.

Items nested under a card's item go to its Extra field, and make cards of their own as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from notes2anki import identity, split
from notes2anki.model import (
    BulletList,
    Card,
    Heading,
    Inline,
    ListItem,
    Note,
    Paragraph,
    Skipped,
    Strong,
    Table,
    Text,
    plain_text,
)

_AUTHOR_CLOZE = re.compile(r"\{\{c\d+::")
MAX_SECTION_ITEMS = 12
MAX_PARENT_CONTEXT = 40


@dataclass
class Extraction:
    cards: list[Card] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def extract(note: Note) -> Extraction:
    """Every card of one note, in source order, and the items that made none."""
    result = Extraction()
    headings: list[tuple[int, str]] = []
    subheading: str | None = None
    section_open = False  # no list has followed the current heading yet
    for index, block in enumerate(note.blocks):
        if isinstance(block, Heading):
            if index == 0 and block.level == 1:
                continue  # the document's own heading: it is the title, not a section
            headings = [(level, text) for level, text in headings if level < block.level]
            headings.append((block.level, plain_text(block.inlines).strip()))
            subheading, section_open = None, True
            continue
        if isinstance(block, Paragraph) and _is_subheading(block):
            subheading, section_open = plain_text(block.inlines).strip(), True
            continue
        context = (note.title, *(text for _, text in headings), *((subheading,) if subheading else ()))
        if isinstance(block, Paragraph):
            card = _line_card(note, block.line, block.inlines, (), context, block.pin)
            if card is not None:
                result.cards.append(card)
        elif isinstance(block, BulletList):
            before = len(result.cards)
            for item in block.items:
                _item_cards(note, item, context, result)
            if section_open and len(result.cards) == before:
                section = _section_card(note, block, context)
                if section is not None:
                    result.cards.append(section)
                    result.skipped = [s for s in result.skipped if s.line < block.line]
            section_open = False
        elif isinstance(block, Table):
            _table_cards(note, block, context, result)
    return result


def _is_subheading(paragraph: Paragraph) -> bool:
    """A paragraph that is only bold text (``**Kinesis Data Streams**``) names what follows."""
    nodes = [n for n in paragraph.inlines if not (isinstance(n, Text) and not n.text.strip())]
    return len(nodes) == 1 and isinstance(nodes[0], Strong)


def _item_cards(
    note: Note, item: ListItem, context: tuple[str, ...], result: Extraction, on_a_card: bool = False
) -> None:
    """Cards of an item and its descendants; ``on_a_card``: the item already shows on its parent's card."""
    card = _line_card(note, item.line, item.inlines, tuple(item.children), context, item.pin)
    if card is None and item.children:
        card = _children_card(note, item, context)
    if card is not None:
        result.cards.append(card)
    elif not on_a_card:
        result.skipped.append(Skipped(note, item.line, plain_text(item.inlines), _why_no_card(item)))
    if item.children:
        child_context = (*context, _shortened(plain_text(item.inlines)))
        for child in item.children:
            _item_cards(note, child, child_context, result, on_a_card=card is not None)


def _shortened(text: str) -> str:
    """A parent item as context for the cards nested under it: its first words are enough."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_PARENT_CONTEXT else text[: MAX_PARENT_CONTEXT - 1] + "…"


def _line_card(
    note: Note,
    line: int,
    inlines: tuple[Inline, ...],
    children: tuple[ListItem, ...],
    context: tuple[str, ...],
    pin: str | None,
) -> Card | None:
    """The card a single line makes by its own text, if any (children only add Extra)."""
    if has_author_cloze(inlines):
        return _cloze(note, line, inlines, children, context, pin)
    found = split.arrow(inlines)
    if found is not None:
        if not found.left or not found.right:
            return None
        return _basic(note, "arrow", line, context, found.left, found.right, extra=children, pin=pin)
    found = split.definition(inlines)
    if found is not None and found.right:
        return _basic(note, "definition", line, context, found.left, found.right, extra=children, pin=pin)
    if found is not None and children:
        return _basic(note, "children", line, context, found.left, (), back_list=children, pin=pin)
    if any(isinstance(node, Strong) for node in inlines):
        return _cloze(note, line, inlines, children, context, pin)
    return None


def has_author_cloze(inlines: tuple[Inline, ...]) -> bool:
    """Deletions the author wrote as ``{{c1::…}}`` (outside code): kept as written."""
    return _AUTHOR_CLOZE.search(plain_text(inlines, code=False)) is not None


def _children_card(note: Note, item: ListItem, context: tuple[str, ...]) -> Card | None:
    if not plain_text(item.inlines).strip():
        return None
    return _basic(note, "children", item.line, context, item.inlines, (), back_list=tuple(item.children), pin=item.pin)


def _section_card(note: Note, block: BulletList, context: tuple[str, ...]) -> Card | None:
    """A heading and a plain list under it ("ALB: layer 7, HTTP/HTTPS, …") as one card."""
    if len(context) < 2 or not 2 <= len(block.items) <= MAX_SECTION_ITEMS:
        return None
    return _basic(
        note, "section", block.line, context[:-1], (Text(context[-1]),), (), back_list=tuple(block.items)
    )


def _table_cards(note: Note, table: Table, context: tuple[str, ...], result: Extraction) -> None:
    if len(table.header.cells) != 2:
        result.skipped.append(
            Skipped(note, table.line, " | ".join(plain_text(cell) for cell in table.header.cells), f"a table with {len(table.header.cells)} columns: only two-column tables make cards")
        )
        return
    header = " / ".join(plain_text(cell).strip() for cell in table.header.cells)
    for row in table.rows:
        front, back = (row.cells + ((), ()))[:2]
        if plain_text(front).strip() and plain_text(back).strip():
            result.cards.append(_basic(note, "table", row.line, (*context, header), front, back))
        else:
            result.skipped.append(Skipped(note, row.line, plain_text(front), "a table row with an empty cell"))


EMPTY_ARROW_SIDE = "an arrow with nothing on one side"
EMPTY_DEFINITION = "a definition with nothing after the colon"
PLAIN_STATEMENT = "a plain statement: no arrow, definition, bold text or nested items"


def _why_no_card(item: ListItem) -> str:
    if split.arrow(item.inlines) is not None:
        return EMPTY_ARROW_SIDE
    if split.definition(item.inlines) is not None:
        return EMPTY_DEFINITION
    return PLAIN_STATEMENT


def _basic(
    note: Note,
    rule: str,
    line: int,
    context: tuple[str, ...],
    front: tuple[Inline, ...],
    back: tuple[Inline, ...],
    back_list: tuple[ListItem, ...] = (),
    extra: tuple[ListItem, ...] = (),
    pin: str | None = None,
) -> Card:
    return Card(
        kind="basic",
        rule=rule,
        note=note,
        line=line,
        context=context,
        key=_key(note, "basic", context, front, pin),
        front=front,
        back=back,
        back_list=back_list,
        extra=extra,
    )


def _cloze(
    note: Note,
    line: int,
    inlines: tuple[Inline, ...],
    children: tuple[ListItem, ...],
    context: tuple[str, ...],
    pin: str | None = None,
) -> Card:
    return Card(
        kind="cloze",
        rule="cloze",
        note=note,
        line=line,
        context=context,
        key=_key(note, "cloze", context, inlines, pin),
        cloze=inlines,
        extra=children,
    )


def _key(note: Note, kind: str, context: tuple[str, ...], question: tuple[Inline, ...], pin: str | None) -> str:
    return identity.card_key(note.source_key, kind, context[1:], plain_text(question), pin)
