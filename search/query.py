"""What a citizen typed, turned into the parts every backend searches for.

`parse_query` cuts the query into groups. A group is one thing the results should
contain, with its alternatives: the words as typed and, where an editor's synonym
applies, the catalog's words for it (社保 → 社保 | 社会保险). Filler words of
questions (怎么, 在哪里, 需要…, `search/data/stopwords.txt`) are dropped. A query that
looks like an item code (事项编码) is kept aside so that the item ranks first.

The query is folded like indexed text (full-width → half-width, traditional →
simplified, `search.segment.fold`). Its meaningful words are also spelled as one
pinyin `phrase` (医师执业住册 → yishizhiyezhuce), which finds names in pinyin and
names typed with a homophone; `variants` are the variant words (延续, 变更…) the query
asks for, so that those variants are not ranked after their family's first item.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from search.segment import fold, has_cjk, pinyin, query_words

MAX_QUERY_LENGTH = 100
STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "stopwords.txt"
# Shorter pinyin phrases would match too many names as a prefix.
MIN_PHRASE = 4
ITEM_CODE = re.compile(r"^(?=.*\d)[0-9A-Za-z-]{4,40}$")
# The last word of a service item's name that marks it as one variant of a family
# (食品经营许可证核发 / 延续 / 变更): variants rank after the family's first item
# unless the query asks for them. Defined here, below the backends, which read it
# to tell an item's variant from its title.
VARIANT_WORDS = ("延续", "变更", "换发", "注销", "补发", "补领")

_stopwords = None


def stopwords():
    global _stopwords
    if _stopwords is None:
        _stopwords = frozenset(
            line.strip()
            for line in STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        )
    return _stopwords


# Characters that say nothing of the need inside a word (想开, 开个, 要考, 一家): the
# one-character stop words and these.
FILLER = "一几点些就还都也又再"


def filler_characters():
    return FILLER + "".join(word for word in stopwords() if len(word) == 1)


@dataclass(frozen=True)
class QueryGroup:
    """One part of the query: matched when any of its alternatives is."""

    text: str
    alternatives: tuple
    # The word no indexed text has that this character was taken from, if any.
    whole: str = ""

    @property
    def is_synonym(self):
        return len(self.alternatives) > 1


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    groups: tuple = ()
    code: str = ""
    synonyms: tuple = field(default=())  # ((term, (canonical, …)), …) that applied
    phrase: str = ""
    variants: tuple = ()

    def __bool__(self):
        return bool(self.groups or self.code)

    def highlight_terms(self):
        """Every string worth marking in a snippet, longest first."""
        terms = set()
        for group in self.groups:
            for alternative in group.alternatives:
                terms.add(alternative)
                terms.update(query_words(alternative))
        if self.code:
            terms.add(self.code)
        # One character marks too much in long texts, unless it is all there is.
        if any(len(term) > 1 for term in terms):
            terms = {term for term in terms if len(term) > 1}
        return sorted(terms, key=lambda term: (-len(term), term))


def normalise(text):
    """Full-width forms folded (ＳＪ０１ → SJ01), spaces collapsed, length capped."""
    text = unicodedata.normalize("NFKC", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def parse_query(text, synonyms=None):
    """The groups of `text`. `synonyms` is ``{term: [canonical, …]}`` (lower-case
    terms), normally `search.synonyms.synonym_map()`."""
    text = normalise(text)
    folded = fold(text)
    synonyms = synonyms or {}
    groups, dropped, applied, code = [], [], [], ""
    for chunk in folded.split(" "):
        if ITEM_CODE.match(chunk) and not code:
            code = chunk.upper()
        for part, canonical in _synonym_spans(chunk.lower(), synonyms):
            if canonical:
                groups.append(QueryGroup(part, (part, *canonical)))
                applied.append((part, tuple(canonical)))
                continue
            for word in query_words(part):
                target = dropped if word in stopwords() else groups
                target.append(QueryGroup(word, (word,)))
    if not groups:
        groups = dropped
    groups = unique_groups(groups)
    phrase = pinyin("".join(group.text for group in groups))
    asked = {alternative for group in groups for alternative in group.alternatives}
    return ParsedQuery(
        text=text,
        groups=groups,
        code=code,
        synonyms=tuple(applied),
        phrase=phrase if len(phrase) >= MIN_PHRASE else "",
        variants=tuple(w for w in VARIANT_WORDS if any(w in a for a in asked)),
    )


def _synonym_spans(chunk, synonyms):
    """Split `chunk` into (text, canonical terms or None) parts, taking the longest
    synonym term at each position."""
    if not synonyms:
        return [(chunk, None)]
    longest = max(map(len, synonyms))
    parts, plain, position = [], "", 0
    while position < len(chunk):
        for end in range(min(len(chunk), position + longest), position, -1):
            canonical = synonyms.get(chunk[position:end])
            if canonical:
                if plain:
                    parts.append((plain, None))
                    plain = ""
                parts.append((chunk[position:end], canonical))
                position = end
                break
        else:
            plain += chunk[position]
            position += 1
    if plain:
        parts.append((plain, None))
    return parts


def unique_groups(groups):
    seen, unique = set(), []
    for group in groups:
        if group.alternatives not in seen:
            seen.add(group.alternatives)
            unique.append(group)
    return tuple(unique)


def is_short(parsed):
    """Short enough for the typo-tolerant fallback on titles."""
    return 0 < len(parsed.text.replace(" ", "")) <= 10 and has_cjk(parsed.text)
