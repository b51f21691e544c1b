"""Command line: ``main(argv) -> int`` is the only place that prints or decides the exit code.

Exit codes: 0 success, 1 problems found in the notes, 2 usage or configuration error,
unreadable input, or output that cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from notes2anki import __version__
from notes2anki.lint.formats import FORMATS

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
        print("notes2anki: interrupted; every file written so far is whole", file=sys.stderr)
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
    build.add_argument("-v", "--verbose", action="store_true", help="list each card added, changed, moved or removed")
    build.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    build.add_argument("--forget-removed", action="store_true", help="drop removed cards (after deleting them in Anki)")
    build.add_argument("--watch", action="store_true", help="rebuild whenever a note changes (Ctrl-C to stop)")
    build.set_defaults(run=_build)

    cards = commands.add_parser("cards", help="print the cards notes make, and the items that make none")
    cards.add_argument("paths", nargs="*", type=Path, default=[Path("notes")], metavar="PATH", help="notes folder(s) or files (default: notes)")
    cards.add_argument(
        "--format", choices=("text", "json"), default="text", dest="output_format", help="text for reading (default), json for tools"
    )
    cards.set_defaults(run=_cards)

    lint = commands.add_parser(
        "lint",
        help="check notes for what breaks cards and terminology",
        description="Check notes for what breaks cards and terminology. Exit 0: clean (warnings allowed); "
        "1: problems found, or a note that cannot be read; 2: usage or configuration error.",
    )
    lint.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="note files or folders to report on (default: the notes folders of [tool.notes2anki]); "
        "rules that compare notes still read the whole configured notes tree",
    )  # fmt: skip
    lint.add_argument(
        "--output-format", "--format", choices=FORMATS, default="text", dest="output_format",
        help="text: path:line:col: CODE message (default); json; github: GitHub Actions annotations",
    )  # fmt: skip
    lint.add_argument("--fix", action="store_true", help="apply safe fixes to the files (code and line ends are never touched)")
    lint.add_argument("--diff", action="store_true", help="show what --fix would change as a diff, change nothing")
    lint.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply fixes that need a human look")
    lint.add_argument("--select", type=_codes, metavar="CODES", help="only these rule codes or prefixes, comma-separated (N1,N402); replaces the configured ones")
    lint.add_argument("--extend-select", type=_codes, metavar="CODES", help="these rule codes or prefixes too, besides the selected ones")
    lint.add_argument("--ignore", type=_codes, metavar="CODES", help="skip these rule codes or prefixes, besides the configured ones")
    lint.add_argument("--statistics", action="store_true", help="print how many problems each rule found instead of each problem")
    lint.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found (2 still means a usage or configuration error)")
    lint.add_argument("--config", type=Path, metavar="FILE", help="the pyproject.toml to read [tool.notes2anki] from (default: the nearest one above)")
    lint.add_argument("--no-cache", action="store_true", help="read every note, and keep no cache")
    lint.set_defaults(run=_lint)

    rules = commands.add_parser("rules", help="list the lint rules", description="List every lint rule: code, name, whether --fix can fix it, what it finds.")
    rules.set_defaults(run=_rules)
    rule = commands.add_parser("rule", help="print a lint rule's documentation", description="Print a rule's documentation: what it does, why, an example and what to write instead.")
    rule.add_argument("code", metavar="RULE", help="a rule code (N101) or name (acronym-mismatch)")
    rule.set_defaults(run=_rule)
    return parser


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


def _build(args: argparse.Namespace) -> int:
    from notes2anki.build import build

    from notes2anki.files import Busy

    if args.watch:
        return _watch(args)
    try:
        report = build(args.paths, args.out, args.dry_run, args.forget_removed, _progress())
    except Busy as error:
        print(f"notes2anki: {error}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:
        print(f"notes2anki: cannot use the output folder {args.out}: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    _print_build(report, args.verbose, args.dry_run)
    if report.state_error or any(deck.error and deck.error.startswith("cannot write") for deck in report.decks):
        return EXIT_ERROR
    return EXIT_FINDINGS if report.errors or any(deck.error for deck in report.decks) else EXIT_OK


def _print_build(report, verbose: bool, dry_run: bool) -> None:
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.state_error:
        print(f"error: {report.state_error}", file=sys.stderr)
    for line in report.reassociations:
        print(f"identity: {line}")
    for move in report.deck_moves:
        print(
            f"deck: {move.path}: its cards now belong in '{move.new}', but Anki keeps the {move.cards} it has in "
            f"'{move.old}': in Anki's browser, search deck:\"{move.old}\" and use Change Deck"
        )
    for deck in report.decks:
        if deck.error:
            kept = " (the previous deck is kept)" if deck.path.exists() else ""
            print(f"{deck.path}: not written: {deck.error}{kept}", file=sys.stderr)
            continue
        changes = deck.changes
        groups = (
            ("added", "+", changes.added),
            ("changed", "~", changes.changed),
            ("moved", ">", changes.moved),
            ("removed", "-", changes.removed),
            ("moved to another deck", "<", changes.left),
        )
        counts = [f"{len(items)} {label}" for label, _, items in groups if items]
        if changes.forgotten:
            counts.append(f"{changes.forgotten} removed forgotten")
        status = "would write" if dry_run and (changes or not deck.path.exists()) else "written" if deck.written else "unchanged"
        removed = f", {deck.kept_removed} removed kept" if deck.kept_removed else ""
        print(f"{deck.path}: {status}: {_count(deck.basic + deck.cloze, 'card')} ({deck.basic} basic, {deck.cloze} cloze{removed}); {', '.join(counts) or 'no changes'}")
        if verbose:
            for _, mark, items in groups:
                for change in items:
                    print(f"  {mark} {change.path}:{change.line}  {change.question}")
    if report.files:
        print(f"{_count(report.files, 'note')}, {report.parsed} read this time")


def _progress():
    """A progress line on a terminal; nothing in CI or when output goes to a file or pipe."""
    import os

    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(stage: str, done: int, total: int) -> None:
        if total >= 20 or stage == "writing" and total:
            what = "reading notes" if stage == "reading" else "writing decks"
            end = "\n" if done == total else ""
            print(f"\r{what} {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def _watch(args: argparse.Namespace) -> int:
    """Rebuild whenever a note (or an image) changes, by polling: no extra dependency."""
    import time

    from notes2anki.build import build
    from notes2anki.files import Busy
    from notes2anki.source import discover

    def snapshot() -> dict:
        found = {}
        for path, _ in discover(args.paths):
            try:
                stat = path.stat()
            except OSError:
                continue
            found[path] = (stat.st_size, stat.st_mtime_ns)
        return found

    print(f"watching {', '.join(map(str, args.paths))} (Ctrl-C to stop)")
    seen = None
    while True:
        current = snapshot()
        if current != seen:
            seen = current
            try:
                _print_build(build(args.paths, args.out, forget_removed=args.forget_removed), args.verbose, False)
            except (Busy, OSError) as error:
                print(f"notes2anki: {error}", file=sys.stderr)
            sys.stdout.flush()
        time.sleep(0.5)


def _cards(args: argparse.Namespace) -> int:
    from notes2anki import render
    from notes2anki.pipeline import read_tree

    cards, skipped, errors, notes = [], [], [], 0
    for read in read_tree(args.paths):
        if read.note is None:
            errors.append(read.error)
            continue
        notes += 1
        cards.extend(read.cards)
        skipped.extend(read.skipped)
    if args.output_format == "json":
        _print_cards_json(cards, skipped, render)
    else:
        _print_cards_text(cards, skipped, render)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if args.output_format == "text":
        print(f"{_count(len(cards), 'card')}, {_count(len(skipped), 'item')} without a card, {_count(notes, 'note')}")
    return EXIT_FINDINGS if errors else EXIT_OK


def _print_cards_text(cards, skipped, render) -> None:
    entries: list[tuple[str, int, list[str]]] = []
    for card in cards:
        text = render.card_text(card)
        lines = [f"{card.source}: {card.rule} ({card.kind})  [{' › '.join(card.context)}]"]
        if card.kind == "cloze":
            lines.append(f"    C  {text['front']}")
        else:
            lines.append(f"    Q  {text['front']}")
            lines.append(f"    A  {_one_line(text['back'])}")
        if text["extra"]:
            lines.append(f"    +  {_one_line(text['extra'])}")
        entries.append((card.note.display, card.line, lines))
    for item in skipped:
        entries.append((item.note.display, item.line, [f"{item.note.display}:{item.line}: no card: {item.reason}: {item.text}"]))
    for _, _, lines in sorted(entries, key=lambda entry: (entry[0], entry[1])):
        print("\n".join(lines))


def _one_line(text: str) -> str:
    """Answer lines side by side, as a terminal line: ``• a • b`` for several."""
    lines = text.split("\n")
    return lines[0] if len(lines) == 1 else " ".join(f"• {line}" for line in lines)


def _print_cards_json(cards, skipped, render) -> None:
    import json

    output = {
        "cards": [
            {"path": card.note.display, "line": card.line, "rule": card.rule, "type": card.kind, "context": list(card.context), **render.card_text(card)}
            for card in cards
        ],
        "skipped": [{"path": item.note.display, "line": item.line, "text": item.text, "reason": item.reason} for item in skipped],
    }
    print(json.dumps(output, ensure_ascii=False, indent=1))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _lint(args: argparse.Namespace) -> int:
    from notes2anki.lint import formats, runner
    from notes2anki.lint.config import ConfigError, unknown_code
    from notes2anki.lint.rules import BY_CODE
    from notes2anki.lint.terms import DictionaryError

    try:
        config, dictionary = runner.load_config(args.config)
    except (ConfigError, DictionaryError) as error:
        print(f"notes2anki: {error}", file=sys.stderr)
        return EXIT_ERROR
    for option, codes in (("--select", args.select), ("--extend-select", args.extend_select), ("--ignore", args.ignore)):
        problem = unknown_code(codes or (), set(BY_CODE))
        if problem is not None:
            print(f"notes2anki: {option}: {problem}", file=sys.stderr)
            return EXIT_ERROR
    if args.select is not None:
        config.select = args.select
    if args.extend_select and config.select:  # nothing selected means every rule already
        config.select = config.select + args.extend_select
    if args.ignore is not None:
        config.ignore = config.ignore + args.ignore
    paths = args.paths or config.notes_folders()
    if not paths:
        print(f"notes2anki: no notes folder found ({', '.join(config.notes)}); name files or folders to lint", file=sys.stderr)
        return EXIT_ERROR
    mode = "fix" if args.fix else "diff" if args.diff else "check"
    use_cache = config.source != "defaults" and not args.no_cache  # a project has a place for it
    result = runner.run(paths, config, dictionary, mode, args.unsafe_fixes, use_cache)

    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not result.files:
        print(f"warning: no notes (*.md files) found in {', '.join(map(str, paths))}; nothing to lint", file=sys.stderr)
        return EXIT_OK
    for diff in result.diffs:
        sys.stdout.write(diff)
    if args.statistics:
        output = formats.statistics(result.findings, args.output_format)
    else:
        output = formats.render(result.findings, args.output_format)
    if output:
        print(output)
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    summary = _lint_summary(result, mode)
    print(summary, file=sys.stdout if args.output_format == "text" else sys.stderr)
    failed = result.errors or any(finding.severity == "error" for finding in result.findings) or (mode == "diff" and result.diffs)
    return EXIT_FINDINGS if failed and not args.exit_zero else EXIT_OK


def _lint_summary(result, mode: str) -> str:
    fixed = sum(result.fixed.values())
    parts = []
    if fixed:
        verb = "Would fix" if mode == "diff" else "Fixed"
        parts.append(f"{verb} {_count(fixed, 'problem')} in {_count(len(result.fixed), 'file')}.")
    if result.findings:
        files = len({finding.path for finding in result.findings})
        fixable = sum(1 for finding in result.findings if finding.fixable)
        hint = f" ({fixable} fixable with --fix)" if fixable and mode == "check" else ""
        left = "remaining" if fixed else "found"
        parts.append(f"{_count(len(result.findings), 'problem')} {left} in {_count(files, 'file')}{hint}.")
    elif not result.errors:
        parts.append(f"All checks passed ({_count(result.files, 'file')}).")
    if result.errors:
        parts.append(f"{_count(len(result.errors), 'file')} could not be read.")
    return " ".join(parts)


def _rules(args: argparse.Namespace) -> int:
    from notes2anki.lint.rules import RULES

    for rule in RULES:
        summary = rule.__doc__.splitlines()[0].split(": ", 1)[1]
        fix = {"safe": "fix", "unsafe": "fix*"}.get(rule.FIX, "")
        print(f"{rule.CODE}  {rule.NAME:26}  {fix:4}  {summary}")
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    from notes2anki.lint.rules import BY_CODE, BY_NAME

    rule = BY_CODE.get(args.code.upper()) or BY_NAME.get(args.code)
    if rule is None:
        print(f"notes2anki: no rule {args.code!r}; `notes2anki rules` lists them", file=sys.stderr)
        return EXIT_ERROR
    print(rule.__doc__.strip())
    return EXIT_OK
