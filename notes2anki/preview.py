"""``notes2anki preview``: every card as Anki will show it, on static pages to read before importing.

Cards are rendered from the fields that go into the deck (``render.packed_note``) with the
notetypes' own templates and CSS (``package.BASIC_MODEL`` and ``CLOZE_MODEL``), through the part
of Anki's template language those templates use; the tests compare the result with Anki's own
renderer. The pages work offline, from ``file://``: images are copied next to them, and math is
typeset by the MathJax that ships inside notes2anki (the version Anki desktop uses).

Library code: returns a report, never prints or exits (``cli.py`` does that).
"""

from __future__ import annotations

import html
import re
import shutil
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from notes2anki import render
from notes2anki.model import Card, NoteError, Skipped
from notes2anki.pipeline import read_tree

MEDIA_DIR = "media"  # like Anki's collection.media: one flat folder, names made unique by content
ASSETS_DIR = "assets"
MATHJAX = "mathjax.js"
WRITTEN = ".notes2anki-preview"  # what the last preview wrote: the only files a preview removes


# --- Anki's template language, as far as the notetypes use it ---------------------------------

_TAG = re.compile(r"\{\{\s*([#^/]?)\s*([^}]*?)\s*\}\}")
# Anki counts a field as empty when it holds nothing but whitespace, <br> and <div> tags.
_EMPTY_FIELD = re.compile(r"^(?:\s|</?(?:br|div)\s?/?>)*$", re.IGNORECASE)
_CLOZE_TOKEN = re.compile(r"\{\{c(\d+)::|\}\}")


class TemplateError(ValueError):
    """A template uses something this renderer does not know: a notetype changed without it."""


def render_template(template: str, fields: dict[str, str], cloze: int | None = None, front_side: str = "") -> str:
    """One side of a card: ``{{Field}}``, ``{{#Field}}…{{/Field}}``, ``{{^Field}}…{{/Field}}``,
    ``{{FrontSide}}`` and ``{{cloze:Field}}`` (for card number ``cloze``, question or answer
    according to whether ``front_side`` is given)."""
    output: list[str] = []
    hidden: list[tuple[str, bool]] = []  # open sections: field name, and whether it hides its content
    position = 0
    for tag in _TAG.finditer(template):
        if not any(hide for _, hide in hidden):
            output.append(template[position : tag.start()])
        position = tag.end()
        kind, name = tag.groups()
        if kind in ("#", "^"):
            empty = _EMPTY_FIELD.match(_field(fields, name)) is not None
            hidden.append((name, empty if kind == "#" else not empty))
        elif kind == "/":
            if not hidden or hidden[-1][0] != name:
                raise TemplateError(f"{{{{/{name}}}}} closes no open section")
            hidden.pop()
        elif not any(hide for _, hide in hidden):
            output.append(_replacement(name, fields, cloze, front_side))
    if hidden:
        raise TemplateError(f"section {{{{#{hidden[-1][0]}}}}} is never closed")
    output.append(template[position:])
    return "".join(output)


def _replacement(name: str, fields: dict[str, str], cloze: int | None, front_side: str) -> str:
    if name == "FrontSide":
        return front_side
    filters, _, field_name = name.rpartition(":")
    if filters == "cloze":
        if cloze is None:
            raise TemplateError("{{cloze:…}} outside a cloze notetype")
        return render_cloze(_field(fields, field_name), cloze, answer=bool(front_side))
    if filters:
        raise TemplateError(f"filter {filters!r} is not supported by the preview")
    return _field(fields, field_name)


def _field(fields: dict[str, str], name: str) -> str:
    if name not in fields:
        raise TemplateError(f"the template names a field {name!r} the notetype does not have")
    return fields[name]


@dataclass
class _Deletion:
    number: int
    children: list[str | _Deletion] = field(default_factory=list)

    def content(self) -> tuple[list[str | _Deletion], str | None]:
        """The deletion's own children and its hint: ``{{c1::text::hint}}``, as Anki reads it
        (each text part splits at its first ``::``; the last hint found wins)."""
        children: list[str | _Deletion] = []
        hint = None
        for child in self.children:
            if isinstance(child, str) and "::" in child:
                child, hint = child.split("::", 1)
            children.append(child)
        return children, hint


