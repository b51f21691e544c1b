"""Terminology: a prh-compatible dictionary, and the matching both terminology rules share.

The dictionary format is prh's (``version``, ``rules`` with ``expected``, ``pattern`` or
``patterns``, ``specs``, ``prh``; ``imports``), so a textlint-prh rule file works as it is.
A rule without a pattern matches its expected form in any case and width, with or without the
spaces or hyphens it contains (``Auto Scaling`` also matches ``AutoScaling`` and ``auto-scaling``).

Matching never touches code, URLs, link targets, HTML or @handles (the document's prose view
masks them), never matches inside a longer ASCII word, file name or path, and never "corrects"
text that is already inside the expected form (``サーバ`` → ``サーバー`` leaves ``サーバー`` alone).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from notes2anki.lint.config import in_words

_ASCII_WORD = "A-Za-z0-9_"
_BEFORE_BOUNDARY = re.compile(rf"[{_ASCII_WORD}@./\\-]")  # matched at the character before
_AFTER_BOUNDARY = re.compile(rf"[{_ASCII_WORD}]|[-./@][{_ASCII_WORD}]")  # matched where the term ends


class DictionaryError(Exception):
    pass


def term_key(text: str) -> str:
    """What two spellings of one term have in common: ``ElastiCache`` ~ ``elasticache`` ~ ``ＥｌａｓｔｉＣａｃｈｅ``."""
    if text.isascii():  # the common case, without Unicode normalisation
        return text.lower().replace(" ", "").replace("-", "").replace("\t", "")
    return _SPACING.sub("", unicodedata.normalize("NFKC", text).casefold())


_SPACING = re.compile(r"[\s\-]")


@dataclass(frozen=True)
class Rule:
    expected: str
    source: str  # the regular expression
    flags: int
    note: str  # prh's explanation, shown in the message
    origin: str  # dictionary file, for messages
    hint: str = ""  # text every match contains once folded (``fold``): lines without it are skipped

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Compiled when first needed: a one-file lint compiles only the terms its note names."""
        return re.compile(self.source, self.flags)

    def replacement(self, match: re.Match[str]) -> str:
        return match.expand(self.expected) if self.pattern.groups else self.expected


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    found: str
    expected: str
    rule: Rule


class Dictionary:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.keys = {term_key(rule.expected): rule.expected for rule in rules}

    def find(self, prose: str) -> list[Match]:
        """Non-overlapping matches in one line of prose (masked text never matches)."""
        found: list[Match] = []
        taken_starts: list[int] = []  # spans already matched, sorted and disjoint
        taken_ends: list[int] = []
        folded = fold(prose)
        for rule in self.rules:
            if rule.hint not in folded:
                continue  # most lines name no term: a substring test, not the rule's pattern
            for match in rule.pattern.finditer(prose):
                start, end = match.span()
                index = bisect.bisect_right(taken_starts, start)
                if start == end or index and taken_ends[index - 1] > start or index < len(taken_starts) and taken_starts[index] < end:
                    continue
                expected = rule.replacement(match)
                if match.group() == expected or _inside_expected(prose, start, end, expected):
                    continue
                if _ascii_edge(match.group()[0]) and start and _BEFORE_BOUNDARY.match(prose, start - 1):
                    continue
                if _ascii_edge(match.group()[-1]) and _AFTER_BOUNDARY.match(prose, end):
                    continue
                taken_starts.insert(index, start)
                taken_ends.insert(index, end)
                found.append(Match(start, end, match.group(), expected, rule))
        return sorted(found, key=lambda m: m.start)


