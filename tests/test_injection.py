"""Text in notes reaches cards as text: nothing in a note runs, loads or changes a card's shape.

Rendered by Anki's own backend, as the desktop app and AnkiDroid would show the cards.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from notes2anki.build import build
from tests.conftest import Anki, write_note

HOSTILE = """
---
title: Hostile
category: Safe
---
## Raw HTML

- <script>alert(1)</script> -> script
- <img src=x onerror="alert(1)"> -> image
- <iframe src="https://tracker.example/frame"></iframe> -> frame
- Template {{Front}} and {{Back}} -> braces
- Play [sound:boom.mp3] and [anki:tts lang=en_US]hello[/anki:tts] -> media tags
- Math [latex]\\\\input{/etc/passwd}[/latex] and [$]x[/$] -> latex
- [click me](javascript:alert(1)) and [data](data:text/html,hi) -> links
- ![pixel](https://tracker.example/pixel.png) -> remote image
- **Bold** with `{{c1::not a deletion}}` in code
"""

ALLOWED_TAGS = {"div", "hr", "b", "i", "code", "ul", "li", "br", "span", "a", "img"}


class Markup(HTMLParser):
    """The elements and attributes of rendered HTML: what a browser would make live."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_inert(rendered: str) -> None:
    for tag, attributes in Markup(rendered).tags:
        assert tag in ALLOWED_TAGS, rendered
        assert not any(name.startswith("on") for name in attributes), rendered
        assert not re.match(r"\s*(javascript|data):", attributes.get("href") or "", re.IGNORECASE), rendered
        assert "://" not in (attributes.get("src") or ""), rendered  # nothing loaded from outside


def test_hostile_note_renders_as_text_in_anki(tmp_path: Path, anki: Anki) -> None:
    notes = tmp_path / "notes"
    write_note(notes, "hostile.md", HOSTILE)
    report = build([notes], tmp_path / "build")
    assert report.errors == []
    anki.import_package(tmp_path / "build" / "Safe.apkg")

    assert anki.col.card_count() == 9  # the code span added no cloze card
    for cid in anki.col.find_cards(""):
        output = anki.col.get_card(cid).render_output(reload=True)
        for side in (output.question_text, output.answer_text):
            assert_inert(side)
        assert not output.question_av_tags and not output.answer_av_tags  # nothing to play or speak

    shown = dict(anki.rendered())
    assert "Hostile › Raw HTML <script>alert(1)</script>" in shown
    assert "Hostile › Raw HTML Template {{Front}} and {{Back}}" in shown
    assert "Hostile › Raw HTML Play [sound:boom.mp3] and [anki:tts lang=en_US]hello[/anki:tts]" in shown
    assert "Hostile › Raw HTML [...] with {{c1::not a deletion}} in code" in shown


def test_deletion_text_with_braces_is_hidden_and_shown_whole_in_anki(tmp_path: Path, anki: Anki) -> None:
    """Anki ends a deletion at the first ``}}``: a ``}`` the text ends with must not be one of them."""
    notes = tmp_path / "notes"
    text = "---\ntitle: Braces\ncategory: Safe\n---\n## Go\n\n- An empty struct literal is =={}{}==\n- A map literal starts with ==map[string]int{}==\n"
    write_note(notes, "braces.md", text)
    assert build([notes], tmp_path / "build").errors == []
    anki.import_package(tmp_path / "build" / "Safe.apkg")
    shown = anki.rendered()
    answers = [answer for _, answer in shown]
    assert "An empty struct literal is {}{}" in answers[0]
    assert "A map literal starts with map[string]int{}" in answers[1]
    questions = [question for question, _ in shown]
    assert questions[0].endswith("An empty struct literal is [...]")
    assert questions[1].endswith("A map literal starts with [...]")
