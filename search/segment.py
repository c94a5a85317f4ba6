"""Chinese word segmentation for the embedded search backends (DESIGN §7).

SQLite FTS5 and PostgreSQL's `simple` configuration keep a run of Chinese characters as
one token, so text is cut into words with jieba before it is indexed, and queries are
cut the same way. Indexing uses jieba's search mode (`cut_for_search`), which adds the
dictionary words inside long words: 排污许可证核发 is indexed as 排污 / 许可 / 许可证 /
核发, so both 排污许可 and 许可证 find it.

A shipped user dictionary (`search/data/userdict.txt`) adds government-service terms
that jieba's general dictionary lacks. Tokens are lower-cased and stripped of
punctuation so that they read the same to FTS5's ``unicode61`` tokenizer and to
PostgreSQL's parser.

Both sides are normalised first (`fold`): full-width forms to half-width (NFKC) and
traditional characters to simplified (OpenCC ``t2s``), so 護士執業註冊 reads as
护士执业注册. `pinyin_terms` spells names in pinyin (pypinyin), whole and as
initials, so hushi zhuce and hszc find 护士执业注册.

jieba, OpenCC and pypinyin are imported when first needed, not with this module:
together they weigh about 90 MB, which a process that never segments or spells a
text (a worker serving pages only) need not hold; pypinyin comes through
`search.pinyin_loader`, which holds its phrase dictionary compactly.
"""

import io
import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from search.pinyin_loader import pypinyin

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICTIONARY = DATA_DIR / "userdict.txt"

# Runs of letters and digits (CJK characters are letters); everything else separates.
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_LATIN_COMPOUND = re.compile(r"[a-z]{3,}(?:-[a-z]{3,})+")
# Latin suffixes stripped from a query word so that its prefix finds the other
# forms: certificate → certific* finds certification.
_SUFFIXES = ("ations", "ation", "ates", "ate", "ings", "ing", "ions", "ion", "ers")
_SUFFIXES += ("er", "es", "ed", "s", "e")

_lock = threading.Lock()
_tokenizer = None
_converter = None


def fold(text):
    """Full-width forms folded to half-width (ＳＪ０１ → SJ01) and traditional
    characters to simplified (許可 → 许可)."""
    return simplified(unicodedata.normalize("NFKC", text or ""))


def simplified(text):
    """Traditional characters of `text` turned simplified (許可 → 许可), everything
    else (full-width punctuation too) kept."""
    return converter().convert(text) if has_cjk(text) else (text or "")


def converter():
    """OpenCC's traditional-to-simplified converter, made once per process."""
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter


def tokenizer():
    """jieba's tokenizer with the user dictionary, loaded once per process (about a
    second) on first use. A private instance: other code using `jieba.cut` keeps the
    general dictionary."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                instance = jieba.Tokenizer()
                instance.load_userdict(_dictionary_lines())
                _tokenizer = instance
    return _tokenizer


def _dictionary_lines():
    """The user dictionary without its comment lines, as jieba reads it."""
    lines = [
        line
        for line in USER_DICTIONARY.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return io.BytesIO("\n".join(lines).encode("utf-8"))


def _normalise(tokens):
    """Lower-cased word tokens; punctuation and spaces dropped, mixed tokens such as
    ``SJ-SP`` split into their parts."""
    for token in tokens:
        yield from _WORD.findall(token.lower())


def index_terms(text):
    """The words of `text` for the index, in jieba's search mode (with the shorter
    dictionary words inside long ones); hyphenated Latin words also joined, so
    pre-sale is found as presale."""
    if not text:
        return []
    text = fold(text)
    terms = list(_normalise(tokenizer().cut_for_search(text)))
    terms += [word.replace("-", "") for word in _LATIN_COMPOUND.findall(text.lower())]
    return terms


def query_words(text):
    """The words of a query, in jieba's precise mode (one reading, no overlaps)."""
    if not text:
        return []
    return list(_normalise(tokenizer().cut(fold(text))))


def latin_stem(word):
    """`word` without one common English suffix, for prefix matching; pinyin and
    short words come back unchanged but for a final e."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _syllables(text):
    """The toneless pinyin syllables of `text`, Latin runs kept as one each."""
    syllables = pypinyin().lazy_pinyin(fold(text).lower(), errors="default")
    return [part for syllable in syllables for part in _WORD.findall(syllable)]


@lru_cache(maxsize=4096)
def pinyin(text, initials=False):
    """`text` in toneless pinyin without spaces (营业执照 → yingyezhizhao), or its
    initials (yyzz); Latin letters and digits are kept as they are."""
    module = pypinyin()
    style = module.Style.FIRST_LETTER if initials else module.Style.NORMAL
    syllables = module.lazy_pinyin(fold(text).lower(), style=style, errors="default")
    return "".join(_WORD.findall("".join(syllables)))


def pinyin_terms(text):
    """The pinyin tokens of a name: from each syllable to the end, the full pinyin
    and the initials (营业执照 → yingyezhizhao, yyzz, yezhizhao, yzz, …), so that a
    pinyin query matches them as a prefix from any syllable on."""
    syllables = [s for s in _syllables(text) if s.isalpha()]
    terms = []
    for start in range(len(syllables)):
        tail = syllables[start:]
        terms += ["".join(tail), "".join(s[0] for s in tail)]
    return list(dict.fromkeys(term for term in terms if len(term) > 1))


def word_pieces(word):
    """The shorter dictionary words that together spell `word`, or [] if there are
    none: 环境影响 → [环境, 影响]. A query word may be one token in the query and
    several in an indexed text where its neighbours cut it differently; its pieces
    still match there (every piece is indexed in search mode)."""
    if len(word) < 3:
        return []
    candidates = {token for token in index_terms(word) if 1 < len(token) < len(word)}
    pieces, position = [], 0
    while position < len(word):
        match = next(
            (
                word[position:end]
                for end in range(len(word), position + 1, -1)
                if word[position:end] in candidates
            ),
            None,
        )
        if match is None:
            return []
        pieces.append(match)
        position += len(match)
    return pieces


def index_text(text):
    """`index_terms` joined by spaces: what the full-text column stores."""
    return " ".join(index_terms(text))


def character_grams(text):
    """Single CJK characters and character bigrams of `text` (letters and digits
    as whole words): the title grams behind single-character queries and the
    typo-tolerant fallback."""
    grams = []
    for run in _WORD.findall((text or "").lower()):
        if not _CJK.search(run):
            grams.append(run)
            continue
        grams.extend(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def has_cjk(text):
    return bool(_CJK.search(text or ""))


def name_words(name):
    """The two-character Chinese words of a name (jieba's, in search mode). A
    name's character bigrams are indexed too, for one-character queries and typos,
    so a query word such as 药店 is found in 开兽药店, where it is no word: both
    backends count a name that has the query's word as a word above one that has
    it only inside a longer word."""
    return [
        term
        for term in dict.fromkeys(index_terms(name))
        if len(term) == 2 and has_cjk(term)
    ]
