"""Build hook: vendor MathJax into the package, so the preview renders math offline.

MathJax comes from the npm registry, pinned, through npm itself (which checks the tarball's
integrity). Only its single-file browser build and its licence are kept, under
``notes2anki/preview_assets/`` (ignored by git, shipped in the sdist and the wheel). A source
tree that already has them, like an unpacked sdist, needs no npm.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MATHJAX = "mathjax@3.2.2"  # the MathJax 3 that Anki desktop renders cards with
ASSETS = Path("notes2anki") / "preview_assets"
FILES = {"package/es5/tex-svg-full.js": "mathjax.js", "package/LICENSE": "MATHJAX-LICENSE"}
STAMP = "VERSION"


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        folder = Path(self.root) / ASSETS
        if _current(folder):
            return
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                f"building notes2anki from a git checkout needs npm, to fetch {MATHJAX} for the preview; "
                "install Node.js and npm, or install notes2anki from its sdist or wheel"
            )
        _fetch(npm, folder)


def _current(folder: Path) -> bool:
    stamp = folder / STAMP
    return stamp.is_file() and stamp.read_text().strip() == MATHJAX and all((folder / name).is_file() for name in FILES.values())


def _fetch(npm: str, folder: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([npm, "pack", MATHJAX, "--silent", "--pack-destination", scratch], check=True, stdout=subprocess.DEVNULL)
        (tarball,) = Path(scratch).glob("*.tgz")
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as archive:
            for member, name in FILES.items():
                (folder / name).write_bytes(archive.extractfile(member).read())
    (folder / STAMP).write_text(MATHJAX + "\n")
