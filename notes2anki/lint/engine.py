"""Runs the rules over a corpus of notes and keeps only what the user asked to see.

Corpus-wide rules (duplicate labels, terminology) see every note of the notes tree, while
findings are reported only for the files that were given: pre-commit passes just the changed
files, possibly in batches, and the result must not depend on how they were split.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from types import ModuleType

from notes2anki.lint.config import Config
from notes2anki.lint.document import Document
from notes2anki.lint.terms import Dictionary


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with ``replacement`` (offsets into the whole file)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    message: str
    edits: tuple[Edit, ...] = ()
    safe: bool = True  # a safe fix keeps the meaning; an unsafe one needs --unsafe-fixes
    severity: str = "error"

    @property
    def fixable(self) -> bool:
        return bool(self.edits) and self.safe


@dataclass
class Corpus:
    """Everything a rule may look at beyond one document.

    A corpus-wide rule (N102, N201) has ``collect(document, corpus)`` (what one note adds),
    ``merge(collected, corpus)`` (the corpus-wide result), ``affected(collected, merged)`` (does
    this note need checking) and ``check``, which reads the merged result through ``merged``.
    The split lets notes be read in several processes: only the small collected parts travel.
    """

    documents: list[Document]
    config: Config
    dictionary: Dictionary
    reported: frozenset[str] | None = None  # the notes findings are reported for; None: every one
    merged_by_rule: dict[str, object] = field(default_factory=dict)
    collected_by_rule: dict[str, dict[str, object]] = field(default_factory=dict)  # rule → path → collected

    def merged(self, rule: ModuleType):
        if rule.CODE not in self.merged_by_rule:
            collected = {document.display: rule.collect(document, self) for document in self.documents}
            self.collected_by_rule[rule.CODE] = collected
            self.merged_by_rule[rule.CODE] = rule.merge(list(collected.values()), self)
        return self.merged_by_rule[rule.CODE]

    def affects(self, rule: ModuleType, document: Document) -> bool:
        """Whether a corpus-wide rule has anything to say about this document."""
        merged = self.merged(rule)
        return rule.affected(self.collected_by_rule[rule.CODE][document.display], merged)


def is_corpus_rule(rule: ModuleType) -> bool:
    return hasattr(rule, "collect")


_DISABLE = re.compile(r"<!--\s*notes2anki-disable(-next-line|-file)?((?:\s+[A-Z]\d{3})*)\s*-->")


def suppressions(document: Document) -> tuple[set[str] | None, dict[int, set[str] | None]]:
    """Codes disabled for the whole file, and per line (None means every code)."""
    file_codes: set[str] | None = set()
    lines: dict[int, set[str] | None] = {}
    for number, line in enumerate(document.lines, start=1):
        for match in _DISABLE.finditer(line):
            codes = set(match.group(2).split()) or None
            if match.group(1) == "-next-line":
                lines[number + 1] = _union(lines.get(number + 1, set()), codes)
            else:
                file_codes = _union(file_codes, codes)
    return file_codes, lines


def _union(current: set[str] | None, more: set[str] | None) -> set[str] | None:
    if current is None or more is None:
        return None
    return current | more


def _suppressed(finding: Finding, file_codes, line_codes) -> bool:
    for codes in (file_codes, line_codes.get(finding.line, set())):
        if codes is None or finding.code in codes:
            return True
    return False


def lint(documents: list[Document], report_on: set[str], corpus: Corpus, rules: list[ModuleType]) -> list[Finding]:
    """Findings of the selected ``rules`` for the documents whose display path is in ``report_on``."""
    findings: list[Finding] = []
    for document in documents:
        if document.display not in report_on:
            continue
        file_codes, line_codes = suppressions(document)
        for rule in rules:
            if is_corpus_rule(rule) and not corpus.affects(rule, document):
                continue
            for finding in rule.check(document, corpus):
                if not _suppressed(finding, file_codes, line_codes):
                    severity = corpus.config.severity.get(finding.code, "error")
                    findings.append(_with_severity(finding, severity))
    return ordered(set(findings))


def ordered(findings) -> list[Finding]:
    """Findings in report order: by file, line, column, then code."""
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code, f.message))


def _with_severity(finding: Finding, severity: str) -> Finding:
    if severity == finding.severity:
        return finding
    return dataclasses.replace(finding, severity=severity)


def at(document: Document, line: int, column: int, code: str, message: str, edits=(), safe: bool = True) -> Finding:
    """A finding in ``document`` at a 1-based line and column."""
    return Finding(document.display, line, column, code, message, tuple(edits), safe)


def replace_at(document: Document, line: int, column: int, old: str, new: str) -> Edit:
    """The edit that replaces ``old`` found at ``line``/``column`` with ``new``."""
    start = document.offset(line, column)
    return Edit(start, start + len(old), new)
