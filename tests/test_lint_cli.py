"""``notes2anki lint`` as users run it: by hand, in pre-commit, with config, formats and fixes."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notes2anki.cli import main
from notes2anki.lint.rules import RULES
from tests.conftest import write_note

PROJECT_CONFIG = '[tool.notes2anki]\nnotes = ["notes"]\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A notes project: pyproject.toml and a notes tree, as the current directory."""
    (tmp_path / "pyproject.toml").write_text(PROJECT_CONFIG, "utf-8")
    write_note(tmp_path / "notes", "a.md", "---\ntitle: A\ncategory: AWS\n---\n- DataSync でデータを移す\n- DataSync は検証する\n- RTO（Recovery Time Objective）：いつまでに戻すか\n")
    write_note(tmp_path / "notes", "b.md", "---\ntitle: B\ncategory: AWS\n---\n- Datasync のエージェント\n- RTO（Recovery Time Objective）：障害からの復旧時間\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*arguments: str) -> int:
    return main(["lint", *arguments])


def test_clean_notes_pass_with_exit_zero(project: Path, capsys) -> None:
    write_note(project / "notes", "b.md", "---\ntitle: B\ncategory: AWS\n---\n- DataSync のエージェント\n")
    assert lint() == 0
    assert capsys.readouterr().out == "All checks passed (2 files).\n"


def test_pre_commit_batches_report_only_given_files_but_see_the_whole_tree(project: Path) -> None:
    """pre-commit runs the hook from the repository root with only the changed files."""
    def hook(*files: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "notes2anki", "lint", *files]
        return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)

    only_b = hook("notes/b.md")
    assert only_b.returncode == 1
    assert only_b.stdout.splitlines()[:2] == [
        "notes/b.md:5:3: N201 'Datasync' is spelled 'DataSync' elsewhere in the notes",
        "notes/b.md:6:3: N102 'RTO' is defined again, differently (first defined at notes/a.md:7)",
    ]
    both = hook("notes/a.md", "notes/b.md")
    assert [line.split(":")[0] for line in both.stdout.splitlines()[:-1]] == ["notes/b.md", "notes/b.md"]
    write_note(project / "notes", "c.md", "---\ntitle: C\ncategory: AWS\n---\n- DataSync の料金\n")
    assert hook("notes/c.md").returncode == 0


def test_pre_commit_blames_the_changed_note_for_a_conflict_with_an_unchanged_one(project: Path, capsys) -> None:
    """a.md, first in path order, is the one staged: it must fail, not b.md on some later commit."""
    assert lint("notes/a.md") == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "notes/a.md:7:3: N102 'RTO' is defined differently at notes/b.md:6"
    )
    assert lint("notes/a.md", "notes/b.md") == 1  # both changed: the later one, as in a full run
    out = capsys.readouterr().out
    assert "notes/b.md:6:3: N102 'RTO' is defined again, differently (first defined at notes/a.md:7)" in out
    assert not any(line.startswith("notes/a.md") for line in out.splitlines())


def test_select_ignore_and_severity_from_pyproject(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(PROJECT_CONFIG + 'ignore = ["N102"]\n[tool.notes2anki.severity]\nN201 = "warning"\n', "utf-8")
    assert lint() == 0  # only a warning is left
    out = capsys.readouterr().out
    assert "N201 'Datasync' is spelled 'DataSync' elsewhere in the notes (warning)" in out
    assert "N102" not in out


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('select = ["X999"]', "[tool.notes2anki] select: 'X999' matches no rule; valid codes: N001"),
        ('colour = "blue"', "[tool.notes2anki] unknown key 'colour'; valid keys: notes, select"),
        ('[tool.notes2anki.severity]\nN201 = "loud"', "severity.N201: 'loud' is not a severity; valid: error, warning"),
        ('dictionary = "missing.yml"', "missing.yml: cannot read the dictionary"),
    ],
)
def test_config_errors_name_file_key_and_valid_values(project: Path, capsys, config: str, message: str) -> None:
    (project / "pyproject.toml").write_text(PROJECT_CONFIG + config + "\n", "utf-8")
    assert lint() == 2
    err = capsys.readouterr().err
    assert message in err and str(project / ("missing.yml" if "missing" in message else "pyproject.toml")) in err


