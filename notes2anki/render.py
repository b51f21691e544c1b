"""A card as Anki will store it: fields as HTML, tags, deck. Note text is escaped so that it
reaches the card as text, never as markup.

Allowed markup is what Markdown itself produces: bold, italics, code, links (http, https and
mailto only) and local images. Raw HTML in a note is shown as written, and so are the tags and
syntax Anki would act on: ``[sound:…]``, ``[anki:tts]``, ``[latex]``, ``[$]``, and cloze syntax
inside code.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass

from notes2anki import media
from notes2anki.cards import has_author_cloze
from notes2anki.model import (
    Card,
    Code,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    RawHtml,
    Strong,
    Text,
    plain_text,
)

CONTEXT_SEPARATOR = " › "
_SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
# Tags Anki acts on inside a field ([sound:…] plays, [anki:tts] speaks, [latex] and [$] run
# LaTeX): in a note they are just text, so their "[" becomes an entity that shows the same.
_ANKI_TAG = re.compile(r"\[(?=sound:|anki:|/?latex\]|/?\$\$?\])", re.IGNORECASE)
_TAG_UNSAFE = re.compile(r"\s+")


def escape(text: str) -> str:
    """Note text as HTML that shows exactly that text, and that Anki does not act on."""
    return _ANKI_TAG.sub("&#91;", html.escape(text, quote=True))


@dataclass
class Renderer:
    """Renders one card's inlines, registering the images it uses in ``media_files``."""

    card: Card
    media_files: media.MediaFiles

    def inlines(self, nodes: tuple[Inline, ...], cloze_numbers: itertools.count | None = None) -> str:
        return "".join(self._node(node, cloze_numbers) for node in nodes)

    def _node(self, node: Inline, cloze_numbers: itertools.count | None) -> str:
        if isinstance(node, Text):
            return escape(node.text)
        if isinstance(node, Strong):
            inner = self.inlines(node.children)
            if cloze_numbers is not None:  # inside a deletion, what Anki would read as syntax is text
                inner = inner.replace("}", "&#125;").replace("::", ":&#58;")
                return f"{{{{c{next(cloze_numbers)}::{inner}}}}}"
            return f"<b>{inner}</b>"
        if isinstance(node, Emphasis):
            return f"<i>{self.inlines(node.children, cloze_numbers)}</i>"
        if isinstance(node, Code):  # braces too: code is never a cloze deletion
            return "<code>" + escape(node.text).replace("{", "&#123;").replace("}", "&#125;") + "</code>"
        if isinstance(node, Link):
            inner = self.inlines(node.children, cloze_numbers)
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

    def items(self, items: tuple[ListItem, ...] | list[ListItem]) -> str:
        if not items:
            return ""
        rendered = "".join(f"<li>{self.inlines(item.inlines)}{self.items(item.children)}</li>" for item in items)
        return f"<ul>{rendered}</ul>"


def basic_fields(card: Card, media_files: media.MediaFiles) -> list[str]:
    """Front, Back, Extra, Context, Source: the field order of the ``notes2anki Basic`` notetype."""
    renderer = Renderer(card, media_files)
    return [
        renderer.inlines(card.front),
        renderer.inlines(card.back) + renderer.items(card.back_list),
        renderer.items(card.extra),
        _context(card),
        escape(card.source_field),
    ]


def cloze_fields(card: Card, media_files: media.MediaFiles) -> list[str]:
    """Text, Extra, Context, Source: the field order of the ``notes2anki Cloze`` notetype.

    Bold spans become deletions c1, c2, … unless the author wrote their own ``{{c1::…}}``.
    """
    renderer = Renderer(card, media_files)
    numbers = None if has_author_cloze(card.cloze) else itertools.count(1)
    return [
        renderer.inlines(card.cloze, numbers),
        renderer.items(card.extra),
        _context(card),
        escape(card.source_field),
    ]


_DELETION = re.compile(r"\{\{c\d+::")


def deletions(card: Card) -> tuple[str, ...]:
    """The text of each deletion ``cloze_fields`` numbers 1, 2, …; empty for an author's cloze."""
    if card.kind != "cloze" or has_author_cloze(card.cloze):
        return ()
    found: list[str] = []

    def visit(nodes: tuple[Inline, ...]) -> None:
        for node in nodes:
            if isinstance(node, Strong):
                found.append(plain_text(node.children))
            elif isinstance(node, (Emphasis, Link)):
                visit(node.children)

    visit(card.cloze)
    return tuple(found)


def renumber_cloze(text: str, numbers: tuple[int, ...]) -> str:
    """A ``cloze_fields`` Text with its deletions numbered ``numbers`` instead of 1, 2, …"""
    given = iter(numbers)
    return _DELETION.sub(lambda match: f"{{{{c{next(given)}::", text)


def _context(card: Card) -> str:
    return CONTEXT_SEPARATOR.join(escape(part) for part in card.context)


def preview_cloze(card: Card) -> str:
    return preview(card.cloze, cloze=not has_author_cloze(card.cloze))


def preview(nodes: tuple[Inline, ...], cloze: bool = False) -> str:
    """One line of plain text for a terminal; with ``cloze``, bold deletions shown as ``[…]``."""
    parts = []
    for node in nodes:
        if isinstance(node, Strong) and cloze:
            parts.append(f"[{plain_text(node.children)}]")
        elif isinstance(node, (Emphasis, Link)):
            parts.append(preview(node.children, cloze))
        else:
            parts.append(plain_text((node,)))
    return " ".join("".join(parts).split())


def preview_items(items: tuple[ListItem, ...]) -> str:
    return " ".join(f"• {preview(item.inlines)}" for item in items)


def deck_name(card: Card) -> str:
    return f"{card.note.category}::{card.note.title}"


def tags_for(card: Card) -> list[str]:
    tags = [card.note.category, *card.note.tags]
    return sorted({_TAG_UNSAFE.sub("_", tag) for tag in tags})
