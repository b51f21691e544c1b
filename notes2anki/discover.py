"""The first stage of a build: which note files it looks at, under which names.

A note's name (its path relative to its notes folder) is part of every card's identity, so it
must not depend on how the build was invoked. A file given alone keeps the notes folder it was
built from before; the same file reached twice (``build notes notes``, a symbolic link to a
note) is one note; two different files that would have one name are an error, never a silent
loss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from notes2anki.model import NoteError
from notes2anki.source import discover, root_of, source_key


@dataclass(frozen=True)
class Source:
    path: Path  # as the user named it: used in every message
    root: Path  # its notes folder
    name: str  # relative to the notes folder: part of each card's identity


@dataclass(frozen=True)
class Tree:
    sources: tuple[Source, ...]
    walked: tuple[Path, ...]  # folders walked whole (resolved): a note missing under them was deleted
    roots: tuple[Path, ...]  # every notes folder, each with its lock file
    errors: tuple[NoteError, ...]
    warnings: tuple[str, ...]

    def looked_at(self, root: Path, name: str) -> bool:
        """Whether this build saw the file ``name`` of notes folder ``root`` (or saw that it is gone)."""
        path = (root / name).resolve()
        return any(path == folder or folder in path.parents for folder in self.walked) or any(
            source.root.resolve() == root.resolve() and source.name == name for source in self.sources
        )


def discover_tree(paths: list[Path], recorded_root: Callable[[Path], Path | None] = lambda path: None) -> Tree:
    """Every note under ``paths`` once, with a name; ``recorded_root``: the notes folder a file was built from."""
    sources: dict[str, Source] = {}
    real_paths: dict[Path, Source] = {}
    errors: list[NoteError] = []
    warnings: list[str] = []
    walked = tuple(dict.fromkeys(path.resolve() for path in paths if path.is_dir()))
    for path, root in discover(paths):
        if not path.is_dir() and root == root_of(path) and path in paths:
            root = recorded_root(path.resolve()) or root
        name = source_key(path, root)
        real = path.resolve() if path.exists() else path.absolute()
        if real in real_paths:  # one note; under the file's own name rather than a link's
            first = real_paths[real]
            if first.path == path:
                continue  # given twice (``build notes notes``)
            if first.path.is_symlink() and not path.is_symlink() and name not in sources:
                del sources[first.name]
                sources[name] = real_paths[real] = Source(path, root, name)
                path, first = first.path, sources[name]
            warnings.append(f"{path}: the same file as {first.path}; built once, as {first.path}")
            continue
        if name in sources:
            first = sources[name]
            errors.append(NoteError(str(path), None, f"has the same name ({name}) as {first.path} in another notes folder; only {first.path} is built (build the folders into separate output folders)"))
            continue
        source = Source(path, root, name)
        sources[name] = source
        real_paths[real] = source
    roots = tuple(dict.fromkeys(source.root for source in sources.values())) or tuple(dict.fromkeys(map(root_of, paths)))
    return Tree(tuple(sources.values()), walked, roots, tuple(errors), tuple(warnings))
