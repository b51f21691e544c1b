"""Which words of a plain statement to hide, when exactly which is clear: the ``fact`` card rule.

A statement such as ``1オブジェクトの最大サイズは5TB`` has no question and answer of its own, but
one part of it is plainly what a learner must recall. Candidates are looked for in this order,
and the first kind that is found decides; a kind with more than one candidate decides only where
each makes a card of its own (numbers, the focus of each clause of 「…のはX、…のはY」):

1. a code span (``localhost``): exactly one, and not the statement's subject (near its start);
2. numbers with their unit (``5TB``, ``35日``, ``30 seconds``): each one;
3. the focus of a cleft sentence (「フィルタリング機能があるのはSNS」): each one;
4. a quoted term (「トピック」, "fan-out"): each one (the author marked them as terms);
5. a term the note defines elsewhere, or a product-like name (``DynamoDB Streams``, ``TTL``) in a
   Japanese statement: exactly one;
6. a number without a unit (「上限は1,000」), when it is the only number;
7. the term a statement opens with (「XはY」, 「Xにすることで…」, ``X verbs …``), when it is a
   technical name (katakana, or Latin with a capital, digit or hyphen inside: not 「容量」 or
   "Pods").

A candidate that also appears elsewhere in the statement would give the answer away, and one
that is (nearly) the whole statement asks nothing: neither is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from notes2anki import wording
from notes2anki.model import Code, Deletion, Inline, Inlines, Text, plain_text

_UNITS = (
    r"%|％|TB|GB|MB|KB|TiB|GiB|MiB|KiB|bytes?|バイト|ビット|bits?|Gbps|Mbps|kbps|ms|ミリ秒|秒|分|時間|日|週間|週|か月|ヶ月|カ月|"
    r"年|回|個|台|件|人|つ|種類|倍|円|ドル|段階|文字|桁|行|層|seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"times|GB/s|MB/s|IOPS|TPS|RPS|requests?|nodes?|cores?|AZs?"
)
_NUMBER = re.compile(rf"(?<![A-Za-z0-9_.,])\d[\d,.]*\s?(?:{_UNITS})(?![A-Za-z])")
_CLEFT = re.compile(r"のは(?P<focus>[^、。，,（(]{1,30}?)(?=[、。，,]|$)")
_QUOTED = re.compile(r"「(?P<a>[^「」]{1,30})」|『(?P<b>[^『』]{1,30})』|“(?P<c>[^“”]{1,30})”|\"(?P<d>[^\"]{1,30})\"")
# ASCII words (a Japanese statement's product names), not joined to katakana (「APIコール」 is one word).
_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9_.\-/\u30a0-\u30ff])[A-Za-z][A-Za-z0-9_\-./+]*(?:\s[A-Z][A-Za-z0-9_\-./+]*)*(?![A-Za-z0-9_\-/\u30a0-\u30ff])")
_BARE_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,:])\d[\d,]*(?:\.\d+)?(?![A-Za-z0-9:])")
_JAPANESE_SUBJECT = re.compile(r"^(?P<subject>[^、。はがのをにで（(]{0,19}[^、。はがのをにでとも（(])(?:は(?!ない)|が|に|を|で)")
_ENGLISH_SUBJECT = re.compile(r"^(?:(?:An?|The)\s+)?(?P<subject>[A-Za-z][\w\-.]*)\s+(?!is\b|are\b)[a-z]+s\b")
_MIN_LEFT = 6  # characters a statement must keep around its deletions to still ask something
_ASIDES = re.compile(r"[（(][^（）()]*[）)]|[「」『』“”\"]")


def cloze_of(inlines: Inlines, terms: frozenset[str], context: tuple[str, ...] = ()) -> Inlines | None:
    """The statement with its unambiguous parts as deletions, or None when no part is plainly it.

    ``context`` (the headings the card shows) is never hidden: the card would show its answer.
    """
    text = plain_text(inlines)
    shown = {wording.normalised(part) for part in context}

    def hidden_by_context(span: str) -> bool:
        return any(wording.normalised(span) in part for part in shown)

    codes = [index for index, node in enumerate(inlines) if isinstance(node, Code)]
    if codes:
        opening = len(plain_text(inlines[: codes[0]]).split()) <= 2  # the statement's subject: 「Python's `dict` …」
        code = inlines[codes[0]].text
        if len(codes) == 1 and not opening and not hidden_by_context(code) and _usable(text, code):
            index = codes[0]
            return inlines[:index] + (Deletion((inlines[index],)),) + inlines[index + 1 :]
        return None
    for finder, several in _FINDERS:
        spans = [span for span in finder(inlines, terms) if not hidden_by_context(span)]
        if not spans:
            continue
        chosen = [span for span in spans if _usable(text, span, listing=finder not in _EACH_ITS_OWN)]
        if not chosen or (len(set(chosen)) > 1 and not several) or len(chosen) != len(spans):
            return None
        return _delete(inlines, list(dict.fromkeys(chosen)))
    return None


def _usable(text: str, span: str, listing: bool = True) -> bool:
    """Hiding ``span`` leaves a question, does not show the answer elsewhere in the line, and is
    not an aside in brackets or (``listing``) one of several things listed together (「AやB」)."""
    key, whole = wording.normalised(span), wording.normalised(text)
    left = _ASIDES.sub("", text.replace(span, "", 1))  # 「[…]」（署名は逆）: an aside asks nothing
    if not key or _occurrences(key, whole) != 1 or len(wording.normalised(left)) < _MIN_LEFT:
        return False
    start = text.find(span)
    if start < 0:
        return True
    before, after = text[:start].rstrip(), text[start + len(span) :].lstrip()
    listed = before.endswith(_LISTING) or after.startswith(_LISTING) and not after.startswith(_NOT_LISTING) or after.startswith(("など", "等"))
    contrasted = after.startswith(_CONTRAST)  # 「RDSとは異なり、…」: the statement is about something else
    return not (listing and listed) and not contrasted and _open_parentheses(before) == 0 and not _given_away(span, before + " " + after)


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]+")


def _given_away(span: str, rest: str) -> bool:
    """A word of the deletion shows elsewhere in the statement: 「KMSキー … KMSの外へ」."""
    words = {word.lower() for word in _LATIN_WORD.findall(span)} - {span.lower()}
    return bool(words & {word.lower() for word in _LATIN_WORD.findall(rest)})


def _occurrences(key: str, whole: str) -> int:
    """How often ``key`` shows in ``whole``; a number only where no digit continues it (「4日」 is
    not in 「14日」)."""
    count, start = 0, whole.find(key)
    while start >= 0:
        end = start + len(key)
        digit_before = key[:1].isdigit() and start > 0 and whole[start - 1].isdigit()
        digit_after = key[-1:].isdigit() and end < len(whole) and whole[end].isdigit()
        count += not (digit_before or digit_after)
        start = whole.find(key, start + 1)
    return count


_CONTRAST = ("とは異な", "と異な", "とは違", "と違", "と比べ", "とは別", "unlike")
_NOT_LISTING = ("とは", "として", "と同じ")  # 「Xとして」 lists nothing
_LISTING = ("、", "・", "や", "と", ",", "，", "/", " and", " or")


def _open_parentheses(text: str) -> int:
    """How many parentheses (asides) are open at the end of ``text``; quote brackets (「」) are
    not counted, since a quoted term is a candidate itself."""
    depth = 0
    for char in text:
        if char in "（(":
            depth += 1
        elif char in "）)" and depth:
            depth -= 1
    return depth


def _texts(inlines: Inlines) -> str:
    """The statement's own words, with markup other than plain text hidden from the patterns."""
    return "".join(node.text if isinstance(node, Text) else "\x00" for node in inlines)


