"""The outline of a note to flashcards: one small function per card rule, no I/O.

A note is read section by section (a heading, or a bold line standing as a sub-heading, and what
follows it). Cards the author wrote in a flashcard syntax are taken as written; everything else
is judged line by line (what a line says by itself is ``lines.py``'s; where it stands, here),
and a line makes at most one card. The rules, in the order they are tried (README "Card rules"
shows an example of each):

Written as cards by the author
- ``flashcard``   Obsidian_to_Anki ``START`` … ``END`` and ``STARTI … ENDI``; spaced-repetition
                  ``question / ? / answer`` (``??``: both ways), ``front::back`` (``:::``: both ways)
- ``logseq``      a Logseq block tagged ``#card``: the block, its children (and theirs) the answer
- ``details``     ``<details><summary>Question</summary>Answer</details>``
- ``question``    a heading that asks (``## What does X do?``) over its body; mdanki's ``%``
                  between a front and a back
- ``cloze``       ``{{c1::…}}``, Logseq ``{{cloze …}}``, ``==highlight==`` or ``**bold**`` in a line
- ``table``       rows of a Q/A table (columns found by name) or of a two-column table; the
                  cells of a table of things and their attributes, one card per cell
- ``comparison``  rows of a table comparing things named in its header

Read from the shape of the notes
- ``arrow``       ``question -> answer`` with one arrow (a chain of arrows is a flow, not a card)
- ``definition``  ``term：explanation``, ``XとはY``, ``X = Y``, English ``X is a …``
- ``description`` a heading over a line that describes it (``## AWS Lambda`` / ``- サーバーレスで…サービス``)
- ``section``     a heading over a plain list of its properties (one side of a comparison)
- ``children``    a line that announces the items under it (``方法：``, ``3 types``, ``The handshake:``)
- ``reason``      a statement with a reason under it: asks why
- ``purpose``     「〜するには、…」: how to reach the goal
- ``reference``   ``前者：…`` / ``後者：…`` resolved to the item it refers to
- ``fact``        a plain statement with one unambiguous part to hide (see ``deletions.py``)

Every item or paragraph that makes no card is listed as ``Skipped``, with the reason. Items
nested under a card's line that make no card of their own go to its Extra field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from notes2anki import deletions, identity, split, wording
from notes2anki.lines import (
    EMPTY_DEFINITION,
    FLOW,
    LONE_QUESTION,
    REFERENCE_PAIR,
    TASK,
    LineCard,
    as_deletions,
    card_line,
    compared_pair,
    has_deletions,
    invalid_deletion,
    is_label_line,
    is_reference_line,
    line_pairs,
    no_card_reason,
    qa_pair,
    qa_side,
    unbold,
    valid_deletions,
    whole_bold,
    without_trailing_colon,
)
from notes2anki.model import (
    Block,
    BulletList,
    Card,
    CodeBlock,
    Details,
    Flashcard,
    Heading,
    Inline,
    Inlines,
    ListItem,
    Math,
    Note,
    Paragraph,
    Quote,
    Skipped,
    SoftBreak,
    Table,
    TableRow,
    Text,
    block_text,
    joined,
    plain_text,
    source_lines,
    title_heading,
    trimmed,
)

# The card rules, in the order they are tried (the names ``notes2anki cards`` shows).
RULES = (
    "flashcard",
    "logseq",
    "details",
    "question",
    "cloze",
    "table",
    "comparison",
    "arrow",
    "definition",
    "description",
    "section",
    "children",
    "reason",
    "purpose",
    "reference",
    "fact",
)
MAX_PARENT_CONTEXT = 40
MAX_BACK_ITEMS = 7  # a longer list is split into cards of at most this many items
MAX_PROPERTY_LENGTH = 80  # longer lines are statements of their own, not properties of a heading
MAX_DESCRIPTION_SENTENCES = 3  # prose longer than this under a heading is more than one answer to recall

PLAIN_STATEMENT = "a plain statement: no question and answer, and no single part that is plainly the one to recall"
REFERENCE = "refers to an earlier item (前者, 上記, …) that cannot be told for sure"
CODE_ALONE = "code on its own: no question to go with it (put it under an item or a question heading)"
INDENTED_CODE = "indented text that Markdown shows as code (indented four spaces): no card is made from it"
PROPERTY = "a property (key:: value): data about the note or block, not text"
SUPPRESSED = "the note asks for no card here (<!-- notes2anki-skip -->)"
EXPLICIT_ONLY = "this note marks its cards (#card, START…END): only those make cards"
LABEL_SUMMARY = "a <details> whose summary is a label, not a question"
UNKNOWN_TYPE = "a note type notes2anki does not know"
EMPTY_CLOZE = "a cloze deletion Anki cannot show (empty, or numbered c0)"
EMPTY_SIDE = "a flashcard with an empty side"
EMPTY_BLOCK = "a #card block with nothing under it"
# Cards the author wrote that cannot be made: the build warns about these (the others are choices).
UNMADE = (UNKNOWN_TYPE, EMPTY_CLOZE, EMPTY_SIDE, EMPTY_BLOCK)
EMPTY_ROW = "a table row with an empty question or answer"
HEADER_ONLY = "a table with no question or answer columns"
FRAGMENT = "a fragment (it starts with punctuation): it continues a line before it"
BOLD_LINE = "a line in bold from end to end, with nothing under it: emphasis, not a part to hide"
ITEMS_CARRY_IT = "a line over items that make cards of their own: a list of their names would ask nothing"
GROUP_LABEL = "a label over the items nested under it (説明, 用語, Terms): they make cards of their own"
REMARK_CALLOUT = "a tip, quote or example callout: a remark, not a fact to learn"
INTRODUCTION = "prose before the first section or under a summary heading: read as an introduction or a remark, not as facts to learn"

_SEPARATOR_LINE = re.compile(r"^%$")
_REVEAL = re.compile(r"表示|クリック|展開|開く|見る|答え$|解答$|\b(?:show|hide|expand|click|reveal|toggle|answer|solution)\b", re.IGNORECASE)


def _reveals(summary: str) -> bool:
    """A summary that only hides its answer (``Show answer``, ``答えを表示``), not a question that
    happens to use such a word (``Why does the curve show a primacy effect?``)."""
    return _REVEAL.search(summary) is not None and len(summary.split()) <= 4 and len(summary) <= 30
# A first column headed like this holds what is compared, not the things: 「| 観点 | A | B |」.
_ASPECT_COLUMNS = ("観点", "比較項目", "項目", "比較", "aspect", "feature", "property", "criterion", "criteria", "item", "")
_EXAMPLE_COLUMNS = ("example", "examples", "例", "例文", "beispiel", "exemple", "ejemplo")
_QA_COLUMNS = {
    "question": ("question", "q", "front", "term", "word", "name", "concept", "keyword", "問題", "問い", "質問", "用語", "名前", "単語", "キーワード", "略語"),
    "answer": ("answer", "a", "back", "definition", "meaning", "答え", "解答", "回答", "意味", "説明", "定義", "正解", "正式名称"),
    "extra": ("explanation", "notes", "note", "comment", "comments", "解説", "備考", "補足", "メモ"),
    "tags": ("tags", "tag", "タグ"),
}


@dataclass
class Extraction:
    cards: list[Card] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class Scope:
    """Where a block stands: its note, the headings above it, and what rules know of the note."""

    note: Note
    context: tuple[str, ...]
    heading: str | None = None  # the nearest heading or sub-heading: what its section is about
    compared: bool = False  # the section is one side of a comparison (its parent heading compares)
    terms: frozenset[str] = frozenset()  # terms the note defines (case-folded): deletions for ``fact``
    explicit: bool = False  # the note marks its own cards, so nothing else makes one
    shown: bool = False  # the items here already show on their parent's card

    def nested(self, parent: Inlines, shown: bool) -> Scope:
        part = _shortened(plain_text(parent).strip().rstrip(":："))
        context = self.context if self.context[-1:] == (part,) else (*self.context, part)  # a lead-in that repeats its heading
        return replace(self, context=context, heading=None, shown=shown)


@dataclass
class _Section:
    heading: Heading | Paragraph | None
    scope: Scope
    blocks: list[Block] = field(default_factory=list)


def extract(note: Note) -> Extraction:
    """Every card of one note, in source order, and the items and paragraphs that made none."""
    result = Extraction()
    explicit = _marks_own_cards(note.blocks)
    terms = _defined_terms(note.blocks)
    note = replace(note, blocks=_questions_with_answers(note.blocks))
    for section in _sections(note, Scope(note, (note.title,), terms=terms, explicit=explicit)):
        _section_cards(section, result)
    result.cards.sort(key=lambda card: card.line)
    result.skipped.sort(key=lambda skipped: skipped.line)
    return result


def _questions_with_answers(blocks: list[Block] | tuple[Block, ...]) -> list[Block]:
    """The outline with each ``- Q: …`` item that an ``- A: …`` item follows holding that item
    as its answer, nested under it, wherever the list stands."""
    paired: list[Block] = []
    for block in blocks:
        if isinstance(block, BulletList):
            block = replace(block, items=_paired_items(block.items))
        elif isinstance(block, Quote):
            block = replace(block, blocks=tuple(_questions_with_answers(block.blocks)))
        elif isinstance(block, Details):
            block = replace(block, body=tuple(_questions_with_answers(block.body)))
        paired.append(block)
    return paired


def _paired_items(items: list[ListItem]) -> list[ListItem]:
    """Items with each ``A:`` item nested under the ``Q:`` before it (or already under it) as
    the question's answer: its text without the label, and no card of its own."""
    paired: list[ListItem] = []
    for item in items:
        if item.children or item.body:
            item = replace(item, children=_paired_items(item.children), body=tuple(_questions_with_answers(item.body)))
        last = paired[-1] if paired else None
        if last is not None and not last.children and not last.body and (pair := qa_pair(last.inlines, item.inlines)):
            paired[-1] = replace(last, children=[replace(item, inlines=pair[1], suppressed=True)])
            continue
        if len(item.children) == 1 and (pair := qa_pair(item.inlines, item.children[0].inlines)):
            item = replace(item, children=[replace(item.children[0], inlines=pair[1], suppressed=True)])
        paired.append(item)
    return paired


