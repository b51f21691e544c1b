"""The identity module on its own: keys, clashes, re-association, GUIDs and cloze numbers."""

from __future__ import annotations

from pathlib import Path

from notes2anki import identity
from notes2anki.identity import Candidate, Entry
from notes2anki.pipeline import note_from_text


def _cards(body: str):
    folder = Path("/notes")
    return list(note_from_text("---\ntitle: T\n---\n## S\n\n" + body, folder / "n.md", folder).cards)


def test_key_ignores_width_case_spacing_title_answer_and_line() -> None:
    one = identity.card_key("n.md", "basic", ("S",), "Auto Scaling とは")
    assert one == identity.card_key("n.md", "basic", ("s",), "autoscaling　とは")
    assert one != identity.card_key("m.md", "basic", ("S",), "Auto Scaling とは")
    assert identity.card_key("n.md", "basic", ("S",), "q", pin="sqs") == identity.card_key("x.md", "cloze", (), "other", pin="sqs")
    assert identity.pin_of(identity.card_key("a", "b", (), "c", pin="sqs")) == "sqs"
    assert identity.pin_of(one) is None


def test_clashes_are_told_apart_by_case_then_answer_then_order() -> None:
    cards = _cards("- -d：削除\n- -D：強制削除\n- EC2 → S3\n- EC2 → RDS\n- キャッシュ：後で確認\n- キャッシュ：後で確認\n")
    keys, warnings = identity.resolve_clashes(cards)
    assert len(set(keys)) == 6
    assert [w.line for w in warnings] == [7, 9, 11]
    assert ["its case" in warnings[0].message, "its answer" in warnings[1].message, "its order" in warnings[2].message] == [True] * 3
    assert all(f"line {w.line - 1}" in w.message for w in warnings)  # both lines named
    assert identity.resolve_clashes(cards)[0] == keys  # the same notes, the same keys


def test_reassociation_prefers_the_best_match_and_breaks_ties_by_source_order() -> None:
    vanished = [Entry("g-old", "n.md", ("S",), "basic", "Which service is a pull-based queue?")]
    candidates = [
        Candidate(2, "n.md", 9, "basic", ("S",), "Which AWS service is a pull-based queue?"),
        Candidate(1, "n.md", 5, "basic", ("S",), "Which AWS service is a pull-based queue?"),
    ]
    (found,) = identity.reassociate(candidates, vanished)
    assert (found.ref, found.why) == (1, "reworded")  # the earlier line wins, not the earlier object
    (renamed,) = identity.reassociate([Candidate(7, "m.md", 3, "basic", ("X",), "which service is a PULL-based queue?")], vanished)
    assert renamed.why == "renamed"
    assert identity.reassociate([Candidate(3, "n.md", 5, "cloze", ("S",), vanished[0].question)], vanished) == []


def test_fresh_guid_is_the_keys_unless_taken() -> None:
    assert identity.fresh_guid("k", set()) == identity.guid("k")
    assert identity.fresh_guid("k", {identity.guid("k")}) not in {identity.guid("k")}
    assert len(identity.guid("k")) == 16


def test_cloze_numbers_keep_text_leave_gaps_and_never_reuse() -> None:
    first, top = identity.cloze_numbers(("sqs", "sns", "eventbridge"), None)
    assert (first, top) == ((1, 2, 3), 3)
    entry = Entry("g", "n.md", (), "cloze", "q", deletions=(("sqs", 1), ("eventbridge", 3)), top=3)
    assert identity.cloze_numbers(("eventbridge", "kinesis", "sqs"), entry) == ((3, 4, 1), 4)
    assert identity.cloze_numbers(("x", "x"), Entry("g", "n.md", (), "cloze", "q", deletions=(("x", 2), ("x", 5)), top=5)) == ((2, 5), 5)
