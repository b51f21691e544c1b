"""N305 missing-image: an image that cannot be packed into the deck.

## What it does
Reports local images (`![alt](path)`) that do not exist, have an absolute path, or lie outside
the notes folder. Remote images are not fetched and not reported.

## Why is this bad?
`build` refuses to write the category's deck while an image is missing, and an image from
outside the notes folder would not travel with the notes.

## Example
```markdown
- ![構成図](img/does-not-exist.png) -> マルチAZ構成
```

## Use instead
```markdown
- マルチAZ構成 -> スタンバイを別のAZに置く
```
"""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki import media
from notes2anki.lint.engine import Corpus, Finding, at
from notes2anki.model import BulletList, Heading, Image, Inline, ListItem, NoteError, Paragraph, Table

CODE = "N305"
NAME = "missing-image"
FIX = None


def check(document, corpus: Corpus) -> Iterator[Finding]:
    if document.note is None:
        return
    for line, image in images(document.note.blocks):
        if media.is_remote(image.url):
            continue
        try:
            media.resolve(document.note, image.url, line)
        except NoteError as error:
            column = document.lines[line - 1].find(f"]({image.url}") + 3 or 1
            yield at(document, line, column, CODE, error.message)


def images(blocks) -> Iterator[tuple[int, Image]]:
    """Every image of an outline, with its line."""
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            yield from ((block.line, image) for image in _in(block.inlines))
        elif isinstance(block, BulletList):
            yield from _item_images(block.items)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                yield from ((row.line, image) for cell in row.cells for image in _in(cell))


def _item_images(items: list[ListItem]) -> Iterator[tuple[int, Image]]:
    for item in items:
        yield from ((item.line, image) for image in _in(item.inlines))
        yield from _item_images(item.children)


def _in(inlines: tuple[Inline, ...]) -> Iterator[Image]:
    for node in inlines:
        if isinstance(node, Image):
            yield node
        elif hasattr(node, "children"):
            yield from _in(node.children)
