"""``lint --fix`` changes the reported spans and nothing else, byte for byte.

The whole class at once: a note holds a problem for every fixable rule in its prose and the
same lines in code of every kind; it is fixed under every mix of line ends. The prose must come
out fixed, and every other byte (code, line ends, BOM) exactly as it was.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from notes2anki.cli import main
from notes2anki.lint.rules import RULES

# One line per fixable rule, and what --fix (--unsafe-fixes for N101, N201) makes of it.
PROBLEMS = {
    "N101": ("- RTO（Recovery Point Objective）：どこまで遡るか", "- RPO（Recovery Point Objective）：どこまで遡るか"),
    "N201": ("- Datasync のエージェント", "- DataSync のエージェント"),
    "N202": ("- Elasticacheはインメモリ", "- ElastiCacheはインメモリ"),
    "N302": ("- 目標（Recovery Time)の定義", "- 目標（Recovery Time）の定義"),
    "N303": ("- **可用性ならマルチAZ。**で覚える", "- **可用性ならマルチAZ**。で覚える"),
    "N401": ("- 全角　 と半角", "- 全角　と半角"),
    "N402": ("- 末尾に空白 ", "- 末尾に空白"),
    "N403": ("\t- 子の項目", "    - 子の項目"),
}
PROBLEM_LINES = [problem for problem, _ in PROBLEMS.values()]
# Code that looks like code (so no rule takes it for prose), holding every problem line.
CODE_BODY = ["$ aws s3 ls", *PROBLEM_LINES, "\tx = 1  "]


def _code_of_every_kind() -> list[str]:
    """Blocks that Markdown shows as code (and math), each holding every problem line; blank lines between."""
    def indented(prefix: str) -> list[str]:
        return [prefix + line for line in CODE_BODY]

    return [
        "```sh", *CODE_BODY, "```", "",
        "~~~~", *CODE_BODY, "~~~", "~~~~", "",
        "- 項目の中のフェンス", "  ```", *indented("  "), "  ```", "",
        "> 引用の中のフェンス", "> ```", *indented("> "), "> ```", "",
        "段落のあとの字下げ", "", *indented("    "), "",
        "- 項目の中の字下げ", "", *indented("      "), "",
        "> 引用の中の字下げ", ">", *indented(">     "), "",
        "タブの字下げ", "", *indented("\t"), "",
        "<pre>", *CODE_BODY, "</pre>", "",
        "$$", *CODE_BODY, "$$", "",
        "- コードスパン `Elasticache（x) 　 **a。**で` の中",
        r"- 数式 \(\text{Elasticache}（x) 　 **a。**で\) の中",
        r"- 数式 $\text{Elasticache}（x)$ の中",
    ]  # fmt: skip


def note_lines(fixed: bool) -> list[str]:
    prose = [after if fixed else before for before, after in PROBLEMS.values()]
    return [
        "---", "title: 修正", "category: Fixes", "---",
        "- 親の項目", *prose, "- DataSync で転送する", "- DataSync は検証する", "",
        *_code_of_every_kind(),
    ]  # fmt: skip


LINE_ENDS = {
    "LF": ["\n"],
    "CRLF": ["\r\n"],
    "CR": ["\r"],
    "LF and CRLF": ["\n", "\r\n"],
    "CRLF, LF, CR": ["\r\n", "\r\n", "\n", "\r"],
}


def encode(lines: list[str], ends: list[str], final_end: bool, bom: bool) -> bytes:
    text = "".join(line + ends[index % len(ends)] for index, line in enumerate(lines))
    if not final_end:
        text = text[: -len(ends[(len(lines) - 1) % len(ends)])]
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


@pytest.mark.parametrize("bom", [False, True], ids=["", "BOM"])
@pytest.mark.parametrize("final_end", [True, False], ids=["final line end", "no final line end"])
@pytest.mark.parametrize("ends", LINE_ENDS.values(), ids=LINE_ENDS.keys())
def test_fix_changes_the_reported_spans_and_nothing_else(tmp_path: Path, monkeypatch, ends, final_end, bom) -> None:
    note = tmp_path / "note.md"
    note.write_bytes(encode(note_lines(fixed=False), ends, final_end, bom))
    monkeypatch.chdir(tmp_path)
    main(["lint", "--fix", "--unsafe-fixes", "note.md"])
    assert note.read_bytes() == encode(note_lines(fixed=True), ends, final_end, bom)


def test_every_fixable_rule_is_in_the_fix_test() -> None:
    """A rule that gains a fix must be added above, so that its fix is checked against code."""
    assert {rule.CODE for rule in RULES if rule.FIX} == set(PROBLEMS)


def test_code_of_every_kind_is_code_to_the_linter(tmp_path: Path, monkeypatch, capsys) -> None:
    """Not one finding inside the code: had a rule read it, it would have reported it."""
    note = tmp_path / "note.md"
    note.write_text("\n".join(["---", "title: T", "category: C", "---", *_code_of_every_kind(), ""]), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--select", "N1,N2,N3,N4", "note.md"]) == 0, capsys.readouterr().out


def test_diff_leaves_a_mixed_line_end_file_alone(tmp_path: Path, monkeypatch, capsys) -> None:
    note = tmp_path / "note.md"
    original = encode(note_lines(fixed=False), LINE_ENDS["LF and CRLF"], True, False)
    note.write_bytes(original)
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--diff", "note.md"]) == 1
    assert "+- ElastiCacheはインメモリ\n" in capsys.readouterr().out
    assert note.read_bytes() == original


def test_line_ends_survive_a_fix_on_every_line(tmp_path: Path, monkeypatch) -> None:
    """Trailing whitespace on every line: each fix sits right before its line's own end."""
    lines = ["---", "title: T", "category: C", "---"] + [f"- 行 {number} " for number in range(30)]
    ends = ["\r\n", "\n", "\r", "\n", "\r\n"]
    note = tmp_path / "note.md"
    note.write_bytes(encode(lines, ends, True, False))
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--fix", "note.md"]) == 0
    fixed = note.read_bytes().decode("utf-8")
    assert re.findall(r"\r\n|\r|\n", fixed) == [ends[index % len(ends)] for index in range(len(lines))]
    assert " \r" not in fixed and " \n" not in fixed


def test_a_fixed_note_that_cannot_be_written_is_an_error_and_stays_as_it_was(tmp_path: Path) -> None:
    """A real failed write (a file-size limit, as on a full disk): a message, exit 2, the note whole."""
    note = tmp_path / "note.md"
    original = "---\ntitle: T\ncategory: C\n---\n- Elasticacheはインメモリ\n".encode("utf-8")
    note.write_bytes(original)
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (10, 10))\n"
        "from notes2anki.cli import main\n"
        "sys.exit(main(['lint', '--no-cache', '--fix', 'note.md']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr == "error: note.md: cannot write the fixed note: File too large; it is unchanged\n"
    assert note.read_bytes() == original
    assert sorted(path.name for path in tmp_path.iterdir()) == ["note.md"]  # no temporary file left
