"""Markdown text to a typed outline in which every block knows its line in the file.

This is the only module that imports mistune. mistune's AST carries no source positions, so a
hook that runs after block parsing (while blocks still hold their raw text) finds each block's
first line in the file, walking forward in document order. Inline markup is then parsed by
mistune and converted to the dataclasses of ``model.py``.

Besides CommonMark and tables, the outline understands what study notes are written in:
math (``\\(…\\)``, ``\\[…\\]``, ``$…$``, ``$$…$$``), ``==highlights==``, Obsidian and Logseq
``[[links]]``, cloze deletions (``{{c1::…}}``, Logseq's ``{{cloze …}}``), Logseq ``#card`` blocks
and ``key:: value`` properties, ``<details>`` blocks, task items, and the line syntaxes of
``flashcards.py``. What a reader never sees (properties, block references, Hugo shortcodes,
heading ids) is dropped here, so that no later stage shows it on a card.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import mistune

from notes2anki import flashcards, frontmatter, wording
from notes2anki.model import (
    Block,
    BulletList,
    Code,
    CodeBlock,
    CodeLines,
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
    TableRow,
    Text,
    joined,
    plain_text,
    source_lines,
    title_heading,
    trimmed,
)
from notes2anki.source import read_text, source_key

DEFAULT_CATEGORY = "Notes"

Token = dict[str, Any]


# --- line numbers ------------------------------------------------------------------------------


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
            elif kind in ("block_html", "block_math"):
                raw = token["raw"].strip("\n")
                start = self.find(raw.split("\n", 1)[0])
                token["line"] = start + 1
                self.cursor = start + raw.count("\n") + 1
                if _LITERAL_HTML.match(token["raw"]):
                    self.code.append(CodeLines(start + 1, self.cursor, "html"))
                elif kind == "block_math":  # its raw text is the TeX alone: the $$ lines are around it
                    self.code.append(CodeLines(start, min(self.cursor + 1, len(self.lines)), "math"))
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
            closing = start + raw.count("\n") + 1  # the line after the code: its fence, if it has one
            closed = closing < len(self.lines) and re.fullmatch(rf"[ \t>]*{re.escape(marker[0])}{{{len(marker)},}}\s*", self.lines[closing]) is not None  # not 「- ```」, a new item's fence
            self.cursor = closing + 1 if closed else closing  # an unclosed fence ends with its item or quote
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


# --- syntax beyond CommonMark --------------------------------------------------------------------

# \(…\) and \[…\] (before mistune reads "\(" as an escaped bracket), $$…$$, and $…$ as Pandoc
# reads it: no space inside the dollars and no digit after the closing one, so "$5 and $10" is
# two prices. \[…\] is math only when it holds TeX (a command, ^, _, = or braces): "\[1\]" is
# an escaped citation.
INLINE_MATH = (  # also lint's: where the parser sees math, lint sees no prose
    r"\\\((?P<paren_math>(?:(?!\\[()])[\s\S])+?)\\\)"
    r"|\\\[(?P<bracket_math>(?:(?!\\[\[\]])[\s\S])*?[\\^_={](?:(?!\\[\[\]])[\s\S])*?)\\\]"
    r"|\$\$(?P<display_math>(?:(?!\$\$)[\s\S])+?)\$\$"
    r"|(?<![\\$\w])\$(?=[^\s$])(?P<dollar_math>(?:[^$\\\n]|\\.)+?)(?<=\S)\$(?![\d$])"
)
_BLOCK_MATH = (
    r"^ {0,3}(?:\$\$|\\\[)[ \t]*\n(?P<block_math_text>[\s\S]*?)\n {0,3}(?:\$\$|\\\])[ \t]*(?:\n|$)"
)
_WIKILINK = r"!?\[\[(?P<wiki_target>[^\[\]|\n]+)(?:\|(?P<wiki_alias>[^\[\]\n]+))?\]\]"
# A deletion's text runs to its closing braces or to the ``::`` of its hint; it never holds
# another opening, so a run of openings that never close is read in one pass.
_CLOZE = r"\{\{c(?P<cloze_number>\d+)::(?P<cloze_text>(?:(?!\}\}|::|\{\{)[\s\S])*)(?:::(?P<cloze_hint>(?:(?!\}\}|\{\{)[^\n])*))?\}\}"
_LOGSEQ_CLOZE = r"\{\{cloze\s+(?P<logseq_cloze>(?:(?!\}\}|\{\{)[^\n])+?)\s*\}\}"
# What a reader never sees: Logseq block references and macros, Hugo shortcodes.
_INVISIBLE = (
    r"\(\([0-9a-fA-F]{8}-[0-9a-fA-F-]{27}\)\)"
    r"|\{\{(?:embed|query|renderer|video|youtube|tweet|namespace|toc|function)\b[^{}\n]*\}\}"
    r"|\{\{[<%][^{}\n]*?[%>]\}\}"
)
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif")


def _parse_math(inline: Any, match: re.Match[str], state: Any) -> int:
    display = match.group("bracket_math") or match.group("display_math")
    if display is not None:
        state.append_token({"type": "math", "raw": display, "display": True})
    else:
        text = match.group("paren_math") or match.group("dollar_math")
        state.append_token({"type": "math", "raw": text, "display": False})
    return match.end()


def _parse_block_math(block: Any, match: re.Match[str], state: Any) -> int:
    state.append_token({"type": "block_math", "raw": match.group("block_math_text")})
    return match.end()


def _parse_wikilink(inline: Any, match: re.Match[str], state: Any) -> int:
    target = match.group("wiki_target").strip()
    if match.group().startswith("!") and target.lower().endswith(_IMAGE_SUFFIXES):
        state.append_token({"type": "image", "attrs": {"url": target}, "children": [{"type": "text", "raw": target}]})
    else:
        name = (match.group("wiki_alias") or target).strip()  # a page reference: a link with no address
        state.append_token({"type": "link", "attrs": {"url": ""}, "children": [{"type": "text", "raw": name}]})
    return match.end()


def _parse_cloze(inline: Any, match: re.Match[str], state: Any) -> int:
    if match.group("logseq_cloze") is not None:
        text, number, hint = match.group("logseq_cloze"), None, None
    else:
        text, number, hint = match.group("cloze_text"), int(match.group("cloze_number")), match.group("cloze_hint")
    inner = state.copy()
    inner.src = text
    state.append_token({"type": "deletion", "children": inline.render(inner), "number": number, "hint": hint})
    return match.end()


def _skip(inline: Any, match: re.Match[str], state: Any) -> int:
    return match.end()


def _study_syntax(markdown: mistune.Markdown) -> None:
    """The mistune plugin for what study notes use beyond CommonMark (see the module docstring)."""
    # The characters each rule can start with let mistune skip ahead to them (without, every
    # inline rule is tried at every position: a long run of spaces took quadratic time).
    markdown.inline.register("math", INLINE_MATH, _parse_math, before="escape", start_chars={"\\", "$"})
    markdown.inline.register("invisible", _INVISIBLE, _skip, before="link", start_chars={"(", "{"})
    markdown.inline.register("cloze", f"{_CLOZE}|{_LOGSEQ_CLOZE}", _parse_cloze, before="link", start_chars={"{"})
    markdown.inline.register("wikilink", _WIKILINK, _parse_wikilink, before="link", start_chars={"!", "["})
    markdown.block.register("block_math", _BLOCK_MATH, _parse_block_math, before="list")
    markdown.block.insert_rule(markdown.block.list_rules, "block_math", before="list")


def _markdown() -> mistune.Markdown:
    markdown = mistune.create_markdown(renderer=None, plugins=["table", "mark", "task_lists", _study_syntax])
    markdown.before_render_hooks.append(_mark_lines)
    return markdown


_MARKDOWN = _markdown()


# --- notes ---------------------------------------------------------------------------------------


def parse_note(path: Path, root: Path) -> Note:
    """Read and parse one note file; raises NoteError with file and line for unusable input."""
    text = read_text(path, str(path))
    return parse_text(text, path, root)


def parse_text(text: str, path: Path, root: Path, positions: bool = False) -> Note:
    """``positions``: front matter that knows each key's line (for lint findings), at a cost."""
    display = str(path)
    front, body = frontmatter.split(text, display, positions)
    lines = body.split("\n")
    fragments = flashcards.find(lines, front.end_line)
    if fragments:
        lines = flashcards.blank_out(lines, fragments)
    tokens, state = _MARKDOWN.parse("\n".join(lines))
    blocks = _blocks(tokens)
    properties = page_properties(lines[front.end_line :])
    if properties and blocks and isinstance(blocks[0], Paragraph) and not blocks[0].inlines:
        blocks.pop(0)  # the page's properties: its front matter, not text
    blocks.extend(_flashcard(fragment, len(lines)) for fragment in fragments)
    blocks.sort(key=lambda block: block.line)
    meta = front.data
    return Note(
        path=path,
        root=root,
        display=display,
        source_key=source_key(path, root),
        meta=meta,
        front_matter_end=front.end_line,
        title=_title(meta, properties, blocks, path),
        category=_category(meta or properties),
        tags=_tags(meta.get("tags")) + _tags(properties.get("tags")),
        blocks=blocks,
        code=state.env["code"],
    )


