"""The lint cache: what each note gave the last run, so that an unchanged note is not read again.

pre-commit lints only the changed files, but the corpus-wide rules (N102, N201) must see the
whole notes tree: without a cache every commit would read every note. Entries are keyed by the
note's fingerprint (``source.fingerprint``, the build's test too), and the whole cache by the tool's version, the
configuration and the dictionary; a note whose images appeared or disappeared is read again.
The cache lives in ``.notes2anki-cache/`` beside ``pyproject.toml`` and is safe to delete.

The file is a header line (the cache key and a checksum of the rest) and the entries: anything
that does not match its checksum was not written whole by this version, and is not trusted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from notes2anki import __version__
from notes2anki.lint.config import Config, in_words
from notes2anki.lint.engine import Edit, Finding
from notes2anki.lint.terms import Dictionary
from notes2anki.source import code_stamp, unchanged

CACHE_DIR = ".notes2anki-cache"


def cache_key(config: Config, dictionary: Dictionary) -> str:
    """Everything besides a note itself that decides what linting it gives."""
    rules = [(rule.expected, rule.source, rule.flags) for rule in dictionary.rules]
    settings = {name: value for name, value in vars(config).items() if name not in ("root", "source")}
    text = json.dumps([__version__, code_stamp(), repr(sorted(settings.items())), rules], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class LintCache:
    def __init__(self, folder: Path | None, key: str) -> None:
        self.path = folder / CACHE_DIR / "lint.json" if folder is not None else None
        self.shown = self.path and (self.path.relative_to(Path.cwd()) if self.path.is_relative_to(Path.cwd()) else self.path)
        self.key = key
        self.entries: dict[str, dict] = {}
        self.changed = False
        self.warning: str | None = None  # why a cache that was there could not be used
        if self.path is not None:
            self._load()

    def _load(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as error:
            self.warning = f"cannot read the lint cache {self.shown}: {in_words(error)}; every note is read again"
            return
        header, _, payload = data.partition(b"\n")
        try:
            header = json.loads(header)
            if header["key"] != self.key:
                return  # another version or configuration: not damaged, just out of date
            if header["checksum"] != _checksum(payload):
                raise ValueError("checksum")
            entries = json.loads(payload)
            if not isinstance(entries, dict):
                raise ValueError("entries")
        except (ValueError, KeyError, TypeError):
            self.warning = f"the lint cache {self.shown} is damaged; every note is read again and the cache rewritten"
            self.changed = True
            return
        self.entries = entries

    def get(self, path: Path) -> tuple[list[Finding], dict] | None:
        """The cached findings and collected parts of a note, if it has not changed."""
        entry = self.entries.get(str(path))
        if entry is None:
            return None
        if not unchanged({str(path): entry["stat"], **entry["images"]}):
            return None
        return [_finding(raw) for raw in entry["findings"]], entry["collected"]

    def put(self, path: Path, stat, findings: list[Finding], collected: dict, images: dict) -> None:
        """Keep what a note gave, with the fingerprints of it and of every place one of its
        images was looked for (a missing one: None), as they were before it was read."""
        self.entries[str(path)] = {
            "stat": stat,
            "findings": [_raw(finding) for finding in findings],
            "collected": collected,
            "images": images,
        }
        self.changed = True

    def save(self, present: set[str]) -> None:
        """Write the cache, forgetting notes that are gone; never an error (it is only a cache)."""
        if self.path is None or not (self.changed or set(self.entries) - present):
            return
        from notes2anki.files import atomic_write  # file locks and all: only when there is a cache to write

        entries = {name: entry for name, entry in self.entries.items() if name in present}
        payload = json.dumps(entries, ensure_ascii=False).encode("utf-8")
        header = json.dumps({"key": self.key, "checksum": _checksum(payload)}).encode("utf-8")
        try:
            atomic_write(self.path.parent / ".gitignore", b"# notes2anki's lint cache: never commit it\n*\n")
            atomic_write(self.path, header + b"\n" + payload)
        except OSError:
            pass


def _checksum(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _raw(finding: Finding) -> list:
    edits = [[edit.start, edit.end, edit.replacement] for edit in finding.edits]
    return [finding.path, finding.line, finding.column, finding.code, finding.message, edits, finding.safe, finding.severity]


def _finding(raw: list) -> Finding:
    path, line, column, code, message, edits, safe, severity = raw
    return Finding(path, line, column, code, message, tuple(Edit(*edit) for edit in edits), safe, severity)
