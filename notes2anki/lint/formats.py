"""Findings as text (ruff's shape), JSON, or GitHub Actions annotations."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept out of start-up: the command line imports FORMATS for its options
    from notes2anki.lint.engine import Finding

FORMATS = ("text", "json", "github")


def render(findings: list[Finding], output_format: str) -> str:
    if output_format == "json":
        import json

        return json.dumps([_as_dict(finding) for finding in findings], ensure_ascii=False, indent=2)
    if output_format == "github":
        return "\n".join(_github(finding) for finding in findings)
    return "\n".join(_text(finding) for finding in findings)


def statistics(findings: list[Finding], output_format: str) -> str:
    """How many problems each rule found, most first (``--statistics``); ``[*]``: all fixable."""
    from notes2anki.lint.rules import BY_CODE

    counts = Counter(finding.code for finding in findings)
    rows = [
        {"code": code, "name": BY_CODE[code].NAME, "count": count, "fixable": all(f.fixable for f in findings if f.code == code)}
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    if output_format == "json":
        import json

        return json.dumps(rows, indent=2)
    width = len(str(max(counts.values(), default=0)))
    return "\n".join(f"{row['count']:>{width}}  {row['code']}  {'[*]' if row['fixable'] else '[ ]'} {row['name']}" for row in rows)


def _text(finding: Finding) -> str:
    mark = " [*]" if finding.fixable else ""
    level = "" if finding.severity == "error" else f" ({finding.severity})"
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}{mark}{level}"


def _github(finding: Finding) -> str:
    level = "error" if finding.severity == "error" else "warning"
    message = finding.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={finding.path},line={finding.line},col={finding.column},title={finding.code}::{message}"


def _as_dict(finding: Finding) -> dict:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "code": finding.code,
        "message": finding.message,
        "severity": finding.severity,
        "fix": [{"start": e.start, "end": e.end, "replacement": e.replacement} for e in finding.edits] or None,
        "fix_safe": finding.safe if finding.edits else None,
    }