def _parse_clozes(text: str) -> list[str | _Deletion]:
    """Text and (nested) deletions; a stray ``}}`` stays text."""
    top: list[str | _Deletion] = []
    open_: list[_Deletion] = []

    def add(node: str | _Deletion) -> None:
        if node != "":
            (open_[-1].children if open_ else top).append(node)

    position = 0
    for token in _CLOZE_TOKEN.finditer(text):
        add(text[position : token.start()])
        position = token.end()
        if token.group(1) is not None:
            open_.append(_Deletion(int(token.group(1))))
        elif open_:
            add(open_.pop())  # into its parent deletion, or the top level
        else:
            add("}}")
    add(text[position:])
    return top  # a deletion never closed is left out, with what followed it, as Anki does


def cloze_numbers(text: str) -> list[int]:
    """The card numbers a cloze field makes, in order: one card per deletion number."""
    numbers: set[int] = set()

    def walk(nodes: list[str | _Deletion]) -> None:
        for node in nodes:
            if isinstance(node, _Deletion):
                numbers.add(node.number)
                walk(node.children)

    walk(_parse_clozes(text))
    return sorted(number for number in numbers if number > 0)


def render_cloze(text: str, number: int, answer: bool) -> str:
    """A cloze field for card ``number``: its deletion hidden as ``[...]`` (or ``[hint]``) on the
    question and shown on the answer; the other deletions shown as text."""

    def show(nodes: list[str | _Deletion]) -> str:
        parts = []
        for node in nodes:
            if isinstance(node, str):
                parts.append(node)
                continue
            children, hint = node.content()
            if node.number != number:
                parts.append(f'<span class="cloze-inactive" data-ordinal="{node.number}">{show(children)}</span>')
            elif answer:
                parts.append(f'<span class="cloze" data-ordinal="{number}">{show(children)}</span>')
            else:
                hidden = f"[{hint}]" if hint is not None else "[...]"
                content = _attribute(show(children))
                parts.append(f'<span class="cloze" data-cloze="{content}" data-ordinal="{number}">{hidden}</span>')
        return "".join(parts)

    return show(_parse_clozes(text))


_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def _attribute(text: str) -> str:
    """An attribute value escaped the way Anki escapes ``data-cloze``: every Latin-1 character
    but ASCII letters and digits becomes an entity."""
    return "".join(
        _NAMED.get(char) or (f"&#x{ord(char):X};" if ord(char) < 256 and not (char.isascii() and char.isalnum()) else char)
        for char in text
    )


# --- cards and pages ---------------------------------------------------------------------------


@dataclass
class PreviewCard:
    """One card as Anki shows it: a note's question and answer for one template or cloze number."""

    deck: str
    notetype: str
    card: str  # "Card 1", "Cloze 2": which of the note's cards this is
    rule: str
    file: str  # the note as the user named it
    line: int
    question: str  # HTML
    answer: str  # HTML


@dataclass
class Category:
    name: str
    page: str  # file name of its page in the output folder
    cards: list[PreviewCard] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class PreviewReport:
    index: Path
    categories: list[Category] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)

    made: int = 0  # cards the notes made (one Anki note each)
    files: int = 0  # note files read

    @property
    def to_review(self) -> int:
        """The cards Anki will ask: one per Basic note, one per deletion number of a Cloze note."""
        return sum(len(category.cards) for category in self.categories)

    @property
    def skipped(self) -> int:
        return sum(len(category.skipped) for category in self.categories)


def cards_of(card: Card, fields: list[str]) -> list[PreviewCard]:
    """The cards Anki makes of one note's fields, rendered with its notetype's templates."""
    notetype = _notetype(card.kind).name
    return [
        PreviewCard(render.deck_name(card.note), notetype, name, card.rule, card.note.display, card.line, question, answer)
        for name, question, answer in anki_cards(card.kind, fields)
    ]


def anki_cards(kind: str, fields: list[str]) -> list[tuple[str, str, str]]:
    """(name, question HTML, answer HTML) of each card Anki makes of a note of the ``kind``
    notetype: one per template, or one per deletion number of a cloze."""
    model = _notetype(kind)
    named = dict(zip((spec["name"] for spec in model.fields), fields, strict=True))
    result = []
    for template in model.templates:
        if kind == "cloze":
            variants = [(number, f"Cloze {number}") for number in cloze_numbers(named[_cloze_field(template["qfmt"])])]
        else:
            variants = [(None, template["name"])]
        for number, name in variants:
            question = render_template(template["qfmt"], named, number)
            result.append((name, question, render_template(template["afmt"], named, number, front_side=question)))
    return result


