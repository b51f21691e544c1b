"""What one line of a note says by its own words: a card, a reason for none, or nothing.

Pure functions of a line's inline markup, without regard to where the line stands (that is
``cards.py``'s business): the separators of a question and its answer, labels, references,
to-dos and links, and cloze deletions. A line's verdict is asked again and again (by the rules
of its section, of its parent, of the lists of terms), so the costly ones are kept.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from notes2anki import split, wording
from notes2anki.model import (
    Code,
    Deletion,
    Emphasis,
    Inline,
    Inlines,
    Link,
    Mark,
    Strong,
    Text,
    deletions_in,
    plain_text,
    trimmed,
)

# Why a line makes no card: shown by ``notes2anki cards``; lint rules report some of them.
EMPTY_ARROW_SIDE = "an arrow with nothing on one side"
EMPTY_DEFINITION = "a definition with nothing after the colon"
FLOW = "a flow or menu path (two or more arrows): not a question and an answer"
LABEL = "a remark (a label such as Note:, 例：, TODO), not a fact to learn"
LINKS = "a link or a page reference: nothing to learn from it alone"
LONE_QUESTION = "a question (Q:) with no answer (A:) right after it"
TASK = "a to-do item"
TAGS = "tags only"

_PURPOSE = re.compile(r"^(?P<goal>.{2,60}?(?:[うくぐすつぬぶむる]|ため))には[、，,]\s*(?P<way>.+)$")
REFERENCE_PAIR = re.compile(r"^前者は(?P<first>.+?)[、，,]\s*後者は(?P<second>.+?)[。．]?$")
_QUESTION_LABELS = ("q", "question", "問", "問題", "質問", "問い")
_ANSWER_LABELS = ("a", "answer", "答", "答え", "解答", "回答")
_NOTATION = re.compile(r"(?:^|\s)[A-Za-z]{1,2}\s*(?:->|→|⇒|=>)\s*[A-Za-z]{1,2}\s+\S+\s+\S+")
_FIRST_WORD = re.compile(r"[\s:：)）]")
_LABEL_COLON = re.compile(r"：|:(?=\s|$)")  # a label is plain words, so the line's text is enough
_NAMED = re.compile(r"[A-Z]{2,}|[a-z][A-Z]|\(")  # an acronym, CamelCase or a bracketed short form


def qa_side(inlines: Inlines) -> tuple[str, Inlines] | None:
    """``Q: …`` or ``A: …`` (also ``Q.``, ``問：``): which side, and its text."""
    text = plain_text(inlines).strip()
    match = re.match(r"^([A-Za-z]+|[^\x00-\x7f]{1,2})\s*[:：.．]\s*", text)
    if match is None or not isinstance(inlines[0], Text) or not inlines[0].text.lstrip().startswith(match.group(1)):
        return None
    label = wording.folded(match.group(1))
    side = "q" if label in _QUESTION_LABELS else "a" if label in _ANSWER_LABELS else None
    if side is None:
        return None
    rest = inlines[0].text.lstrip()[len(match.group()) :]
    return side, trimmed(((Text(rest),) if rest else ()) + inlines[1:])


def qa_pair(question: Inlines, answer: Inlines) -> tuple[Inlines, Inlines] | None:
    first, second = qa_side(question), qa_side(answer)
    if first and second and first[0] == "q" and second[0] == "a" and first[1] and second[1]:
        return first[1], second[1]
    return None


@functools.lru_cache(maxsize=4096)
def no_card_reason(inlines: Inlines) -> str | None:
    text = plain_text(inlines).strip()
    if not text:
        return None
    if wording.is_todo(text):
        return TASK
    if is_links(inlines):
        return LINKS
    if text.startswith("#") and all(word.startswith("#") for word in text.split()):
        return TAGS
    return None


def is_links(inlines: Inlines) -> bool:
    """Only links, page references and URLs: a table of contents or a reading list."""
    meaningful = [node for node in inlines if not (isinstance(node, Text) and not node.text.strip(" ,、・|"))]
    return bool(meaningful) and all(isinstance(node, Link) or isinstance(node, Text) and wording.is_url(node.text) for node in meaningful)


@dataclass(frozen=True)
class LineCard:
    """What one line says as a card: its rule and sides, before it is placed in a note."""

    rule: str
    front: Inlines = ()
    back: Inlines = ()
    cloze: Inlines = ()
    reversed: bool = False


@functools.lru_cache(maxsize=4096)
def card_line(inlines: Inlines) -> LineCard | str | None:
    """The card a line makes by its own text; a reason string when it looks like one but is not.

    Pure and asked again and again of the same line (by the section rules, the parent's rules,
    the lists of terms), so its answers are kept. Separators are only looked for where the
    line's text holds their characters at all.
    """
    if has_deletions(inlines):
        return LineCard("cloze", cloze=as_deletions(inlines, bold=False))
    texts = "".join(node.text for node in inlines if isinstance(node, Text))
    found = split.double_colon(inlines) if "::" in texts else None
    if found is not None:
        return LineCard("flashcard", found.left, found.right, reversed=found.separator == ":::")
    if (qa_side(inlines) or ("",))[0] == "q":  # a ``Q:`` and the ``A:`` after it are read as a pair before this
        return LONE_QUESTION
    if is_label_line(inlines):
        return LABEL
    colon = split.position(inlines, split.COLON_PATTERN) if ":" in texts or "：" in texts else None
    arrow = split.position(inlines, split.ARROW_PATTERN) if any(mark in texts for mark in split.ARROWS) else None
    if colon is not None and (arrow is None or colon < arrow):
        found = split.colon(inlines)
        if is_term(found.left):
            return LineCard("definition", found.left, found.right) if found.right else EMPTY_DEFINITION
    if arrow is not None and split.arrows(inlines) > 1:
        return FLOW
    if arrow is not None and not _notation(inlines):
        found = split.arrow(inlines)
        if not found.left or not found.right:
            return EMPTY_ARROW_SIDE
        left, right = plain_text(found.left), plain_text(found.right)
        if wording.reads_as_sentence(right) and wording.reads_as_sentence(left) and not wording.is_question(left):
            return LineCard("reason", (Text(wording.why(right)),), found.left)  # cause → effect: why the effect?
        return LineCard("arrow", found.left, found.right)
    splits = (
        split.towa(inlines) if "とは" in texts else None,
        split.equals(inlines) if " = " in texts or "＝" in texts else None,
        split.dash(inlines) if "—" in texts or "–" in texts or " - " in texts else None,
    )
    for found in splits:
        if found is not None and found.right and is_term(found.left):
            return LineCard("definition", found.left, _without_copula(found.right))
    english = _english_definition(inlines) if " is " in texts or " are " in texts or " means " in texts or ", " in texts or _DEFINING.search(texts) or _DOER.match(texts) or inlines[:1] and isinstance(inlines[0], Code) else None
    if english is not None:
        return english
    purpose = _purpose(inlines) if "には" in texts else None
    if purpose is not None:
        return purpose
    if bold_inside(inlines):
        return LineCard("cloze", cloze=as_deletions(inlines))
    whole = whole_bold(inlines)
    if whole is not None:
        return card_line(whole)
    return None


def compared_pair(inlines: Inlines) -> list[LineCard]:
    """``TCPとUDPの違い：前者は…、後者は…`` (or ``TCPとUDPを比べると、前者は…``): the two things a
    line names, each with what it says of it; none when the line does not name them before its
    前者/後者."""
    text = plain_text(inlines).strip()
    named = _COMPARED.match(text)
    pair = REFERENCE_PAIR.match(text[named.end() :]) if named else None
    if pair is None or re.search(r"[。．]\s*\S", pair.group("second")):  # a sentence after them may be about both
        return []
    first, second = named.group("first").strip(), named.group("second").strip()
    return [
        LineCard("reference", (Text(f"{first}（{second}との違い）"),), (Text(pair.group("first")),)),
        LineCard("reference", (Text(f"{second}（{first}との違い）"),), (Text(pair.group("second")),)),
    ]


_COMPARED = re.compile(r"^(?P<first>[^、。：:とは]{1,30}?)\s*と\s*(?P<second>[^、。：:の]{1,30}?)\s*(?:の(?:違い|比較|差)(?:は)?|を比べると|を比較すると)\s*[：:。、]\s*")


def line_pairs(inlines: Inlines) -> list[LineCard]:
    """``Multi-AZ → 可用性、Read Replica → 読み取り性能``, ``Phagocytosis = "cell eating";
    pinocytosis = "cell drinking"``: a card in each part of a line that is none as a whole, all of
    one rule (arrows or definitions); none when any part is not one (a flow, a menu path)."""
    parts = split.parts(inlines, split.PAIRS_PATTERN)
    found = [card_line(part) for part in parts] if len(parts) > 1 else []
    if not found or not all(isinstance(card, LineCard) for card in found):
        return []
    fronts = [wording.normalised(plain_text(card.front)) for card in found]
    backs = {wording.normalised(plain_text(card.back)) for card in found}
    if any(len(front) < 2 for front in fronts) or backs & set(fronts):  # 「x＝3のとき、y＝5」; a chain 「東京 → 大阪、大阪 → 福岡」
        return []
    return found if len({card.rule for card in found}) == 1 and found[0].rule in ("arrow", "definition") else []


def _notation(inlines: Inlines) -> bool:
    """``X → Y`` inside a sentence names a relation (a functional dependency), not a question."""
    return _NOTATION.search(plain_text(inlines)) is not None


def is_term(inlines: Inlines) -> bool:
    """The left side of a definition names a thing: a short phrase, or code (``kubectl get pods``)."""
    meaningful = [node for node in inlines if not (isinstance(node, Text) and not node.text.strip())]
    if meaningful and all(isinstance(node, Code) for node in meaningful):
        return len(plain_text(inlines)) <= split.MAX_TERM_LENGTH
    return wording.is_term(plain_text(inlines))


@functools.lru_cache(maxsize=4096)
def is_label_line(inlines: Inlines) -> bool:
    """A line that starts with a label (``Note:``, ``例：``, ``TODO``): a remark, not a fact."""
    text = plain_text(inlines).strip()
    colon = _LABEL_COLON.search(text)
    if colon is not None and wording.is_label(text[: colon.start()]):
        return True
    first = _FIRST_WORD.split(text, maxsplit=1)[0]
    return wording.is_todo(text) or (first != text and wording.is_label(first) and text[len(first) : len(first) + 1] in ":：)）")


def _english_definition(inlines: Inlines) -> LineCard | None:
    """``A MAC address is a 48-bit hardware address …``, ``etcd, a key-value store …``, ``HA means
    …``, ``X is used for …``, ``The default port of X is …``: the term (without its article), and
    what it is."""
    text = plain_text(inlines)
    if wording.is_japanese(text):
        return None
    for found, needs_name in ((split.is_a(inlines), False), (split.appositive(inlines), False), (split.is_doing(inlines), True)):
        if found is None or not found.right:
            continue
        term = _without_article(found.left)
        named = not needs_name or _NAMED.search(plain_text(term)) is not None  # "XSS is injecting …", not "it is running"
        if is_term(term) and len(plain_text(term).split()) <= 5 and named:
            if _identifies(plain_text(found.right)):  # 「Penicillin G is the drug of choice for syphilis」: ask for the drug
                return LineCard("definition", _without_article(_without_final_period(found.right)), term)
            return LineCard("definition", term, _without_final_period(found.right))
    found = split.defined_as(inlines) if _DEFINING.search(text) else None
    if found is not None and _named_thing(found.left) and found.right:
        return _definition(found)
    found = split.means(inlines) if " means " in text else None
    if found is not None and _named_thing(found.left) and len(plain_text(found.right).split()) >= 2:
        return _definition(found)
    found = split.used_for(inlines) if " used " in text else None
    left = plain_text(found.left) if found is not None else ""
    if found is not None and _named_thing(found.left) and len(left.split()) <= 4 and left == wording.without_article(left):  # what a thing is for
        purpose = (Text("to "),) if found.separator.rstrip().endswith("to") else ()
        verb = found.separator.split()[0]  # is, are
        return LineCard("purpose", (Text(f"What {verb} {left.strip()} used for?"),), (*purpose, *_without_final_period(found.right)))
    found = split.is_value(inlines)
    if found is not None and _ABBREVIATED.search(plain_text(found.left)) and _named_thing(found.left) and len(plain_text(found.right).split()) >= 2:
        return _definition(found)  # 「Capital expenditure (CapEx) is …」
    if found is not None and _attribute(plain_text(found.left)) and _value(plain_text(found.right)):
        return _definition(found)
    found = _does(inlines)
    if found is not None:
        return found
    if inlines and isinstance(inlines[0], Code) and len(inlines) > 1 and isinstance(inlines[1], Text):
        verb = re.match(r"\s+(?:[a-z]+s|is|are|can|cannot|does|returns)(?:\s+\S|\s*$)", inlines[1].text)
        if verb:  # ``Promise.all`` rejects as soon as …: what the code does
            return LineCard("definition", inlines[:1], _without_final_period(trimmed(inlines[1:])))
    return None


def _definition(found: split.Split) -> LineCard:
    """The term (without its article) and what the line says it is."""
    return LineCard("definition", _without_article(found.left), _without_final_period(found.right))


def _identifies(text: str) -> bool:
    """``the drug of choice for syphilis``, ``the capital of France``: a role only one thing has,
    so the card asks for that thing; one sentence, short enough to be a question."""
    text = text.strip().rstrip(".")
    return (
        re.match(r"the\s", text, re.IGNORECASE) is not None
        and re.search(r"\s(?:of|for)\s", text) is not None
        and len(text.split()) <= 10
        and not wording.reads_as_sentence(text)
        and _SENTENCE_END.search(text) is None
    )


_SENTENCE_END = re.compile(r"[.。!?]\s")


def _does(inlines: Inlines) -> LineCard | None:
    """``Salting defends against rainbow tables``, ``Azure Policy enforces rules …``: a subject
    that names a process, a concept or a product, and what it does, told by a verb that says so
    (named terms such as ``BFS finds …`` are left to the fact rule's cloze, and a line with a
    bold part to its cloze)."""
    first = inlines[0] if inlines else None
    match = _DOER.match(first.text) if isinstance(first, Text) else None
    verb = match.group("verb") if match else ""
    if verb not in wording.DESCRIBING_VERBS or verb in wording.NOUN_LIKE_VERBS or _NAMED.search(match.group("subject")) or bold_inside(inlines):
        return None
    rest = (Text(first.text[match.end("subject") :].lstrip()), *inlines[1:])
    words = plain_text(rest).split()
    if len(words) < 3 or wording.reads_as_sentence(words[1]):  # 「Bloom filters are …」: the "verb" was a noun
        return None
    return LineCard("definition", (Text(match.group("subject")),), _without_final_period(trimmed(rest)))


# A one-word subject that names a process or a concept (``Salting``, ``Endocytosis``,
# ``Replication``), not a person, a day or a step (``Client``, ``Tomorrow``, ``First``).
# A name of two or three capitalised words (``Azure Policy``, ``Transit Gateway``) is one too.
_DOER = re.compile(
    r"^(?P<subject>(?!(?:Some|No|Every|Any)thing\b)[A-Z][a-z\-]+(?:ing|sis|tion|sion|ism|ment|ance|ence|ity|ogy|age)"
    r"|[A-Z][a-z\-]+(?:\s[A-Z][A-Za-z\-]+){1,2})\s+(?P<verb>[a-z]+s)\s"
)


def _named_thing(inlines: Inlines) -> bool:
    """A term that opens with a word of its own (not ``By``, ``Which``, ``My``, ``Half``) and is
    not about the course (``The deadline``)."""
    text = wording.without_article(plain_text(inlines))
    return is_term(inlines) and not wording.opens_with_function_word(text) and not wording.is_admin(text)


def _attribute(text: str) -> bool:
    """``Antidote for anticholinergic toxicity``, ``the default port of PostgreSQL``: what a thing
    has, named by a noun phrase with ``of``/``for`` in it."""
    words = text.split()
    return (
        3 <= len(words) <= 7
        and re.search(r"\s(?:of|for)\s", text) is not None
        and words[0][:1].isalpha()
        and not wording.reads_as_sentence(text)
        and not _POINTING.search(text)  # 「Most of this note」 points, it names nothing
        and not wording.opens_with_function_word(wording.without_article(text))  # 「Half of the class」
        and not wording.is_admin(text)  # 「The deadline for the essay」
    )


def _value(text: str) -> bool:
    """A value short enough to recall whole (an aside in brackets after it not counted), not a phrase
    that says where or how (``about where the data lives``)."""
    value = re.sub(r"\s*[（(][^()（）]*[)）]\s*\.?$", "", text.strip()).rstrip(".")
    return 0 < len(value.split()) <= 5 and not wording.reads_as_sentence(value) and not _PREPOSITION_START.match(value)


_DEFINING = re.compile(r"\s(?:defined as|refers? to|stands? for|short for)\s")
_ABBREVIATED = re.compile(r"\w\s*[（(][A-Z][A-Za-z0-9&/\-]{1,9}[)）]$")  # a term with its short form: 「Capital expenditure (CapEx)」
_POINTING = re.compile(r"\b(?:this|that|these|those|my|our|your|it)\b", re.IGNORECASE)
_PREPOSITION_START = re.compile(r"^(?:about|in|on|at|for|to|from|with|by|into|over|under|like|not|also|very|still|only)\b", re.IGNORECASE)


def _without_copula(inlines: Inlines) -> Inlines:
    """「…手法のことである。」 → 「…手法」: what a definition says, without the words that only
    end its sentence."""
    if inlines and isinstance(inlines[-1], Text):
        text = _COPULA.sub("", inlines[-1].text)
        if text.strip():
            return trimmed((*inlines[:-1], Text(text)))
    return inlines


_COPULA = re.compile(r"(?:のこと(?:である|です|だ)?|である|です)[。．]?$")


def _without_article(inlines: Inlines) -> Inlines:
    if inlines and isinstance(inlines[0], Text):
        return trimmed((Text(wording.without_article(inlines[0].text)),) + inlines[1:])
    return inlines


def _without_final_period(inlines: Inlines) -> Inlines:
    if inlines and isinstance(inlines[-1], Text) and inlines[-1].text.endswith(".") and not inlines[-1].text.endswith(".."):
        return trimmed(inlines[:-1] + (Text(inlines[-1].text[:-1]),))
    return inlines


def _purpose(inlines: Inlines) -> LineCard | None:
    """「メッセージの破棄を防ぐには、…」: how to reach a goal."""
    found = _PURPOSE.match(plain_text(inlines).strip())
    if found is None or not all(isinstance(node, Text) for node in inlines):
        return None
    return LineCard("purpose", (Text(found.group("goal") + "には？"),), (Text(found.group("way").rstrip("。")),))


@functools.lru_cache(maxsize=4096)
def is_reference_line(inlines: Inlines) -> bool:
    """A line about something it only points at: ``前者：…``, ``後者 -> …``, ``前者は…、後者は…``."""
    text = plain_text(inlines).strip()
    if not wording.starts_with_reference(text):
        return False
    if REFERENCE_PAIR.match(text):
        return True
    for found in (split.colon(inlines), split.arrow(inlines)):
        if found is not None and wording.is_reference(plain_text(found.left)):
            return True
    return False


def has_deletions(inlines: Inlines) -> bool:
    """Deletions the author wrote: ``{{c1::…}}``, ``{{cloze …}}`` or ``==highlight==``."""
    return any(isinstance(node, (Deletion, Mark)) or hasattr(node, "children") and has_deletions(node.children) for node in inlines)


def as_deletions(inlines: Inlines, bold: bool = True) -> Inlines:
    """The text with each highlighted span (and, unless the author marked deletions another way,
    each bold one) as a deletion, at any depth; deletions written as such are kept."""
    nodes: list[Inline] = []
    for node in inlines:
        if isinstance(node, Mark) or isinstance(node, Strong) and bold and not wording.is_emphasis(plain_text(node.children)):
            nodes.append(Deletion(node.children))
        elif isinstance(node, (Strong, Emphasis, Link)):
            nodes.append(replace(node, children=as_deletions(node.children, bold)))
        else:
            nodes.append(node)
    return tuple(nodes)


def _unshowable(deletion: Deletion) -> bool:
    return not plain_text(deletion.children).strip() or deletion.number == 0


def invalid_deletion(inlines: Inlines) -> str:
    """The first deletion Anki cannot show, as written (``{{c1::}}``, ``{{c0::x}}``)."""
    for node in deletions_in(inlines):
        if _unshowable(node):
            return f"{{{{c{node.number if node.number is not None else ''}::{plain_text(node.children)}}}}}"
    return ""


def valid_deletions(inlines: Inlines) -> bool:
    found = deletions_in(inlines)
    return bool(found) and not any(_unshowable(node) for node in found)


def bold_inside(inlines: Inlines) -> bool:
    """Bold spans inside a sentence that name something. A line bold from end to end, or a bold
    ``not`` or 「必ず」, is emphasis, not a deletion."""
    bold = [node for node in inlines if isinstance(node, Strong) and not wording.is_emphasis(plain_text(node.children))]
    return bool(bold) and whole_bold(inlines) is None


def whole_bold(inlines: Inlines) -> Inlines | None:
    meaningful = [node for node in inlines if not (isinstance(node, Text) and not node.text.strip())]
    if len(meaningful) == 1 and isinstance(meaningful[0], Strong):
        return meaningful[0].children
    return None


def unbold(inlines: Inlines) -> Inlines:
    whole = whole_bold(inlines)
    return whole if whole is not None else inlines


def without_trailing_colon(inlines: Inlines) -> Inlines:
    nodes = list(trimmed(inlines))
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text.rstrip().rstrip(":：").rstrip())
    return trimmed(tuple(nodes))
