"""Front matter: split it from the body and load it (YAML with ruamel.yaml, TOML with tomllib).

A build needs only the values: they are loaded by the C-backed safe loader, several times
faster than the round-trip one. The round-trip loader, which keeps each key's line, is used
where a position is needed (lint findings) and to word an error with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

try:  # the C parser ships in ruamel.yaml.clib, a dependency; the pure parser gives the same values
    from ruamel.yaml.cyaml import CParser as _Parser
    from ruamel.yaml.cyaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - a platform without the wheel
    from ruamel.yaml.loader import SafeLoader as _SafeLoader
    from ruamel.yaml.parser import Parser as _Parser

from notes2anki.model import NoteError

_TOML_FENCE = "+++"
_CLOSERS = {"---": ("---", "..."), _TOML_FENCE: (_TOML_FENCE,)}  # opening fence: the fences that close it


@dataclass
class FrontMatter:
    data: dict
    end_line: int  # the closing fence's line number (1-based); 0 when there is no front matter


def key_line(data: dict, key: str) -> int:
    """The file line of a top-level front matter key, so findings can point at it."""
    lc = getattr(data, "lc", None)
    if lc is not None and key in data:
        return lc.key(key)[0] + 2  # +1 for the opening '---', +1 as lines count from 1
    return 1


def split(text: str, display: str, positions: bool = False) -> tuple[FrontMatter, str]:
    """Front matter and body; the body keeps blank lines where the front matter was.

    Keeping the blank lines makes every line number the parser finds a line number in the file.
    """
    lines = text.split("\n")
    end = closing_line(lines)
    if end == 0:
        return FrontMatter({}, 0), text
    fence = lines[0].rstrip()
    if end is None:
        raise NoteError(display, 1, f"front matter starts with '{fence}' but is never closed")
    inner = "\n".join(lines[1 : end - 1])
    data = _load_toml(inner, display) if fence == _TOML_FENCE else load(inner, display, positions)
    return FrontMatter(data, end), "\n" * end + "\n".join(lines[end:])


def _load_toml(toml_text: str, display: str) -> dict:
    """``+++``-fenced TOML front matter (Hugo, Zola), loaded with the standard library."""
    import tomllib

    try:
        return tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+)", str(error))
        line = int(where.group(1)) + 1 if where else 1
        raise NoteError(display, line, f"invalid TOML in front matter: {str(error).split(' (at')[0]}") from None


def closing_line(lines: list[str]) -> int | None:
    """The line (1-based) of the fence that closes the front matter: 0 without front matter,
    None when it is opened but never closed."""
    closers = _CLOSERS.get(lines[0].rstrip()) if lines else None
    if closers is None:
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in closers:
            return index + 1
    return None


_YAML = YAML(typ="rt")  # round-trip: keeps key order and the line of every key; made once, it is slow to set up


def load(yaml_text: str, display: str, positions: bool = False) -> dict:
    """The front matter's mapping; with ``positions``, one that knows each key's line (``key_line``)."""
    if "*" in yaml_text:
        _refuse_aliases(yaml_text, display)
    if not positions:
        try:
            loader = _SafeLoader(yaml_text)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
        except Exception:  # noqa: BLE001 - any failure is worded by the round-trip loader below
            pass
        else:
            return _mapping(data, display)
    try:
        data = _YAML.load(yaml_text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else 1
        problem = error.problem or error.context or "invalid YAML"
        started = error.context_mark.line + 2 if error.context_mark is not None else line
        if error.context and started != line:
            problem += f" ({error.context} that starts on line {started})"
        raise NoteError(display, line, f"invalid YAML in front matter: {problem}") from None
    except YAMLError as error:
        raise NoteError(display, 1, f"invalid YAML in front matter: {error}") from None
    return _mapping(data, display)


def _mapping(data, display: str) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise NoteError(display, 2, "front matter must be a mapping of keys to values")
    return data


def _refuse_aliases(yaml_text: str, display: str) -> None:
    """Aliases (``*name``) can expand a few lines into gigabytes (an "alias bomb"): refused."""
    parser = _Parser(yaml_text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, AliasEvent):
                line = event.start_mark.line + 2
                raise NoteError(display, line, f"front matter uses the YAML alias '*{event.anchor}'; aliases are refused (write the value out)")
    except YAMLError:
        return  # not valid YAML: the loader words the error
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()