def parse_blocks(text: str) -> list[Block]:
    """The outline of some Markdown text whose lines are the file's lines."""
    tokens, _state = _MARKDOWN.parse(text)
    return _blocks(tokens)


def _flashcard(fragment: flashcards.Fragment, length: int) -> Flashcard:
    return Flashcard(
        fragment.line,
        fragment.kind,
        f"{fragment.syntax} {fragment.note_type}".strip(),
        _fragment_blocks(fragment.front, length),
        _fragment_blocks(fragment.back, length),
        fragment.tags,
    )


def _fragment_blocks(numbered: list[tuple[int, str]], length: int) -> tuple[Block, ...]:
    """A fragment's lines parsed as Markdown where they stand, so that their lines stay right."""
    lines = [""] * length
    for number, text in numbered:
        lines[number - 1] = text
    return tuple(parse_blocks("\n".join(lines)))


_PROPERTY = re.compile(r"^\s*(?P<key>[^\s:\[\]#]+)::(?:\s+(?P<value>.*)|\s*$)")


def _property(line: str) -> re.Match[str] | None:
    """A ``key:: value`` property (Logseq) or field (Dataview). A key that starts with a capital
    and is no common field name, over a value that is not data (a date, a number, a link, tags),
    is a term with its definition instead (obsidian-spaced-repetition): ``RuBisCO:: the enzyme
    …``, ``Mitochondria:: powerhouse``; but ``Status:: draft``, ``dueDate:: 2024-05-01``."""
    match = _PROPERTY.match(line)
    if match is None:
        return None
    key, value = match.group("key"), (match.group("value") or "").strip()
    if key[:1].isupper() and key.casefold() not in _FIELD_NAMES and not _DATA.fullmatch(value):
        return None
    return match


