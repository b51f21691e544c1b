"""The lint cache: what each note gave the last run, so that an unchanged note is not read again.

pre-commit lints only the changed files, but the corpus-wide rules (N102, N201) must see the
whole notes tree: without a cache every commit would read every note. Entries are keyed by the
note's fingerprint (``source.fingerprint``, the build's test too), and the whole cache by the tool's version, the
configuration and the dictionary; a note whose images appeared or disappeared is read again.
The cache lives in ``.notes2anki-cache/`` beside ``pyproject.toml`` and is safe to delete.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from notes2anki import __version__
from notes2anki.files import atomic_write
from notes2anki.lint.config import Config
from notes2anki.lint.engine import Edit, Finding
from notes2anki.lint.terms import Dictionary
from notes2anki.source import fingerprint, unchanged

CACHE_DIR = ".notes2anki-cache"


def cache_key(config: Config, dictionary: Dictionary) -> str:
    """Everything besides a note itself that decides what linting it gives."""
    rules = [(rule.expected, rule.pattern.pattern, rule.pattern.flags) for rule in dictionary.rules]
    settings = {name: value for name, value in vars(config).items() if name not in ("root", "source")}
    text = json.dumps([__version__, repr(sorted(settings.items())), rules], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class LintCache:
    def __init__(self, folder: Path | None, key: str) -> None:
        self.path = folder / CACHE_DIR / "lint.json" if folder is not None else None
        self.key = key
        self.entries: dict[str, dict] = {}
        self.changed = False
        if self.path is not None:
            try:
                raw = json.loads(self.path.read_text("utf-8"))
                if raw.get("key") == key:
                    self.entries = raw["notes"]
            except (OSError, ValueError, KeyError, TypeError):
                pass  # no cache, or an unusable one: everything is read

    def get(self, path: Path) -> tuple[list[Finding], dict] | None:
        """The cached findings and collected parts of a note, if it has not changed."""
        entry = self.entries.get(str(path))
        if entry is None:
            return None
        if not unchanged({str(path): entry["stat"], **entry["images"]}):
            return None
        return [_finding(raw) for raw in entry["findings"]], entry["collected"]

    def put(self, path: Path, findings: list[Finding], collected: dict, images: dict[str, bool]) -> None:
        self.entries[str(path)] = {
            "stat": fingerprint(path),
            "findings": [_raw(finding) for finding in findings],
            "collected": collected,
            "images": {image: fingerprint(image) for image in images},  # a missing one: None
        }
        self.changed = True

    def save(self, present: set[str]) -> None:
        """Write the cache, forgetting notes that are gone; never an error (it is only a cache)."""
        if self.path is None or not (self.changed or set(self.entries) - present):
            return
        entries = {name: entry for name, entry in self.entries.items() if name in present}
        try:
            atomic_write(self.path.parent / ".gitignore", b"# notes2anki's lint cache: never commit it\n*\n")
            atomic_write(self.path, json.dumps({"key": self.key, "notes": entries}, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass


def _raw(finding: Finding) -> list:
    edits = [[edit.start, edit.end, edit.replacement] for edit in finding.edits]
    return [finding.path, finding.line, finding.column, finding.code, finding.message, edits, finding.safe, finding.severity]


def _finding(raw: list) -> Finding:
    path, line, column, code, message, edits, safe, severity = raw
    return Finding(path, line, column, code, message, tuple(Edit(*edit) for edit in edits), safe, severity)
