"""The lint cache is only ever a shortcut: a damaged one is reported, ignored and rewritten.

Whatever ``.notes2anki-cache/lint.json`` holds (garbage, other JSON, a truncated or edited
cache), ``lint`` gives the findings of a run without a cache, with a warning when the file was
there but unusable, and never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes2anki.cli import main
from tests.conftest import write_note

PROJECT_CONFIG = '[tool.notes2anki]\nnotes = ["notes"]\n'
CACHE = Path(".notes2anki-cache") / "lint.json"


def make_project(folder: Path) -> Path:
    (folder / "pyproject.toml").write_text(PROJECT_CONFIG, "utf-8")
    write_note(folder / "notes", "a.md", "---\ntitle: A\ncategory: AWS\n---\n- DataSync で移す\n- DataSync は検証する\n- RTO（Recovery Time Objective）：いつまでに戻すか\n")
    write_note(folder / "notes", "b.md", "---\ntitle: B\ncategory: AWS\n---\n- Datasync のエージェント\n- RTO（Recovery Time Objective）：障害からの復旧時間\n- Elasticache \n")
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(make_project(tmp_path))
    return tmp_path


def lint_b(capsys) -> tuple[int, str, str]:
    code = main(["lint", "notes/b.md"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def without_cache(capsys) -> tuple[int, str]:
    code = main(["lint", "--no-cache", "notes/b.md"])
    return code, capsys.readouterr().out


DAMAGED = {
    "empty list": b"[]",
    "null": b"null",
    "a mapping of the old shape": b'{"key": "x", "notes": {"notes/b.md": 1}}',
    "not UTF-8": b"\xff\xfe\x00garbage",
    "empty": b"",
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_cache_is_a_warning_and_a_fresh_run(project: Path, capsys, content: bytes) -> None:
    expected = without_cache(capsys)
    CACHE.parent.mkdir(exist_ok=True)
    CACHE.write_bytes(content)
    code, out, err = lint_b(capsys)
    assert (code, out) == expected
    assert err in ("", f"warning: the lint cache {CACHE} is damaged; every note is read again and the cache rewritten\n")
    assert lint_b(capsys) == (*expected, "")  # rewritten whole: the next run trusts it again


def test_a_cache_that_is_edited_or_cut_short_is_not_trusted(project: Path, capsys) -> None:
    expected = without_cache(capsys)
    lint_b(capsys)
    good = CACHE.read_bytes()
    # An edit that keeps valid JSON: a note's findings removed by hand.
    header, payload = good.split(b"\n", 1)
    entries = json.loads(payload)
    entries[str(Path("notes/b.md"))]["findings"] = []
    CACHE.write_bytes(header + b"\n" + json.dumps(entries).encode("utf-8"))
    code, out, err = lint_b(capsys)
    assert (code, out) == expected and "is damaged" in err
    CACHE.write_bytes(good[: len(good) // 2])
    code, out, err = lint_b(capsys)
    assert (code, out) == expected and "is damaged" in err


def test_a_cache_that_cannot_be_read_is_a_warning(project: Path, capsys) -> None:
    expected = without_cache(capsys)
    CACHE.mkdir(parents=True)  # a folder where the file should be
    code, out, err = lint_b(capsys)
    assert (code, out) == expected
    assert err == f"warning: cannot read the lint cache {CACHE}: Is a directory; every note is read again\n"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _mutate(good: bytes, mutation: tuple[str, int, int]) -> bytes:
    """A real cache cut short, with a byte changed, or with its two lines swapped."""
    kind, position, value = mutation
    position %= len(good)
    if kind == "cut":
        return good[:position]
    if kind == "change":
        return good[:position] + bytes([value]) + good[position + 1 :]
    header, payload = good.split(b"\n", 1)
    return payload + b"\n" + header


MUTATIONS = st.tuples(st.sampled_from(["cut", "change", "swap"]), st.integers(0, 10**6), st.integers(0, 255))


@pytest.fixture(scope="module")
def linted_once(tmp_path_factory) -> tuple[list[str], tuple[int, str], bytes]:
    """A project linted without a cache and then with one: the command, what it gave, the cache."""
    folder = make_project(tmp_path_factory.mktemp("cache"))
    run = ["lint", str(folder / "notes" / "b.md"), "--config", str(folder / "pyproject.toml")]
    with contextlib.redirect_stdout(io.StringIO()) as out:
        fresh = main([*run, "--no-cache"]), out.getvalue()
        main(run)
    return run, fresh, (folder / CACHE).read_bytes()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_the_cache_holds_lint_gives_the_findings_of_a_fresh_run(linted_once, capsys, data) -> None:
    run, fresh, good = linted_once
    content = data.draw(
        st.one_of(
            st.binary(max_size=300),
            JSON.map(lambda value: json.dumps(value).encode("utf-8")),
            st.tuples(JSON, JSON).map(lambda pair: b"\n".join(json.dumps(part).encode("utf-8") for part in pair)),
            MUTATIONS.map(lambda mutation: _mutate(good, mutation)),
        )
    )
    cache = Path(run[-1]).parent / CACHE
    cache.write_bytes(content)
    capsys.readouterr()
    code = main(run)
    out, err = capsys.readouterr()
    assert (code, out) == fresh
    assert err == "" or err.startswith("warning: the lint cache ") and err.endswith(" is damaged; every note is read again and the cache rewritten\n")
