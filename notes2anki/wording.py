"""What a line of a note is, judged by its words: a label, a reference, a question, a term.

Card rules ask these questions of plain text, in Japanese and English notes alike. Each answer
is a small pattern with a name, so that a rule reads as what it checks, and so that the words
behind it are listed in one place.
"""

from __future__ import annotations

import re
import unicodedata

# Words that introduce a remark rather than name a term: "Note: …", "例：…", "TODO …".
LABELS = frozenset(
    " ".join(word.split())
    for word in """todo, done, later, fixme, note, notes, nb, memo, tip, tips, hint, remember, warning, caution,
    important, example, examples, e.g., eg, ex, sample, see, see also, ref, refs, reference, references,
    source, sources, link, links, url, tags, tag, back, front, score, summary, overview, update, edit,
    still to check, to check, to do, check later, question, answer, 参考, 参考文献, 参考リンク, メモ, 注, 注意,
    注意点, 備考, 補足, 例, 例え, 例えば, 具体例, ポイント, まとめ, 感想, 疑問, 課題, あとで, 後で, 要確認, 確認,
    未確認, タグ, 出典, リンク, 目次, related, see also, cf, 関連, 覚え方, 語呂合わせ, 語呂, 覚えかた, mnemonic, beispiel, hinweis, achtung, merke,
    exemple, remarque, ejemplo, nota, reading, readings, homework, hw, assignment, next week, next time,
    next class, office hours, deadline, due, announcement, random, misc, aside, prof, professor, lecturer,
    teacher, note to self, notes to self, 宿題, 次回, 連絡, 雑記""".split(",")
)
# Words that point at nearby text instead of naming something: a card that needs one cannot be answered alone.
JAPANESE_REFERENCES = ("前者", "後者", "上記", "以下", "下記", "前述", "同上", "同様", "これら", "それら", "これ", "それ", "あれ", "こちら")
REFERENCES = frozenset((*JAPANESE_REFERENCES, *"above below this that these those former latter it".split()))
# Headings that organise a note rather than name a subject: they never make a card themselves.
LABEL_HEADINGS = frozenset(
    " ".join(word.split())
    for word in """summary, overview, introduction, intro, references, reference, links, link, resources, reading,
    further reading, see also, notes, note, notes to self, note to self, reminders, to do, to-do, misc,
    miscellaneous, todo, toc, contents, table of contents,
    appendix, 参考, 参考リンク, 参考文献, リンク, まとめ, 概要, メモ, 目次, はじめに, おわりに, 付録, その他,
    雑記, 補足, 備忘録, 自分用メモ""".split(",")
)
# Headings that group a subject's facts under a label: the facts make cards, the label none.
ORGANISING_HEADINGS = frozenset(
    " ".join(word.split())
    for word in """themes, key themes, key points, key ideas, main ideas, takeaways, key takeaways, mnemonic,
    mnemonics, tips, exam tips, 覚え方, 語呂合わせ, ポイント, 重要ポイント""".split(",")
)

