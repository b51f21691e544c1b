"""A note as the linter sees it: its lines, a prose-only view of them, its outline and cards."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from notes2anki.frontmatter import closing_line
from notes2anki.model import Card, CodeLines, Note, NoteError, Skipped
from notes2anki.parse import INLINE_MATH, parse_text
from notes2anki.pipeline import note_from_text

MASK = "\x00"  # stands in for characters that are not prose; no rule pattern matches it

# Not prose: code spans, link and image targets, URLs, HTML tags and comments, @handles, and
# math where the parser sees math (an escaped backslash, as in "\\(", is prose and starts none).
_NOT_PROSE = re.compile(
    r"(`+)(?:(?!\1).)+?\1"  # code span
    r"|\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"  # link target ](url "title"), one level of ()
    r"|<!--.*?(?:-->|$)"  # HTML comment
    r"|</?[A-Za-z][^<>]*>"  # HTML tag with its attributes, or an autolink
    r"|(?:https?|ftp)://[^\s（）「」、。<>]+|www\.[^\s（）「」、。<>]+"  # bare URL
    r"|(?<![\w@])@[\w./-]+"  # @handle, @scoped/package
    r"|(?P<escaped_backslash>\\\\)"
    rf"|{INLINE_MATH}"
)
_NOT_PROSE_MARKS = ("`", "](", "<", "://", "www.", "@", "\\", "$")  # a line without them is all prose


_MATH_GROUPS = ("paren_math", "bracket_math", "display_math", "dollar_math")
# Math that runs over several lines of one paragraph (the parser reads a paragraph whole).
MATH_OPENING = re.compile(r"(?<!\\)\\[(\[]|\$\$")
MATH_CLOSING = {"\\(": "\\)", "\\[": "\\]", "$$": "$$"}
NEW_BLOCK = re.compile(r"\s*(?:[-*+]\s|\d{1,9}[.)]\s|#|>|\||```|~~~|$)")  # a line that ends a paragraph


def _mask(match: re.Match[str]) -> str:
    return match.group() if match.group("escaped_backslash") else MASK * len(match.group())


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

        Front matter, code and display math are masked whole; so are code spans, URLs, link
        targets, HTML and inline math.
        """
        masked = []
        for number, line in enumerate(self.lines, start=1):
            if number < self.body_start or number in self.code_lines:
                masked.append(MASK * len(line))
            elif any(mark in line for mark in _NOT_PROSE_MARKS):
                masked.append(_NOT_PROSE.sub(_mask, line))
            else:
                masked.append(line)  # most lines: no regex over them at all
        self._mask_math_over_lines(masked)
        return masked

    def _mask_math_over_lines(self, masked: list[str]) -> None:
        number = self.body_start
        while number <= len(masked):
            opening = MATH_OPENING.search(masked[number - 1]) if "\\" in masked[number - 1] or "$" in masked[number - 1] else None
            closing = None if opening is None else self._closing_below(masked, number, MATH_CLOSING[opening.group()])
            if closing is None:
                number += 1
                continue
            last, end = closing
            masked[number - 1] = masked[number - 1][: opening.start()] + MASK * (len(masked[number - 1]) - opening.start())
            for between in range(number + 1, last):
                masked[between - 1] = MASK * len(masked[between - 1])
            masked[last - 1] = MASK * end + masked[last - 1][end:]
            number = last

    def _closing_below(self, masked: list[str], number: int, closing: str) -> tuple[int, int] | None:
        """Where ``closing`` ends on a following line of the same paragraph, if it does."""
        for following in range(number + 1, len(masked) + 1):
            if following in self.code_lines or NEW_BLOCK.match(self.lines[following - 1]):
                return None
            found = masked[following - 1].find(closing)
            if found >= 0:
                return following, found + len(closing)
        return None

    def inline_math(self, number: int) -> list[re.Match[str]]:
        """The math the parser reads on a line, found by the same scan that masks it in ``prose``."""
        if number in self.code_lines or not any(mark in self.lines[number - 1] for mark in ("\\", "$")):
            return []
        matches = _NOT_PROSE.finditer(self.lines[number - 1])
        return [match for match in matches if any(match.group(group) is not None for group in _MATH_GROUPS)]

    def prose_lines(self, marks: re.Pattern[str] | None = None, in_text: bool = False):
        """(line number, prose view) of every body line outside code.

        With ``marks``, only the lines where it matches the prose (``in_text``: the text as
        written): found in one pass over the whole note, so that a rule looking for brackets or
        asterisks does not search every line of every note for them.
        """
        if marks is None:
            numbers = range(self.body_start, len(self.lines) + 1)
        else:
            text = self.text if in_text else self.prose_text
            numbers = sorted({bisect.bisect_right(self.line_starts, match.start()) for match in marks.finditer(text)})
        for number in numbers:
            if number >= self.body_start and number not in self.code_lines:
                yield number, self.prose[number - 1]

    @cached_property
    def prose_text(self) -> str:
        """The prose view as one text, the same length as the note: offsets and line starts agree."""
        return "\n".join(self.prose)