def _numbers(inlines: Inlines, terms: frozenset[str]) -> list[str]:
    """Numbers with a unit; a count (「2種類」) only when the things counted are not listed in the
    statement, and never 「1つ」."""
    text = _texts(inlines)
    listed = any(marker in text for marker in ("、", "・", "と", "や", ",", " and "))
    found = []
    for match in _NUMBER.finditer(text):
        number = match.group().strip()
        count = _COUNT.search(number)
        if count and (listed or number.startswith(("1つ", "1個", "1種類"))):
            continue
        found.append(number)
    return found


_COUNT = re.compile(r"(?:つ|種類|個|段階|件|台|人)$")


def _bare_number(inlines: Inlines, terms: frozenset[str]) -> list[str]:
    """A number without a unit (「上限は1,000」), when it is the statement's only number."""
    found = [match.group() for match in _BARE_NUMBER.finditer(_texts(inlines))]
    return found if len(found) == 1 and len(found[0]) >= 2 else []


def _clefts(inlines: Inlines, terms: frozenset[str]) -> list[str]:
    return [match.group("focus").strip() for match in _CLEFT.finditer(_texts(inlines)) if wording.is_term(match.group("focus"))]


def _quoted(inlines: Inlines, terms: frozenset[str]) -> list[str]:
    return [next(group for group in match.groups() if group) for match in _QUOTED.finditer(_texts(inlines))]


