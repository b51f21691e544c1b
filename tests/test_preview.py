"""``notes2anki preview``: the pages show each card as Anki does, checked in Anki and in a real browser.

The browser is Debian's Chromium driven by Playwright (one browser for the whole module);
the fixture notes hold a bold cloze, author clozes with a hint and nesting, an image, math,
code, a children card and an item that makes no card.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from notes2anki.build import build
from notes2anki.cli import main
from notes2anki.preview import TemplateError, anki_cards, cloze_numbers, preview, render_cloze, render_template

FIXTURE = Path(__file__).parent / "fixtures" / "preview"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = Path(__file__).parent.parent / "docs" / "preview.png"


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("preview") / "notes"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.fixture(scope="module")
def pages(notes: Path):
    out = notes.parent / "preview"
    return preview([notes], out)


def test_every_card_is_rendered_as_anki_renders_it(notes: Path, pages, tmp_path: Path, anki) -> None:
    """Question and answer HTML, card by card, equal what Anki's own renderer makes of the deck."""
    report = build([notes], tmp_path / "build")
    for deck in report.decks:
        anki.import_package(deck.path)
    ours = {
        (card.file.rpartition("notes/")[2], card.line, card.card): (card.question, card.answer)
        for category in pages.categories
        for card in category.cards
    }
    theirs = {}
    for cid in anki.col.find_cards(""):
        card = anki.col.get_card(cid)
        note = card.note()
        file, _, line = note["Source"].rpartition(":")
        name = f"Cloze {card.ord + 1}" if "Text" in note else "Card 1"
        output = card.render_output(reload=True)
        theirs[(file, int(line), name)] = (output.question_text, output.answer_text)
    assert ours == theirs


FIELDS = [
    # nested deletions, a hint, a deletion twice, markup and characters Anki escapes in data-cloze
    ["{{c1::SQS::queue}} and {{c2::<b>SNS</b> & co}} {{c1::a {{c3::b's \\(x\\)}}}} {{c4::never closed", "<br>", "ctx", "a.md:1"],
    ["{{c2::only two}} }} stray {{c5::never {{c6::closed}} at all", "", "ctx", "a.md:2"],
]


def test_cloze_notes_make_the_cards_anki_makes_rendered_alike(notes: Path, tmp_path: Path, anki) -> None:
    """Notes added in Anki itself, so that Anki decides which cards exist (nested deletions too)."""
    anki.import_package(build([notes], tmp_path / "build").decks[0].path)  # the notetypes
    cloze = anki.col.models.by_name("notes2anki Cloze")
    for fields in FIELDS:
        note = anki.col.new_note(cloze)
        for name, value in zip(("Text", "Extra", "Context", "Source"), fields):
            note[name] = value
        anki.col.add_note(note, anki.col.decks.id("Crafted"))
    theirs = {}
    for cid in anki.col.find_cards("deck:Crafted"):
        card = anki.col.get_card(cid)
        output = card.render_output(reload=True)
        theirs[(card.note()["Source"], f"Cloze {card.ord + 1}")] = (output.question_text, output.answer_text)
    ours = {(fields[3], name): (question, answer) for fields in FIELDS for name, question, answer in anki_cards("cloze", fields)}
    assert ours == theirs
    assert ("a.md:1", "Cloze 3") in ours


def test_cloze_rendering_follows_anki() -> None:
    text = "{{c1::SQS::queue}} and {{c2::SNS}} {{c1::a {{c3::b}}}} {{c4::never closed"
    assert cloze_numbers(text) == [1, 2, 3]
    assert render_cloze(text, 2, answer=False) == (
        '<span class="cloze-inactive" data-ordinal="1">SQS</span> and '
        '<span class="cloze" data-cloze="SNS" data-ordinal="2">[...]</span> '
        '<span class="cloze-inactive" data-ordinal="1">a <span class="cloze-inactive" data-ordinal="3">b</span></span> '
    )  # a deletion never closed is left out, as Anki leaves it out
    assert render_cloze(text, 1, answer=False).startswith('<span class="cloze" data-cloze="SQS" data-ordinal="1">[queue]</span>')


def test_templates_the_renderer_does_not_know_are_refused() -> None:
    with pytest.raises(TemplateError, match="filter"):
        render_template("{{text:Front}}", {"Front": "x"})
    with pytest.raises(TemplateError, match="field 'Back'"):
        render_template("{{Back}}", {"Front": "x"})
    assert render_template("{{#Extra}}<i>{{Extra}}</i>{{/Extra}}|{{^Extra}}none{{/Extra}}", {"Extra": "<br>"}) == "|none"