_TODO = re.compile(r"^(?:TODO|DONE|DOING|NOW|LATER|WAIT|WAITING|CANCELED|CANCELLED|FIXME)\b")
_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_QUESTION_WORDS = re.compile(
    r"^(?:what|how|why|which|when|where|who|whom|whose|is|are|does|do|did|can|could|should|would|will|"
    r"name|list|explain|describe|define)\b",
    re.IGNORECASE,
)
_JAPANESE_QUESTION = re.compile(r"(?:とは|は何|とは何|違いは|どれ|どちら|なぜ|何か|いくつ|の意味)[?？]?$")
_COMPARISON = re.compile(r"の違い|の比較|違いは|\bvs\.?\b|\bversus\b|比較", re.IGNORECASE)
_SENTENCE_END = ("。", ".", "!", "?", "！", "？", "．")
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|could|will|would|should|must|may|might|does|do|did|"
    r"gets?|makes?|takes?|uses?|runs?|keeps?|lets?)\b"  # lower case: 「Cloud Run」 names a product
)
_PRONOUN_START = re.compile(r"^(?:it|this|that|these|those|they|there|here|he|she|we|you|i|its|their)\b", re.IGNORECASE)
# Japanese predicate endings: a line ending like this says something, it does not name a thing.
_JAPANESE_PREDICATE = re.compile(
    r"(?:(?<![0-9０-９一二三四五六七八九十])[るたうくすつぬむぶぐいだ]|ない|ます|です|でした|ません|れる|られる|できる|がある|である|になる)$"
)
_TRAILING_BRACKETS = re.compile(r"\s*[（(][^（()）]*[）)]$")
# Counted kinds and parts that announce the items nested under a line.
_ANNOUNCES = re.compile(
    r"(?:\d+|[一二三四五六七八九十]+|two|three|four|five|six|seven|eight|nine|ten|several)\s*"
    r"(?:つ|種類|個|段階|パターン|通り|ステップ|要素|types?|kinds?|ways?|steps?|phases?|layers?|levels?|parts?|"
    r"categories|classes|modes?|options?|components?|factors?|rules?|principles?|stages?)"
    r"|方法|手順|種類|以下の|次の|主な|following|include|includes|consists? of|such as|options|steps|types of",
    re.IGNORECASE,
)
_REASON = re.compile(r"(?:ため|から|ので|ためである|からだ|ためだ)[。．]?$|^(?:because|since|so that|as)\b|^(?:なぜなら|理由)", re.IGNORECASE)


def normalised(text: str) -> str:
    """Width, case and spacing removed: how two spellings of one word are compared."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def folded(text: str) -> str:
    """Width and case removed, spacing collapsed: how a term is looked for in a statement."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().strip(" :：-*").split())


def is_label(text: str) -> bool:
    """A word that introduces a remark (``Note``, ``例``, ``TODO``), not a term to learn."""
    key = _key(text)
    return key in LABELS or key.rstrip("s") in LABELS or _TODO.match(text.strip()) is not None


# Words that cannot open a term: what follows them is a clause or a remark about it (``By means
# of …``, ``Which means …``, ``My plan …``, ``Half of the class …``, ``Also removes …``).
_FUNCTION_WORDS = frozenset(
    "what which who whom whose when where why how by of for in on at to from with into about as if so and or but "
    "my our your his her their its this that these those it they we you he she i me us them there here "
    "half most rest lots lot all some any none many few each every both part majority end beginning "
    "also often always never sometimes usually then first second third finally next last today tomorrow "
    "yesterday nobody somebody someone something nothing everything anything everyone anyone".split()
)
# Words of a remark about studying rather than of a subject: ``The deadline for the essay is …``.
_ADMIN_WORDS = frozenset(
    "deadline due homework assignment exam exams midterm final quiz lecture lectures class classes "
    "semester week plan prep office hours reading list questions todo slide slides chapter".split()
)


def opens_with_function_word(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0].casefold().strip(",.") in _FUNCTION_WORDS


def is_admin(text: str) -> bool:
    """A phrase about the course rather than its subject (``deadline for the assignment``)."""
    return any(word.casefold().strip(",.:") in _ADMIN_WORDS for word in text.split())


# Words that only group the items nested under them (``- 用語`` over definitions): the items are
# the facts; the word asks nothing.
_GROUP_LABELS = frozenset(
    "説明 用語 用語集 詳細 定義 キーワード 重要語句 単語 terms terminology vocabulary glossary keywords "
    "definitions details description descriptions".split()
)


