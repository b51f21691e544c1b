"""Where lint spends its time beyond the parse: each stage of a lint of every note, in one process.

``python bench/lint_stages.py FOLDER`` prints JSON: seconds for the floor (mistune alone, as in
``run.py``), for reading and parsing a note as lint does (front matter, the parser's plugins,
the outline), for the card rules (lint's rules about cards need them), and for each lint rule.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import mistune

from notes2anki.cards import extract
from notes2anki.lint.config import Config
from notes2anki.lint.document import Document
from notes2anki.lint.engine import Corpus, is_corpus_rule
from notes2anki.lint.rules import RULES
from notes2anki.lint.terms import load as load_dictionary
from notes2anki.parse import parse_text
from notes2anki.source import decode


def stages(folder: Path) -> dict[str, float]:
    floor = mistune.create_markdown(renderer=None, plugins=["table"])
    config = Config(root=folder, notes=())
    dictionary = load_dictionary(None, True)
    seconds: dict[str, float] = defaultdict(float)

    def timed(stage: str, action, *arguments):
        start = time.perf_counter()
        value = action(*arguments)
        seconds[stage] += time.perf_counter() - start
        return value

    for path in sorted(folder.rglob("*.md")):
        text = timed("read", lambda: decode(path.read_bytes(), str(path)))
        timed("floor", floor, text)
        note = timed("parse", parse_text, text, path, folder, True)
        cards = timed("cards", extract, note)
        document = Document(path, folder, str(path), text, note, None, list(cards.cards), list(cards.skipped))
        corpus = Corpus([document], config, dictionary)
        for rule in RULES:
            work = (lambda rule=rule: rule.collect(document, corpus)) if is_corpus_rule(rule) else (lambda rule=rule: list(rule.check(document, corpus)))
            timed(f"rule {rule.CODE}", work)
    seconds["rules"] = sum(value for stage, value in seconds.items() if stage.startswith("rule "))
    return dict(seconds)


if __name__ == "__main__":
    print(json.dumps(stages(Path(sys.argv[1]))))