def _notetype(kind: str):
    from notes2anki.package import BASIC_MODEL, CLOZE_MODEL  # the objects that go into the deck

    return CLOZE_MODEL if kind == "cloze" else BASIC_MODEL


def _cloze_field(template: str) -> str:
    match = re.search(r"\{\{\s*cloze:\s*([^}]+?)\s*\}\}", template)
    if match is None:
        raise TemplateError("a cloze template without {{cloze:…}}")
    return match.group(1)


def preview(paths: list[Path], out_dir: Path) -> PreviewReport:
    """Write ``index.html`` and one page per category into ``out_dir``.

    A note that cannot be read is left out and reported; a card whose image is missing shows
    its alt text, as in the deck, and is reported. Raises OSError when ``out_dir`` cannot be
    written.
    """
    from notes2anki.decks import file_name
    from notes2anki.media import MediaFiles

    tree = read_tree(paths)
    cards, skipped = tree.cards, tree.skipped
    report = PreviewReport(out_dir / "index.html", errors=tree.errors, files=len(tree.notes))
    categories: dict[str, Category] = {}
    taken: set[str] = set()

    def category(name: str) -> Category:
        if name not in categories:
            categories[name] = Category(name, file_name(name, taken, ".html"))
            taken.add(categories[name].page.casefold())
        return categories[name]

    media_files = MediaFiles()
    for card in sorted(cards, key=lambda card: (card.note.display, card.line)):
        render_fields = render.cloze_fields if card.kind == "cloze" else render.basic_fields
        fields = render_fields(card, media_files)  # what the deck gets
        category(card.note.category).cards.extend(cards_of(card, fields))
        report.made += 1
    report.errors.extend(media_files.problems)  # shown with their alt text, as the deck shows them
    for item in sorted(skipped, key=lambda item: (item.note.display, item.line)):
        category(item.note.category).skipped.append(item)
    report.categories = [categories[name] for name in sorted(categories)]
    _write(report, out_dir, media_files.files)
    return report


def _write(report: PreviewReport, out_dir: Path, media: dict[str, Path]) -> None:
    """The pages and their images; of what the last preview wrote, what is no longer needed
    goes. Other files in ``out_dir`` are the user's and stay."""
    before = _written_before(out_dir)
    media_dir = out_dir / MEDIA_DIR
    media_dir.mkdir(parents=True, exist_ok=True)
    for name, path in media.items():
        target = media_dir / name
        if not target.exists():  # names carry a hash of the content
            shutil.copyfile(path, target)
    math = _copy_mathjax(out_dir / ASSETS_DIR)
    for category in report.categories:
        (out_dir / category.page).write_text(_category_page(category, report, math), encoding="utf-8")
    report.index.write_text(_index_page(report), encoding="utf-8")
    written = {category.page for category in report.categories} | {report.index.name} | {f"{MEDIA_DIR}/{name}" for name in media}
    for stale in before - written:
        (out_dir / stale).unlink(missing_ok=True)
    (out_dir / WRITTEN).write_text("".join(f"{name}\n" for name in sorted(written)), encoding="utf-8")


def _written_before(out_dir: Path) -> set[str]:
    """The pages and images the last preview wrote, as it listed them: only names it makes
    (``page.html``, ``media/name``), so a list edited by hand cannot reach outside."""
    try:
        listed = (out_dir / WRITTEN).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    ours = re.compile(rf"[^/\\]+\.html|{MEDIA_DIR}/[^/\\]+")
    return {name for name in listed if ours.fullmatch(name) and name.rpartition("/")[2] not in (".", "..")}


def _copy_mathjax(assets: Path) -> bool:
    """Copy the vendored MathJax next to the pages; False when this installation has none."""
    source = resources.files("notes2anki") / "preview_assets" / MATHJAX
    if not source.is_file():
        return False
    assets.mkdir(parents=True, exist_ok=True)
    target = assets / MATHJAX
    data = source.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        target.write_bytes(data)
    return True


# --- HTML --------------------------------------------------------------------------------------

