"""The outline: every block knows its line in the file, whatever the line ends or nesting."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes2anki.model import BulletList, CodeBlock, Heading, ListItem, NoteError, Paragraph, Table, plain_text
from notes2anki.parse import DEFAULT_CATEGORY, parse_note, parse_text
from tests.conftest import write_note

NESTED = """\
---
title: Lines
category: Test
---
# Heading one

- first
  - nested
    - deeper

      second paragraph of deeper
- lazy item
continued lazily
- last

Paragraph
over two lines

```sh
echo code
```

| term | meaning |
| --- | --- |
| a | b |
| c | d |

> - quoted item
"""


def _items(items: list[ListItem]) -> list[tuple[str, int, str]]:
    found = []
    for item in items:
        found.append(("item", item.line, plain_text(item.inlines)))
        found.extend(("paragraph", block.line, plain_text(block.inlines)) for block in item.body if isinstance(block, Paragraph))
        found.extend(_items(item.children))
    return found


def _outline(note) -> list[tuple]:
    outline = []
    for block in note.blocks:
        if isinstance(block, BulletList):
            outline.extend(_items(block.items))
        elif isinstance(block, Table):
            outline.extend(("row", row.line, plain_text(row.cells[0])) for row in [block.header, *block.rows])
        elif isinstance(block, CodeBlock):
            outline.append(("code", block.line, block.text.strip()))
        elif isinstance(block, (Heading, Paragraph)):
            outline.append((type(block).__name__.lower(), block.line, plain_text(block.inlines)))
    return outline


EXPECTED = [
    ("heading", 5, "Heading one"),
    ("item", 7, "first"),
    ("item", 8, "nested"),
    ("item", 9, "deeper"),
    ("paragraph", 11, "second paragraph of deeper"),
    ("item", 12, "lazy item continued lazily"),
    ("item", 14, "last"),
    ("paragraph", 16, "Paragraph over two lines"),
    ("code", 19, "echo code"),
    ("row", 23, "term"),
    ("row", 25, "a"),
    ("row", 26, "c"),
    ("item", 28, "quoted item"),
]


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="lf"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="bom"),
    ],
)
def test_every_block_knows_its_source_line(notes_dir: Path, encode) -> None:
    path = notes_dir / "lines.md"
    path.write_bytes(encode(NESTED))
    note = parse_note(path, notes_dir)
    assert note.title == "Lines" and note.category == "Test"
    assert _outline(note) == EXPECTED


def test_repeated_lines_get_their_own_line_numbers(notes_dir: Path) -> None:
    path = write_note(notes_dir, "same.md", "- same\n- same\n  - same\n\nsame\n")
    note = parse_note(path, notes_dir)
    assert _outline(note) == [("item", 1, "same"), ("item", 2, "same"), ("item", 3, "same"), ("paragraph", 5, "same")]


def test_lines_after_a_fence_left_open_in_an_item_keep_their_numbers(notes_dir: Path) -> None:
    """The fence ends with its item; the next item is on the line right after the code."""
    path = write_note(notes_dir, "open.md", "- item\n  ```sh\n  ls\n- next\n\n> ```\n> code\n\nafter\n")
    outline = _outline(parse_note(path, notes_dir))
    assert ("item", 4, "next") in outline and ("paragraph", 9, "after") in outline


def test_front_matter_keys_are_kept(notes_dir: Path) -> None:
    path = write_note(
        notes_dir,
        "meta.md",
        """
        ---
        layout: post
        title: "Reliability"
        date: 2023-08-21
        category: AWS
        tags: [exam, saa]
        excerpt: ""
        ---
        body
        """,
    )
    note = parse_note(path, notes_dir)
    assert (note.title, note.category, note.tags) == ("Reliability", "AWS", ("exam", "saa"))
    assert note.meta["layout"] == "post" and str(note.meta["date"]) == "2023-08-21"


def test_note_without_front_matter_goes_to_the_default_category(notes_dir: Path) -> None:
    path = write_note(notes_dir, "sub/plain-note.md", "- Q -> A\n")
    note = parse_note(path, notes_dir)
    assert (note.title, note.category, note.source_key) == ("plain-note", DEFAULT_CATEGORY, "sub/plain-note.md")


def test_a_fence_that_opens_the_next_item_does_not_close_the_code_above(notes_dir: Path) -> None:
    path = write_note(notes_dir, "fences.md", "- ```sh\n- ```\n- last\n")
    (block,) = parse_note(path, notes_dir).blocks
    assert [item.line for item in block.items] == [1, 2, 3]


@pytest.mark.parametrize(
    "properties",
    [
        "title:: Cells\ntags:: biology, exam\ncategory:: Bio\n",
        "Title:: Cells\nTags:: biology, exam\nCategory:: Bio\ndueDate:: 2024-05-01\nAuthor:: Kim from the lab group\n",
    ],
)
def test_page_properties_in_any_case_are_the_note_s_data(notes_dir: Path, properties: str) -> None:
    path = write_note(notes_dir, "cells.md", properties + "\n## Organelles\n\n- Ribosome: makes proteins\n")
    note = parse_note(path, notes_dir)
    assert (note.title, note.tags, note.category) == ("Cells", ("biology", "exam"), "Bio")
    assert not any(isinstance(block, Paragraph) for block in note.blocks)  # no property became text


def test_title_falls_back_to_the_first_level_one_heading(notes_dir: Path) -> None:
    path = write_note(notes_dir, "h1.md", "---\ncategory: X\n---\n# Real title\n\n- a\n")
    assert parse_note(path, notes_dir).title == "Real title"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: [unclosed\ncategory: AWS\n---\n", 3, "invalid YAML in front matter"),
        ("---\ntitle: ok\n", 1, "front matter starts with '---' but is never closed"),
        ("---\n- a list\n---\n", 2, "front matter must be a mapping"),
    ],
)
def test_bad_front_matter_names_file_and_line(notes_dir: Path, text: str, line: int, message: str) -> None:
    path = write_note(notes_dir, "bad.md", text)
    with pytest.raises(NoteError) as caught:
        parse_note(path, notes_dir)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_note_errors_survive_pickling_between_processes() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(NoteError("a.md", 3, "broken")))
    assert (error.path, error.line, error.message, str(error)) == ("a.md", 3, "broken", "a.md:3: broken")


# Openings of the syntax beyond CommonMark that never close: each must be read in one pass.
UNCLOSED = {
    "math": lambda n: "- " + "\\(" * (100 * n) + " and " + "$$a " * (100 * n) + "\\[x^" * (100 * n) + "\n",
    "cloze": lambda n: "- " + "{{c1::" * (100 * n) + "{{cloze " * (100 * n) + "\n",
    "links": lambda n: "- " + "[[a" * (100 * n) + "((" * (100 * n) + "\n",
    "spaces": lambda n: "- a" + " " * (2000 * n) + "b\n",
}


@pytest.mark.parametrize("shape", UNCLOSED.values(), ids=UNCLOSED.keys())
def test_parsing_stays_linear_on_openings_that_never_close(shape) -> None:
    import time

    def seconds(text: str) -> float:
        start = time.process_time()
        parse_text(text, Path("n.md"), Path("."))
        return time.process_time() - start

    small, large = seconds(shape(4)), seconds(shape(32))
    assert large < max(small, 0.002) * 8 * 3  # eight times the text: a quadratic parse takes ~64 times as long