# Field names notes use for data about themselves, written capitalised too (``Tags::``, ``Author::``).
_FIELD_NAMES = frozenset(
    "title tags tag alias aliases author authors status type category categories date created updated modified "
    "source sources url link links topic topics course class subject description summary rating priority due "
    "deadline progress project area related parent up lecture week chapter page pages book instructor teacher "
    "professor location time duration score grade difficulty reviewed publish draft id cssclass cssclasses "
    "template banner language lang level year semester".split()
)
# A value that is data, not a definition: empty, a date, a number, links, tags, a URL, yes or no.
_DATA = re.compile(r"|[\d\-/.: ]+|(?:\[\[[^\]]*\]\]\s*,?\s*)+|(?:#\S+\s*)+|https?://\S+|true|false|yes|no", re.IGNORECASE)


def page_properties(lines: list[str]) -> dict[str, str]:
    """Logseq and Dataview page properties: the ``key:: value`` lines a note starts with."""
    found: dict[str, str] = {}
    for line in lines:
        if not line.strip() and not found:
            continue
        match = _property(line)
        if match is None:
            break
        found[match.group("key").casefold()] = (match.group("value") or "").strip()
    return found


def _title(meta: dict, properties: dict[str, str], blocks: list[Block], path: Path) -> str:
    for title in (meta.get("title"), properties.get("title")):
        if title not in (None, ""):
            return str(title).strip()
    heading = title_heading(blocks)
    return plain_text(heading.inlines).strip() if heading is not None else path.stem


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


