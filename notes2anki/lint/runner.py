"""A lint run: configuration, the corpus the rules see, the findings, and fixes written safely."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from notes2anki.files import atomic_write
from notes2anki.lint import config as config_module
from notes2anki.lint import fix, terms
from notes2anki.lint.config import Config
from notes2anki.lint.document import Document
from notes2anki.lint.engine import Corpus, Finding, lint
from notes2anki.lint.rules import BY_CODE, RULES
from notes2anki.model import NoteError
from notes2anki.source import discover, read_text


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)  # unreadable files
    fixed: dict[str, int] = field(default_factory=dict)  # display path → fixes applied
    diffs: list[str] = field(default_factory=list)
    files: int = 0


def load_config(config_path: Path | None) -> tuple[Config, terms.Dictionary]:
    """Configuration and dictionary; raises ConfigError or DictionaryError with a clear message."""
    path = config_path or config_module.find(Path.cwd())
    config = config_module.load(path, set(BY_CODE))
    return config, terms.load(config.dictionary, config.builtin_dictionary)


def run(paths: list[Path], config: Config, dictionary: terms.Dictionary, mode: str = "check", unsafe: bool = False) -> Result:
    """Lint ``paths``; ``mode`` is "check", "fix" (write safe fixes) or "diff" (show them).

    With "fix" and "diff", the findings returned are those left after fixing.
    """
    result = Result()
    given = discover(paths)
    report_on = {str(path) for path, _ in given}
    result.files = len(report_on)
    documents = _read(given, result.errors)
    seen = {document.path.resolve() for document in documents}
    # The whole notes tree, so that corpus-wide rules see every note even when given only some.
    documents += _read([(path, root) for path, root in discover(config.notes_folders()) if path.resolve() not in seen], [])
    rules = [rule for rule in RULES if config.enabled(rule.CODE)]
    corpus = Corpus(documents, config, dictionary)
    if mode != "check":
        documents = [_fixed(document, corpus, rules, report_on, mode, unsafe, result) for document in documents]
        corpus = Corpus(documents, config, dictionary)
    result.findings = lint(documents, report_on, corpus, rules)
    return result


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
        variant_corpus = Corpus([variant, *others], corpus.config, corpus.dictionary)
        findings = lint([variant], {document.display}, variant_corpus, rules)
        return [dataclasses.replace(finding, safe=True) for finding in findings] if unsafe else findings

    fixed_text, count = fix.fix_until_stable(document.text, lint_text)
    if count == 0:
        return document
    result.fixed[document.display] = count
    if mode == "diff":
        result.diffs.append(_diff(document, fixed_text))
    else:
        _write(document, fixed_text)
    return Document.from_text(fixed_text, document.path, document.root)


def _diff(document: Document, fixed_text: str) -> str:
    lines = difflib.unified_diff(
        document.text.splitlines(keepends=True),
        fixed_text.splitlines(keepends=True),
        fromfile=f"a/{document.display}",
        tofile=f"b/{document.display}",
    )
    return "".join(lines)


def _write(document: Document, fixed_text: str) -> None:
    """Write the fixed note, keeping the file's own line ends and BOM."""
    raw = document.path.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    newline = "\r\n" if b"\r\n" in raw else "\n"
    atomic_write(document.path, bom + fixed_text.replace("\n", newline).encode("utf-8"))
