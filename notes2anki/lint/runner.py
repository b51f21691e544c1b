"""A lint run: configuration, the corpus the rules see, the findings, and fixes written safely."""

from __future__ import annotations

import codecs
import dataclasses
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from notes2anki import media, parallel
from notes2anki.lint import config as config_module
from notes2anki.lint import fix, terms
from notes2anki.lint.config import Config
from notes2anki.lint.document import Document
from notes2anki.lint.engine import Corpus, Finding, is_corpus_rule, lint, ordered
from notes2anki.lint.rules import BY_CODE, RULES
from notes2anki.lint.rules.n305_missing_image import images
from notes2anki.model import NoteError
from notes2anki.source import discover, fingerprint_before_reading, read_text


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)  # unreadable files
    fixed: dict[str, int] = field(default_factory=dict)  # display path → fixes applied
    diffs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unwritten: list[str] = field(default_factory=list)  # fixed notes that could not be saved
    files: int = 0


def load_config(config_path: Path | None) -> tuple[Config, terms.Dictionary]:
    """Configuration and dictionary; raises ConfigError or DictionaryError with a clear message."""
    path = config_path or config_module.find(Path.cwd())
    config = config_module.load(path, set(BY_CODE))
    return config, terms.load(config.dictionary, config.builtin_dictionary)


def run(
    paths: list[Path],
    config: Config,
    dictionary: terms.Dictionary,
    mode: str = "check",
    unsafe: bool = False,
    use_cache: bool = False,
) -> Result:
    """Lint ``paths``; ``mode`` is "check", "fix" (write safe fixes) or "diff" (show them).

    With "fix" and "diff", the findings returned are those left after fixing.
    """
    result = Result()
    given = discover(paths)
    report_on = {str(path) for path, _ in given}
    result.files = len(report_on)
    seen = {path.resolve() for path, _ in given}
    # The whole notes tree, so that corpus-wide rules see every note even when given only some.
    tree = [(path, root) for path, root in discover(config.notes_folders()) if path.resolve() not in seen]
    rules = [rule for rule in RULES if config.enabled(rule.CODE)]
    if mode == "check":
        cache = None
        if use_cache:
            from notes2anki.lint.cache import LintCache, cache_key  # one-file lint does without

            cache = LintCache(config.root, cache_key(config, dictionary))
            if cache.warning:
                result.warnings.append(cache.warning)
        result.findings = _check([*given, *tree], report_on, config, dictionary, rules, result.errors, cache)
        return result
    documents = _read(given, result.errors) + _read(tree, [])
    corpus = Corpus(documents, config, dictionary, frozenset(report_on))
    documents = [_fixed(document, corpus, rules, report_on, mode, unsafe, result) for document in documents]
    result.findings = lint(documents, report_on, Corpus(documents, config, dictionary, frozenset(report_on)), rules)
    return result


@dataclass
class _Linted:
    """What one note gives the run: its own findings and its part of the corpus-wide rules."""

    path: Path
    root: Path
    display: str
    findings: list[Finding] = field(default_factory=list)
    collected: dict[str, object] = field(default_factory=dict)  # corpus rule code → collected part
    stat: tuple[int, int] | None = None  # the note's fingerprint, taken before it was read
    images: dict[str, tuple[int, int] | None] = field(default_factory=dict)  # every place an image was looked for
    error: NoteError | None = None


def _lint_file(job: tuple[Path, Path], config: Config, dictionary: terms.Dictionary, codes: list[str]) -> _Linted:
    """Read one note, apply the rules that need only it, collect the rest: runs in any process."""
    path, root = job
    linted = _Linted(path, root, str(path), stat=fingerprint_before_reading(path))  # a save while linting: read again next time
    try:
        document = Document.from_text(read_text(path, str(path)), path, root)
    except NoteError as error:
        linted.error = error
        return linted
    if document.note is not None:  # before N305 looks for them, for the same reason
        places = {str(place) for _, image in images(document.note.blocks) for place in media.candidates(document.note, image.url)}
        linted.images = {place: fingerprint_before_reading(place) for place in sorted(places)}
    corpus = Corpus([document], config, dictionary)
    rules = [BY_CODE[code] for code in codes]
    local = [rule for rule in rules if not is_corpus_rule(rule)]
    linted.findings = lint([document], {linted.display}, corpus, local)
    linted.collected = {rule.CODE: rule.collect(document, corpus) for rule in rules if is_corpus_rule(rule)}
    return linted


