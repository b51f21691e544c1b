"""The package as users get it: an sdist and a wheel with complete, valid metadata, a wheel that
installs into a fresh virtual environment and runs, and a build that writes nothing into
``build/`` (the deck folder).

The wheel is installed without its dependencies (``--no-deps``, nothing downloaded); the fresh
environment then sees this test environment's installed dependencies through a path entry,
but never its own notes2anki, so every command run below runs the wheel's code and data.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.metadata import Metadata

from tests.conftest import write_note

ROOT = Path(__file__).parent.parent


def _listing(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")) if folder.exists() else []


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel, built by the PEP 517 backend as pip and `python -m build` call it."""
    out = tmp_path_factory.mktemp("dist")
    before = _listing(ROOT / "build")
    script = (
        "import sys, hatchling.build as backend; "
        "backend.build_sdist(sys.argv[1]); backend.build_wheel(sys.argv[1])"
    )
    subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT, check=True, capture_output=True)
    assert _listing(ROOT / "build") == before  # setuptools used to leave build/lib here
    return out


def test_metadata_is_complete_and_valid(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        text = archive.read(next(name for name in names if name.endswith(".dist-info/METADATA"))).decode()
    metadata = Metadata.from_email(text, validate=True)  # raises on anything invalid
    assert metadata.name == "notes2anki"
    assert str(metadata.license_expression) == "MIT AND Apache-2.0"
    assert metadata.license_files == ["LICENSE"]
    assert str(metadata.requires_python) == ">=3.11"
    assert metadata.author
    assert "Topic :: Education" in metadata.classifiers
    runtime = {requirement.name for requirement in metadata.requires_dist if requirement.marker is None}
    assert runtime == {"filelock", "genanki", "mistune", "pygments", "ruamel-yaml", "ruamel-yaml-clib", "tqdm", "watchfiles"}
    assert "notes2anki/preview_assets/mathjax.js" in names  # the preview's math works offline
    assert "notes2anki/preview_assets/MATHJAX-LICENSE" in names
    assert "notes2anki/lint/builtin-terms.yml" in names
    assert not [name for name in names if name.startswith(("tests/", "build/"))]


def test_sdist_carries_what_a_wheel_is_built_from(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "hatch_build.py", "LICENSE", "README.md", "notes2anki/preview_assets/mathjax.js"} <= names
    assert not [name for name in names if name.startswith((".venv/", ".git/", "build/")) and name != "build/.gitkeep"]


def test_the_wheel_installs_in_a_fresh_environment_and_runs(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(install, check=True)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True, check=True)
    (Path(site.stdout.strip()) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([venv / "bin" / "notes2anki", *args], capture_output=True, text=True, cwd=tmp_path)

    assert run("--version").stdout.strip() == "notes2anki 0.1.0"
    located = subprocess.run([python, "-c", "import notes2anki; print(notes2anki.__file__)"], capture_output=True, text=True, cwd=tmp_path)
    assert located.stdout.startswith(str(venv))
    write_note(tmp_path / "notes", "a.md", "---\ncategory: AWS\n---\n# A\n\n- Elasticache -> cache\n")
    assert "N202 write 'ElastiCache'" in run("lint", "notes").stdout  # the built-in dictionary is packaged
    assert run("preview", "notes", "-o", "preview").returncode == 0
    assert (tmp_path / "preview" / "assets" / "mathjax.js").stat().st_size > 1_000_000
