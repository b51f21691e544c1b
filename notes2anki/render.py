"""A card as Anki will store it: fields as HTML, tags, deck. Note text is escaped so that it
reaches the card as text, never as markup.

Allowed markup is what Markdown itself produces: bold, italics, code, lists, block quotes,
links (http, https and mailto only), local images, math (as MathJax reads it: ``\\(…\\)`` and
``\\[…\\]``) and code blocks, highlighted into static markup that needs no script. Raw HTML in a
note is shown as written, and so are the tags and syntax Anki would act on: ``[sound:…]``,
``[anki:tts]``, ``[latex]``, ``[$]``, and cloze syntax outside a deletion.

Also here: the same card as plain text, for ``notes2anki cards``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from notes2anki import media
from notes2anki.model import (
    Block,
    BulletList,
    Card,
    Code,
    CodeBlock,
    Deletion,
    Details,
    Emphasis,
    Flashcard,
    Heading,
    Image,
    Inline,
    Inlines,
    LineBreak,
    Link,
    ListItem,
    Mark,
    Math,
    Note,
    Paragraph,
    Quote,
    RawHtml,
    SoftBreak,
    Strong,
    Table,
    Text,
    block_lines,
    deletions_in,
    plain_text,
    soft_break,
)

CONTEXT_SEPARATOR = " › "
CODE_CLASS = "n2a-code"
_SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
# Tags Anki acts on inside a field ([sound:…] plays, [anki:tts] speaks, [latex] and [$] run
# LaTeX): in a note they are just text, so their "[" becomes an entity that shows the same.
_ANKI_TAG = re.compile(r"\[(?=sound:|anki:|/?latex\]|/?\$\$?\])", re.IGNORECASE)
_TAG_UNSAFE = re.compile(r"\s+")


def escape(text: str) -> str:
    """Note text as HTML that shows exactly that text, and that Anki does not act on.

    Double braces become entities too, so that no text outside a deletion reads as cloze syntax.
    """
    return _inert(html.escape(text, quote=True))


def _inert(markup: str) -> str:
    """Markup that Anki neither plays (``[sound:…]``) nor reads as a field or a deletion (``{{``)."""
    return _ANKI_TAG.sub("&#91;", markup).replace("{{", "&#123;&#123;").replace("}}", "&#125;&#125;")


def _numbered(deletion: Deletion, numbers: list[int]) -> int:
    """The deletion's number: as written, or one past the highest so far; added to ``numbers``."""
    number = deletion.number if deletion.number is not None else max(numbers, default=0) + 1
    numbers.append(number)
    return number


def _in_deletion(rendered: str) -> str:
    """Text inside a deletion: ``::`` would start a hint, and a ``}`` next to the closing braces
    would end the deletion early."""
    return rendered.replace("::", ":&#58;").replace("}", "&#125;")


@dataclass
class Renderer:
    """Renders one card's markup, registering the images it uses in ``media_files``."""

    card: Card
    media_files: media.MediaFiles
    numbers: list[int] = field(default_factory=list)  # cloze numbers given so far

    def inlines(self, nodes: Inlines, deleting: bool = False) -> str:
        return "".join(soft_break(nodes, index) if isinstance(node, SoftBreak) else self._node(node, deleting) for index, node in enumerate(nodes))

    def _node(self, node: Inline, deleting: bool) -> str:
        if isinstance(node, Text):
            text = escape(node.text)
            return _in_deletion(text) if deleting else text
        if isinstance(node, Deletion):
            return self._deletion(node)
        if isinstance(node, Strong):
            return f"<b>{self.inlines(node.children, deleting)}</b>"
        if isinstance(node, (Emphasis,)):
            return f"<i>{self.inlines(node.children, deleting)}</i>"
        if isinstance(node, Mark):
            return f"<mark>{self.inlines(node.children, deleting)}</mark>"
        if isinstance(node, Code):  # braces too: code is never a cloze deletion
            return "<code>" + escape(node.text).replace("{", "&#123;").replace("}", "&#125;").replace("::", ":&#58;") + "</code>"
        if isinstance(node, Math):
            return self._math(node, deleting)
        if isinstance(node, Link):
            inner = self.inlines(node.children, deleting)
            if _SAFE_LINK.match(node.url):
                return f'<a href="{escape(node.url)}">{inner}</a>'
            return inner
        if isinstance(node, Image):
            if media.is_remote(node.url):
                return escape(f"[{node.alt or 'image'}]")
            name = self.media_files.name_for(self.card.note, node.url, self.card.line)
            if name is None:  # missing or refused: the build warns, the card keeps its words
                return escape(f"[{node.alt or 'image'}]")
            return f'<img src="{escape(name)}" alt="{escape(node.alt)}">'
        if isinstance(node, LineBreak):
            return "<br>"
        if isinstance(node, RawHtml):
            return escape(node.text)
        raise TypeError(f"unknown inline node {node!r}")

    def _deletion(self, node: Deletion) -> str:
        number = _numbered(node, self.numbers)
        hint = f"::{_in_deletion(escape(node.hint))}" if node.hint else ""
        return f"{{{{c{number}::{self.inlines(node.children, deleting=True)}{hint}}}}}"

    def _math(self, node: Math, deleting: bool) -> str:
        """TeX as MathJax reads it in Anki. Inside a deletion ``}}`` would close it: a space
        between the braces changes nothing in TeX."""
        text = escape(node.text).replace("&#125;&#125;", "}}").replace("&#123;&#123;", "{{")
        if deleting:
            text = text.replace("}}", "} }").replace("::", ": :")
        return f"\\[{text}\\]" if node.display else f"\\({text}\\)"

    def blocks(self, blocks: tuple[Block, ...] | list[Block]) -> str:
        """Blocks as HTML; a lone paragraph as its text alone, as a one-line answer always was."""
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
            return self.inlines(blocks[0].inlines)
        return "".join(self._block(block) for block in blocks)

    def _block(self, block: Block) -> str:
        if isinstance(block, (Paragraph, Heading)):
            return f"<div>{self.inlines(block.inlines)}</div>"
        if isinstance(block, BulletList):
            return self.items(block.items, block.ordered)
        if isinstance(block, CodeBlock):
            return highlighted(block.text, block.info)
        if isinstance(block, Quote):
            return f"<blockquote>{self.blocks(block.blocks)}</blockquote>"
        if isinstance(block, Table):
            rows = "".join(
                "<tr>" + "".join(f"<td>{self.inlines(cell)}</td>" for cell in row.cells) + "</tr>" for row in (block.header, *block.rows)
            )
            return f"<table>{rows}</table>"
        if isinstance(block, (Details, Flashcard)):
            return "".join(f"<div>{escape(text)}</div>" for _, text in block_lines([block]))
        raise TypeError(f"unknown block {block!r}")

    def items(self, items: tuple[ListItem, ...] | list[ListItem], ordered: bool = False) -> str:
        if not items:
            return ""
        rendered = "".join(f"<li>{self.inlines(item.inlines)}{self.blocks(item.body)}{self.items(item.children)}</li>" for item in items)
        tag = "ol" if ordered else "ul"
        return f"<{tag}>{rendered}</{tag}>"


def highlighted(code: str, language: str) -> str:
    """A code block as static, highlighted markup: Pygments' token classes, which the notetype's
    CSS colours (``package.CSS``), so cards need no script and work on every Anki client."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language.split()[0]) if language.strip() else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return _inert(highlight(code, lexer, HtmlFormatter(cssclass=CODE_CLASS, wrapcode=True))).replace("::", ":&#58;").strip()


def basic_fields(card: Card, media_files: media.MediaFiles) -> list[str]:
    """Front, Back, Extra, Context, Source: the field order of the ``notes2anki Basic`` notetype."""
    renderer = Renderer(card, media_files)
    return [
        renderer.inlines(card.front),
        renderer.blocks(card.back),
        renderer.blocks(card.extra),
        _context(card),
        escape(card.source_field),
    ]


def cloze_fields(card: Card, media_files: media.MediaFiles) -> list[str]:
    """Text, Extra, Context, Source: the field order of the ``notes2anki Cloze`` notetype.

    Deletions the author numbered keep their numbers; the others are numbered in order.
    """
    renderer = Renderer(card, media_files)
    return [
        renderer.inlines(card.cloze),
        renderer.blocks(card.extra),
        _context(card),
        escape(card.source_field),
    ]


_DELETION = re.compile(r"\{\{c\d+::")


def deletions(card: Card) -> tuple[str, ...]:
    """The text of each deletion ``cloze_fields`` numbers 1, 2, … itself; empty when the author
    numbered them (``{{c2::…}}``), since those numbers are kept as written."""
    if card.kind != "cloze":
        return ()
    found = deletions_in(card.cloze)
    if any(node.number is not None for node in found):
        return ()
    return tuple(plain_text(node.children) for node in found)


def renumber_cloze(text: str, numbers: tuple[int, ...]) -> str:
    """A ``cloze_fields`` Text with its deletions numbered ``numbers`` instead of 1, 2, …"""
    given = iter(numbers)
    return _DELETION.sub(lambda match: f"{{{{c{next(given)}::", text)


def _context(card: Card) -> str:
    return CONTEXT_SEPARATOR.join(escape(part) for part in card.context)


# --- plain text, for a terminal and for JSON -------------------------------------------------------


def cloze_text(inlines: Inlines, numbers: list[int] | None = None) -> str:
    """A cloze as plain text with its deletions marked ``{{c1::…}}``."""
    numbers = [] if numbers is None else numbers
    parts = []
    for index, node in enumerate(inlines):
        if isinstance(node, Deletion):
            parts.append(f"{{{{c{_numbered(node, numbers)}::{plain_text(node.children)}}}}}")
        elif isinstance(node, (Strong, Emphasis, Mark, Link)):
            parts.append(cloze_text(node.children, numbers))
        elif isinstance(node, SoftBreak):
            parts.append(soft_break(inlines, index))  # joined as on the card: no space inside Japanese
        else:
            parts.append(plain_text((node,)))
    return "".join(parts)


def text_lines(blocks: tuple[Block, ...]) -> list[str]:
    """Blocks as plain text: a line per paragraph (display math in it included), list item and
    code line (code keeps its indent)."""
    return [line if depth < 0 else " ".join(line.split()) for depth, line in block_lines(blocks) if line.strip()]


def card_text(card: Card) -> dict[str, str]:
    """The card's sides as plain text (lists a line an item): what ``cards --format json`` prints."""
    if card.kind == "cloze":
        front, back = " ".join(cloze_text(card.cloze).split()), ""
    else:
        front, back = " ".join(plain_text(card.front).split()), "\n".join(text_lines(card.back))
    return {"front": front, "back": back, "extra": "\n".join(text_lines(card.extra))}


def deck_name(note: Note) -> str:
    """A note's deck in Anki: its category's, one subdeck per note."""
    return f"{note.category}::{note.title}"


def tags_for(card: Card) -> list[str]:
    tags = [card.note.category, *card.note.tags, *card.tags]
    return sorted({_TAG_UNSAFE.sub("_", tag) for tag in tags})
