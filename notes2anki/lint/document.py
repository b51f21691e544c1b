"""A note as the linter sees it: its lines, a prose-only view of them, its outline and cards."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from notes2anki.frontmatter import closing_line
from notes2anki.model import Card, CodeLines, Note, NoteError, Skipped
from notes2anki.parse import parse_text
from notes2anki.pipeline import note_from_text

MASK = "\x00"  # stands in for characters that are not prose; no rule pattern matches it

# Not prose: code spans, link and image targets, URLs, HTML tags and comments, @handles.
_NOT_PROSE = re.compile(
    r"(`+)(?:(?!\1).)+?\1"  # code span
    r"|\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"  # link target ](url "title"), one level of ()
    r"|<!--.*?(?:-->|$)"  # HTML comment
    r"|</?[A-Za-z][^<>]*>"  # HTML tag with its attributes, or an autolink
    r"|(?:https?|ftp)://[^\s（）「」、。<>]+|www\.[^\s（）「」、。<>]+"  # bare URL
    r"|(?<![\w@])@[\w./-]+"  # @handle, @scoped/package
)
_NOT_PROSE_MARKS = ("`", "](", "<", "://", "www.", "@")  # a line without them is all prose


@dataclass
class Document:
    path: Path
    root: Path
    display: str
    text: str
    note: Note | None = None
    error: NoteError | None = None  # front matter that could not be loaded
    cards: list[Card] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, path: Path, root: Path) -> Document:
        read = note_from_text(text, path, root, positions=True)  # findings point at front matter keys
        return cls(path, root, str(path), text, read.note, read.error, list(read.cards), list(read.skipped))

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def line_starts(self) -> list[int]:
        starts, position = [], 0
        for line in self.lines:
            starts.append(position)
            position += len(line) + 1
        return starts

    def offset(self, line: int, column: int) -> int:
        """Text offset of a 1-based line and 1-based column."""
        return self.line_starts[line - 1] + column - 1

    @cached_property
    def body_start(self) -> int:
        """First line (1-based) after the front matter."""
        if self.note is not None:
            return self.note.front_matter_end + 1
        end = closing_line(self.lines)
        return (len(self.lines) if end is None else end) + 1

    @cached_property
    def code(self) -> tuple[CodeLines, ...]:
        """Every code block, as the parser found it: fenced (fences included), indented, <pre>."""
        if self.note is not None:
            return self.note.code
        if self.body_start > len(self.lines):
            return ()
        # Front matter that does not load: the body is still Markdown, with the same lines.
        body = "\n" * (self.body_start - 1) + "\n".join(self.lines[self.body_start - 1 :])
        return parse_text(body, self.path, self.root).code

    @cached_property
    def code_lines(self) -> frozenset[int]:
        """Lines inside code blocks of every kind, however nested: never read as prose, never fixed."""
        return frozenset(number for block in self.code for number in range(block.first, block.last + 1))

    @cached_property
    def prose(self) -> list[str]:
        """Each line with everything that is not prose masked (same length, so columns match).

        Front matter and code are masked whole; so are code spans, URLs, link targets, HTML.
        """
        masked = []
        for number, line in enumerate(self.lines, start=1):
            if number < self.body_start or number in self.code_lines:
                masked.append(MASK * len(line))
            elif any(mark in line for mark in _NOT_PROSE_MARKS):
                masked.append(_NOT_PROSE.sub(lambda m: MASK * len(m.group()), line))
            else:
                masked.append(line)  # most lines: no regex over them at all
        return masked

    def prose_lines(self):
        """(line number, prose view) of every body line outside code."""
        for number in range(self.body_start, len(self.lines) + 1):
            if number not in self.code_lines:
                yield number, self.prose[number - 1]