def _known(inlines: Inlines, terms: frozenset[str]) -> list[str]:
    text = _texts(inlines)
    key = wording.folded(text)
    found = [term for term in terms if _word_in(term, key)]
    found = [term for term in found if not any(term != other and term in other for other in found)]
    spans = [_original(text, term) for term in found]
    if wording.is_japanese(text):
        spans += [match.group() for match in _LATIN_NAME.finditer(text) if _named(match.group())]
    spans = [span for span in spans if span]
    return [span for span in spans if not any(span != other and wording.normalised(span) in wording.normalised(other) for other in spans)]


def _word_in(term: str, key: str) -> bool:
    """``term`` in ``key`` as a word of its own: ``ns`` is not in ``transport``."""
    start = key.find(term)
    while start >= 0:
        before, after = key[start - 1 : start], key[start + len(term) : start + len(term) + 1]
        if not term.isascii() or not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
            return True
        start = key.find(term, start + 1)
    return False


def _named(word: str) -> bool:
    """``DynamoDB``, ``TTL``, ``S3``: a product or technology name written in Latin letters."""
    return any(char.isupper() or char.isdigit() for char in word) and len(word) >= 2


def _subject(inlines: Inlines, terms: frozenset[str]) -> list[str]:
    """The named term a statement is about: 「楽観ロックは…」, ``BFS finds …``, ``A DaemonSet runs …``."""
    text = _texts(inlines).strip()
    match = _JAPANESE_SUBJECT.match(text) if wording.is_japanese(text) else _ENGLISH_SUBJECT.match(text)
    if match is None or not wording.is_term(match.group("subject")):
        return []
    subject = match.group("subject").strip()
    clause = re.search(r"[\u3040-\u309f]", subject)  # hiragana: 「一度作ったスナップショット」 is a phrase, not a name
    return [subject] if _NAMED_TERM.search(subject) and not clause else []


# A technical name: katakana, or Latin with a capital, digit or hyphen inside (``DaemonSet``, ``S3``).
_NAMED_TERM = re.compile(r"[\u30a0-\u30ff]{2}|[A-Za-z][A-Za-z0-9]*[A-Z0-9\-][A-Za-z0-9\-]*|^[A-Z]{2,}")


_FINDERS: list[tuple[Callable[[Inlines, frozenset[str]], list[str]], bool]] = [
    (_numbers, True),
    (_clefts, True),
    (_quoted, True),
    (_known, False),
    (_bare_number, False),
    (_subject, False),
]


# Finders whose candidates stand each for a fact of its own, listed or not: 「4日、最大で14日」.
_EACH_ITS_OWN = (_numbers, _clefts, _bare_number)


def _original(text: str, key: str) -> str | None:
    """The span of ``text`` whose folded form is ``key`` (terms are kept folded)."""
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + len(key) * 2 + 2) + 1):
            if wording.folded(text[start:end]) == key:
                return text[start:end].strip()
    return None


def _delete(inlines: Inlines, spans: list[str]) -> Inlines | None:
    """The inlines with each span (found in a Text node) wrapped as a deletion, in order."""
    nodes: list[Inline] = list(inlines)
    for span in spans:
        for index, node in enumerate(nodes):
            if isinstance(node, Text) and span in node.text:
                before, _, after = node.text.partition(span)
                nodes[index : index + 1] = [n for n in (Text(before), Deletion((Text(span),)), Text(after)) if not (isinstance(n, Text) and not n.text)]
                break
        else:
            return None
    return tuple(nodes)