_PAGE_CSS = """\
body.n2a-p { margin: 0; font: 15px/1.45 system-ui, "Noto Sans CJK JP", sans-serif; color: #1f2328; background: #f6f8fa; }
.n2a-p-bar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: .6em; align-items: center;
  padding: .6em 1em; background: #fff; border-bottom: 1px solid #d0d7de; }
.n2a-p-bar h1 { font-size: 1.1em; margin: 0 1em 0 0; }
.n2a-p-bar input, .n2a-p-bar select { font: inherit; padding: .25em .4em; }
.n2a-p-bar input { flex: 1 1 12em; }
.n2a-p-bar select { max-width: 14em; }
.n2a-p-count { color: #57606a; }
.n2a-p-main { padding: 1em; }
.n2a-p-main h2 { font-size: 1.05em; margin: 1.4em 0 .5em; }
.n2a-p-card, .n2a-p-skip { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 0 0 .8em; }
.n2a-p-meta { font-size: .85em; color: #57606a; padding: .35em .8em; border-bottom: 1px solid #eaeef2; }
.n2a-p-meta b { color: #1f2328; font-weight: 600; }
.n2a-p-sides { display: grid; grid-template-columns: 1fr 1fr; }
.n2a-p-side { padding: .6em 0; min-width: 0; }
.n2a-p-side + .n2a-p-side { border-left: 1px solid #eaeef2; }
.n2a-p-label { font-size: .75em; color: #8c959f; text-transform: uppercase; letter-spacing: .05em; padding: 0 .8em .3em; }
.n2a-p-skip { padding: .4em .8em; font-size: .9em; }
.n2a-p-skip code { background: none; }
.n2a-p-hidden { display: none; }
.n2a-p-errors { color: #cf222e; }
.n2a-p-index td, .n2a-p-index th { text-align: left; padding: .3em 1em .3em 0; }
"""

# Search ignores case and width (ＡＷＳ finds AWS); the filters combine with it.
_PAGE_SCRIPT = """\
(() => {
  const norm = (text) => text.normalize("NFKC").toLowerCase();
  const items = [...document.querySelectorAll("[data-search]")];
  const query = document.getElementById("n2a-search");
  const rule = document.getElementById("n2a-rule");
  const file = document.getElementById("n2a-file");
  const count = document.getElementById("n2a-count");
  const total = document.querySelectorAll(".n2a-p-card").length;
  function apply() {
    const words = norm(query.value).split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const item of items) {
      const visible = words.every((word) => item.dataset.search.includes(word))
        && (!rule.value || item.dataset.rule === rule.value)
        && (!file.value || item.dataset.file === file.value);
      item.classList.toggle("n2a-p-hidden", !visible);
      if (visible && item.classList.contains("n2a-p-card")) shown++;
    }
    for (const group of document.querySelectorAll("[data-group]")) {
      group.classList.toggle("n2a-p-hidden", !group.querySelector("[data-search]:not(.n2a-p-hidden)"));
    }
    count.textContent = `${shown} of ${total} cards`;
  }
  for (const control of [query, rule, file]) control.addEventListener("input", apply);
  apply();
})();
"""

_MATHJAX_CONFIG = """\
window.MathJax = {
  tex: {inlineMath: [["\\\\(", "\\\\)"]], displayMath: [["\\\\[", "\\\\]"]], processEscapes: false, processEnvironments: false},
  options: {ignoreHtmlClass: "n2a-p", processHtmlClass: "card"},
  startup: {pageReady: () => MathJax.startup.defaultPageReady().then(() => { document.body.dataset.math = "typeset"; })},
};
"""

