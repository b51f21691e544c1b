"""``[tool.notes2anki]`` in pyproject.toml: which rules run, how loud, and with what data.

Errors name the file, the key and the valid values, and stop the run (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_REQUIRED = ("title", "category")
DEFAULT_ALLOWED = (
    "title", "date", "category", "categories", "tags", "layout", "excerpt", "description",
    "permalink", "published", "author", "updated", "lastmod", "draft", "toc", "slug", "aliases", "image",
)  # fmt: skip
DEFAULT_DATES = ("date", "updated", "lastmod")
SEVERITIES = ("error", "warning")


class ConfigError(Exception):
    pass


@dataclass
class Config:
    root: Path = field(default_factory=Path.cwd)  # the folder of pyproject.toml: paths are relative to it
    notes: tuple[str, ...] = ("notes",)
    select: tuple[str, ...] = ()  # codes or prefixes; empty: every rule
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    dictionary: Path | None = None
    builtin_dictionary: bool = True
    required: tuple[str, ...] = DEFAULT_REQUIRED
    allowed: tuple[str, ...] | None = DEFAULT_ALLOWED  # None: any key is allowed
    dates: tuple[str, ...] = DEFAULT_DATES
    source: str = "defaults"

    def notes_folders(self) -> list[Path]:
        """The configured notes folders that exist, relative to the current folder where possible."""
        here = Path.cwd()
        folders = [self.root / folder for folder in self.notes]
        return [folder.relative_to(here) if folder.is_relative_to(here) else folder for folder in folders if folder.is_dir()]

    def enabled(self, code: str) -> bool:
        selected = not self.select or any(code.startswith(prefix) for prefix in self.select)
        return selected and not any(code.startswith(prefix) for prefix in self.ignore)


def in_words(error: OSError | UnicodeDecodeError) -> str:
    """Why a file could not be read, as a sentence: never ``[Errno 2] …``."""
    if isinstance(error, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return error.strerror or str(error)


def unknown_code(codes: tuple[str, ...], known_codes: set[str]) -> str | None:
    """What is wrong with the first code or prefix that selects no rule, if one does not."""
    for code in codes:
        if not any(known.startswith(code) for known in known_codes):
            return f"{code!r} matches no rule; valid codes: {', '.join(sorted(known_codes))}"
    return None


def find(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(path: Path | None, known_codes: set[str]) -> Config:
    if path is None:
        return Config()
    import tomllib  # only when there is a configuration to read

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {in_words(error)}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from None
    section = data.get("tool", {}).get("notes2anki", {})
    reader = _Reader(path, section, known_codes)
    front = reader.table("front-matter")
    allowed = front.get("allowed", list(DEFAULT_ALLOWED))
    config = Config(
        root=path.parent,
        notes=reader.strings(section, "notes", ["notes"]),
        select=reader.codes("select"),
        ignore=reader.codes("ignore"),
        severity=reader.severities(),
        dictionary=path.parent / reader.string("dictionary") if "dictionary" in section else None,
        builtin_dictionary=reader.boolean("builtin-dictionary", True),
        required=reader.strings(front, "required", list(DEFAULT_REQUIRED), "front-matter."),
        allowed=None if allowed == "any" else reader.strings(front, "allowed", list(DEFAULT_ALLOWED), "front-matter."),
        dates=reader.strings(front, "dates", list(DEFAULT_DATES), "front-matter."),
        source=str(path),
    )
    unknown = set(section) - {"notes", "select", "ignore", "severity", "dictionary", "builtin-dictionary", "front-matter"}
    if unknown:
        raise ConfigError(
            f"{path}: [tool.notes2anki] unknown key {sorted(unknown)[0]!r}; valid keys: notes, select, ignore, "
            "severity, dictionary, builtin-dictionary, front-matter"
        )
    return config


@dataclass
class _Reader:
    path: Path
    section: dict
    known_codes: set[str]

    def _fail(self, key: str, expected: str) -> ConfigError:
        return ConfigError(f"{self.path}: [tool.notes2anki] {key}: {expected}")

    def table(self, key: str) -> dict:
        value = self.section.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(key, "must be a table")
        unknown = set(value) - {"required", "allowed", "dates"}
        if unknown:
            raise self._fail(f"{key}.{sorted(unknown)[0]}", "unknown key; valid keys: required, allowed, dates")
        return value

    def strings(self, table: dict, key: str, default: list[str], prefix: str = "") -> tuple[str, ...]:
        value = table.get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._fail(prefix + key, "must be a list of strings")
        return tuple(value)

    def string(self, key: str) -> str:
        value = self.section[key]
        if not isinstance(value, str):
            raise self._fail(key, "must be a string (a path relative to pyproject.toml)")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.section.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "must be true or false")
        return value

    def codes(self, key: str) -> tuple[str, ...]:
        codes = self.strings(self.section, key, [])
        problem = unknown_code(codes, self.known_codes)
        if problem is not None:
            raise self._fail(key, problem)
        return codes

    def severities(self) -> dict[str, str]:
        value = self.section.get("severity", {})
        if not isinstance(value, dict):
            raise self._fail("severity", 'must be a table such as { N402 = "warning" }')
        for code, level in value.items():
            if code not in self.known_codes:
                raise self._fail(f"severity.{code}", f"no such rule; valid codes: {', '.join(sorted(self.known_codes))}")
            if level not in SEVERITIES:
                raise self._fail(f"severity.{code}", f"{level!r} is not a severity; valid: {', '.join(SEVERITIES)}")
        return dict(value)
