"""Each lint rule: its fixture gives the findings beside it, its fixes converge, its docs hold."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from notes2anki.cli import main
from notes2anki.lint.config import Config
from notes2anki.lint.rules import RULES
from notes2anki.lint.runner import run
from notes2anki.lint.terms import load as load_dictionary
from tests.conftest import FIXTURES

LINT = FIXTURES / "lint"
CONFIG = LINT / "pyproject.toml"
FIXTURE_OF = {rule.CODE: LINT / f"{rule.__name__.rsplit('.', 1)[1]}.md" for rule in RULES}
FIXABLE = [rule for rule in RULES if FIXTURE_OF[rule.CODE].with_suffix(".fixed.md").exists()]
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.CODE)
def test_fixture_gives_the_expected_findings(rule, monkeypatch, capsys) -> None:
    fixture = FIXTURE_OF[rule.CODE]
    monkeypatch.chdir(LINT)
    assert main(["lint", "--config", str(CONFIG), "--select", rule.CODE, fixture.name]) == 1
    assert capsys.readouterr().out == fixture.with_suffix(".expected").read_text("utf-8")


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda rule: rule.CODE)
def test_fix_gives_the_fixed_fixture_and_a_second_fix_changes_nothing(rule, tmp_path: Path, monkeypatch) -> None:
    fixture = FIXTURE_OF[rule.CODE]
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    monkeypatch.chdir(tmp_path)
    arguments = ["lint", "--config", str(CONFIG), "--select", rule.CODE, "--fix", fixture.name]
    main(arguments)
    fixed = copy.read_bytes()
    assert fixed == fixture.with_suffix(".fixed.md").read_bytes()
    main(arguments)
    assert copy.read_bytes() == fixed


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.CODE)
def test_rule_documentation_has_every_section(rule) -> None:
    doc = rule.__doc__
    assert doc.startswith(f"{rule.CODE} {rule.NAME}: ")
    assert rule.__name__.endswith(f".{rule.CODE.lower()}_{rule.NAME.replace('-', '_')}")  # code, name, file agree
    positions = [doc.index(section) for section in SECTIONS]
    assert positions == sorted(positions)


def _examples(rule) -> tuple[str, str]:
    blocks = re.findall(r"## (Example|Use instead)\n(`{3,4})markdown\n(.*?)\2\n", rule.__doc__ + "\n", re.DOTALL)
    blocks = [(section, text) for section, _, text in blocks]
    found = dict(blocks)
    return found["Example"], found["Use instead"]


def _codes_found(text: str, folder: Path) -> list[str]:
    """Rule codes lint finds in ``text``, wrapped in front matter unless it brings its own."""
    if not text.startswith("---"):
        text = "---\ntitle: Example\ncategory: Docs\n---\n" + text
    note = folder / "example.md"
    note.write_text(text, "utf-8")
    result = run([note], Config(root=folder, notes=()), load_dictionary(None, True))
    return [finding.code for finding in result.findings]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.CODE)
def test_documented_example_is_reported_and_its_correction_is_not(rule, tmp_path: Path) -> None:
    example, correction = _examples(rule)
    assert rule.CODE in _codes_found(example, tmp_path)
    assert rule.CODE not in _codes_found(correction, tmp_path)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.CODE)
def test_fixes_offered_are_the_ones_the_rule_declares(rule, monkeypatch) -> None:
    monkeypatch.chdir(LINT)
    config = Config(root=LINT, notes=(), select=(rule.CODE,))
    findings = run([Path(FIXTURE_OF[rule.CODE].name)], config, load_dictionary(None, True)).findings
    assert findings
    kinds = {None if not finding.edits else "safe" if finding.safe else "unsafe" for finding in findings}
    assert kinds <= {rule.FIX, None} and (rule.FIX is None or rule.FIX in kinds)


def test_built_in_dictionary_specs_hold() -> None:
    """The built-in dictionary's specs are not checked at run time (start-up cost): here they are."""
    from importlib import resources

    from notes2anki.lint import terms

    text = resources.files("notes2anki.lint").joinpath("builtin-terms.yml").read_text("utf-8")
    assert len(terms._rules_from(text, "built-in", None, set(), check_specs=True)) >= 20


def test_identity_clashes_of_every_shape_are_reported_with_both_lines(tmp_path: Path, monkeypatch, capsys) -> None:
    """However build resolves them, each pair's cards depend on that resolution: lint says so."""
    note = tmp_path / "clash.md"
    note.write_text(
        "---\ntitle: T\ncategory: C\n---\n## CLI\n\n"
        "- 可視性タイムアウト：30秒\n- 可視性タイムアウト：30秒\n"  # the same line twice
        "- -d：デバッグ出力\n- -D：デーモンとして起動\n"  # questions that differ only by case
        "- EC2 → S3\n- EC2 → RDS\n",  # one question, two answers
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--select", "N105", "clash.md"]) == 1
    reported = [line.split(" N105 ") for line in capsys.readouterr().out.splitlines()[:-1]]
    assert [where for where, _ in reported] == ["clash.md:8:1:", "clash.md:10:1:", "clash.md:12:1:"]
    assert [f"line {first}" in message for (_, message), first in zip(reported, (7, 9, 11))] == [True] * 3