def test_inline_and_file_suppressions(project: Path, capsys) -> None:
    write_note(
        project / "notes",
        "b.md",
        "---\ntitle: B\ncategory: AWS\n---\n<!-- notes2anki-disable-next-line N201 -->\n- Datasync のエージェント\n"
        "- Datasync をもう一度\n<!-- notes2anki-disable N102 -->\n- RTO（Recovery Time Objective）：障害からの復旧時間\n",
    )
    assert lint("notes/b.md") == 1
    out = capsys.readouterr().out
    assert "notes/b.md:7:3: N201" in out
    assert "notes/b.md:6:" not in out and "N102" not in out


def test_json_and_github_formats(project: Path, capsys) -> None:
    assert lint("--format", "json", "notes/b.md") == 1
    findings = json.loads(capsys.readouterr().out)
    assert {(f["code"], f["line"], f["column"]) for f in findings} == {("N201", 5, 3), ("N102", 6, 3)}
    assert lint("--format", "github", "--select", "N201", "notes/b.md") == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "::error file=notes/b.md,line=5,col=3,title=N201::'Datasync' is spelled 'DataSync' elsewhere in the notes"
    )


def test_diff_shows_the_fix_and_changes_nothing(project: Path, capsys) -> None:
    note = write_note(project / "notes", "c.md", "---\ntitle: C\ncategory: AWS\n---\n- RedShift はウェアハウス \n")
    before = note.read_bytes()
    assert lint("--diff", "notes/c.md") == 1
    out = capsys.readouterr().out
    assert "-- RedShift はウェアハウス \n+- Redshift はウェアハウス\n" in out
    assert note.read_bytes() == before


def test_fix_keeps_crlf_bom_front_matter_comments_and_other_text(project: Path) -> None:
    text = "---\n# study notes\ntitle: Amazon Elasticache  # product\ncategory: AWS\n---\n- Elasticacheはインメモリ\n- 他の行はそのまま　\n"
    note = project / "notes" / "c.md"
    note.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert lint("--fix", "notes/c.md") == 0
    expected = text.replace("Elasticache", "ElastiCache").replace("　\n", "\n")
    assert note.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")


def test_unreadable_note_is_a_problem_in_the_notes(project: Path, capsys) -> None:
    (project / "notes" / "sjis.md").write_bytes("- 質問 -> 答え\n".encode("shift_jis"))
    assert lint("notes/sjis.md") == 1
    captured = capsys.readouterr()
    assert "notes/sjis.md:1: the file is not UTF-8 (it decodes as SHIFT-JIS)" in captured.err
    assert captured.out == "1 file could not be read.\n"


def test_build_and_lint_agree_on_the_exit_code_of_an_unreadable_note(project: Path, capsys) -> None:
    """The README: 1 for problems in the notes (a note that cannot be read is one), 2 for usage."""
    (project / "notes" / "cp1252.md").write_bytes("- café -> coffee\n".encode("cp1252"))
    assert lint() == 1
    assert "cp1252.md:1: the file is not UTF-8 (it decodes as CP1252)" in capsys.readouterr().err
    assert main(["build", "notes", "-o", "out"]) == 1


@pytest.mark.parametrize("option", ["--select", "--extend-select", "--ignore"])
def test_unknown_codes_on_the_command_line_are_refused_as_in_the_configuration(project: Path, capsys, option: str) -> None:
    assert lint(option, "N2,X9") == 2
    assert capsys.readouterr().err.startswith(f"notes2anki: {option}: 'X9' matches no rule; valid codes: N001, N002")