# --- sections ---------------------------------------------------------------------------------


def _sections(note: Note, scope: Scope) -> list[_Section]:
    """The note cut at its headings and sub-headings, each with the context its cards show."""
    sections = [_Section(None, scope)]
    headings: list[tuple[int, str]] = []
    blocks = note.blocks
    title = title_heading(blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            if block is title:
                continue  # the document's own heading: it is the title, not a section
            headings = [(level, text) for level, text in headings if level < block.level]
            text = plain_text(block.inlines).strip()
            compared = bool(headings) and wording.is_comparison(headings[-1][1])
            headings.append((block.level, text))
            context = (note.title, *(text for _, text in headings))
            sections.append(_Section(block, replace(scope, context=context, heading=text, compared=compared)))
        elif isinstance(block, Paragraph) and _is_subheading(block, blocks[index + 1] if index + 1 < len(blocks) else None, sections[-1]):
            text = plain_text(block.inlines).strip().rstrip(":：")
            base = sections[-1].scope
            if isinstance(sections[-1].heading, Paragraph):  # a sub-heading ends the one before it
                base = replace(base, context=base.context[:-1])
            sections.append(_Section(block, replace(base, context=(*base.context, text), heading=text)))
        else:
            sections[-1].blocks.append(block)
    return sections


def _is_subheading(paragraph: Paragraph, following: Block | None, section: _Section) -> bool:
    """A bold-only line (``**Kinesis Data Streams**``), or a short title line right over a list."""
    bold = whole_bold(paragraph.inlines)
    if bold is not None and not card_line(bold):
        return True
    text = plain_text(paragraph.inlines).strip()
    if not (isinstance(following, BulletList) and following.line == paragraph.line + 1) or not text[:1].isalnum():
        return False
    if text.endswith((":", "：")) or len(text) > 40 or any(isinstance(node, SoftBreak) for node in paragraph.inlines):
        return False
    describes = section.scope.heading is not None and not section.blocks and wording.is_noun_phrase(text)
    return not describes and card_line(paragraph.inlines) is None


def _section_cards(section: _Section, result: Extraction) -> None:
    scope, blocks = section.scope, section.blocks
    if isinstance(section.heading, Paragraph) and not blocks:  # a bold line over nothing: emphasis
        result.skipped.append(Skipped(scope.note, section.heading.line, scope.heading or "", BOLD_LINE))
    if isinstance(section.heading, Paragraph) and scope.explicit:
        result.skipped.append(Skipped(scope.note, section.heading.line, scope.heading or "", EXPLICIT_ONLY))
    if not scope.explicit and isinstance(section.heading, Heading) and _question_section(section, result):
        return
    first, described, lists, previous, index = True, False, 0, [], 0
    if scope.heading and not scope.explicit and _prose_only(blocks) and _describes_by_prose(section):
        result.cards.append(_basic(_above(scope), "description", blocks[0].line, (Text(scope.heading),), tuple(blocks)))
        return
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        index += 1
        if isinstance(block, Paragraph):
            made = _paragraph_cards(block, following, scope, first, result, previous)
            described = described or made == "description"
            if made == "lead-in":
                index += 1  # the block after it is its answer, and was handled with it
                if isinstance(following, BulletList):
                    previous, lists = following.items, lists + 1
        elif isinstance(block, BulletList):
            _list_cards(block, scope, lists == 0, described, result, previous)
            previous, lists = block.items, lists + 1
        elif isinstance(block, Table):
            _table_cards(block, scope, result)
        elif isinstance(block, CodeBlock):
            result.skipped.append(Skipped(scope.note, block.line, block.text.strip().split("\n")[0], CODE_ALONE if block.fenced else INDENTED_CODE))
        elif isinstance(block, Details):
            _details_card(block, scope, result)
        elif isinstance(block, Flashcard):
            _flashcard_cards(block, scope, result)
        elif isinstance(block, Quote):
            _callout_cards(block, scope, result)
        first = False


# Callouts that hold the author's remarks rather than facts.
_REMARK_CALLOUTS = ("tip", "hint", "todo", "quote", "cite", "example", "bug")


def _callout_cards(callout: Quote, scope: Scope, result: Extraction) -> None:
    """An Obsidian callout: a remark (tip, quote, example), or a small section of its own whose
    title, if it has one, joins the context of its cards."""
    if callout.callout in _REMARK_CALLOUTS:
        first = plain_text(callout.title).strip() or block_text(callout.blocks).split("\n")[0]
        result.skipped.append(Skipped(scope.note, callout.line, first, REMARK_CALLOUT))
        return
    title = plain_text(callout.title).strip()
    inner = replace(scope, context=(*scope.context, title), heading=title) if title else scope
    _section_cards(_Section(None, inner, list(callout.blocks)), result)


def _question_section(section: _Section, result: Extraction) -> bool:
    """A heading that asks, over its body; or a body cut in two by mdanki's ``%``."""
    scope, blocks, heading = section.scope, section.blocks, section.heading
    blocks = _split_separator(blocks)
    separator = next((i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and _SEPARATOR_LINE.match(plain_text(b.inlines).strip())), None)
    if separator is not None:
        before, after = blocks[:separator], blocks[separator + 1 :]
        if not after:  # a closing ``%``: the heading asks, the body answers
            before, after = [], before
        if not after:
            return False
        if before and all(isinstance(block, Paragraph) for block in before):
            front = joined([block.inlines for block in before])
            result.cards.append(_basic(scope, "question", before[0].line, front, tuple(after)))
        else:
            result.cards.append(_basic(_above(scope), "question", heading.line, heading.inlines, tuple(after)))
        return True
    text = plain_text(heading.inlines).strip()
    if not blocks or not wording.is_question(text) or wording.names_nothing(text):
        return False
    result.cards.extend(_chunked(_above(scope), "question", heading.line, heading.inlines, _revealed(blocks)))
    return True


def _split_separator(blocks: list[Block]) -> list[Block]:
    """A ``%`` written on the first line of a paragraph (no blank line after it) as a block of its own."""
    split: list[Block] = []
    for block in blocks:
        lines = _lines(block) if isinstance(block, Paragraph) else []
        if len(lines) > 1 and _SEPARATOR_LINE.match(plain_text(lines[0][1]).strip()):
            split.append(Paragraph(lines[0][0], lines[0][1]))
            split.append(Paragraph(lines[1][0], joined([inlines for _, inlines in lines[1:]], SoftBreak())))
        else:
            split.append(block)
    return split


def _revealed(blocks: list[Block]) -> tuple[Block, ...]:
    """An answer's blocks, with a ``<details>`` that only hides it ("Answer", "Show") opened."""
    opened: list[Block] = []
    for block in blocks:
        if isinstance(block, Details) and _reveals(plain_text(block.summary)):
            opened.extend(block.body)
        else:
            opened.append(block)
    return tuple(opened)


def _above(scope: Scope) -> Scope:
    """The scope of a card whose front is its section's heading: the heading leaves the context."""
    return replace(scope, context=scope.context[:-1])


# --- paragraphs -------------------------------------------------------------------------------


def _paragraph_cards(
    paragraph: Paragraph, following: Block | None, scope: Scope, first: bool, result: Extraction, previous: list[ListItem]
) -> str | None:
    """Cards of a paragraph. Returns ``"lead-in"`` when the block after it is its answer and was
    handled with it, and ``"description"`` when it described the section's heading."""
    note, text = scope.note, plain_text(paragraph.inlines).strip()
    result.skipped.extend(_properties(note, paragraph.properties))
    if not paragraph.inlines:
        return None
    if scope.explicit or paragraph.suppressed:
        result.skipped.append(Skipped(note, paragraph.line, text, SUPPRESSED if paragraph.suppressed else EXPLICIT_ONLY))
        return None
    lines = _lines(paragraph)
    lead = _lead_in(lines, following)
    if lead:
        start = len(lines) - lead
        front = joined([inlines for _, inlines in lines[start:]], SoftBreak())
        question = qa_side(lines[start - 1][1]) if start and qa_side(front) == ("a", ()) else None
        if question is not None and question[0] == "q":  # 「Q: …」 then a bare 「A:」 over the answer
            start, front = start - 1, question[1]
        _paragraph_lines(lines[:start], scope, result, previous)
        _lead_in_cards(lines[start][0], _lead_in_front(front), following, scope, result, paragraph.pin)
        return "lead-in"
    if first and scope.heading and not wording.names_nothing(scope.heading):
        described = _description(paragraph.inlines, scope.heading)
        if described is not None:
            result.cards.append(_basic(_above(scope), "description", paragraph.line, (Text(scope.heading),), (Paragraph(paragraph.line, described),), pin=paragraph.pin))
            return "description"
    if len(lines) > 1 and (sum(1 for _, inlines in lines if _structured(inlines)) >= 2 or _has_qa_pair(lines)):
        _paragraph_lines(lines, scope, result, previous)
    elif len(_statements(lines)) > 1:
        _paragraph_lines(_statements(lines), scope, result, previous)
    else:
        _line_cards(paragraph.line, paragraph.inlines, (), scope, result, paragraph.pin, previous=previous)
    return None


def _lines(paragraph: Paragraph) -> list[tuple[int, Inlines]]:
    """A paragraph's source lines that hold words, each with its line number."""
    numbered = enumerate(source_lines(paragraph.inlines), start=paragraph.line)
    return [(number, trimmed(nodes)) for number, nodes in numbered if plain_text(nodes).strip()]


def _statements(lines: list[tuple[int, Inlines]]) -> list[tuple[int, Inlines]]:
    """A paragraph's lines joined where a sentence was wrapped: a line that does not end a
    sentence runs on into the next, unless the next is a card by itself (``patience = …``)."""
    statements: list[tuple[int, list[Inline]]] = []
    for number, inlines in lines:
        if statements and not _ends_sentence(tuple(statements[-1][1])) and not _stands_alone(inlines):
            statements[-1][1].extend((SoftBreak(), *inlines))
        else:
            statements.append((number, list(inlines)))
    return [(number, tuple(nodes)) for number, nodes in statements]


def _stands_alone(inlines: Inlines) -> bool:
    """A line with a question and an answer of its own (``patience = …``, ``X → Y``), which no
    wrapped sentence runs on into; a bold part alone does not make one (「…へ出る**出口**になる」)."""
    found = card_line(inlines)
    return isinstance(found, LineCard) and found.rule != "cloze"


def _structured(inlines: Inlines) -> bool:
    """A line that is a card, a reference, a label, tags or a link by itself: lines like it are
    read one by one."""
    return card_line(inlines) is not None or is_reference_line(inlines) or qa_side(inlines) is not None or no_card_reason(inlines) is not None


def _paragraph_lines(lines: list[tuple[int, Inlines]], scope: Scope, result: Extraction, previous: list[ListItem]) -> None:
    """A paragraph read line by line: ``Q:``/``A:`` pairs, and each other line on its own."""
    index = 0
    while index < len(lines):
        number, inlines = lines[index]
        pair = qa_pair(inlines, lines[index + 1][1]) if index + 1 < len(lines) else None
        if pair is not None:
            answer_line, answer, index = lines[index + 1][0], [pair[1]], index + 2
            while index < len(lines) and not _structured(lines[index][1]):  # the answer goes on: 「(same as …)」
                answer.append(lines[index][1])
                index += 1
            result.cards.append(_basic(scope, "flashcard", number, pair[0], (Paragraph(answer_line, joined(answer)),)))
            continue
        _line_cards(number, inlines, (), scope, result, None, previous=previous)
        index += 1


def _has_qa_pair(lines: list[tuple[int, Inlines]]) -> bool:
    return any(qa_pair(a, b) is not None for (_, a), (_, b) in zip(lines, lines[1:]))


def _lead_in(lines: list[tuple[int, Inlines]], following: Block | None) -> int:
    """How many of a paragraph's last lines introduce the block after it (they end with a colon,
    and the block is a list, code or math); 0 when they do not."""
    if not lines or not _is_lead_in(lines[-1][1]) or not _answers_lead_in(following):
        return 0
    count = 1
    while count < len(lines) and not _structured(lines[-count - 1][1]) and not _ends_sentence(lines[-count - 1][1]):
        count += 1
    return count


def _ends_sentence(inlines: Inlines) -> bool:
    return wording.ends_sentence(plain_text(inlines))


def _answers_lead_in(block: Block | None) -> bool:
    return isinstance(block, (BulletList, CodeBlock)) or (
        isinstance(block, Paragraph) and len(block.inlines) == 1 and isinstance(block.inlines[0], Math) and block.inlines[0].display
    )


def _lead_in_cards(line: int, front: Inlines, following: Block, scope: Scope, result: Extraction, pin: str | None) -> None:
    """A lead-in and what it introduces: a list (its items keep the lead-in as context), or a
    block of code or math."""
    if not isinstance(following, BulletList):
        result.cards.append(_basic(scope, "definition", line, front, (following,), pin=pin))
        return
    cards = _children_cards(scope, line, front, following, pin)
    result.cards.extend(cards)
    if not cards:
        result.skipped.append(Skipped(scope.note, line, plain_text(front).strip(), ITEMS_CARRY_IT))
    inner = scope.nested(front, shown=True)
    before = len(result.skipped)
    for position, item in enumerate(following.items):
        _item_cards(item, inner, result, previous=_before(following.items, position, ()))
    shown = set().union(*(_shown_in_list(item) for item in following.items)) if cards else set()
    result.skipped[before:] = [skipped for skipped in result.skipped[before:] if skipped.line not in shown]


def _is_lead_in(inlines: Inlines) -> bool:
    """A line that introduces what follows it: it ends with a colon, or says so (「…とは、次の3つ
    のことである。」, ``… the following.``)."""
    text = plain_text(inlines).strip()
    if _POINTS_AHEAD.search(text):
        return True
    return text.endswith((":", "：")) and not is_label_line(inlines) and split.colon(without_trailing_colon(inlines)) is None


_POINTS_AHEAD = re.compile(r"(?:次の|以下の|下記の)[^。、]{0,12}(?:のこと)?(?:である|です|がある|あります)?[。．]?$|\bthe following\b[^.:]{0,30}[.:]?$", re.IGNORECASE)


def _lead_in_front(front: Inlines) -> Inlines:
    """What a lead-in asks: 「XとはYの次の3つ」 asks X; otherwise the line without its colon."""
    found = split.towa(front)
    if found is not None and found.left and _POINTS_AHEAD.search(plain_text(found.right).strip()):
        return found.left
    return without_trailing_colon(front)


# --- lists ------------------------------------------------------------------------------------


def _list_cards(block: BulletList, scope: Scope, first: bool, described: bool, result: Extraction, before: list[ListItem]) -> None:
    """A list's items; the first list under a heading may also give the heading's description
    (unless a paragraph gave it) or its list of properties."""
    items = list(block.items)
    if first and scope.heading and not scope.explicit and not wording.names_nothing(scope.heading):
        plain = [item for item in items if _is_property(item)]
        describes = bool(items) and not block.ordered and not scope.compared and not described and _describes(items[0], scope.heading)
        flat = not any(_heads_a_list(item) for item in items)
        variant = scope.compared or len(scope.context) > 2  # a sub-section: one kind of its parent's subject
        names = len(items) >= 2 and all(_is_name(item) for item in items)  # the heading's parts or kinds
        if plain and flat and (variant or names) and not describes:
            lines = [_as_property(item) for item in plain]
            back = (BulletList(plain[0].line, lines, block.ordered),)
            front = f"{scope.heading} ({len(plain)})" if names and not variant else scope.heading
            result.cards.extend(_chunked(_above(scope), "section", plain[0].line, (Text(front),), back))
            shown = {id(item) for item in plain}
            on_card = {id(child) for line in lines for child in line.children}
            for position, item in enumerate(items):
                if id(item) in shown:
                    _nested_cards(item, scope, result, on_card=True, shown=on_card)
                else:
                    _item_cards(item, scope, result, previous=_before(items, position, before))
            return
        description = _description(items[0].inlines, scope.heading) if describes else None
        if description is not None:
            item = items.pop(0)
            card = _basic(_above(scope), "description", item.line, (Text(scope.heading),), (Paragraph(item.line, description),), _extra(item), item.pin)
            result.cards.append(card)
            _nested_under_card(card, item, scope, result)
    for position, item in enumerate(block.items[len(block.items) - len(items) :], start=len(block.items) - len(items)):
        _item_cards(item, scope, result, previous=_before(block.items, position, before))


def _before(items: list[ListItem], position: int, above: list[ListItem] | tuple) -> list[ListItem]:
    """What a 前者/後者 at ``position`` may refer to: up to three siblings before it (exactly two
    resolve), or for the first item the list above it."""
    return items[max(0, position - 3) : position] if position else list(above)


def _describes(item: ListItem, heading: str) -> bool:
    """The first item under a heading says what the heading is: a description, or its definition."""
    text = plain_text(item.inlines)
    if item.children and _announces(text, tuple(item.children)) and not wording.is_description(text):
        return False
    found = card_line(item.inlines)
    if isinstance(found, LineCard) and found.rule == "definition":
        return wording.normalised(plain_text(found.front)) == wording.normalised(heading)
    return _description(item.inlines, heading) is not None


def _announces(text: str, children: tuple[ListItem, ...]) -> bool:
    """Items nested under ``text`` answer it: it announces them, or it is a name they explain."""
    return bool(children) and (wording.announces_items(text) or wording.is_term(text, longest=30))


def _prose_only(blocks: list[Block]) -> bool:
    return 0 < len(blocks) <= 3 and all(isinstance(block, Paragraph) for block in blocks)


def _describes_by_prose(section: _Section) -> bool:
    """A term heading over a few paragraphs of prose and nothing else: the prose explains it."""
    heading, blocks = section.scope.heading, section.blocks
    if not isinstance(section.heading, Heading) or wording.names_nothing(heading) or wording.is_question(heading):
        return False
    if not wording.is_term(heading, longest=40) or wording.is_comparison(heading) or _is_lead_in(blocks[-1].inlines):
        return False
    if sum(wording.sentences(plain_text(block.inlines)) for block in blocks) > MAX_DESCRIPTION_SENTENCES:
        return False
    return not any(_structured(inlines) or _is_skippable(inlines) for block in blocks for _, inlines in _lines(block))


def _is_name(item: ListItem) -> bool:
    """A bare name with nothing under it (``物理層``, ``Pending``)."""
    text = plain_text(item.inlines).strip()
    return not item.children and not item.body and wording.is_term(text, longest=30) and card_line(item.inlines) is None


def _is_property(item: ListItem) -> bool:
    """A short plain statement: one of the things a heading's list says about it."""
    text = plain_text(item.inlines).strip()
    return (
        bool(text)
        and not item.flashcard
        and not item.task
        and len(text) <= MAX_PROPERTY_LENGTH
        and card_line(item.inlines) is None
        and not _is_skippable(item.inlines)
        and not _heads_a_list(item)
    )


def _heads_a_list(item: ListItem) -> bool:
    """An item over a list of its own (``方法：`` and its items, a name over its kinds): a card of
    its own, not one line of its heading's properties. One remark nested under it is not a list."""
    return bool(item.children) and (wording.announces_items(plain_text(item.inlines)) or len(item.children) >= 2)


def _as_property(item: ListItem) -> ListItem:
    """An item as a line of a property list: with the plain remarks nested under it."""
    kept = [child for child in item.children if _is_property(child) and not child.children]
    return ListItem(item.line, item.inlines, kept)


def _item_cards(item: ListItem, scope: Scope, result: Extraction, previous: list[ListItem] | tuple = ()) -> Card | None:
    """The cards of one list item and of the items nested under it; returns the item's own card."""
    note, text = scope.note, plain_text(item.inlines).strip()
    if not scope.shown:
        result.skipped.extend(_properties(note, item.properties))
    if item.flashcard:
        return _logseq_card(item, scope, result)
    if scope.explicit:
        if text:
            result.skipped.append(Skipped(note, item.line, text, EXPLICIT_ONLY))
        _nested_cards(item, scope, result, on_card=False)
        return None
    reason = SUPPRESSED if item.suppressed else _skip_reason(item)
    if reason is not None:
        if text:
            result.skipped.append(Skipped(note, item.line, text, reason))
        _nested_cards(item, scope, result, on_card=False)
        return None
    lines = _lines(Paragraph(item.line, item.inlines)) if any(isinstance(node, SoftBreak) for node in item.inlines) else []
    if len(lines) > 1 and sum(1 for _, inlines in lines if _structured(inlines)) >= 2:
        first, *rest = lines  # 「- Cloud Run：…」 and, on the next line, 「前者は…、後者は…」
        card = _line_cards(first[0], first[1], tuple(item.children), scope, result, item.pin, item=item, previous=previous)
        _paragraph_lines(rest, scope, result, [*previous, item][-3:])
    else:
        card = _line_cards(item.line, item.inlines, tuple(item.children), scope, result, item.pin, item=item, previous=previous)
    _nested_under_card(card, item, scope, result)
    return card


# Keys Logseq writes for itself (review state, block ids, folding): not worth a line in the report.
_TOOL_PROPERTY = re.compile(r"^(?:card-[\w-]+|id|collapsed|heading|background-color|ls-type|hl-[\w-]+|template[\w-]*)::", re.IGNORECASE)


def _properties(note: Note, properties: tuple[tuple[int, str], ...]) -> list[Skipped]:
    """``key:: value`` lines the author wrote, reported as making no card (a line meant as a
    ``front::back`` card with a space after ``::`` shows up here)."""
    return [Skipped(note, line, text, PROPERTY) for line, text in properties if not _TOOL_PROPERTY.match(text)]


def _nested_cards(item: ListItem, scope: Scope, result: Extraction, on_card: bool, shown: set[int] | None = None) -> None:
    """Items nested under ``item``: cards of their own; those on no card are skipped unless
    ``on_card`` (they already show on the parent's card; ``shown``: only those children do)."""
    if not item.children:
        return
    for position, child in enumerate(item.children):
        visible = on_card and (shown is None or id(child) in shown)
        before = len(result.skipped)
        _item_cards(child, scope.nested(item.inlines, shown=visible), result, previous=_before(item.children, position, ()))
        if visible:
            on_parent = _shown_in_list(child)
            result.skipped[before:] = [skipped for skipped in result.skipped[before:] if skipped.line not in on_parent]


def _skip_reason(item: ListItem) -> str | None:
    if item.task:
        return TASK
    return no_card_reason(item.inlines)


def _is_skippable(inlines: Inlines) -> bool:
    return no_card_reason(inlines) is not None or is_label_line(inlines)


# --- one line ---------------------------------------------------------------------------------


def _line_cards(
    line: int,
    inlines: Inlines,
    children: tuple[ListItem, ...],
    scope: Scope,
    result: Extraction,
    pin: str | None,
    item: ListItem | None = None,
    previous: list[ListItem] | tuple = (),
) -> Card | None:
    """The card of one line (an item or a paragraph line) and what it says about itself."""
    note, text = scope.note, plain_text(inlines).strip()
    body = item.body if item is not None else ()
    skip = no_card_reason(inlines)
    if skip is not None:
        result.skipped.append(Skipped(note, line, text, skip))
        return None
    if is_reference_line(inlines):
        card = _reference_cards(line, inlines, scope, result, previous)
        return card
    bold = whole_bold(inlines)
    if bold is not None and card_line(bold) is not None:
        inlines = bold  # 「**方法：**」, 「**Q: …**」: the words the rules read, not their bold
    alone = not children and not body and pin is None  # a line of several cards has nothing to hang under one
    several = compared_pair(inlines) if alone else []
    found = card_line(inlines) if not several else None
    if alone and found == LONE_QUESTION and isinstance(answered := card_line(qa_side(inlines)[1]), LineCard) and answered.rule == "arrow":
        found = answered  # ``Q: … -> answer`` on one line
    if alone and not several and (found is None or found == FLOW):
        several = line_pairs(inlines)
    if several:
        made = [_basic(scope, card.rule, line, card.front, (Paragraph(line, card.back),)) for card in several]
        result.cards.extend(made)
        return made[0]
    extra = _extra_of(children, body)
    if isinstance(found, LineCard) and found.rule in ("definition", "arrow") and (subject := _subject(scope)):
        aspect = wording.aspect_of(plain_text(found.front), subject)  # 「原因：…」 under 「## 過学習」
        if aspect is not None and aspect == scope.heading:  # 「説明：…」 under 「## S3」: what the heading is
            card = _basic(_above(scope), "description", line, (Text(aspect),), (Paragraph(line, found.back),), extra, pin)
            result.cards.append(card)
            return card
        found = replace(found, front=(Text(aspect),)) if aspect else found
    if isinstance(found, LineCard):
        if found.rule == "cloze" or found.cloze:
            if not valid_deletions(found.cloze):
                result.skipped.append(Skipped(note, line, invalid_deletion(found.cloze), EMPTY_CLOZE))
                return None
            card = _cloze(scope, found.rule, line, found.cloze, extra, pin)
        else:
            card = _basic(scope, found.rule, line, found.front, (Paragraph(line, found.back),), extra, pin)
        result.cards.append(card)
        if found.reversed:
            result.cards.append(_basic(scope, found.rule, line, found.back, (Paragraph(line, found.front),)))
        return card
    if found == LONE_QUESTION and children:  # ``- Q: …`` over its answer
        card = _basic(scope, "flashcard", line, qa_side(inlines)[1], _answer((BulletList(children[0].line, list(children)),)), pin=pin)
        result.cards.append(card)
        return card
    if found == EMPTY_DEFINITION and children:
        front = split.colon(inlines).left
        cards = _children_cards(scope, line, front, BulletList(line, list(children)), pin, body)
        result.cards.extend(cards)
        return cards[0] if cards else None
    if found == EMPTY_DEFINITION and body:
        card = _basic(scope, "definition", line, split.colon(inlines).left, body, pin=pin)
        result.cards.append(card)
        return card
    if isinstance(found, str):
        result.skipped.append(Skipped(note, line, text, found))
        return None
    return _statement_cards(line, inlines, children, body, scope, result, pin, paragraph=item is None)


def _subject(scope: Scope) -> str | None:
    """What the lines here are about: the heading over them, or the item they are nested under."""
    if scope.heading:
        return scope.heading
    parent = scope.context[-1] if len(scope.context) > 1 else ""
    return parent if parent and not parent.endswith("…") else None


def _statement_cards(
    line: int,
    inlines: Inlines,
    children: tuple[ListItem, ...],
    body: tuple[Block, ...],
    scope: Scope,
    result: Extraction,
    pin: str | None,
    paragraph: bool,
) -> Card | None:
    """A line with no question and answer of its own: its children may be what it announces, or
    the reason for it; or one part of it is plainly the fact to recall; or it makes no card."""
    note, text = scope.note, plain_text(inlines).strip()
    if scope.shown:
        return None  # already on its parent's card, with what is nested under it
    code = [block for block in body if isinstance(block, CodeBlock)]
    if not text and code and not children:  # 「- ```」: an item that is only code
        result.skipped.extend(Skipped(note, block.line, block.text.strip().split("\n")[0], CODE_ALONE if block.fenced else INDENTED_CODE) for block in code)
        return None
    if any(block.fenced for block in code) and not children:
        card = _basic(scope, "children", line, without_trailing_colon(inlines), body, pin=pin)  # a line over its code
        result.cards.append(card)
        return card
    if children and wording.is_group_label(text):
        result.skipped.append(Skipped(note, line, text, GROUP_LABEL))  # its items make cards of their own
        return None
    if children and _announces(text, children):
        cards = _children_cards(scope, line, without_trailing_colon(inlines), BulletList(line, list(children)), pin)
        result.cards.extend(cards)
        if not cards:
            result.skipped.append(Skipped(note, line, text, ITEMS_CARRY_IT))
        return cards[0] if cards else None
    reasons = [child for child in children if wording.is_reason(plain_text(child.inlines))]
    if reasons and len(reasons) == len(children):
        back = (BulletList(line, reasons),) if len(reasons) > 1 else (Paragraph(reasons[0].line, reasons[0].inlines),)
        card = _basic(scope, "reason", line, (Text(wording.why(text)),), back, pin=pin, question_key=text)
        result.cards.append(card)
        return card
    if inlines and isinstance(inlines[0], Text) and not text[:1].isalnum() and text[:1] not in "（(「『\"'$\\":
        result.skipped.append(Skipped(note, line, text, FRAGMENT))
        return None
    if scope.heading is None and paragraph or scope.heading and wording.is_label_heading(scope.heading):
        result.skipped.append(Skipped(note, line, text, INTRODUCTION if paragraph else PLAIN_STATEMENT))
        return None
    cloze = deletions.cloze_of(unbold(inlines), scope.terms, scope.context)
    if cloze is not None:
        card = _cloze(scope, "fact", line, cloze, _extra_of(children, body), pin)
        result.cards.append(card)
        return card
    result.skipped.append(Skipped(note, line, text, PLAIN_STATEMENT))
    return None


def _description(inlines: Inlines, heading: str) -> Inlines | None:
    """What a line says of the heading above it, when it describes it (``…するサービス``,
    ``A fully managed queue …``, ``A Service exposes …``); None when it does not. A bare name
    (``物理層``) is not a description: it is one of the heading's parts."""
    text = plain_text(inlines).strip()
    if not text or card_line(inlines) is not None or _is_skippable(inlines) or wording.is_question(text):
        return None
    rest = wording.starts_with_term(text, heading)
    if rest is not None and not wording.is_japanese(text):
        rest = re.sub(r"^(?:is|are)\s+", "", rest).rstrip(".")
        return (Text(rest),) if rest else None
    first = re.split(r"(?<=[。.])\s*", text, maxsplit=1)[0]
    long_enough = len(first) >= 8 if wording.is_japanese(first) else len(first.split()) >= 3
    if long_enough and (wording.is_description(first) or wording.describes_unnamed(first, heading)):
        return trimmed(inlines)
    return None


# --- children, reasons, references -------------------------------------------------------------


def _children_cards(scope: Scope, line: int, front: Inlines, block: BulletList, pin: str | None, body: tuple[Block, ...] = ()) -> list[Card]:
    """``front`` → the items it announces. An item that makes a definition card of its own is
    listed by its term only, so that no fact is on two cards."""
    items = [_as_answer_item(item) for item in block.items if plain_text(item.inlines).strip()]
    text = plain_text(front).strip()
    if not items or not text:
        return []
    terms_only = all(not item.children and not item.body and _defines_itself(original) for item, original in zip(items, block.items))
    if terms_only and not (wording.announces_items(text) or wording.is_term(text, longest=30)):
        return []  # 「For node i:」 over 「left child: 2i+1」: the items carry the facts, a list of their names none
    return _chunked(scope, "children", line, front, (*body, BulletList(block.line, items, block.ordered)), pin=pin)


def _shown_in_list(item: ListItem) -> set[int]:
    """The source lines a card that lists ``item`` shows of it: only its first when it defines
    itself (listed by its term; its own card holds the rest), else all of it."""
    return {item.line} if _defines_itself(item) else _lines_of(item)


def _lines_of(item: ListItem) -> set[int]:
    """Every source line of an item: its wrapped lines, its further blocks, the items under it."""
    lines = {item.line + offset for offset in range(1 + sum(isinstance(node, SoftBreak) for node in item.inlines))}
    for block in item.body:
        lines.add(block.line)
    for child in item.children:
        lines |= _lines_of(child)
    return lines


def _defines_itself(item: ListItem) -> bool:
    """An item whose own card says what its first part is (``term: meaning``, ``gehen → ist
    gegangen``): a list of such items is listed by those parts."""
    found = card_line(item.inlines)
    return isinstance(found, LineCard) and found.rule in ("definition", "flashcard", "arrow") and bool(found.back)


def _as_answer_item(item: ListItem) -> ListItem:
    if _defines_itself(item):
        return ListItem(item.line, card_line(item.inlines).front)
    return ListItem(item.line, item.inlines, [_as_answer_item(child) for child in item.children], body=item.body)


def _reference_cards(line: int, inlines: Inlines, scope: Scope, result: Extraction, previous) -> Card | None:
    """``前者：…`` / ``後者：…``: the statement about the first or second of the two items before."""
    text = plain_text(inlines).strip()
    pair = REFERENCE_PAIR.match(text)
    if pair:
        statements = [("前者", (Text(pair.group("first")),)), ("後者", (Text(pair.group("second")),))]
    else:
        found = split.colon(inlines) or split.arrow(inlines)
        statements = [(plain_text(found.left).strip(), found.right)]
    candidates = _previous_pair(previous)
    named = _named_pair(scope.heading) if candidates is None else None
    if candidates is None and named is None or any(word not in ("前者", "後者") for word, _ in statements):
        result.skipped.append(Skipped(scope.note, line, text, REFERENCE))
        return None
    made = None
    for word, statement in statements:
        if named is not None:  # 「## EBS と EFS」 over 「前者は…、後者は…」
            made = _basic(scope, "reference", line, (Text(named[0 if word == "前者" else 1]),), (Paragraph(line, statement),))
            result.cards.append(made)
            continue
        referent = candidates[0 if word == "前者" else 1]
        made = _attach(referent, statement, line, scope, result) or made
    return made


def _previous_pair(previous: list[ListItem] | tuple) -> tuple[ListItem, ListItem] | None:
    """The two items a 前者/後者 line refers to: the two items right before it, when there are
    exactly two (a two-item list just above, or its first two siblings), not counting an item
    about the heading itself (``- 説明：…``)."""
    items = [item for item in previous if plain_text(item.inlines).strip() and not _about_the_heading(item)]
    return tuple(items) if len(items) == 2 else None


def _about_the_heading(item: ListItem) -> bool:
    found = card_line(item.inlines)
    return isinstance(found, LineCard) and wording.is_aspect(plain_text(found.front))


def _named_pair(heading: str | None) -> tuple[str, str] | None:
    """The two things a heading names: 「EBS と EFS」, 「EBSとEFSの違い」, ``ALB vs NLB``."""
    match = _TWO_NAMES.match(heading or "")
    return (match.group("first").strip(), match.group("second").strip()) if match else None


_TWO_NAMES = re.compile(r"^(?P<first>[^、。：:とは]{1,30}?)\s*(?:と|\bvs\.?|\band\b|/)\s*(?P<second>[^、。：:の]{1,30}?)\s*(?:の(?:違い|比較|差))?$")


def _attach(referent: ListItem, statement: Inlines, line: int, scope: Scope, result: Extraction) -> Card | None:
    """Put a statement about ``referent`` on the card of its term, or on a card of its own."""
    found = card_line(referent.inlines)
    subject = found.front if isinstance(found, LineCard) and found.front else referent.inlines
    for index, card in enumerate(result.cards):
        if card.line == referent.line and card.kind == "basic" and card.question == plain_text(subject):
            result.cards[index] = replace(card, extra=card.extra + (Paragraph(line, statement),))
            return result.cards[index]
    card = _basic(scope, "reference", line, subject, (Paragraph(line, statement),))
    result.cards.append(card)
    result.skipped[:] = [skipped for skipped in result.skipped if skipped.line != referent.line]  # on this card now
    return card


def _extra(item: ListItem) -> tuple[Block, ...]:
    return _extra_of(tuple(item.children), item.body)


def _extra_of(children: tuple[ListItem, ...], body: tuple[Block, ...], carded: frozenset[int] = frozenset()) -> tuple[Block, ...]:
    """What goes below a card's answer: the item's own further text, and the nested items that
    make no card of their own (remarks, examples); those that do (by their own words, or on the
    ``carded`` lines) are not repeated."""
    remarks = [child for child in children if child.line not in carded and not isinstance(card_line(child.inlines), LineCard)]
    extra: list[Block] = list(body)
    if remarks:
        extra.append(BulletList(remarks[0].line, remarks))
    return tuple(extra)


def _nested_under_card(card: Card | None, item: ListItem, scope: Scope, result: Extraction, shown: set[int] | None = None) -> None:
    """The cards of the items nested under ``item``; a nested item that made a card of its own
    after all (a lead-in over a list of its own) then leaves the Extra of ``card``."""
    start = len(result.cards)
    _nested_cards(item, scope, result, on_card=card is not None, shown=shown)
    carded = frozenset(made.line for made in result.cards[start:])
    if card is None or not card.extra or not any(child.line in carded for child in item.children):
        return
    index = next(index for index, made in enumerate(result.cards) if made is card)
    result.cards[index] = replace(card, extra=_extra_of(tuple(item.children), item.body, carded))


# --- explicit cards -----------------------------------------------------------------------------


def _logseq_card(item: ListItem, scope: Scope, result: Extraction) -> Card | None:
    """A Logseq block tagged ``#card``: a cloze if it holds deletions, else block → children, or
    with nothing under it, the question and answer its own line holds."""
    note, text = scope.note, plain_text(item.inlines).strip()
    flat = not item.body and all(not child.children and not child.body for child in item.children)
    if has_deletions(item.inlines):
        card = _cloze(scope, "logseq", item.line, as_deletions(item.inlines, bold=False), _extra(item), item.pin)
    elif flat and any(has_deletions(child.inlines) for child in item.children):  # Logseq hides them in review
        text = joined([item.inlines, *(child.inlines for child in item.children)])  # known by the block's own words
        card = _cloze(scope, "logseq", item.line, as_deletions(text, bold=False), (), item.pin, question_key=plain_text(item.inlines))
    elif item.children or item.body:
        back = tuple(item.body) + ((BulletList(item.children[0].line, item.children),) if item.children else ())
        card = _basic(scope, "logseq", item.line, item.inlines, _answer(back), pin=item.pin)
    elif isinstance(found := card_line(item.inlines), LineCard) and found.back:  # the answer on its own line: 「A slice is …」
        card = _basic(scope, "logseq", item.line, found.front, (Paragraph(item.line, found.back),), pin=item.pin)
    else:
        result.skipped.append(Skipped(note, item.line, text, EMPTY_BLOCK))
        return None
    result.cards.append(card)
    return card


def _answer(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A single item as a line rather than a one-item list."""
    if len(blocks) == 1 and isinstance(blocks[0], BulletList) and len(blocks[0].items) == 1:
        item = blocks[0].items[0]
        return (Paragraph(item.line, item.inlines), *item.body, *((BulletList(item.children[0].line, item.children),) if item.children else ()))
    return blocks


def _details_card(block: Details, scope: Scope, result: Extraction) -> None:
    text = plain_text(block.summary).strip()
    if not block.body:
        result.skipped.append(Skipped(scope.note, block.line, text, "a <details> with nothing inside"))
        return
    if not (wording.is_question(text) or wording.is_term(text)) or _reveals(text):
        result.skipped.append(Skipped(scope.note, block.line, text, LABEL_SUMMARY))
        return
    result.cards.extend(_chunked(scope, "details", block.line, block.summary, _answer(block.body)))


def _flashcard_cards(block: Flashcard, scope: Scope, result: Extraction) -> None:
    front = joined([b.inlines for b in block.front if isinstance(b, Paragraph)])
    text = plain_text(front).strip()
    if not block.kind:
        result.skipped.append(Skipped(scope.note, block.line, text, f"{UNKNOWN_TYPE} ({block.syntax})"))
        return
    if block.kind == "cloze":
        cloze = as_deletions(front, bold=False)
        if not has_deletions(front) or not valid_deletions(cloze):
            result.skipped.append(Skipped(scope.note, block.line, invalid_deletion(cloze) or text, EMPTY_CLOZE))
            return
        result.cards.append(_cloze(scope, "flashcard", block.line, cloze, block.back, tags=block.tags))
        return
    if not text or not block.back:
        result.skipped.append(Skipped(scope.note, block.line, text, EMPTY_SIDE))
        return
    back = _answer(block.back)
    result.cards.append(_basic(scope, "flashcard", block.line, front, back, tags=block.tags))
    if block.kind == "reversed":
        result.cards.append(_basic(scope, "flashcard", block.line, joined(_block_lines(back)), (Paragraph(block.line, front),), tags=block.tags))


def _block_lines(blocks: tuple[Block, ...]) -> list[Inlines]:
    lines: list[Inlines] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.inlines)
        elif isinstance(block, BulletList):
            lines.extend(item.inlines for item in block.items)
        else:
            lines.append((Text(block_text((block,))),))
    return lines


# --- tables ---------------------------------------------------------------------------------------


def _table_cards(table: Table, scope: Scope, result: Extraction) -> None:
    """Rows as cards: Q/A columns found by name, a two-column table, a comparison, or a card per
    cell of a table of things and their attributes."""
    note = scope.note
    header = " | ".join(plain_text(cell).strip() for cell in table.header.cells)
    names = _column_names(table)
    columns = {role: next((i for i, name in enumerate(names) if name in words), None) for role, words in _QA_COLUMNS.items()}
    if scope.explicit:
        result.skipped.append(Skipped(note, table.line, header, EXPLICIT_ONLY))
        return
    if columns["question"] is not None and columns["answer"] is not None and columns["question"] != columns["answer"]:
        _qa_rows(table, scope, result, columns)
    elif len(names) == 2:
        question, answer = (1, 0) if _asks_for_first_column(table) else (0, 1)
        _qa_rows(table, scope, result, {"question": question, "answer": answer, "extra": None, "tags": None}, header=True)
    elif len(names) >= 3 and (not names[0] or wording.is_label(names[0]) or names[0] in _ASPECT_COLUMNS):
        _comparison_rows(table, scope, result)
    elif len(names) >= 3:
        _attribute_cells(table, scope, result)
    else:
        result.skipped.append(Skipped(note, table.line, header, HEADER_ONLY))


def _asks_for_first_column(table: Table) -> bool:
    """A two-column table whose first column cannot be a question: dates (``| Year | Event |``,
    or years without a header that says so: the event asks for its year) or the same value on
    several rows. Rows with an empty cell are left out of the judgement (they make no card)."""
    name = _column_names(table)[0]
    rows = [row for row in table.rows if len(row.cells) > 1 and all(plain_text(cell).strip() for cell in row.cells[:2])]
    firsts = [wording.normalised(plain_text(row.cells[0])) for row in rows]
    seconds = [wording.normalised(plain_text(row.cells[1])) for row in rows]
    if not rows or name in _NUMBER_COLUMNS:
        return False
    if name in _DATE_COLUMNS:
        return True
    return len(set(seconds)) == len(seconds) and (all(_DATE.match(first) for first in firsts) or len(set(firsts)) < len(firsts))


_DATE_COLUMNS = frozenset("year years date dates when period era century 年 年代 日付 時期 西暦 年月日 いつ".split())
_NUMBER_COLUMNS = frozenset("port ports code codes status number no id ポート ポート番号 番号 コード".split())
# A year, a date or a span of them: ``1789``, ``1793–1794``, ``2020年4月``, ``14/7/1789``, ``c. 1450``,
# ``44 BC`` (not ``404`` or ``5432``: a status code or a port asks the other way).
_YEAR = r"(?:1\d{3}|20\d{2}|\d{1,4}(?:bc|ad|bce|ce))"
_DATE = re.compile(rf"^(?:c\.|ca\.)?(?:\d{{1,2}}[./-]){{0,2}}{_YEAR}(?:年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?|s|頃)?(?:[-–—~〜](?:\d{{1,2}}[./-]){{0,2}}(?:{_YEAR}|\d{{2}})年?)?$")


def _column_names(table: Table) -> list[str]:
    return [wording.normalised(plain_text(cell)).strip(".:：#") for cell in table.header.cells]


def _qa_rows(table: Table, scope: Scope, result: Extraction, columns: dict[str, int | None], header: bool = False) -> None:
    context = scope.context
    if header:
        context = (*context, " / ".join(plain_text(cell).strip() for cell in table.header.cells))
    inner = replace(scope, context=context)
    for row in table.rows:
        cell = _cells(row)
        front, back = cell(columns["question"]), cell(columns["answer"])
        if not plain_text(front).strip() or not plain_text(back).strip():
            result.skipped.append(Skipped(scope.note, row.line, plain_text(front).strip() or plain_text(back).strip(), EMPTY_ROW))
            continue
        extra = cell(columns["extra"])
        tags = tuple(plain_text(cell(columns["tags"])).split())
        extra_blocks = (Paragraph(row.line, extra),) if plain_text(extra).strip() else ()
        result.cards.append(_basic(inner, "table", row.line, front, (Paragraph(row.line, back),), extra_blocks, tags=tags))


def _cells(row: TableRow):
    def cell(index: int | None) -> Inlines:
        return row.cells[index] if index is not None and index < len(row.cells) else ()

    return cell


def _attribute_cells(table: Table, scope: Scope, result: Extraction) -> None:
    """``| Attack | Description | Mitigation |``: one card per cell, the row's name on the front
    and the column's name in the context, so that each card holds one fact. Example and note
    columns go to the Extra of the row's cards."""
    names = _column_names(table)
    asides = {column for column, name in enumerate(names) if name in _QA_COLUMNS["extra"] or name in _EXAMPLE_COLUMNS}
    facts = [column for column in range(1, len(names)) if column not in asides]
    for column in facts:
        inner = replace(scope, context=(*scope.context, plain_text(table.header.cells[column]).strip()))
        for row in table.rows:
            cell = _cells(row)
            label, value = cell(0), cell(column)
            if plain_text(label).strip() and plain_text(value).strip():
                extra = tuple(Paragraph(row.line, (*table.header.cells[aside], Text(": "), *cell(aside))) for aside in sorted(asides) if plain_text(cell(aside)).strip())
                result.cards.append(_basic(inner, "table", row.line, label, (Paragraph(row.line, value),), extra))
    for row in table.rows:
        cell = _cells(row)
        if not plain_text(cell(0)).strip() or not any(plain_text(cell(column)).strip() for column in facts):
            result.skipped.append(Skipped(scope.note, row.line, " | ".join(plain_text(cell).strip() for cell in row.cells), EMPTY_ROW))


def _comparison_rows(table: Table, scope: Scope, result: Extraction) -> None:
    """``| | A | B |`` with a property per row: the property → each thing's value."""
    inner = scope
    names = [cell for cell in table.header.cells[1:]]
    for row in table.rows:
        label = row.cells[0] if row.cells else ()
        values = [(name, value) for name, value in zip(names, row.cells[1:]) if plain_text(value).strip()]
        if not plain_text(label).strip() or not values:
            result.skipped.append(Skipped(scope.note, row.line, plain_text(label).strip(), EMPTY_ROW))
            continue
        items = [ListItem(row.line, (*name, Text(": "), *value)) for name, value in values]
        result.cards.append(_basic(inner, "comparison", row.line, label, (BulletList(row.line, items),)))


# --- building cards -----------------------------------------------------------------------------------


def _chunked(
    scope: Scope, rule: str, line: int, front: Inlines, back: tuple[Block, ...], pin: str | None = None
) -> list[Card]:
    """One card, or, when the answer is one list longer than ``MAX_BACK_ITEMS``, a card for each
    part of it (as few and as even as possible), each asking for its part of the list."""
    lists = [block for block in back if isinstance(block, BulletList)]
    if len(lists) != 1 or len(lists[0].items) <= MAX_BACK_ITEMS:
        return [_basic(scope, rule, line, front, back, pin=pin)]
    items = lists[0].items
    parts = -(-len(items) // MAX_BACK_ITEMS)
    size, larger = divmod(len(items), parts)
    cards, start = [], 0
    for part in range(parts):
        end = start + size + (1 if part < larger else 0)
        chunk = BulletList(items[start].line, items[start:end], lists[0].ordered)
        label = f"{start + 1}–{end} of {len(items)}" if lists[0].ordered else f"{part + 1}/{parts}"
        suffix = (Text(f" ({label})"),)
        key = None if part == 0 else f"{plain_text(front)} (part {part + 1})"
        cards.append(_basic(scope, rule, items[start].line, front + suffix, (chunk,), pin=pin if part == 0 else None, question_key=key or plain_text(front)))
        start = end
    return cards


def _basic(
    scope: Scope,
    rule: str,
    line: int,
    front: Inlines,
    back: tuple[Block, ...],
    extra: tuple[Block, ...] = (),
    pin: str | None = None,
    tags: tuple[str, ...] = (),
    question_key: str | None = None,
) -> Card:
    front = trimmed(front)
    return Card(
        kind="basic",
        rule=rule,
        note=scope.note,
        line=line,
        context=scope.context,
        key=_key(scope, "basic", question_key if question_key is not None else plain_text(front), pin),
        front=front,
        back=back,
        extra=extra,
        tags=tags,
    )


def _cloze(
    scope: Scope,
    rule: str,
    line: int,
    inlines: Inlines,
    extra: tuple[Block, ...] = (),
    pin: str | None = None,
    tags: tuple[str, ...] = (),
    question_key: str | None = None,
) -> Card:
    inlines = trimmed(inlines)
    return Card(
        kind="cloze",
        rule=rule,
        note=scope.note,
        line=line,
        context=scope.context,
        key=_key(scope, "cloze", question_key or plain_text(inlines), pin),
        cloze=inlines,
        extra=extra,
        tags=tags,
    )


def _shortened(text: str) -> str:
    """A parent item as context for the cards nested under it: its first words are enough."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_PARENT_CONTEXT else text[: MAX_PARENT_CONTEXT - 1] + "…"


def _marks_own_cards(blocks: list[Block]) -> bool:
    """Logseq ``#card`` blocks or Obsidian_to_Anki blocks: the author chose the cards."""
    for block in blocks:
        if isinstance(block, Flashcard) and block.syntax.startswith("Obsidian_to_Anki"):
            return True
        if isinstance(block, BulletList) and _has_flashcard_item(block.items):
            return True
    return False


def _has_flashcard_item(items: list[ListItem]) -> bool:
    return any(item.flashcard or _has_flashcard_item(item.children) for item in items)


def _defined_terms(blocks: list[Block]) -> frozenset[str]:
    """Terms the note heads a section with: parts worth hiding in a fact. (Terms defined in list
    items are not used: removing one item must not change the cards of the others.)"""
    terms: set[str] = set()

    for block in blocks:
        if isinstance(block, Heading) or isinstance(block, Paragraph) and whole_bold(block.inlines) is not None:
            text = plain_text(block.inlines).strip()
            if wording.is_term(text, longest=30) and not wording.names_nothing(text):
                terms.add(wording.folded(re.sub(r"[（(][^（()）]*[）)]$", "", text)))
    return frozenset(term for term in terms if len(term) >= 2)


# --- identity ---------------------------------------------------------------------------------------


def _key(scope: Scope, kind: str, question: str, pin: str | None) -> str:
    return identity.card_key(scope.note.source_key, kind, scope.context[1:], question, pin)