def _ascii_edge(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _inside_expected(text: str, start: int, end: int, expected: str) -> bool:
    """Is text[start:end] part of an occurrence of ``expected`` already (サーバ inside サーバー)?"""
    search_from = max(0, end - len(expected))
    while True:
        position = text.find(expected, search_from, start + len(expected))
        if position < 0 or position > start:
            return False
        if position + len(expected) >= end:
            return True
        search_from = position + 1


_FOLD = str.maketrans(
    {**{chr(code): chr(code + 32) for code in range(ord("A"), ord("Z") + 1)}}
    | {chr(ord(char) + 0xFEE0): char.lower() for char in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"}
)


def fold(text: str) -> str:
    """Lower case and half width, character for character (so positions stay where they were)."""
    return text.translate(_FOLD)


def _hint(expected: str) -> str:
    """What every match of ``derived_pattern(expected)`` holds, folded: its first run of
    characters that no space, hyphen or CamelCase joint may split."""
    if expected[0] in " -":
        return ""
    end = 1
    while end < len(expected) and expected[end] not in " -" and not (expected[end - 1].islower() and expected[end].isupper()):
        end += 1
    return fold(expected[:end])


def derived_pattern(expected: str) -> str:
    """Any case and width; the spaces and hyphens of ``expected`` (and CamelCase joints) optional."""
    parts = []
    previous = ""
    for char in expected:
        if char in " -":
            parts.append("[ \\-\u3000]?")
        else:
            if previous.islower() and char.isupper():
                parts.append("[ \\-]?")
            parts.append(_char_class(char))
        previous = char
    return "".join(parts).replace("[ \\-\u3000]?[ \\-]?", "[ \\-\u3000]?")


def _char_class(char: str) -> str:
    if not (char.isascii() and char.isalnum()):
        return re.escape(char)
    variants = {char.lower(), char.upper()}
    variants |= {chr(ord(variant) + 0xFEE0) for variant in set(variants)}  # full-width forms
    return "[" + "".join(sorted(variants)) + "]"


def _user_pattern(pattern: str, origin: str) -> tuple[str, int]:
    """A prh pattern (``/regex/flags`` or a literal string) as a regular expression and its flags,
    checked now, so that a mistake stops the run where the dictionary is loaded."""
    regex = re.fullmatch(r"/(.*)/([gimsuy]*)", pattern, re.DOTALL)
    source, flags = (regex.group(1), re.IGNORECASE if "i" in regex.group(2) else 0) if regex else (re.escape(pattern), 0)
    try:
        re.compile(source, flags)
    except re.error as error:
        raise DictionaryError(f"{origin}: pattern {pattern!r} is not a valid regular expression: {error}") from None
    return source, flags


def load(path: Path | None, builtin: bool) -> Dictionary:
    """The built-in dictionary and the user's; a user's rule for a term replaces the built-in one."""
    user = _load_file(path, set()) if path is not None else []
    rules: list[Rule] = []
    if builtin:
        text = resources.files("notes2anki.lint").joinpath("builtin-terms.yml").read_text("utf-8")
        overridden = {term_key(rule.expected) for rule in user}
        builtin_rules = _rules_from(text, "built-in dictionary", None, set(), check_specs=False)  # tested by the suite
        rules = [r for r in builtin_rules if term_key(r.expected) not in overridden]
    return Dictionary(rules + user)


def _load_file(path: Path, seen: set[Path]) -> list[Rule]:
    resolved = path.resolve()
    if resolved in seen:
        return []
    seen.add(resolved)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DictionaryError(f"{path}: cannot read the dictionary: {in_words(error)}") from None
    return _rules_from(text, str(path), path.parent, seen)


def _rules_from(text: str, origin: str, folder: Path | None, seen: set[Path], check_specs: bool = True) -> list[Rule]:
    try:
        data = YAML(typ="safe").load(text) or {}
    except YAMLError as error:
        raise DictionaryError(f"{origin}: invalid YAML: {error}") from None
    if not isinstance(data, dict):
        raise DictionaryError(f"{origin}: a dictionary is a mapping with 'version' and 'rules'")
    rules: list[Rule] = []
    imports = data.get("imports") or []
    for entry in [imports] if isinstance(imports, str) else imports:
        target = entry if isinstance(entry, str) else entry.get("path") if isinstance(entry, dict) else None
        if folder is None or not isinstance(target, str):
            raise DictionaryError(f"{origin}: imports: each entry is a path (or {{path: …}})")
        rules.extend(_load_file(folder / target, seen))
    for index, raw in enumerate(data.get("rules") or [], start=1):
        rules.append(_rule(raw, f"{origin}: rules[{index}]", check_specs))
    return rules


def _rule(raw, origin: str, check_specs: bool) -> Rule:
    if isinstance(raw, str):
        raw = {"expected": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("expected"), str) or not raw["expected"]:
        raise DictionaryError(f"{origin}: a rule needs an 'expected' string")
    expected = raw["expected"]
    patterns = raw.get("patterns", raw.get("pattern"))
    if patterns is None:
        sources = [(derived_pattern(expected), 0)]
    else:
        patterns = [patterns] if isinstance(patterns, str) else patterns
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise DictionaryError(f"{origin}: 'pattern'/'patterns' must be a string or a list of strings")
        sources = [_user_pattern(pattern, origin) for pattern in patterns]
    prh_expected = re.sub(r"\$(\d)", r"\\\1", expected)  # prh writes groups as $1
    hint = _hint(expected) if patterns is None else ""
    rules = [Rule(prh_expected, source, flags, str(raw.get("prh") or ""), origin, hint) for source, flags in sources]
    if check_specs:
        _check_specs(raw.get("specs") or [], rules, origin)
    return rules[0] if len(rules) == 1 else _combined(rules, prh_expected, origin)


def _combined(rules: list[Rule], expected: str, origin: str) -> Rule:
    source = "|".join(f"(?i:{rule.source})" if rule.flags & re.IGNORECASE else f"(?:{rule.source})" for rule in rules)
    return Rule(expected, source, 0, rules[0].note, origin)


def _check_specs(specs, rules: list[Rule], origin: str) -> None:
    """prh's specs are the rule's own tests: a dictionary whose specs fail is refused."""
    dictionary = Dictionary(rules)
    for spec in specs:
        if not isinstance(spec, dict) or "from" not in spec or "to" not in spec:
            raise DictionaryError(f"{origin}: each spec needs 'from' and 'to'")
        text = str(spec["from"])
        result, position = [], 0
        for match in dictionary.find(text):
            result.append(text[position : match.start] + match.expected)
            position = match.end
        result.append(text[position:])
        if "".join(result) != str(spec["to"]):
            raise DictionaryError(f"{origin}: spec fails: {text!r} gives {''.join(result)!r}, expected {spec['to']!r}")