def test_a_folder_without_notes_is_a_warning(project: Path, capsys) -> None:
    (project / "empty").mkdir()
    assert lint("empty") == 0
    captured = capsys.readouterr()
    assert captured.err == "warning: no notes (*.md files) found in empty; nothing to lint\n"
    assert captured.out == ""


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--config", "missing.toml"], "missing.toml: cannot read the configuration: No such file or directory"),
        (["--config", "notes"], "notes: cannot read the configuration: Is a directory"),
    ],
)
def test_files_that_cannot_be_read_are_explained_in_words(project: Path, capsys, arguments, message: str) -> None:
    assert lint(*arguments) == 2
    err = capsys.readouterr().err
    assert err == f"notes2anki: {message}\n" and "Errno" not in err


def test_a_dictionary_that_cannot_be_read_is_explained_in_words(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(PROJECT_CONFIG + 'dictionary = "terms.yml"\n', "utf-8")
    assert lint() == 2
    assert capsys.readouterr().err == f"notes2anki: {project / 'terms.yml'}: cannot read the dictionary: No such file or directory\n"
    (project / "terms.yml").write_bytes("rules: [サーバー]\n".encode("shift_jis"))
    assert lint() == 2
    assert capsys.readouterr().err == f"notes2anki: {project / 'terms.yml'}: cannot read the dictionary: it is not UTF-8 text\n"


def test_rules_lists_every_rule_and_rule_prints_its_doc(capsys) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == len(RULES) and listing[4].startswith("N101  acronym-mismatch")
    assert main(["rule", "N302"]) == 0
    assert capsys.readouterr().out.startswith("N302 mixed-width-bracket: ")
    assert main(["rule", "dangling-reference"]) == 0
    assert "## Why is this bad?" in capsys.readouterr().out
    assert main(["rule", "N999"]) == 2


def test_lint_does_not_import_genanki(project: Path) -> None:
    code = "import sys; from notes2anki.cli import main; main(['lint']); print('genanki' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False)
    assert result.stdout.splitlines()[-1] == "False"


def test_project_notes_lint_clean(monkeypatch) -> None:
    monkeypatch.chdir(Path(__file__).parent.parent)
    assert lint() == 0


PRE_COMMIT_CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: notes2anki-lint
        name: notes2anki lint
        entry: notes2anki lint
        language: system
        types: [markdown]
"""


def _runner(project: Path, tmp_path_factory):
    """Commands run in ``project`` as a user's shell would, with pre-commit's cache of its own."""
    environment = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "HOME": str(project),
    }

    def run(*command: str) -> subprocess.CompletedProcess:
        return subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, check=False)

    return run


def test_the_readme_pre_commit_snippet_runs_under_pre_commit(project: Path, tmp_path_factory) -> None:
    """The real pre-commit, with the configuration the README gives, on a subset of files."""
    (project / ".pre-commit-config.yaml").write_text(PRE_COMMIT_CONFIG, "utf-8")
    run = _runner(project, tmp_path_factory)
    run("git", "init", "-q")
    run("git", "add", ".")
    failing = run(sys.executable, "-m", "pre_commit", "run", "--files", "notes/b.md")
    assert failing.returncode == 1
    assert "notes/b.md:5:3: N201 'Datasync' is spelled 'DataSync' elsewhere in the notes" in failing.stdout
    write_note(project / "notes", "c.md", "---\ntitle: C\ncategory: AWS\n---\n- DataSync の料金\n")
    run("git", "add", ".")
    passing = run(sys.executable, "-m", "pre_commit", "run", "--files", "notes/c.md")
    assert passing.returncode == 0, passing.stdout


def test_the_shipped_hooks_run_serially_and_the_fix_hook_fixes(project: Path, tmp_path_factory) -> None:
    """.pre-commit-hooks.yaml as pre-commit reads it, run with this environment's notes2anki."""
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert {hook["id"]: hook["entry"] for hook in hooks} == {"notes2anki-lint": "notes2anki lint", "notes2anki-lint-fix": "notes2anki lint --fix"}
    assert all(hook["require_serial"] and hook["types"] == ["markdown"] and hook["language"] == "python" for hook in hooks)
    local = [{**hook, "language": "system"} for hook in hooks]  # installed here already: no venv to build
    (project / ".pre-commit-config.yaml").write_text(json.dumps({"repos": [{"repo": "local", "hooks": local}]}), "utf-8")
    note = write_note(project / "notes", "c.md", "---\ntitle: C\ncategory: AWS\n---\n- RedShift はウェアハウス \n")
    run = _runner(project, tmp_path_factory)
    run("git", "init", "-q")
    run("git", "add", ".")
    fixing = run(sys.executable, "-m", "pre_commit", "run", "notes2anki-lint-fix", "--files", "notes/c.md")
    assert fixing.returncode == 1 and "files were modified by this hook" in fixing.stdout
    assert note.read_text("utf-8").endswith("- Redshift はウェアハウス\n")
    run("git", "add", ".")
    checking = run(sys.executable, "-m", "pre_commit", "run", "notes2anki-lint", "--files", "notes/c.md")
    assert checking.returncode == 0, checking.stdout


def test_linting_on_several_cores_finds_the_same(project: Path, monkeypatch, capsys) -> None:
    from notes2anki import parallel

    for number in range(4):
        write_note(project / "notes", f"more{number}.md", f"---\ntitle: M{number}\ncategory: AWS\n---\n- RedShift {number}（ -> x\n")
    assert lint() == 1
    one_core = capsys.readouterr().out
    monkeypatch.setattr(parallel, "JOBS_PER_PROCESS", 1)
    assert lint() == 1
    assert capsys.readouterr().out == one_core
    assert one_core.count("N202") == 4 and "N201" in one_core and "N102" in one_core


def test_cache_spares_reading_unchanged_notes_again(project: Path, capsys) -> None:
    assert lint("notes/b.md") == 1
    capsys.readouterr()
    note = project / "notes" / "a.md"
    stat = note.stat()
    # Same size and time, different words: a cache keyed on size and time does not read it again.
    note.write_text(note.read_text("utf-8").replace("DataSync", "Datasync"), "utf-8")
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert lint("notes/b.md") == 1
    assert "N201 'Datasync' is spelled 'DataSync' elsewhere" in capsys.readouterr().out
    assert lint("--no-cache", "notes/b.md") == 1  # reading everything sees the new spelling
    assert "N201" not in capsys.readouterr().out


def test_cache_follows_images_and_configuration(project: Path, capsys) -> None:
    write_note(project / "notes", "c.md", "---\ntitle: C\ncategory: AWS\n---\n- ![x](x.png) -> image\n- RedShift\n")
    assert lint("notes/c.md") == 1
    assert "N305" in capsys.readouterr().out
    (project / "notes" / "x.png").write_bytes(b"png")
    lint("notes/c.md")
    assert "N305" not in capsys.readouterr().out
    (project / "pyproject.toml").write_text(PROJECT_CONFIG + 'ignore = ["N202"]\n', "utf-8")
    assert lint("notes/c.md") == 0
    (project / ".git").mkdir()  # an absolute path is looked for up to the repository's root
    write_note(project / "notes", "c.md", "---\ntitle: C\ncategory: AWS\n---\n- ![y](/img/y.png) -> image\n")
    assert lint("notes/c.md") == 1
    (project / "img").mkdir()
    (project / "img" / "y.png").write_bytes(b"png")  # where it is looked for last
    assert lint("notes/c.md") == 0
    assert (project / ".notes2anki-cache" / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"


def test_output_format_is_ruffs_name_and_format_still_works(project: Path, capsys) -> None:
    assert lint("--output-format", "json", "notes/b.md") == 1
    by_new_name = capsys.readouterr().out
    assert lint("--format", "json", "notes/b.md") == 1
    assert capsys.readouterr().out == by_new_name
    assert {finding["code"] for finding in json.loads(by_new_name)} == {"N201", "N102"}


def test_statistics_count_problems_per_rule(project: Path, capsys) -> None:
    write_note(project / "notes", "c.md", "---\ntitle: C\ncategory: AWS\n---\n- RedShift と Elasticache \n- RedShift\n")
    assert lint("--statistics") == 1
    assert capsys.readouterr().out.splitlines() == [
        "3  N202  [*] term-dictionary",
        "1  N102  [ ] duplicate-label",
        "1  N201  [ ] term-variant",
        "1  N402  [*] trailing-whitespace",
        "6 problems found in 2 files (4 fixable with --fix).",
    ]
    assert lint("--statistics", "--output-format", "json", "--select", "N202") == 1
    assert json.loads(capsys.readouterr().out) == [{"code": "N202", "name": "term-dictionary", "count": 3, "fixable": True}]


def test_exit_zero_reports_problems_and_exits_zero(project: Path, capsys) -> None:
    assert lint("--exit-zero") == 0
    assert "N102 'RTO' is defined again" in capsys.readouterr().out
    assert lint("--exit-zero", "--select", "X1") == 2  # a usage error is still one


def test_extend_select_adds_to_the_configured_selection(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(PROJECT_CONFIG + 'select = ["N102"]\n', "utf-8")
    assert lint() == 1
    assert {line.split()[1] for line in capsys.readouterr().out.splitlines()[:-1]} == {"N102"}
    assert lint("--extend-select", "N201") == 1
    assert {line.split()[1] for line in capsys.readouterr().out.splitlines()[:-1]} == {"N102", "N201"}


@pytest.mark.parametrize("command", ["lint", "rules", "rule"])
def test_every_option_and_argument_has_help(command: str) -> None:
    from notes2anki.cli import _parser

    subcommands = next(action for action in _parser()._actions if isinstance(action, argparse._SubParsersAction))
    parser = subcommands.choices[command]
    assert parser.description
    for action in parser._actions:
        assert action.help and action.help != argparse.SUPPRESS, action.dest


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("---\ntitle: x\n- a -> b\n", "notes/c.md:1:1: N001 front matter starts with '---' but is never closed"),
        ("+++\ntitle = 'x'\n- a -> b\n", "notes/c.md:1:1: N001 front matter starts with '+++' but is never closed"),
        ("+++\ntitle = 'x'\nbad line\n+++\n", "notes/c.md:3:1: N001 invalid TOML in front matter: Expected '=' after a key in a key/value pair"),
    ],
)
def test_front_matter_that_does_not_load_is_one_finding_not_a_crash(project: Path, capsys, text: str, finding: str) -> None:
    (project / "notes" / "c.md").write_text(text, "utf-8")
    assert lint("--no-cache", "notes/c.md") == 1
    assert capsys.readouterr().out.splitlines()[0] == finding


def test_dictionary_patterns_anchored_to_a_line_match_on_every_line(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(PROJECT_CONFIG + 'dictionary = "terms.yml"\n', "utf-8")
    rules = "version: 1\nrules:\n  - expected: Kubernetes\n    pattern: /^kubernetes/\n  - expected: Docker\n    pattern: /docker$/\n"
    (project / "terms.yml").write_text(rules, "utf-8")
    write_note(project / "notes", "c.md", "---\ntitle: C\ncategory: AWS\n---\nkubernetes runs pods\n\nimages are built by docker\n\nthe end\n")
    assert lint("--no-cache", "notes/c.md") == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        "notes/c.md:5:1: N202 write 'Kubernetes', not 'kubernetes' [*]",
        "notes/c.md:7:21: N202 write 'Docker', not 'docker' [*]",
    ]