def test_command_writes_pages_and_reports(notes: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "preview"
    assert main(["preview", str(notes), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"{out / 'index.html'}: 7 cards from 2 notes (9 to review in Anki: one per cloze deletion), 1 item without a card" in printed
    assert sorted(path.name for path in out.glob("*.html")) == ["AWS.html", "Computer Science.html", "index.html"]
    assert [path.name for path in (out / "media").iterdir()][0].startswith("arch-")
    (notes / "network.md").rename(notes / "network.txt")  # a category that disappears loses its page
    try:
        assert main(["preview", str(notes), "-o", str(out)]) == 0
    finally:
        (notes / "network.txt").rename(notes / "network.md")
    assert sorted(path.name for path in out.glob("*.html")) == ["AWS.html", "index.html"]


def test_preview_removes_only_files_it_wrote(notes: Path, tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    shutil.copytree(notes, mine)
    out = tmp_path / "site"
    (out / "media").mkdir(parents=True)
    (out / "about.html").write_text("mine", encoding="utf-8")
    (out / "media" / "logo.png").write_bytes(b"mine")
    assert main(["preview", str(mine), "-o", str(out)]) == 0
    with (out / ".notes2anki-preview").open("a", encoding="utf-8") as listed:
        listed.write("../outside.html\nmedia/..\n")  # a list edited by hand reaches nothing outside
    (tmp_path / "outside.html").write_text("mine", encoding="utf-8")
    (mine / "network.md").unlink()
    assert main(["preview", str(mine), "-o", str(out)]) == 0
    assert sorted(path.name for path in out.glob("*.html")) == ["AWS.html", "about.html", "index.html"]
    assert (out / "media" / "logo.png").read_bytes() == b"mine" and (tmp_path / "outside.html").exists()


def test_missing_image_is_reported_and_the_rest_is_shown(tmp_path: Path, capsys) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURE, notes)
    (notes / "img" / "arch.png").unlink()
    assert main(["preview", str(notes), "-o", str(tmp_path / "out")]) == 1
    assert "aws.md:11: image 'img/arch.png' not found" in capsys.readouterr().err
    assert "Latency" in (tmp_path / "out" / "Computer Science.html").read_text(encoding="utf-8")


# --- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run does)")
    from playwright.sync_api import sync_playwright

    flags = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    if os.geteuid() == 0:
        flags.append("--no-sandbox")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, pages):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.route("http*://**", lambda route: route.abort())  # prove the page needs no network
    yield page
    context.close()


def _open(page, pages, category: str):
    page.goto((pages.index.parent / f"{category}.html").as_uri())
    page.wait_for_selector("body[data-math=typeset]", timeout=10000)
    return page


def _card(page, source: str, name: str):
    return page.locator(".n2a-p-card", has=page.locator(f".n2a-p-meta:has-text('{source}')")).filter(has_text=name)


def test_a_cloze_card_shows_the_deletion_hidden_then_revealed(page, pages) -> None:
    _open(page, pages, "AWS")
    first, second = _card(page, "aws.md:9", "Cloze 1"), _card(page, "aws.md:9", "Cloze 2")
    assert first.locator(".card").nth(0).inner_text().splitlines()[-1] == "[...] pulls, SNS pushes"
    assert first.locator(".card").nth(1).inner_text().splitlines()[-2] == "SQS pulls, SNS pushes"
    assert second.locator(".card").nth(0).inner_text().splitlines()[-1] == "SQS pulls, [...] pushes"
    hinted = _card(page, "aws.md:10", "Cloze 1").locator(".card").nth(0)
    assert "[time] hides a message; DLQ keeps [...]" in hinted.inner_text()
    assert hinted.locator(".cloze").first.evaluate("e => getComputedStyle(e).fontWeight") == "700"  # the notetype's CSS


def test_images_load_and_math_is_typeset_offline(page, pages) -> None:
    _open(page, pages, "AWS")
    image = _card(page, "aws.md:11", "Card 1").locator("img")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 40
    euler = _card(page, "aws.md:12", "Card 1").locator(".card").nth(1)
    assert euler.locator("mjx-container svg").count() == 2  # inline and display
    assert "\\(" not in euler.inner_text()
    assert _card(page, "aws.md:13", "Card 1").locator("code").inner_text() == "aws sqs list-queues"


def test_search_and_filters_narrow_the_cards(page, pages) -> None:
    _open(page, pages, "AWS")
    count = page.locator("#n2a-count")
    visible = page.locator(".n2a-p-card:visible")
    assert count.inner_text() == "7 of 7 cards"
    page.fill("#n2a-search", "ｓｑｓ pulls")  # full-width letters find their ASCII form
    assert count.inner_text() == "2 of 7 cards"
    assert {text.split(" · ")[0].rpartition("/")[2] for text in visible.locator(".n2a-p-meta").all_inner_texts()} == {"aws.md:9"}
    page.fill("#n2a-search", "")
    page.select_option("#n2a-rule", "arrow")
    assert count.inner_text() == "2 of 7 cards"
    page.select_option("#n2a-rule", "(no card)")
    assert count.inner_text() == "0 of 7 cards"
    assert page.locator(".n2a-p-skip:visible").inner_text().endswith("a plain remark that makes no card")


def test_index_links_every_category(page, pages) -> None:
    page.goto(pages.index.as_uri())
    page.click("text=Computer Science")
    page.wait_for_selector("body[data-math=typeset]")
    assert page.locator(".n2a-p-card").count() == 2
    card = _card(page, "network.md:7", "Card 1").locator(".card").nth(1)
    assert card.locator("li").all_inner_texts() == ["SYN", "SYN-ACK", "ACK"]


def test_screenshot(page, notes: Path, tmp_path: Path, monkeypatch) -> None:
    """The README's picture, of the pages as ``notes2anki preview notes`` writes them;
    ``make screenshot`` stores it in docs/."""
    monkeypatch.chdir(notes.parent)
    report = preview([Path("notes")], tmp_path / "out")
    page.set_viewport_size({"width": 1000, "height": 700})
    _open(page, report, "AWS")
    target = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "preview.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