# Words that name an aspect of a subject, not a subject: 「原因：…」 under 「## 過学習」 is the cause
# of 過学習. The first group says what the subject is: a card that asks for the subject itself.
_SELF_ASPECTS = frozenset("説明 概要 定義 description overview definition".split())
_ASPECTS = frozenset(
    "原因 対策 対処 理由 目的 特徴 メリット デメリット 利点 欠点 長所 短所 注意点 用途 役割 仕組み 効果 影響 "
    "cause causes fix fixes solution remedy reason purpose use uses pros cons advantage advantages "
    "disadvantage disadvantages drawback drawbacks role effect effects".split()
)


def is_aspect(term: str) -> bool:
    """``原因``, ``説明``, ``Cause``: a word for an aspect of whatever is above it."""
    return _key(term) in _SELF_ASPECTS or _key(term) in _ASPECTS


def aspect_of(term: str, subject: str) -> str | None:
    """The question a definition's term asks when it is an aspect of the subject above it:
    ``原因`` under ``過学習`` → ``過学習の原因``; ``説明`` under ``S3`` → ``S3``. None when the term
    names a subject of its own."""
    if not is_aspect(term):
        return None
    if _key(term) in _SELF_ASPECTS:
        return subject
    return f"{subject}の{term.strip()}" if is_japanese(term + subject) else f"{subject}: {term.strip()}"


def is_group_label(text: str) -> bool:
    """A bare label over nested items (``説明``, ``Terms``, ``メモ``): it makes no card of its own."""
    return _key(text) in _GROUP_LABELS or is_label(text)


def is_reference(text: str) -> bool:
    """A word that points elsewhere (``前者``, ``上記``, ``the latter``): it names nothing itself."""
    key = _key(text)
    return key in REFERENCES or key.removeprefix("the ") in REFERENCES


_REFERENCE_START = re.compile(
    "|".join(re.escape(word) for word in sorted(REFERENCES, key=len, reverse=True)) + r"|the\s", re.IGNORECASE
)


def starts_with_reference(text: str) -> bool:
    """Whether ``text`` may open with a reference word: a quick test before the precise one."""
    return _REFERENCE_START.match(text.lstrip()) is not None


def is_todo(text: str) -> bool:
    """``TODO …`` (Logseq's markers too), or a to-do tag: ``#todo …``, ``#later …``."""
    return _TODO.match(text.strip()) is not None or _TODO_TAG.match(text.strip()) is not None


_TODO_TAG = re.compile(r"^#(?:todo|task|later|next|review|followup)\b", re.IGNORECASE)


def is_url(text: str) -> bool:
    return _URL.match(text.strip()) is not None


def is_label_heading(text: str) -> bool:
    """A heading over remarks about the note (``Summary``, ``References``): no card under it."""
    return _key(text) in LABEL_HEADINGS


def names_nothing(heading: str) -> bool:
    """A heading that is a label, not a subject: it is never a card's front, nor described."""
    return is_label_heading(heading) or _key(heading) in ORGANISING_HEADINGS


def is_question(text: str) -> bool:
    """A line that asks: ends with a question mark, starts with a question word, or ends like one."""
    text = text.strip()
    return (
        text.endswith(("?", "？"))
        or _QUESTION_WORDS.match(text) is not None
        or _JAPANESE_QUESTION.search(text) is not None
    )


def is_comparison(text: str) -> bool:
    """``AとBの違い``, ``A vs B``: a heading whose sections are the things compared."""
    return _COMPARISON.search(text) is not None


def is_japanese(text: str) -> bool:
    return any("\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" for char in text)


_SENTENCE_BREAK = re.compile(r"[。．！？]|[.!?](?=\s|$)")


def sentences(text: str) -> int:
    """How many sentences ``text`` holds (at least one)."""
    return max(1, len(_SENTENCE_BREAK.findall(text.strip())))


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


def reads_as_sentence(text: str) -> bool:
    """Text that says something (has a verb or sentence punctuation) rather than names a thing."""
    text = text.strip()
    if any(mark in text for mark in "。．") or text.endswith(("、", ",")):
        return True
    if is_japanese(text):
        return "、" in text or _JAPANESE_PREDICATE.search(_TRAILING_BRACKETS.sub("", text)) is not None
    return _VERB.search(text) is not None or _PRONOUN_START.match(text) is not None


