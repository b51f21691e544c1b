"""Card HTML: Markdown becomes markup, everything else in a note reaches the card as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes2anki.cards import extract
from notes2anki.media import MediaFiles
from notes2anki.parse import parse_note
from notes2anki.render import basic_fields, cloze_fields
from tests.conftest import write_note


def _fields(notes_dir: Path, line: str) -> tuple[list[str], MediaFiles]:
    path = write_note(notes_dir, "n.md", f"---\ntitle: T\n---\n## H\n\n{line}\n")
    cards = extract(parse_note(path, notes_dir)).cards
    assert len(cards) == 1, cards
    media = MediaFiles()
    card = cards[0]
    return (cloze_fields if card.kind == "cloze" else basic_fields)(card, media), media


def test_inline_markdown_becomes_html(notes_dir: Path) -> None:
    fields, _ = _fields(notes_dir, "- `ls -l` *lists* files -> see [the docs](https://example.com/a?b=1&c=2)")
    assert fields[0] == "<code>ls -l</code> <i>lists</i> files"
    assert fields[1] == 'see <a href="https://example.com/a?b=1&amp;c=2">the docs</a>'
    assert fields[3:] == ["T › H", "n.md:6"]


@pytest.mark.parametrize(
    ("line", "front"),
    [
        ("- <script>alert(1)</script> -> x", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('- <img src=x onerror="alert(1)"> -> x', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
        ("- A & B < C -> x", "A &amp; B &lt; C"),
        ("- play [sound:boom.mp3] -> x", "play &#91;sound:boom.mp3]"),
        ("- [click](javascript:alert(1)) -> x", "click"),
        ("- ![remote](https://example.com/a.png) -> x", "[remote]"),
    ],
)
def test_note_text_is_escaped_not_interpreted(notes_dir: Path, line: str, front: str) -> None:
    fields, _ = _fields(notes_dir, line)
    assert fields[0] == front


def test_bold_spans_become_numbered_deletions(notes_dir: Path) -> None:
    fields, _ = _fields(notes_dir, "- **SQS** pulls, **SNS** pushes")
    assert fields[0] == "{{c1::SQS}} pulls, {{c2::SNS}} pushes"


def test_author_cloze_is_kept_and_bold_stays_bold(notes_dir: Path) -> None:
    fields, _ = _fields(notes_dir, "- {{c1::SQS::queue}} is **pull** based")
    assert fields[0] == "{{c1::SQS::queue}} is <b>pull</b> based"


def test_local_image_is_packed_under_a_content_name(notes_dir: Path) -> None:
    (notes_dir / "img").mkdir()
    (notes_dir / "img" / "Diagram.PNG").write_bytes(b"\x89PNG fake")
    fields, media = _fields(notes_dir, "- ![arch](img/Diagram.PNG) -> the architecture")
    (name,) = media.files
    assert name.startswith("Diagram-") and name.endswith(".png")
    assert fields[0] == f'<img src="{name}" alt="arch">'


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("missing.png", "image 'missing.png' not found"),
        ("../outside.png", "is outside the notes folder; refused"),
        ("/etc/passwd", "image '/etc/passwd' not found"),  # looked for in the notes folder, not the system
    ],
)
def test_bad_image_paths_name_file_and_line(notes_dir: Path, url: str, message: str) -> None:
    (notes_dir.parent / "outside.png").write_bytes(b"x")
    fields, media = _fields(notes_dir, f"- ![x]({url}) -> y")
    assert fields[0] == "[x]"  # the card keeps the image's alt text
    (problem,) = media.problems
    assert problem.line == 6 and message in problem.message


@pytest.mark.parametrize(
    ("line", "back"),
    [
        (r"- Euler: \(e^{i\pi} + 1 = 0\)", r"\(e^{i\pi} + 1 = 0\)"),
        (r"- Quicksort: average $O(n \log n)$", r"average \(O(n \log n)\)"),
        (r"- Master theorem: $$T(n) = aT(n/b) + f(n)$$", r"\[T(n) = aT(n/b) + f(n)\]"),
        (r"- Gauss: \[\sum_{i=1}^{n} i = \frac{n(n+1)}{2}\]", r"\[\sum_{i=1}^{n} i = \frac{n(n+1)}{2}\]"),
        ("- Prices: $5 and $10", "$5 and $10"),
        (r"- Escaped: \[1\] is a citation", r"[1] is a citation"),
    ],
)
def test_math_reaches_the_card_as_mathjax_reads_it(notes_dir: Path, line: str, back: str) -> None:
    fields, _ = _fields(notes_dir, line)
    assert fields[1] == back


def test_math_inside_a_deletion_cannot_close_it(notes_dir: Path) -> None:
    fields, _ = _fields(notes_dir, r"- The sum is **\(\frac{a}{b}}\)** here")
    assert fields[0] == r"The sum is {{c1::\(\frac{a}{b} }\)}} here"


def test_code_under_an_item_is_its_answer_highlighted_without_script(notes_dir: Path) -> None:
    fields, _ = _fields(notes_dir, "- Reverse a list\n  ```python\n  items[::-1]  # {{c1::no}}\n  ```")
    assert fields[0] == "Reverse a list"
    assert fields[1].startswith('<div class="n2a-code"><pre><span></span><code>')
    assert '<span class="n">items</span>' in fields[1] and "<script" not in fields[1]
    assert "{{c1::" not in fields[1] and "&#123;&#123;c1:&#58;no&#125;&#125;" in fields[1]