NO_CARD = "(no card)"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _search_text(*parts: str) -> str:
    """What the search box matches: the words a reader sees, normalised as the script does."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)) for part in parts)
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _options(label: str, values: list[str]) -> str:
    return f'<option value="">{_e(label)}</option>' + "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)


def _category_page(category: Category, report: PreviewReport, math: bool) -> str:
    rules = sorted({card.rule for card in category.cards}) + ([NO_CARD] if category.skipped else [])
    files = sorted({card.file for card in category.cards} | {item.note.display for item in category.skipped})
    by_deck: dict[str, list[PreviewCard]] = defaultdict(list)
    for card in category.cards:
        by_deck[card.deck].append(card)
    sections = []
    for deck, cards in by_deck.items():
        articles = "".join(_card_html(card) for card in cards)
        sections.append(f'<section data-group><h2>{_e(deck)}</h2>{articles}</section>')
    if category.skipped:
        items = "".join(_skipped_html(item) for item in category.skipped)
        sections.append(f'<section data-group id="no-card"><h2>Items that made no card</h2>{items}</section>')
    others = " · ".join(
        f'<a href="../{_e(other.page)}">{_e(other.name)}</a>' for other in report.categories if other is not category
    )
    mathjax = (
        f'<script>{_MATHJAX_CONFIG}</script><script src="../{ASSETS_DIR}/{MATHJAX}" async></script>'
        if math
        else ""
    )
    # <base>: card HTML names images as Anki does (a bare file name), and they live in media/.
    return f"""<!DOCTYPE html>
<html lang="und"><head><meta charset="utf-8"><base href="{MEDIA_DIR}/">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(category.name)} — notes2anki preview</title>
<style>{_notetype_css()}</style>
<style>{_PAGE_CSS}</style>
{mathjax}</head>
<body class="n2a-p">
<div class="n2a-p-bar">
<h1><a href="../index.html">notes2anki preview</a> › {_e(category.name)}</h1>
<input id="n2a-search" type="search" placeholder="Search cards" aria-label="Search cards">
<select id="n2a-rule" aria-label="Rule">{_options("every rule", rules)}</select>
<select id="n2a-file" aria-label="File">{_options("every file", files)}</select>
<span id="n2a-count" class="n2a-p-count"></span>
</div>
<main class="n2a-p-main">
<p>{others}</p>
{"".join(sections)}
</main>
<script>{_PAGE_SCRIPT}</script>
</body></html>
"""


def _card_html(card: PreviewCard) -> str:
    number = card.card.rpartition(" ")[2]
    return (
        f'<article class="n2a-p-card" data-rule="{_e(card.rule)}" data-file="{_e(card.file)}" '
        f'data-search="{_e(_search_text(card.question, card.answer, card.file, card.rule))}">'
        f'<div class="n2a-p-meta"><b>{_e(card.file)}:{card.line}</b> · {_e(card.rule)} · {_e(card.notetype)} · {_e(card.card)}</div>'
        f'<div class="n2a-p-sides">'
        f'<div class="n2a-p-side"><div class="n2a-p-label">Question</div><div class="card card{number}">{card.question}</div></div>'
        f'<div class="n2a-p-side"><div class="n2a-p-label">Answer</div><div class="card card{number}">{card.answer}</div></div>'
        f"</div></article>"
    )


def _skipped_html(item: Skipped) -> str:
    return (
        f'<div class="n2a-p-skip" data-rule="{NO_CARD}" data-file="{_e(item.note.display)}" '
        f'data-search="{_e(_search_text(item.text, item.reason, item.note.display))}">'
        f"<b>{_e(item.note.display)}:{item.line}</b> · {_e(item.reason)}: <code>{_e(item.text)}</code></div>"
    )


def _notetype_css() -> str:
    return "\n".join(dict.fromkeys(_notetype(kind).css for kind in ("basic", "cloze")))


def _index_page(report: PreviewReport) -> str:
    rows = "".join(
        f'<tr><td><a href="{_e(category.page)}">{_e(category.name)}</a></td><td>{len(category.cards)}</td>'
        f"<td>{len({card.deck for card in category.cards})}</td><td>{len(category.skipped)}</td></tr>"
        for category in report.categories
    )
    errors = "".join(f"<li>{_e(error)}</li>" for error in report.errors)
    problems = f'<h2>Left out</h2><ul class="n2a-p-errors">{errors}</ul>' if errors else ""
    return f"""<!DOCTYPE html>
<html lang="und"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>notes2anki preview</title>
<style>{_PAGE_CSS}</style>
</head>
<body class="n2a-p">
<div class="n2a-p-bar"><h1>notes2anki preview</h1><span class="n2a-p-count">{report.to_review} cards to review, {report.skipped} items without a card</span></div>
<main class="n2a-p-main">
<table class="n2a-p-index"><tr><th>category</th><th>cards</th><th>decks</th><th>no card</th></tr>{rows}</table>
{problems}
</main>
</body></html>
"""
