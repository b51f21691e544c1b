"""Command line: ``main(argv) -> int`` is the only place that prints or decides the exit code.

Exit codes: 0 success, 1 problems found in the notes (a note that cannot be read is one), 2
usage or configuration error, or output that cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from notes2anki import __version__
from notes2anki.lint.formats import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
ANKICONNECT_URL = "http://127.0.0.1:8765"  # where the AnkiConnect add-on listens unless told otherwise
URL_VARIABLE, KEY_VARIABLE = "NOTES2ANKI_ANKI_URL", "NOTES2ANKI_API_KEY"


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
    build.add_argument("--watch", action="store_true", help="build again whenever a note or an image changes (Ctrl-C to stop)")
    build.set_defaults(run=_build)

    push = commands.add_parser("push", help="build, then import the decks into a running Anki (AnkiConnect)")
    push.add_argument("paths", nargs="*", type=Path, default=[Path("notes")], metavar="NOTES", help="notes folder(s) or files (default: notes)")
    push.add_argument("-o", "--out", type=Path, default=Path("build"), help="output folder (default: build)")
    push.add_argument("-v", "--verbose", action="store_true", help="list each card added, changed, moved or removed")
    push.add_argument("--anki-url", metavar="URL", help=f"AnkiConnect's address (default: ${URL_VARIABLE}, else {ANKICONNECT_URL})")
    push.add_argument("--api-key", metavar="KEY", help=f"AnkiConnect's apiKey, if it set one (default: ${KEY_VARIABLE})")
    push.set_defaults(run=_push, dry_run=False, forget_removed=False)

    preview = commands.add_parser("preview", help="write HTML pages that show every card as Anki will")
    preview.add_argument("paths", nargs="*", type=Path, default=[Path("notes")], metavar="NOTES", help="notes folder(s) or files (default: notes)")
    preview.add_argument("-o", "--out", type=Path, default=Path("build/preview"), help="output folder (default: build/preview)")
    preview.add_argument("--open", action="store_true", help="open the pages in the web browser")
    preview.set_defaults(run=_preview)

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
    if args.watch:
        return _watch(args)
    return _build_once(args)[0]


def _build_once(args: argparse.Namespace):
    """Build, print the report; the exit code, and the report (None when nothing could be built)."""
    from notes2anki.build import build
    from notes2anki.files import Busy

    try:
        report = build(args.paths, args.out, args.dry_run, args.forget_removed, _progress(), details=args.verbose)
    except Busy as error:
        print(f"notes2anki: {error}", file=sys.stderr)
        return EXIT_ERROR, None
    except OSError as error:
        print(f"notes2anki: cannot use the output folder {args.out}: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR, None
    _print_build(report, args.verbose, args.dry_run)
    if report.state_error:  # a deck that could not be written is one too
        return EXIT_ERROR, report
    return EXIT_FINDINGS if report.errors else EXIT_OK, report


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
        if changes.descriptions:
            counts.append(f"{_count(changes.descriptions, 'description')} changed")
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
    """A progress bar per stage the build reports, on a terminal only (never in CI, a file or a
    pipe); each bar is cleared when its stage ends, so the report stays as it was."""
    import os

    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from tqdm import tqdm  # about 40 ms to import: only when a bar may be drawn

    bars: dict[str, tqdm] = {}
    names = {"reading": "reading notes", "writing": "writing decks"}

    def show(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.close()
            bars[stage] = tqdm(total=total, desc=names.get(stage, stage), unit="", leave=False, file=sys.stderr)
        bar = bars[stage]
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return show


def _watch(args: argparse.Namespace) -> int:
    """Build, then build again whenever a note or an image changes.

    The system tells watchfiles what changed (inotify, FSEvents, ReadDirectoryChangesW): no
    polling. The build itself reads only the files that changed.
    """
    from watchfiles import DefaultFilter, watch

    from notes2anki.lock import LOCK_FILE
    from notes2anki.source import root_of

    output = args.out.resolve()

    watched = sorted({root_of(path).resolve() for path in args.paths})

    class Inputs(DefaultFilter):
        """What the build reads: the notes folders' files, but not hidden ones (the build ignores
        them and keeps its temporary files there), the lock file or the output folder."""

        def __call__(self, change, path: str) -> bool:
            resolved = Path(path).resolve()
            if resolved == output or output in resolved.parents or resolved.name == LOCK_FILE:
                return False
            inside = [resolved.relative_to(root).parts for root in watched if root in resolved.parents]
            if any(part.startswith(".") for parts in inside for part in parts):
                return False
            return super().__call__(change, path)

    _build_once(args)
    print(f"watching {', '.join(map(str, args.paths))} for changes (Ctrl-C to stop)", flush=True)
    for changes in watch(*watched, watch_filter=Inputs(), raise_interrupt=True):
        names = sorted({_shown(Path(path)) for _, path in changes})
        print(f"changed: {', '.join(names)}", flush=True)
        _build_once(args)
        sys.stdout.flush()
    return EXIT_OK


def _shown(path: Path) -> str:
    """A path as short as it can be said: relative to the current folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _push(args: argparse.Namespace) -> int:
    import os

    from notes2anki.push import AnkiConnect, AnkiConnectError, KeyRefused

    status, report = _build_once(args)
    if report is None:
        return status
    client = AnkiConnect(args.anki_url or os.environ.get(URL_VARIABLE) or ANKICONNECT_URL, args.api_key or os.environ.get(KEY_VARIABLE))
    decks = [deck for deck in report.decks if not deck.error and deck.path.exists()]
    for deck in report.decks:
        if deck.error:
            print(f"{deck.path}: not sent to Anki: this build could not write it", file=sys.stderr)
    try:
        client.check()
        for deck in decks:
            pushed = client.import_deck(deck.path, deck.category)
            print(f"{deck.path}: imported into Anki, which now has {_count(pushed.cards_after, 'card')} in {deck.category} ({pushed.cards_after - pushed.cards_before} new)")
    except AnkiConnectError as error:
        hint = f": give its apiKey setting with --api-key or ${KEY_VARIABLE}" if isinstance(error, KeyRefused) else ""
        print(f"notes2anki: {error}{hint}", file=sys.stderr)
        print(f"notes2anki: the decks are in {args.out}; import them with File › Import instead", file=sys.stderr)
        return EXIT_ERROR
    return status


