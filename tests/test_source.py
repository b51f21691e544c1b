"""Reading bytes: anything that is not UTF-8 text is refused with a message that says what it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes2anki.model import NoteError
from notes2anki.source import decode, read_text


def test_bom_and_crlf_are_accepted() -> None:
    assert decode(b"\xef\xbb\xbfa\r\nb\rc\n", "n.md") == "a\nb\nc\n"


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        ("見出し\n- 本文\n".encode("shift_jis"), 1, "the file is not UTF-8 (it decodes as SHIFT-JIS)"),
        (b"ok\nok\n\xff\xfe\xfd", 3, "the file is not UTF-8"),
        (b"text\n\x00\x01", 2, "NUL byte"),
        ("text".encode("utf-16"), 1, "UTF-16"),
    ],
)
def test_undecodable_bytes_name_the_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(NoteError) as caught:
        decode(data, "note.md")
    assert caught.value.line == line
    assert message in caught.value.message


def test_unreadable_path_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    with pytest.raises(NoteError, match="cannot read the file: Is a directory"):
        read_text(folder, str(folder))