def is_term(text: str, longest: int = 60) -> bool:
    """Short text that names a thing: what may stand on the front of a definition."""
    text = text.strip()
    words = text.split()
    return (
        0 < len(text) <= longest
        and (is_japanese(text) or len(words) <= 9)
        and not reads_as_sentence(text)
        and not is_label(text)
        and not is_reference(text)
    )


def is_noun_phrase(text: str) -> bool:
    """A description that ends in what it describes (``…するサービス``, ``A fully managed queue``)."""
    text = text.strip().rstrip("。.")
    if not text:
        return False
    if is_japanese(text):
        return _JAPANESE_PREDICATE.search(_TRAILING_BRACKETS.sub("", text)) is None
    return re.match(r"^(?:a|an|the)\s", text, re.IGNORECASE) is not None and _VERB.search(text.split(" that ")[0].split(" which ")[0]) is None


# Nouns that say what kind of thing a description describes: 「…するサービス」, 「…の仕組み」.
_KIND_NOUN = re.compile(
    r"(?:サービス|システム|データベース|ストレージ|仕組み|しくみ|機能|ツール|手法|方式|技術|プロトコル|言語|形式|モデル|"
    r"アーキテクチャ|ライブラリ|フレームワーク|ソフトウェア|ネットワーク|装置|規格|概念|性質|状態|単位|層|もの|こと|"
    r"場所|領域|方法|キュー|エンジン|インスタンス|ファイルシステム|プラットフォーム|環境|仕様|値|集合|構造|アルゴリズム)$"
)
_PARTICLE = re.compile(r"[をがでにへとより]|から|まで")


def is_description(text: str) -> bool:
    """A phrase that says what something is (``…を実行できるサービス``, ``A fully managed queue``),
    as opposed to a bare name (``フェイルオーバールーティング``)."""
    text = text.strip().rstrip("。.")
    if not is_noun_phrase(text):
        return False
    if not is_japanese(text):
        return True
    bare = _TRAILING_BRACKETS.sub("", text)
    if "のは" in bare:  # a cleft: the phrase says something of another subject (「…のはSNS」)
        return False
    modified = "の" in bare and len(bare) >= 8 and re.search(r"[\u30a0-\u30ff\u4e00-\u9fff]{2}$", bare) is not None
    return _KIND_NOUN.search(bare) is not None or modified or (len(bare) >= 15 and _PARTICLE.search(bare) is not None)


def describes_unnamed(text: str, name: str) -> bool:
    """An English line that says what ``name`` is or does without naming it and without an article,
    as notes under a product heading are written: a noun phrase (``Regional hub that connects
    VPCs``) or a verb (``Lets private instances reach the internet``). Only under a name written
    in capitals (``NAT Gateway``, not ``Exam tips``) that is not about the course (``Office
    Hours``), and never a line that names it again, a noun phrase with a number (``Max 5 CIDR
    blocks per VPC``) or one that opens with an instruction (``Read every question twice``)."""
    text = text.strip().rstrip(".")
    words = text.split()
    if is_japanese(text) or len(words) < 3 or not _written_as_name(name) or is_admin(name) or normalised(name) in normalised(text):
        return False
    first = words[0].casefold().strip(",")
    if first in DESCRIBING_VERBS:
        return True
    head = re.split(r"\s(?:that|which|who|where|for|from|to|in|on|of|with|between|across|used)\s", text, maxsplit=1)[0]
    return (
        words[0][:1].isupper()
        and first not in _INSTRUCTIONS
        and words[1].casefold() not in _DETERMINERS  # 「Reverse a list …」: an instruction
        and _PRONOUN_START.match(text) is None
        and _VERB.search(head) is None
        and not any(char.isdigit() for char in text)
    )