def _preview(args: argparse.Namespace) -> int:
    from notes2anki.preview import preview

    try:
        report = preview(args.paths, args.out)
    except OSError as error:
        print(f"notes2anki: cannot write the preview into {args.out}: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(
        f"{report.index}: {_count(report.made, 'card')} from {_count(report.files, 'note')} "
        f"({report.to_review} to review in Anki: one per cloze deletion), {_count(report.skipped, 'item')} without a card"
    )
    if args.open:
        import webbrowser

        webbrowser.open(report.index.resolve().as_uri())
    return EXIT_FINDINGS if report.errors else EXIT_OK


def _cards(args: argparse.Namespace) -> int:
    from notes2anki import render
    from notes2anki.pipeline import read_tree

    tree = read_tree(args.paths)
    cards, skipped, errors = tree.cards, tree.skipped, tree.errors
    if args.output_format == "json":
        _print_cards_json(cards, skipped, render)
    else:
        _print_cards_text(cards, skipped, render)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if args.output_format == "text":
        print(f"{_count(len(cards), 'card')}, {_count(len(skipped), 'item')} without a card, {_count(len(tree.notes), 'note')}")
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
    for problem in result.unwritten:
        print(f"error: {problem}", file=sys.stderr)
    summary = _lint_summary(result, mode)
    print(summary, file=sys.stdout if args.output_format == "text" else sys.stderr)
    if result.unwritten:
        return EXIT_ERROR
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