def _tags(tags: Any) -> tuple[str, ...]:
    if tags is None:
        return ()
    if isinstance(tags, str):
        tags = re.sub(r"\[\[|\]\]|#", " ", tags).replace(",", " ").split()
    if not isinstance(tags, list):
        tags = [tags]
    return tuple(str(tag).strip() for tag in tags if str(tag).strip())


# --- mistune tokens to the outline -------------------------------------------------------------

_DETAILS_OPEN = re.compile(r"^\s*<details\b[^>]*>", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b[^>]*>(?P<summary>[\s\S]*?)</summary\s*>", re.IGNORECASE)


def _blocks(tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token["type"]
        if kind == "block_html" and _DETAILS_OPEN.match(token["raw"]):
            details, index = _details(tokens, index)
            blocks.append(details)
            continue
        if kind == "heading":
            inlines = _strip_heading_id(_inlines(token["children"]))
            blocks.append(Heading(token["line"], token["attrs"]["level"], inlines))
        elif kind in ("paragraph", "block_text", "block_html") and not _is_comment(token):
            paragraph = _paragraph(token)
            if paragraph.inlines or paragraph.properties:
                blocks.append(paragraph)
        elif kind == "block_math":
            blocks.append(Paragraph(token["line"], (Math(token["raw"].strip(), display=True),)))
        elif kind == "list":
            items = [_item(child) for child in token["children"]]
            blocks.append(BulletList(token["line"], items, bool(token["attrs"].get("ordered"))))
        elif kind == "table":
            blocks.append(_table(token))
        elif kind == "block_code":
            blocks.append(_code(token))
        elif kind == "block_quote":
            blocks.extend(_quote(token))
        index += 1
    return blocks


_CALLOUT = re.compile(r"^\[!(?P<type>[A-Za-z-]+)\][+-]?\s*")


def _quote(token: Token) -> list[Block]:
    """A block quote's blocks, or an Obsidian callout (``> [!note] Title``): a ``Quote`` with its
    type and title, or, when the title asks a question, a hidden answer like ``<details>``."""
    inner = _blocks(token["children"])
    first = inner[0] if inner else None
    if not (isinstance(first, Paragraph) and first.inlines and isinstance(first.inlines[0], Text)):
        return inner
    marker = _CALLOUT.match(first.inlines[0].text)
    if marker is None:
        return inner
    lines = source_lines((Text(first.inlines[0].text[marker.end() :]),) + first.inlines[1:])
    title, rest = trimmed(lines[0]), [line for line in lines[1:] if line]
    body: list[Block] = [Paragraph(first.line + 1, joined(rest, SoftBreak()))] if rest else []
    body.extend(inner[1:])
    if title and wording.is_question(plain_text(title)):
        return [Details(first.line, title, tuple(body))]
    return [Quote(first.line, tuple(body), marker.group("type").lower(), title)]


def _code(token: Token) -> CodeBlock:
    fenced = token.get("style") == "fenced"
    return CodeBlock(token["line"], token["raw"], (token.get("attrs") or {}).get("info") or "", fenced)


def _details(tokens: list[Token], index: int) -> tuple[Details, int]:
    """A ``<details>`` block: on one HTML block, or opened by one and closed by a later one."""
    opening = tokens[index]
    raw = opening["raw"]
    summary_match = _SUMMARY.search(raw)
    summary_line = opening["line"] + (raw[: summary_match.start()].count("\n") if summary_match else 0)
    summary = _fragment_inlines(summary_match.group("summary") if summary_match else "")
    after_summary = raw[summary_match.end() :] if summary_match else _DETAILS_OPEN.sub("", raw, count=1)
    closing = _DETAILS_CLOSE.search(after_summary)
    if closing:
        body = _html_body(after_summary[: closing.start()], opening["line"] + raw[: len(raw) - len(after_summary)].count("\n"))
        return Details(summary_line, summary, body), index + 1
    body: list[Block] = list(_html_body(after_summary, opening["line"]))
    end = index + 1
    while end < len(tokens):
        token = tokens[end]
        if token["type"] == "block_html" and _DETAILS_CLOSE.search(token["raw"]):
            before = _DETAILS_CLOSE.split(token["raw"], maxsplit=1)[0]
            body.extend(_html_body(before, token["line"]))
            end += 1
            break
        body.extend(_blocks([token]))
        end += 1
    return Details(summary_line, summary, tuple(body)), end


def _html_body(text: str, line: int) -> tuple[Block, ...]:
    """Markdown written inside an HTML block (a ``<details>`` answer), at the line it starts on."""
    if not text.strip():
        return ()
    return tuple(parse_blocks("\n" * (line - 1) + text.strip("\n")))


def _fragment_inlines(text: str) -> Inlines:
    blocks = parse_blocks(text.strip())
    return next((block.inlines for block in blocks if isinstance(block, (Paragraph, Heading))), ())


_HEADING_ID = re.compile(r"\s*\{[#.][^{}]*\}\s*$")


def _strip_heading_id(inlines: Inlines) -> Inlines:
    """``## Title {#anchor}``: the attribute block is for the site generator, not the reader."""
    if inlines and isinstance(inlines[-1], Text) and _HEADING_ID.search(inlines[-1].text):
        last = _HEADING_ID.sub("", inlines[-1].text)
        return inlines[:-1] + ((Text(last),) if last else ())
    return inlines


_CARD_TAG = re.compile(r"(?:^|\s)#(?:card|flashcards?)(?=\s|$)", re.IGNORECASE)


def _item(token: Token) -> ListItem:
    """A list item: its own text (its first paragraph), what else it holds, and its nested items."""
    inlines: Inlines | None = None
    children: list[ListItem] = []
    body: list[Block] = []
    pin, suppressed = None, False
    properties: list[tuple[int, str]] = []
    for child in token["children"]:
        kind = child["type"]
        if kind in ("paragraph", "block_text", "block_html") and not _is_comment(child):
            paragraph = _paragraph(child)
            pin = pin or paragraph.pin
            properties.extend(paragraph.properties)
            if inlines is None:
                inlines, suppressed = paragraph.inlines, paragraph.suppressed
            elif paragraph.inlines:
                body.append(paragraph)
        elif kind == "heading" and inlines is None:
            inlines = _strip_heading_id(_inlines(child["children"]))
        elif kind == "list":
            children.extend(_item(grandchild) for grandchild in child["children"])
        elif kind == "block_quote":
            body.append(Quote(child["line"], tuple(_blocks(child["children"]))))
        elif kind in ("block_code", "block_math", "table"):
            body.extend(_blocks([child]))
    inlines = inlines or ()
    marked = _CARD_TAG.search(plain_text(inlines, code=False)) is not None
    if marked:
        inlines = _without_card_tag(inlines)
    task = token["type"] == "task_list_item"
    return ListItem(token.get("line", 0), inlines, children, pin, tuple(body), task, marked, suppressed, tuple(properties))


def _without_card_tag(inlines: Inlines) -> Inlines:
    nodes = [Text(_CARD_TAG.sub("", node.text)) if isinstance(node, Text) else node for node in inlines]
    return trimmed(tuple(node for node in nodes if not (isinstance(node, Text) and not node.text)))


_PIN = re.compile(r"<!--\s*notes2anki-id:\s*([^\s>]+)\s*-->")
_SKIP = re.compile(r"<!--\s*notes2anki-skip\s*-->")


def _suppressed(token: Token) -> bool:
    """The author wrote ``<!-- notes2anki-skip -->`` on the line: it makes no card."""
    return any(child["type"] == "inline_html" and _SKIP.fullmatch(child["raw"]) for child in token.get("children", ()))


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


def _paragraph(token: Token) -> Paragraph:
    """A paragraph without its ``key:: value`` property lines (kept apart, with their lines); an
    HTML block is kept as text."""
    if token["type"] == "block_html":
        return Paragraph(token["line"], (Text(" ".join(token["raw"].split())),))
    kept: list[tuple[int, Inlines]] = []
    properties: list[tuple[int, str]] = []
    for number, line in enumerate(source_lines(_inlines(token["children"])), start=token["line"]):
        text = plain_text(line, code=False)
        if line and isinstance(line[0], Text) and _property(text):
            properties.append((number, text.strip()))
            if kept:
                kept.append((number, ()))  # an empty line in its place: the lines after it keep their numbers
        else:
            kept.append((number, line))
    while kept and not kept[-1][1]:
        kept.pop()
    first = kept[0][0] if kept else token["line"]
    return Paragraph(first, joined([line for _, line in kept], SoftBreak()), _pin(token), _suppressed(token), tuple(properties))


def _table(token: Token) -> Table:
    head = token["children"][0]
    body = token["children"][1]["children"] if len(token["children"]) > 1 else []
    header = TableRow(head["line"], tuple(_inlines(cell["children"]) for cell in head["children"]))
    rows = [TableRow(row["line"], tuple(_inlines(cell["children"]) for cell in row["children"])) for row in body]
    return Table(token["line"], header, rows)


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_OPEN_TAG = re.compile(r"<(?P<tag>code|kbd|b|strong|i|em|mark|sup|sub|u|s|del|span)(?:\s[^<>]*)?>", re.IGNORECASE)


def _inlines(tokens: list[Token]) -> Inlines:
    nodes: list[Inline] = []
    for token in tokens:
        node = _inline(token)
        if isinstance(node, Text) and nodes and isinstance(nodes[-1], Text):
            nodes[-1] = Text(nodes[-1].text + node.text)
        elif node is not None:
            nodes.append(node)
    return _html_pairs(tuple(nodes))


def _html_pairs(nodes: Inlines) -> Inlines:
    """Inline HTML an author uses for formatting (``<code>…</code>``, ``<b>``) as the markup it means.

    Anything else stays text that is shown as written.
    """
    if not any(isinstance(node, RawHtml) for node in nodes):
        return nodes
    result: list[Inline] = []
    index = 0
    while index < len(nodes):
        node = nodes[index]
        opening = _OPEN_TAG.fullmatch(node.text) if isinstance(node, RawHtml) else None
        if opening:
            tag = opening.group("tag").lower()
            close = next(
                (j for j in range(index + 1, len(nodes)) if isinstance(nodes[j], RawHtml) and nodes[j].text.lower().replace(" ", "") == f"</{tag}>"),
                None,
            )
            if close is not None:
                inner = _html_pairs(nodes[index + 1 : close])
                formatted = _formatted(tag, inner)
                result.extend(formatted if isinstance(formatted, tuple) else (formatted,))
                index = close + 1
                continue
        result.append(node)
        index += 1
    return tuple(result)


def _formatted(tag: str, inner: Inlines) -> Inline | Inlines:
    """The node a formatting tag means; a tag with no meaning on a card (``<span>``) its text."""
    if tag in ("code", "kbd"):
        return Code(plain_text(inner))
    if tag in ("b", "strong"):
        return Strong(inner)
    if tag in ("i", "em"):
        return Emphasis(inner)
    if tag == "mark":
        return Mark(inner)
    return Emphasis(inner) if tag == "u" else inner


def _inline(token: Token) -> Inline | None:
    """The typed node for one mistune inline token; None for what a reader never sees."""
    kind = token["type"]
    if kind == "text":
        return Text(token["raw"])
    if kind == "softbreak":
        return SoftBreak()
    if kind == "linebreak":
        return LineBreak()
    if kind == "strong":
        return Strong(_inlines(token["children"]))
    if kind == "emphasis":
        return Emphasis(_inlines(token["children"]))
    if kind == "mark":
        return Mark(_inlines(token["children"]))
    if kind == "deletion":
        return Deletion(_inlines(token["children"]), token["number"], token["hint"])
    if kind == "codespan":
        return Code(token["raw"])
    if kind == "math":
        return Math(token["raw"].strip(), token["display"])
    if kind == "link":
        return Link(token["attrs"]["url"], _inlines(token["children"]))
    if kind == "image":
        return Image(token["attrs"]["url"], plain_text(_inlines(token["children"])))
    if kind == "inline_html":
        raw = token["raw"]
        if raw.startswith("<!--"):
            return None
        return LineBreak() if _BREAK.fullmatch(raw) else RawHtml(raw)
    return Text(token.get("raw", ""))