def _check(files, report_on: set[str], config: Config, dictionary, rules, errors: list[NoteError], cache) -> list[Finding]:
    """Local rules note by note (cached, and on every core when it pays), then the corpus-wide ones."""
    linted: list[_Linted] = []
    to_read = []
    for path, root in files:
        hit = cache.get(path) if cache else None
        if hit is None:
            to_read.append((path, root))
        else:
            linted.append(_Linted(path, root, str(path), *hit))
    work = partial(_lint_file, config=config, dictionary=dictionary, codes=[rule.CODE for rule in rules])
    for item in parallel.map_jobs(work, to_read):
        linted.append(item)
        if cache and item.error is None:
            cache.put(item.path, item.stat, item.findings, item.collected, item.images)
    if cache:
        cache.save({str(path) for path, _ in files})
    findings = [finding for item in linted if item.display in report_on for finding in item.findings]
    errors.extend(item.error for item in linted if item.error is not None and item.display in report_on)
    readable = [item for item in linted if item.error is None]
    corpus = Corpus([], config, dictionary, frozenset(report_on))
    for rule in (rule for rule in rules if is_corpus_rule(rule)):
        collected = {item.display: item.collected[rule.CODE] for item in readable}
        corpus.collected_by_rule[rule.CODE] = collected
        corpus.merged_by_rule[rule.CODE] = rule.merge(list(collected.values()), corpus)
    for item in readable:
        if item.display not in report_on:
            continue
        affected = [rule for rule in rules if is_corpus_rule(rule) and rule.affected(item.collected[rule.CODE], corpus.merged(rule))]
        if affected:  # read again: the note's document was not kept, to keep memory flat
            document = Document.from_text(read_text(item.path, item.display), item.path, item.root)
            findings.extend(lint([document], {item.display}, corpus, affected))
    return ordered(findings)


def _read(files: list[tuple[Path, Path]], errors: list[NoteError]) -> list[Document]:
    documents = []
    for path, root in files:
        try:
            documents.append(Document.from_text(read_text(path, str(path)), path, root))
        except NoteError as error:
            errors.append(error)
    return documents


def _fixed(document: Document, corpus: Corpus, rules, report_on: set[str], mode: str, unsafe: bool, result: Result) -> Document:
    """The document after its fixes: written to disk ("fix") or shown as a diff ("diff")."""
    if document.display not in report_on:
        return document
    others = [other for other in corpus.documents if other is not document]

    def lint_text(text: str) -> list[Finding]:
        variant = Document.from_text(text, document.path, document.root)
        variant_corpus = Corpus([variant, *others], corpus.config, corpus.dictionary, corpus.reported)
        findings = lint([variant], {document.display}, variant_corpus, rules)
        return [dataclasses.replace(finding, safe=True) for finding in findings] if unsafe else findings

    fixed_text, count = fix.fix_until_stable(document.text, lint_text)
    if count == 0:
        return document
    if mode == "diff":
        result.diffs.append(_diff(document, fixed_text))
    else:
        try:
            _write(document, fixed_text)
        except OSError as error:
            result.unwritten.append(f"{document.display}: cannot write the fixed note: {config_module.in_words(error)}; it is unchanged")
            return document
    result.fixed[document.display] = count
    return Document.from_text(fixed_text, document.path, document.root)


def _diff(document: Document, fixed_text: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        document.text.splitlines(keepends=True),
        fixed_text.splitlines(keepends=True),
        fromfile=f"a/{document.display}",
        tofile=f"b/{document.display}",
    )
    return "".join(lines)


def _write(document: Document, fixed_text: str) -> None:
    """Write the fixed note, keeping the file's BOM and each line's own line end."""
    from notes2anki.files import atomic_write

    raw = document.path.read_bytes()
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    original = raw[len(bom) :].decode("utf-8")
    atomic_write(document.path, bom + fix.with_line_ends_of(original, fixed_text).encode("utf-8"))