def _written_as_name(text: str) -> bool:
    """``NAT Gateway``, ``Direct Connect``, ``Amazon S3``: every word capitalised or a number."""
    words = [word for word in text.split() if word.casefold() not in _NAME_JOINERS]
    return bool(words) and text.isascii() and all(word[:1].isupper() or word[:1].isdigit() for word in words)


_NAME_JOINERS = frozenset("of for and on in to the a an vs".split())
# Verbs that say what a thing does, opening a description without its subject (``Lets …``) or
# following a one-word subject (``Salting defends against …``).
DESCRIBING_VERBS = frozenset(
    "lets allows enables provides stores runs manages handles routes connects distributes caches delivers "
    "brings releases defends guards limits reduces removes adds returns splits merges combines "
    "verifies signs hides measures maps controls determines carries produces transports breaks binds enforces "
    "collects processes monitors records tracks creates sends receives translates resolves protects encrypts "
    "automates offers moves copies replicates scales balances serves hosts deploys analyzes analyses converts "
    "transfers detects prevents blocks filters authenticates authorizes grants schedules orchestrates "
    "streams queues exposes forwards inspects logs captures indexes queries".split()
)
_DETERMINERS = frozenset("a an the your my our all every each this that these those its their any some it them".split())
# Describing verbs that are as often plural nouns (``Data records carry …``): not a verb after a
# one-word subject.
NOUN_LIKE_VERBS = frozenset(
    "records logs streams queues filters routes hosts maps signs measures controls caches blocks indexes queries "
    "copies returns adds breaks scales balances handles grants processes transfers moves limits guards splits "
    "merges runs stores offers lets".split()
)
# Words an instruction opens with: a tip under a heading, not what the heading is.
_INSTRUCTIONS = frozenset(
    "use read remember check review avoid note see make keep try do don't always never learn study ask "
    "prefer pick choose watch know think bring practice finish need revisit redo submit print buy call prepare "
    "start stop skip email unclear maybe".split()
)


def announces_items(text: str) -> bool:
    """A line whose nested items are its parts, kinds, steps or options."""
    text = text.strip()
    return text.endswith((":", "：")) or _ANNOUNCES.search(text) is not None


def is_reason(text: str) -> bool:
    """A line that gives a reason (``…ため``, ``because …``)."""
    return _REASON.search(text.strip()) is not None


# Words an author bolds for emphasis, not as the thing to recall: 「**必ず**」, "does **not**".
EMPHASIS_WORDS = frozenset(
    "not no never only always all none must cannot can't don't doesn't won't isn't aren't "
    "ない しない できない 必ず のみ だけ しか 絶対 常に 不可 禁止 注意".split()
)


_AUXILIARIES = frozenset("do does did is are was were will would can could should be has have".split())


def is_emphasis(text: str) -> bool:
    """Bold text that only stresses (``not``, ``does not``, 「必ず」): nothing to recall in it."""
    words = _key(text).split()
    return bool(words) and all(word in EMPHASIS_WORDS or word in _AUXILIARIES for word in words) and any(
        word in EMPHASIS_WORDS for word in words
    )


def why(statement: str) -> str:
    """The question that asks for a statement's reason, in the statement's language."""
    statement = statement.strip().rstrip("。.")
    return f"{statement}。なぜ？" if is_japanese(statement) else f"{statement}. Why?"


def without_article(text: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", text.lstrip(), flags=re.IGNORECASE)


def starts_with_term(text: str, term: str) -> str | None:
    """The rest of ``text`` when it starts with ``term`` (after an article): ``A Pod is …`` → ``is …``."""
    body = without_article(text)
    if term and normalised(body[: len(term)]) == normalised(term) and (len(body) == len(term) or not body[len(term)].isalnum()):
        rest = body[len(term) :].lstrip(" ,、")
        return rest or None
    return None
