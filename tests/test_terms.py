"""The terminology dictionary: prh's format, and the traps other tools fall into."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes2anki.lint.terms import DictionaryError, load

PRH = """\
version: 1
imports:
  - more.yml
rules:
  - expected: サーバー
    pattern: サーバ
    prh: 長音を付ける
  - expected: AWS
    pattern: /\\baws\\b/i
  - expected: $1 Lambda
    pattern: /(AWS)-Lambda/
    specs:
      - from: AWS-Lambda を使う
        to: AWS Lambda を使う
  - expected: JavaScript
    patterns: [Javascript, java-script]
"""


@pytest.fixture
def dictionary(tmp_path: Path):
    (tmp_path / "terms.yml").write_text(PRH, "utf-8")
    (tmp_path / "more.yml").write_text("version: 1\nrules:\n  - expected: Redshift\n    pattern: red shift\n", "utf-8")
    return load(tmp_path / "terms.yml", builtin=True)


def fixes(dictionary, text: str) -> list[tuple[str, str]]:
    return [(match.found, match.expected) for match in dictionary.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("サーバを再起動する", [("サーバ", "サーバー")]),
        ("サーバーを再起動する", []),  # never サーバーー
        ("aws の設定", [("aws", "AWS")]),
        ("@aws-control-tower を入れる", []),  # an @handle, not the company
        ("AWS-Lambda を使う", [("AWS-Lambda", "AWS Lambda")]),
        ("Javascript と java-script", [("Javascript", "JavaScript"), ("java-script", "JavaScript")]),
        ("Red Shift と red shift", [("red shift", "Redshift")]),  # from the imported file, literal pattern
        ("Elasticacheは速い", [("Elasticache", "ElastiCache")]),  # the built-in dictionary, inside Japanese
    ],
)
def test_matches(dictionary, text: str, expected: list[tuple[str, str]]) -> None:
    assert fixes(dictionary, text) == expected


def test_user_rule_replaces_the_built_in_one(tmp_path: Path) -> None:
    (tmp_path / "terms.yml").write_text("version: 1\nrules:\n  - expected: Elasticache\n    pattern: ElastiCache\n", "utf-8")
    dictionary = load(tmp_path / "terms.yml", builtin=True)
    assert fixes(dictionary, "ElastiCache と Elasticache") == [("ElastiCache", "Elasticache")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nrules:\n  - expected: A\n    pattern: /(unclosed/\n", "is not a valid regular expression"),
        ("version: 1\nrules:\n  - pattern: x\n", "a rule needs an 'expected' string"),
        ("version: 1\nrules:\n  - expected: B\n    pattern: b\n    specs:\n      - from: b\n        to: c\n", "spec fails: 'b' gives 'B', expected 'c'"),
        ("version: 1\nimports: [missing.yml]\n", "missing.yml: cannot read the dictionary"),
        ("- just a list\n", "a dictionary is a mapping"),
    ],
)
def test_bad_dictionaries_are_refused_with_the_reason(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "terms.yml").write_text(text, "utf-8")
    with pytest.raises(DictionaryError) as caught:
        load(tmp_path / "terms.yml", builtin=False)
    assert message in str(caught.value)
    assert str(tmp_path) in str(caught.value)  # the message names the dictionary file
