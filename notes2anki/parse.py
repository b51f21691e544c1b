"""Markdown text to a typed outline in which every block knows its line in the file.

This is the only module that imports mistune. mistune's AST carries no source positions, so a
hook that runs after block parsing (while blocks still hold their raw text) finds each block's
first line in the file, walking forward in document order. Inline markup is then parsed by
mistune and converted to the dataclasses of ``model.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import mistune

from notes2anki import frontmatter
from notes2anki.model import (
    Block,
    BulletList,
    Code,
    CodeBlock,
    CodeLines,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    Note,
    Paragraph,
    RawHtml,
    Strong,
    Table,
    TableRow,
    Text,
    plain_text,
)
from notes2anki.source import read_text, source_key

DEFAULT_CATEGORY = "Notes"

Token = dict[str, Any]


def _mark_lines(markdown: mistune.Markdown, state: Any) -> None:
    finder = _LineFinder(state.src.split("\n"))
    finder.visit(state.tokens)
    state.env["code"] = tuple(finder.code)


# HTML blocks whose text is shown exactly as written (CommonMark's first kind of HTML block).
_LITERAL_HTML = re.compile(r"\s*<(?:pre|script|style|textarea)[\s>]", re.IGNORECASE)


class _LineFinder:
    """Gives each block token a ``line`` key (1-based) by finding its text in the file's lines.

    Blocks arrive in document order and each consumes the lines it spans, so the first line at
    or after the cursor that contains a block's first line of text is where that block starts.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor = 0
        self.code: list[CodeLines] = []  # where each code block is, for lint

    def find(self, needle: str) -> int:
        needle = needle.strip()
        for index in range(self.cursor, len(self.lines)):
            if needle in self.lines[index]:
                return index
        return self.cursor

    def visit(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token["type"]
            if "text" in token:
                text = token["text"].strip("\n")
                start = self.find(text.split("\n", 1)[0])
                token["line"] = start + 1
                spans = text.count("\n") + 1 + (1 if token.get("style") == "setext" else 0)
                self.cursor = start + spans
            elif kind == "block_code":
                self._visit_code(token)
            elif kind == "block_html":
                start = self.find(token["raw"].split("\n", 1)[0])
                token["line"] = start + 1
                self.cursor = start + token["raw"].strip("\n").count("\n") + 1
                if _LITERAL_HTML.match(token["raw"]):
                    self.code.append(CodeLines(start + 1, self.cursor, "html"))
            elif kind == "table":
                self._visit_table(token)
            elif "children" in token:
                self.visit(token["children"])
                token["line"] = _first_line(token["children"], self.cursor + 1)

    def _visit_code(self, token: Token) -> None:
        raw = token["raw"]
        if token.get("style") == "fenced":
            marker = token.get("marker", "```")
            start = self.find(marker)
            token["line"] = start + 1
            self.cursor = start + raw.count("\n") + 2
            closing = self.cursor - 1
            closed = closing < len(self.lines) and marker in self.lines[closing]
            self.code.append(CodeLines(start + 1, self.cursor if closed else min(closing, len(self.lines)), "fenced", closed))
        else:
            start = self.find(raw.split("\n", 1)[0])
            token["line"] = start + 1
            self.cursor = start + raw.rstrip("\n").count("\n") + 1
            self.code.append(CodeLines(start + 1, self.cursor, "indented"))

    def _visit_table(self, token: Token) -> None:
        head, body = token["children"][0], token["children"][1] if len(token["children"]) > 1 else None
        first_cell = next((cell["text"] for cell in head["children"] if cell["text"].strip()), "|")
        start = self.find(first_cell)
        token["line"] = head["line"] = start + 1
        rows = body["children"] if body else []
        for offset, row in enumerate(rows):
            row["line"] = start + 3 + offset
        self.cursor = start + 2 + len(rows)


def _first_line(children: list[Token], default: int) -> int:
    for child in children:
        if "line" in child:
            return child["line"]
    return default


def _markdown() -> mistune.Markdown:
    markdown = mistune.create_markdown(renderer=None, plugins=["table"])
    markdown.before_render_hooks.append(_mark_lines)
    return markdown


_MARKDOWN = _markdown()


def parse_note(path: Path, root: Path) -> Note:
    """Read and parse one note file; raises NoteError with file and line for unusable input."""
    text = read_text(path, str(path))
    return parse_text(text, path, root)


def parse_text(text: str, path: Path, root: Path) -> Note:
    display = str(path)
    front, body = frontmatter.split(text, display)
    tokens, state = _MARKDOWN.parse(body)
    blocks = _blocks(tokens)
    meta = front.data
    return Note(
        path=path,
        root=root,
        display=display,
        source_key=source_key(path, root),
        meta=meta,
        front_matter_end=front.end_line,
        title=_title(meta, blocks, path),
        category=_category(meta),
        tags=_tags(meta),
        blocks=blocks,
        code=state.env["code"],
    )


def _title(meta: dict, blocks: list[Block], path: Path) -> str:
    title = meta.get("title")
    if title not in (None, ""):
        return str(title).strip()
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        return plain_text(blocks[0].inlines).strip()
    return path.stem


def _category(meta: dict) -> str:
    category = meta.get("category")
    if category in (None, "", []):
        categories = meta.get("categories")
        category = categories[0] if isinstance(categories, list) and categories else categories
    if isinstance(category, list):
        category = category[0] if category else None
    if category in (None, ""):
        return DEFAULT_CATEGORY
    return str(category).strip()


def _tags(meta: dict) -> tuple[str, ...]:
    tags = meta.get("tags")
    if tags is None:
        return ()
    if isinstance(tags, str):
        tags = tags.replace(",", " ").split()
    if not isinstance(tags, list):
        tags = [tags]
    return tuple(str(tag).strip() for tag in tags if str(tag).strip())


# --- mistune tokens to the outline -------------------------------------------------------------


def _blocks(tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    for token in tokens:
        kind = token["type"]
        if kind == "heading":
            blocks.append(Heading(token["line"], token["attrs"]["level"], _inlines(token["children"])))
        elif kind in ("paragraph", "block_text", "block_html") and not _is_comment(token):
            blocks.append(Paragraph(token["line"], _paragraph_inlines(token), _pin(token)))
        elif kind == "list":
            blocks.append(BulletList(token["line"], [_item(child) for child in token["children"]]))
        elif kind == "table":
            blocks.append(_table(token))
        elif kind == "block_code":
            blocks.append(CodeBlock(token["line"], token["raw"], token.get("attrs", {}).get("info") or ""))
        elif kind == "block_quote":
            blocks.extend(_blocks(token["children"]))
    return blocks


def _item(token: Token) -> ListItem:
    """A list item: its own text (its first paragraph) and the items nested under it."""
    inlines: tuple[Inline, ...] = ()
    children: list[ListItem] = []
    pin = None
    for child in token["children"]:
        kind = child["type"]
        if kind in ("paragraph", "block_text", "block_html") and not _is_comment(child):
            text = _paragraph_inlines(child)
            inlines = text if not inlines else inlines + (LineBreak(),) + text
            pin = pin or _pin(child)
        elif kind == "list":
            children.extend(_item(grandchild) for grandchild in child["children"])
    return ListItem(token.get("line", 0), inlines, children, pin)


_PIN = re.compile(r"<!--\s*notes2anki-id:\s*([^\s>]+)\s*-->")


def _pin(token: Token) -> str | None:
    """The identity an author pinned to a paragraph or item with ``<!-- notes2anki-id: NAME -->``."""
    for child in token.get("children", ()):
        if child["type"] == "inline_html":
            match = _PIN.fullmatch(child["raw"])
            if match:
                return match.group(1)
    return None


def _is_comment(token: Token) -> bool:
    """HTML comments (such as lint suppressions) are invisible in Markdown, and so on cards."""
    return token["type"] == "block_html" and token["raw"].lstrip().startswith("<!--")


def _paragraph_inlines(token: Token) -> tuple[Inline, ...]:
    """A paragraph's inlines; an HTML block is text written in a note, kept as written."""
    if token["type"] == "block_html":
        return (Text(" ".join(token["raw"].split())),)
    return _inlines(token["children"])


def _table(token: Token) -> Table:
    head = token["children"][0]
    body = token["children"][1]["children"] if len(token["children"]) > 1 else []
    header = TableRow(head["line"], tuple(_inlines(cell["children"]) for cell in head["children"]))
    rows = [TableRow(row["line"], tuple(_inlines(cell["children"]) for cell in row["children"])) for row in body]
    return Table(token["line"], header, rows)


def _inlines(tokens: list[Token]) -> tuple[Inline, ...]:
    nodes: list[Inline] = []
    for token in tokens:
        node = _inline(token)
        if isinstance(node, Text) and nodes and isinstance(nodes[-1], Text):
            nodes[-1] = Text(nodes[-1].text + node.text)
        elif node is not None:
            nodes.append(node)
    return tuple(nodes)


def _inline(token: Token) -> Inline | None:
    """The typed node for one mistune inline token; None for what a reader never sees."""
    kind = token["type"]
    if kind == "text":
        return Text(token["raw"])
    if kind == "softbreak":
        return Text(" ")
    if kind == "linebreak":
        return LineBreak()
    if kind == "strong":
        return Strong(_inlines(token["children"]))
    if kind == "emphasis":
        return Emphasis(_inlines(token["children"]))
    if kind == "codespan":
        return Code(token["raw"])
    if kind == "link":
        return Link(token["attrs"]["url"], _inlines(token["children"]))
    if kind == "image":
        return Image(token["attrs"]["url"], plain_text(_inlines(token["children"])))
    if kind == "inline_html":
        return None if token["raw"].startswith("<!--") else RawHtml(token["raw"])
    return Text(token.get("raw", ""))
