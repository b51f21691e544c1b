"""Command line: ``main(argv) -> int`` is the only place that prints or decides the exit code.

Exit codes: 0 success, 1 problems found in the notes, 2 usage error or output not writable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from notes2anki import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_ERROR
    missing = [path for path in getattr(args, "paths", []) if not path.exists()]
    if missing:
        for path in missing:
            print(f"notes2anki: {path}: no such file or folder", file=sys.stderr)
        return EXIT_ERROR
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("notes2anki: interrupted; finished decks and the build state are intact", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="notes2anki", description="Markdown study notes to Anki decks.")
    parser.add_argument("--version", action="version", version=f"notes2anki {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build = commands.add_parser("build", help="write one .apkg per category")
    build.add_argument("paths", nargs="*", type=Path, default=[Path("notes")], metavar="NOTES", help="notes folder(s) or files (default: notes)")
    build.add_argument("-o", "--out", type=Path, default=Path("build"), help="output folder (default: build)")
    build.set_defaults(run=_build)

    cards = commands.add_parser("cards", help="print the cards notes make, and the items that make none")
    cards.add_argument("paths", nargs="*", type=Path, default=[Path("notes")], metavar="PATH")
    cards.set_defaults(run=_cards)
    return parser


def _build(args: argparse.Namespace) -> int:
    from notes2anki.pipeline import build

    report = build(args.paths, args.out)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    failed = False
    for deck in report.decks:
        if deck.error:
            failed = True
            kept = " (the previous deck is kept)" if deck.path.exists() else ""
            print(f"{deck.path}: not written: {deck.error}{kept}", file=sys.stderr)
        else:
            cards = _count(deck.basic + deck.cloze, "card")
            print(f"{deck.path}: {cards} ({deck.basic} basic, {deck.cloze} cloze) from {_count(deck.notes, 'file')}")
    if any(deck.error and deck.error.startswith("cannot write") for deck in report.decks):
        return EXIT_ERROR
    return EXIT_FINDINGS if failed or report.errors else EXIT_OK


def _cards(args: argparse.Namespace) -> int:
    from notes2anki import render
    from notes2anki.pipeline import extract_cards, load_notes

    loaded = load_notes(args.paths)
    extracted = extract_cards(loaded.notes)
    entries: list[tuple[str, int, list[str]]] = []
    for card in extracted.cards:
        lines = [f"{card.source}: {card.rule} ({card.kind})  [{' › '.join(card.context)}]"]
        if card.kind == "cloze":
            lines.append(f"    C  {render.preview_cloze(card)}")
        else:
            lines.append(f"    Q  {render.preview(card.front)}")
            lines.append(f"    A  {' '.join(filter(None, (render.preview(card.back), render.preview_items(card.back_list))))}")
        if card.extra:
            lines.append(f"    +  {render.preview_items(card.extra)}")
        entries.append((card.note.display, card.line, lines))
    for skipped in extracted.skipped:
        entries.append((skipped.note.display, skipped.line, [f"{skipped.note.display}:{skipped.line}: no card: {skipped.reason}: {skipped.text}"]))
    for _, _, lines in sorted(entries, key=lambda entry: (entry[0], entry[1])):
        print("\n".join(lines))
    for error in loaded.errors:
        print(f"error: {error}", file=sys.stderr)
    print(
        f"{_count(len(extracted.cards), 'card')}, {_count(len(extracted.skipped), 'item')} without a card, "
        f"{_count(len(loaded.notes), 'note')}"
    )
    return EXIT_FINDINGS if loaded.errors else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
