"""The README's examples are what the tool says: its lint sample is run as it stands."""

from __future__ import annotations

import re
from pathlib import Path

from notes2anki.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_lint_sample_is_the_real_output(tmp_path: Path, monkeypatch, capsys) -> None:
    sample = re.search(r"For a note `(?P<path>[^`]+)`[^\n]*\n\n```markdown\n(?P<note>.*?)```\n\n    \$ (?P<command>[^\n]+)\n(?P<output>(?:    [^\n]*\n)+)", README, re.S)
    assert sample is not None, "the README's lint sample is not where this test looks for it"
    note = tmp_path / sample["path"]
    note.parent.mkdir(parents=True)
    note.write_text(sample["note"], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    command = sample["command"].split()
    assert command[:2] == ["notes2anki", "lint"]
    main([*command[1:], "--no-cache"])
    assert capsys.readouterr().out == "".join(line[4:] + "\n" for line in sample["output"].splitlines())
