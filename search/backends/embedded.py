"""The embedded backend: search in the site's own database (the default).

Documents live in `SearchDocument`, their text segmented by jieba (`search.segment`);
the index is `SearchTerm`, one row per term and document in a B-tree that SQLite and
PostgreSQL read alike (`search.backends.terms`, migration 0008). The title columns hold
a service item's name with its aliases, situation phrases and English name; the title
grams add single characters, bigrams and the names' pinyin (`search.segment.
pinyin_terms`), so pinyin queries and the query's pinyin `phrase` (homophone typos)
match names there.

A query becomes one statement: each of its terms (`Atom`) is one range scan of the
index, the rows are aggregated per document into flags (the term anywhere, the term in
the name), the flags into each query part's match, and the matched documents are
ranked and counted per facet combination in the same statement, without reading a
document until the page's ten are fetched. A one-word query (许可, 登记) whose word
marker and pinyin phrase mark exactly the names having the word is read from the
word's own index rows, one per document, without the aggregate; when the word in a
name outranks everything else and enough names have it, the page is taken among
those names alone (`one_word`, `EmbeddedBackend._names_first`): the same page,
scores and counts as the general statement, for a fraction of the work when the
word is in every document.

Ranking: the exact item code; then how much of the query's meaningful content a
document covers, each part weighted by its rarity among indexed names (IDF over the
names, so 办理, 许可 or 申请 weigh little and 排污 much), a match in the name or an
alias counting well above one in the body (and a two-character word of the query
that a name has only inside a longer word, as 药店 in 开兽药店, counting less than
one the name has as a word: `word_markers`); the kind of document; a variant of a
family (…延续, …变更) after its first item unless the query names the variant; then
the shorter title and the document id. The order is computed from these figures
alone, the same on SQLite and PostgreSQL. When no document contains every part,
documents with some of them are shown; when none contains any, titles with similar
characters (the typo-tolerant fallback for short queries). When the best result's
name covers less than half of the query's weight, the results are flagged ``weak``:
the page says nothing matched directly. An English word no name contains is replaced
by the closest English word of the names (one or two edits). Facet counts come from
the same statement as the page (`EmbeddedBackend._match`): the counts of matched
documents per combination of facet values (`SearchFacets`), a few hundred at most,
from which the facets and the total are summed in Python. The results of each search
are kept in the shared cache until the index or the synonyms change
(`EmbeddedBackend.search`, `search.results`).
"""

import hashlib
import math
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Case, IntegerField, Q, When
from django.utils import translation

from portal import generation
from search import results
from search.backends.base import (
    FACETS,
    SearchBackend,
    SearchHit,
    SearchResults,
    highlight,
)
from search.backends.facets import FACET_COLUMNS, facet_counts, filter_sql, passes
from search.backends.terms import (
    FACETS_TABLE,
    MAX_RANK,
    TERM_LENGTH,
    TERM_TABLE,
    All,
    Atom,
    Sql,
    all_of,
    any_of,
    atoms_of,
    clear_terms,
    delete_terms,
    variant_code,
    write_terms,
)
from search.models import SearchDocument
from search.query import (
    QueryGroup,
    filler_characters,
    is_short,
    parse_query,
    unique_groups,
)
from search.segment import (
    character_grams,
    has_cjk,
    index_text,
    latin_stem,
    name_words,
    pinyin_terms,
    query_words,
    word_pieces,
)
from search.synonyms import synonym_map

TABLE = SearchDocument._meta.db_table
BATCH = 500
# Candidates the typo-tolerant fallback compares, and the similarity it needs.
SIMILAR_CANDIDATES = 50
SIMILAR_THRESHOLD = 0.4
SUGGEST_KINDS = ("item",)
# Points of a query part of weight 1 matched anywhere, and matched in the name.
BODY_POINTS = 40
TITLE_POINTS = 100
# Of the points of a query part matched in the name, those it loses when the name
# has it only inside a longer word (药店 in 兽药店: a bigram, not a word).
INNER_DISCOUNT = 50
# What marks a name's two-character word in the index (`word_markers`); no query
# term has it (query terms are runs of letters and digits).
WORD_MARK = "="
# A variant of a family the query does not ask for ranks this much lower.
VARIANT_PENALTY = 25
# Points of each step of a document's kind weight (`terms.pack`).
KIND_POINTS = 2
# The most that the kind, the title's length (below one point) and the variant
# penalty can set two documents' scores apart.
STATIC_SPREAD = KIND_POINTS * MAX_RANK + 1 + VARIANT_PENALTY
# Share of the query's weight the best result's name must cover not to be weak.
RELEVANT_SHARE = 0.5
# Share of a word no text has that its pieces cover at most, all found.
PIECE_SHARE = 0.5
# Document frequencies and the English vocabulary are cached this long (seconds).
STATISTICS_SECONDS = 300


def document_row(document):
    """The `SearchDocument` for an `IndexDocument`, with its segmented columns."""
    return SearchDocument(
        key=document.key,
        kind=document.kind,
        title=document.title[:255],
        url=document.url[:500],
        department_code=document.department_code,
        department_name=document.department_name[:255],
        item_code=document.item_code,
        item_type=document.item_type,
        audience=f",{','.join(document.audience)}," if document.audience else "",
        online=document.online,
        rank=document.rank,
        body=document.body,
        title_en=document.title_en[:255],
        summary_en=document.summary_en,
        variant=document.variant,
        code_terms=index_text(document.item_code),
        title_terms=index_text(
            " ".join([document.title, *document.aliases, document.title_en])
        ),
        title_grams=" ".join(
            dict.fromkeys(
                gram
                for name in names(document)
                for gram in [
                    *character_grams(name),
                    *pinyin_terms(name),
                    *word_markers(name),
                ]
            )
        ),
        body_terms=index_text(" ".join([document.body, document.summary_en])),
    )


def names(document):
    """The Chinese names of a document: its title and aliases."""
    return [document.title, *document.aliases]


def word_markers(name):
    """The two-character words of a name (`search.segment.name_words`) marked as
    words (`WORD_MARK`): the marker tells the word from the bigram of the same two
    characters in the title grams."""
    return [WORD_MARK + term for term in name_words(name)]


def as_words(tree):
    """`tree` with each two-character Chinese term replaced by its word marker
    (`word_markers`), or None when it has no such term."""
    if isinstance(tree, Atom):
        if not tree.prefix and len(tree.text) == 2 and has_cjk(tree.text):
            return Atom(WORD_MARK + tree.text)
        return None
    if tree is None:
        return None
    parts = [as_words(part) for part in tree.parts]
    if not any(parts):
        return None
    parts = tuple(
        marked or part for marked, part in zip(parts, tree.parts, strict=True)
    )
    return type(tree)(parts)


@dataclass
class Compiled:
    """A parsed query as trees of index ranges: each group's tree with its weight
    (`weigh`), and the pinyin phrase as a prefix matched in names."""

    groups: list  # (tree, weight)
    code: str
    phrase: Atom | None = None
    variants: tuple = ()
    # How many index rows each atom has (`EmbeddedBackend._weigh`).
    sizes: dict = field(default_factory=dict)
    # For each group, the word it is a piece of (`split_unknown`) or "", and the
    # piece's length.
    wholes: tuple = ()
    # For each group, its weight in the share of the query a name covers, and the
    # sum they are a share of (`EmbeddedBackend._weigh`).
    share_weights: tuple = ()
    share_total: float = 0.0
    # A one-word query whose other atoms mark exactly the documents with the word
    # in their name (`one_word`): the word's atom, then those atoms; and how many
    # names have the word.
    alone: tuple = ()
    named: int = 0

    @property
    def total_weight(self):
        return sum(weight for _tree, weight in self.groups) or 1.0

    def every(self):
        """Every group, or the phrase (in a name)."""
        return all_of([tree for tree, _w in self.groups]), self.phrase

    def some(self):
        """Some of the groups, or the phrase: the groups of at least a quarter of
        the heaviest one's weight (a leftover 证 alone would match half the
        catalog)."""
        heaviest = max(weight for _tree, weight in self.groups)
        strong = [tree for tree, weight in self.groups if weight >= heaviest / 4]
        return any_of(strong), self.phrase

    def size(self, tree):
        """An upper bound of the documents having `tree`, from its atoms' rows (a
        word marker's, from the rows of its two characters: every name having
        the word has them; the pinyin phrase's are not counted)."""
        if isinstance(tree, Atom):
            if tree.text.startswith(WORD_MARK):
                return self.sizes.get(Atom(tree.text[len(WORD_MARK) :]), math.inf)
            return self.sizes.get(tree, math.inf if tree.prefix else 0)
        sizes = [self.size(part) for part in tree.parts]
        return min(sizes) if isinstance(tree, All) else sum(sizes)

    def drivers(self, tree, found=None):
        """Atoms of `tree` of which every document having `tree` has one: of each
        conjunction only its part with the fewest rows."""
        found = {} if found is None else found
        if isinstance(tree, Atom):
            found.setdefault(tree, len(found))
        elif isinstance(tree, All):
            self.drivers(min(tree.parts, key=self.size), found)
        elif tree is not None:
            for part in tree.parts:
                self.drivers(part, found)
        return found


def compile_tree(group):
    """The index ranges of one `QueryGroup`: any of its alternatives, each all of
    its words."""
    return any_of(
        [
            all_of([_word(word) for word in query_words(alternative)])
            for alternative in group.alternatives
        ]
    )


def compile_query(parsed):
    """The index ranges of each group of a `ParsedQuery`."""
    groups, wholes = [], []
    for group in parsed.groups:
        tree = compile_tree(group)
        if tree is None:
            continue
        # One Chinese character (跑, 卖, 开) says less than its rarity suggests.
        single = len(group.text) == 1 and not group.is_synonym
        groups.append((tree, 0.5 if single else 1.0))
        wholes.append((group.whole, len(group.text)))
    phrase = Atom(parsed.phrase[:TERM_LENGTH], prefix=True) if parsed.phrase else None
    return Compiled(
        groups=groups,
        code=parsed.code,
        phrase=phrase,
        variants=parsed.variants,
        wholes=tuple(wholes),
    )


def one_word(compiled):
    """The atoms of a one-word query (one group of one term, no item code): the
    word's, then what the statement adds to it, its word marker (`as_words`) and
    the pinyin phrase, which are read in names only (`EmbeddedBackend._match`).
    Empty for any other query."""
    if compiled.code or len(compiled.groups) != 1:
        return ()
    word = compiled.groups[0][0]
    if not isinstance(word, Atom) or word.prefix:
        return ()
    return (word, *(atom for atom in (as_words(word), compiled.phrase) if atom))


def split_unknown(parsed, compiled):
    """`parsed` with each Chinese word that no indexed text has (a compound such as
    挖沙 or 卖房子, or jieba's 想开 and 卡要) replaced by its dictionary pieces that
    some text has and the characters of the others but the filler ones, each its
    own part: they still match the names that share them (the names' characters
    are indexed, `document_row`), and the rarer a piece among the names the more it
    weighs. `parsed` itself when there is none, or when the query is short and no
    word of it is known: a typo, for the look-alike titles of
    `EmbeddedBackend._similar`, or a need no text speaks of."""
    if is_short(parsed) and not any(
        compiled.size(tree) for tree, _weight in compiled.groups
    ):
        return parsed
    groups, changed = [], False
    for group in parsed.groups:
        tree = compile_tree(group)
        if (
            tree is None
            or group.is_synonym
            or len(group.text) < 2
            or not has_cjk(group.text)
            or compiled.size(tree)
        ):
            groups.append(group)
            continue
        changed = True
        for piece in word_pieces(group.text) or [group.text]:
            if compiled.sizes.get(Atom(piece)):
                groups.append(QueryGroup(piece, (piece,), whole=group.text))
                continue
            groups += [
                QueryGroup(character, (character,), whole=group.text)
                for character in piece
                if character not in filler_characters()
            ]
    if not changed:
        return parsed
    return replace(parsed, groups=unique_groups(groups) or parsed.groups)


def meaningful_length(word):
    """The characters of `word` that are not filler."""
    return sum(1 for character in word if character not in filler_characters()) or 1


def _word(word):
    """A word, or its dictionary pieces where the indexed text was cut differently;
    item codes and other Latin words also match as prefixes, English words without
    their suffix (certificate → certific*)."""
    prefix = word.isascii() and len(word) >= 4
    if prefix:
        word = latin_stem(word)
    atom = Atom(word[:TERM_LENGTH], prefix=prefix)
    pieces = word_pieces(word)
    if pieces:
        return any_of([atom, all_of([Atom(piece) for piece in pieces])])
    return atom


class EmbeddedBackend(SearchBackend):
    name = "embedded"
    # The index is in the content's database: it commits or rolls back with it.
    transactional = True

    def __init__(self, using="default"):
        self.using = using

    @property
    def connection(self):
        return connections[self.using]

    @property
    def sql(self):
        vendor = self.connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(
                f"the embedded search backend supports SQLite and PostgreSQL, "
                f"not {vendor}"
            )
        return Sql(vendor)

    # Indexing

    def index_changed(self):
        """Forget the results kept from earlier searches (`search.results`)."""
        results.renew(self.using)

    def index_documents(self, documents):
        rows = [document_row(document) for document in documents]
        if not rows:
            return
        self.index_changed()
        manager = SearchDocument.objects.using(self.using)
        with transaction.atomic(using=self.using):
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                keys = [row.key for row in batch]
                old = list(manager.filter(key__in=keys).values_list("id", flat=True))
                delete_terms(self.connection, old)
                manager.filter(id__in=old).delete()
                created = manager.bulk_create(batch)
                write_terms(self.connection, created, self.using)

    def delete_documents(self, keys):
        keys = list(keys)
        self.index_changed()
        manager = SearchDocument.objects.using(self.using)
        with transaction.atomic(using=self.using):
            old = list(manager.filter(key__in=keys).values_list("id", flat=True))
            delete_terms(self.connection, old)
            manager.filter(id__in=old).delete()

    def clear(self):
        self.index_changed()
        with transaction.atomic(using=self.using):
            clear_terms(self.connection)
            SearchDocument.objects.using(self.using).all().delete()

    def keys(self):
        return set(
            SearchDocument.objects.using(self.using).values_list("key", flat=True)
        )

    # Searching

    def search(self, request):
        """The results of `request`, kept in the shared cache for
        `SEARCH_RESULTS_SECONDS` under the index's generation and the language
        (facet labels are translated): the same query asked again, as citizens
        ask 营业执照 or 许可 all day, is answered without the statement, which
        reads every matching document (about 40 ms for a word in each of 10,000
        names, bench/search.py). Any write to the index or to the synonyms
        starts a new generation (`search.results`)."""
        seconds = settings.SEARCH_RESULTS_SECONDS
        if not seconds:
            return self._search(request)
        request_key = repr(
            (
                request.text,
                sorted(request.filters.items()),
                request.offset,
                request.limit,
                request.with_facets,
            )
        )
        key = (
            "site-search:results:"
            + hashlib.sha1(
                ":".join(
                    [
                        self.using,
                        results.token(),
                        translation.get_language() or "",
                        request_key,
                    ]
                ).encode()
            ).hexdigest()
        )
        store = generation.cache()
        found = store.get(key)
        if found is None:
            found = self._search(request)
            store.set(key, found, seconds)
        return found

    def _search(self, request):
        parsed = parse_query(request.text, synonym_map())
        if not parsed:
            return SearchResults.empty()
        parsed = self._spell_english(parsed)
        compiled = compile_query(parsed)
        if not compiled.groups:
            return SearchResults.empty()
        sql = self.sql
        compiled = self._weigh(compiled, sql)
        pieces = split_unknown(parsed, compiled)
        if pieces is not parsed:
            parsed = pieces
            compiled = self._weigh(compile_query(parsed), sql)
        modes = [("all", compiled.every())]
        if len(compiled.groups) > 1:
            modes.append(("some", compiled.some()))
        for mode, wanted in modes:
            rows, combinations = self._match(sql, compiled, wanted, request)
            total = sum(
                count
                for values, count in combinations
                if passes(values, request.filters)
            )
            if total:
                if rows[0][2] < RELEVANT_SHARE:
                    mode = "weak"
                window = rows[request.offset : request.offset + request.limit]
                return self._results(parsed, window, total, mode, combinations, request)
        if is_short(parsed):
            return self._similar(parsed, sql, request)
        return SearchResults(
            hits=[],
            total=0,
            facets={name: [] for name in FACETS},
            synonyms=parsed.synonyms,
        )

    def _weigh(self, compiled, sql):
        """`compiled` with each group weighted by its inverse document frequency
        among the indexed names, the number of index rows of each atom, and, for
        a one-word query, whether its other atoms mark exactly the names having
        the word (`one_word`); cached for a few minutes under the index's
        generation (`search.results`), so no figure outlives a change."""
        prefix = f"site_search:df:{self.connection.vendor}:{results.token()}:"

        def key(kind, value):
            return prefix + kind + hashlib.sha1(repr(value).encode()).hexdigest()

        keys = {tree: key("", tree) for tree, _w in compiled.groups}
        numbers = {}
        for tree, _w in compiled.groups:
            atoms_of(tree, numbers)
        size_keys = {atom: key("rows:", atom) for atom in numbers}
        word, *companions = one_word(compiled) or (None,)
        same_keys = {
            atom: (key("names:", atom), key("shared:", (word, atom)))
            for atom in companions
        }
        known = cache.get_many(
            [
                *keys.values(),
                *size_keys.values(),
                *(name for pair in same_keys.values() for name in pair),
                prefix + "total",
            ]
        )
        missing = [tree for tree, name in keys.items() if name not in known]
        unsized = [atom for atom, name in size_keys.items() if name not in known]
        unmatched = [atom for atom, pair in same_keys.items() if pair[0] not in known]
        if missing or unsized or unmatched or prefix + "total" not in known:
            counts, params, names = [], [], []
            for tree in missing:
                count, count_params = self._count_names(sql, tree)
                counts.append(f"({count})")
                params += count_params
                names.append(keys[tree])
            for atom in unsized:
                condition, condition_params = sql.atom_condition(atom)
                counts.append(f"(SELECT COUNT(*) FROM {TERM_TABLE} WHERE {condition})")
                params += condition_params
                names.append(size_keys[atom])
            for atom in unmatched:
                # The names having `atom`, and those of them having the word too.
                condition, condition_params = sql.atom_condition(atom)
                named = (
                    f"(SELECT DISTINCT document_id FROM {TERM_TABLE} "
                    f"WHERE {condition} AND title = 1) named"
                )
                counts.append(f"(SELECT COUNT(*) FROM {named})")
                counts.append(
                    f"(SELECT COUNT(*) FROM {named} JOIN {TERM_TABLE} word "
                    "ON word.term = %s AND word.document_id = named.document_id "
                    "AND word.title = 1)"
                )
                params += [*condition_params, *condition_params, word.text]
                names += same_keys[atom]
            counts.append(f"(SELECT COUNT(*) FROM {TABLE})")
            names.append(prefix + "total")
            row = self._fetch(f"SELECT {', '.join(counts)}", params)[0]
            fresh = dict(zip(names, row, strict=True))
            cache.set_many(fresh, STATISTICS_SECONDS)
            known |= fresh
        total = known[prefix + "total"]
        # The word's other atoms say nothing more of any document when each marks
        # the names having the word, no more and no fewer.
        alone, named = (), 0
        if word is not None and all(
            known[names] == known[shared] == known[keys[word]]
            for names, shared in same_keys.values()
        ):
            alone = (word, *companions)
            named = known[keys[word]]
        groups = [
            (tree, round(share * idf(known[keys[tree]], total), 3))
            for tree, share in compiled.groups
        ]
        sizes = {atom: known[key] for atom, key in size_keys.items()}
        # A word no text has weighs as much as the rarest word; its pieces cover
        # at most half of it (no text has the word itself), each by its share of
        # its characters.
        unknown = idf(0, total)
        wholes = compiled.wholes or (("", 0),) * len(groups)
        share_weights = tuple(
            min(weight, PIECE_SHARE * unknown * length / meaningful_length(whole))
            if whole
            else weight
            for (_tree, weight), (whole, length) in zip(groups, wholes, strict=True)
        )
        share_total = sum(
            weight
            for weight, (whole, _length) in zip(share_weights, wholes, strict=True)
            if not whole
        )
        share_total += unknown * len({whole for whole, _length in wholes if whole})
        return replace(
            compiled,
            groups=groups,
            sizes=sizes,
            share_weights=share_weights,
            share_total=share_total or 1.0,
            alone=alone,
            named=named,
        )

    @staticmethod
    def _count_names(sql, tree):
        """(SQL, params) counting the documents whose name has `tree`."""
        if isinstance(tree, Atom):
            condition, params = sql.atom_condition(tree)
            return (
                f"SELECT COUNT(*) FROM {TERM_TABLE} WHERE {condition} AND title = 1",
                params,
            )
        numbers = atoms_of(tree)
        rows, params = sql.atom_rows(numbers, title_only=True)
        return (
            f"SELECT COUNT(*) FROM (SELECT document_id, {sql.sums(numbers)} "
            f"FROM ({rows}) hits GROUP BY document_id) names "
            f"WHERE {sql.flag(tree, numbers, title=True)} = 1",
            params,
        )

    def _spell_english(self, parsed):
        """`parsed` with each English word that no indexed English name or summary
        contains widened by the closest word that one does (license → licence)."""
        groups, changed = [], False
        for group in parsed.groups:
            word = group.text
            if (
                len(group.alternatives) == 1
                and word.isascii()
                and word.isalpha()
                and len(word) >= 5
            ):
                closest = closest_word(word, self._english_vocabulary())
                if closest and closest != word:
                    group = QueryGroup(word, (word, closest))
                    changed = True
            groups.append(group)
        return replace(parsed, groups=tuple(groups)) if changed else parsed

    def _english_vocabulary(self):
        """The sorted English words of the indexed English names and summaries."""
        key = f"site_search:english:{self.connection.vendor}"
        vocabulary = cache.get(key)
        if vocabulary is None:
            words = set()
            rows = (
                SearchDocument.objects.using(self.using)
                .exclude(title_en="", summary_en="")
                .values_list("title_en", "summary_en")
            )
            for title, summary in rows.iterator():
                words.update(query_words(f"{title} {summary}"))
            vocabulary = sorted(w for w in words if w.isascii() and w.isalpha())
            cache.set(key, vocabulary, STATISTICS_SECONDS)
        return vocabulary

    def _results(self, parsed, rows, total, mode, combinations, request):
        terms = parsed.highlight_terms()
        hits = [self._hit(document, terms, score) for document, score, _share in rows]
        facets = (
            facet_counts(combinations, request.filters) if request.with_facets else {}
        )
        return SearchResults(
            hits=hits, total=total, facets=facets, mode=mode, synonyms=parsed.synonyms
        )

    @staticmethod
    def _hit(row, terms, score):
        return SearchHit(
            kind=row.kind,
            title=row.title,
            url=row.url,
            department=row.department_name,
            department_code=row.department_code,
            item_code=row.item_code,
            item_type=row.item_type,
            snippet=highlight(row.body, terms),
            title_html=highlight(row.title, terms, length=255),
            score=round(score, 4),
            title_en=row.title_en,
            summary_en=row.summary_en,
        )

    def _fetch(self, sql, params):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _match(self, sql, compiled, wanted, request):
        """The documents having `wanted` (a tree, or the phrase in a name), in one
        statement over the index: the first ``offset + limit`` of them in order,
        as (document, score, share of the query's weight their name covers), and
        the counts of matched documents per combination of facet values (filters
        not applied), as ((department, department name, kind, item type, online,
        audience), count). The facets and the total follow from the combinations
        (`facet_counts`, `passes`); the best document's share decides whether the
        results are weak, so the rows start at the first document whatever the
        page."""
        tree, phrase = wanted
        words = [as_words(group) for group, _weight in compiled.groups]
        if compiled.alone:
            # One word, whose marker and phrase are in the names having it: each
            # is read as the word in the name, from the word's own index rows.
            numbers = dict.fromkeys(compiled.alone, 0)
        else:
            numbers = {}
            for group, _weight in compiled.groups:
                atoms_of(group, numbers)
            if compiled.phrase:
                atoms_of(compiled.phrase, numbers)
            marked = {}
            for word in words:
                atoms_of(word, marked)
            for atom in marked:
                numbers.setdefault(atom, len(numbers))
        points, title_points = [], []
        total_weight = compiled.total_weight
        real = sql.real
        for (group, weight), share, word in zip(
            compiled.groups, compiled.share_weights, words, strict=True
        ):
            anywhere = sql.flag(group, numbers)
            named = sql.flag(group, numbers, title=True)
            points.append(f"{real(BODY_POINTS * weight)} * {anywhere}")
            if word is None:
                points.append(f"{real(TITLE_POINTS * weight)} * {named}")
            else:
                # In the name as a word: every point; only inside a longer word,
                # fewer.
                whole = sql.flag(word, numbers, title=True)
                points.append(
                    f"{real((TITLE_POINTS - INNER_DISCOUNT) * weight)} * {named}"
                )
                points.append(f"{real(INNER_DISCOUNT * weight)} * {whole}")
            title_points.append(f"{real(share)} * {named}")
        if compiled.phrase:
            # The whole query in pinyin begins a name: as good as every part in it.
            named = sql.flag(compiled.phrase, numbers, title=True)
            points.append(
                f"{real((BODY_POINTS + TITLE_POINTS) * total_weight)} * {named}"
            )
            title_points.append(f"{real(compiled.share_total)} * {named}")
        conditions = [f"{sql.flag(tree, numbers)} = 1"] if tree else []
        if phrase:
            conditions.append(f"{sql.flag(phrase, numbers, title=True)} = 1")
        # Kinds `KIND_POINTS` apart; title brevity (the closest title among equals)
        # adds less than one.
        points.append(
            f"{KIND_POINTS} * {sql.rank()} + {real(10)} / ({real(10)} + {sql.length()})"
        )
        extra_params = []
        asked = ", ".join(str(variant_code(v)) for v in compiled.variants)
        points.append(
            f"(CASE WHEN {sql.variant()} <> 0 "
            + (f"AND {sql.variant()} NOT IN ({asked}) " if asked else "")
            + f"THEN -{VARIANT_PENALTY} ELSE 0 END)"
        )
        if compiled.code:
            points.append(
                f"(CASE WHEN id IN (SELECT id FROM {TABLE} WHERE item_code "
                f"IN (%s, %s)) THEN 100000 ELSE 0 END)"
            )
            extra_params += [compiled.code, compiled.code.lower()]
        filters, filter_params = filter_sql(request.filters, "f.")
        page_conditions = []
        if filters:
            page_conditions.append(
                f"facets IN (SELECT f.id FROM {FACETS_TABLE} f "
                f"WHERE {' AND '.join(filters)})"
            )
        if compiled.alone:
            # Every document with the word matches, one index row each: no
            # aggregate, and the page and the counts read the rows as they come.
            documents = (
                "documents AS (SELECT document_id AS id, key, "
                f"CAST(1 + 2 * title AS BIGINT) AS b0 FROM {TERM_TABLE} "
                "WHERE term = %s)"
            )
            row_params = [compiled.alone[0].text]
            conditions, materialized = [], "NOT MATERIALIZED "
            if not filters and self._names_first(compiled, request):
                page_conditions.append("named = 1")
        else:
            documents, row_params = self._documents(
                sql, compiled, tree, phrase, numbers
            )
            materialized = sql.materialized
        where = f"WHERE {' OR '.join(conditions)}" if conditions else ""
        page_where = f"WHERE {' AND '.join(page_conditions)}" if page_conditions else ""
        facet_values = ", ".join(f"f.{column}" for column in FACET_COLUMNS)
        # Typed: PostgreSQL types a subquery's bare NULL as text.
        nulls = ", ".join(
            "CAST(NULL AS boolean)" if column == "online" else "CAST(NULL AS varchar)"
            for column in FACET_COLUMNS
        )
        if compiled.alone:
            named = sql.flag(compiled.alone[0], numbers, title=True)
            named = f", {named} AS named"
        else:
            named = ""
        statement = (
            f"WITH {documents}, "
            f"matched AS {materialized}(SELECT id, {sql.facets()} AS facets, "
            f"{sql.length()} AS length, {' + '.join(points)} AS score, "
            f"({' + '.join(title_points)}) / {real(compiled.share_total)} AS share"
            f"{named} FROM documents {where}) "
            "SELECT * FROM (SELECT 0 AS part, id, length, score, share, "
            f"{nulls}, 0 AS count FROM matched {page_where} "
            "ORDER BY score DESC, length, id LIMIT %s) page "
            f"UNION ALL SELECT 1, NULL, NULL, NULL, NULL, {facet_values}, "
            "counted.count FROM (SELECT facets, COUNT(*) AS count FROM matched "
            f"GROUP BY facets) counted JOIN {FACETS_TABLE} f ON f.id = counted.facets"
        )
        fetched = self._fetch(
            statement,
            [
                *row_params,
                *extra_params,
                *filter_params,
                request.offset + request.limit,
            ],
        )
        ranked = sorted(
            (row[1:5] for row in fetched if row[0] == 0),
            key=lambda row: (-row[2], row[1], row[0]),
        )
        combinations = [
            (row[5:-1], row[-1]) for row in fetched if row[0] == 1 and row[-1]
        ]
        documents = SearchDocument.objects.using(self.using).in_bulk(
            [pk for pk, *_rest in ranked]
        )
        rows = [
            (documents[pk], float(score), float(share))
            for pk, _length, score, share in ranked
            if pk in documents
        ]
        return rows, combinations

    @staticmethod
    def _names_first(compiled, request):
        """Whether a one-word query's page lies among the documents with the word
        in their name: there are enough of them for it, and the word in the name
        scores more than a body match and everything else can set two documents
        apart (kind, title length, variant)."""
        in_name = TITLE_POINTS * compiled.groups[0][1]
        if compiled.phrase:
            in_name += (BODY_POINTS + TITLE_POINTS) * compiled.total_weight
        return (
            compiled.named >= request.offset + request.limit and in_name > STATIC_SPREAD
        )

    def _documents(self, sql, compiled, tree, phrase, numbers):
        """(SQL, params): the common table expressions of `_match` ending in
        ``documents``, each document having an atom of `numbers` with its key
        and the sums of its atoms' flags (`Sql.sums`)."""
        # The driver's rows (and the phrase's) hold every document that can
        # match; the other atoms are read for those documents only.
        driving = compiled.drivers(tree)
        if phrase:
            atoms_of(phrase, driving)
        driving = {atom: numbers[atom] for atom in driving}
        # An atom with no more rows than the drivers is read whole, like them
        # (one range scan beats a look-up per driven document: 许可's word marker
        # beside 许可 itself); the others only for the driven documents.
        driven_rows = sum(
            size for atom in driving if (size := compiled.size(atom)) != math.inf
        )
        for atom, number in numbers.items():
            if atom not in driving and compiled.size(atom) <= driven_rows:
                driving[atom] = number
        others = {atom: n for atom, n in numbers.items() if atom not in driving}
        width = sql.columns(numbers)
        rows, row_params = sql.atom_rows(driving, width=width)
        if others:
            other_rows, other_params = sql.atom_rows(
                others, among="SELECT document_id FROM driven", width=width
            )
            driven = f"driven AS {sql.materialized}({rows}), "
            rows = f"SELECT * FROM driven UNION ALL {other_rows}"
            row_params = [*row_params, *other_params]
        else:
            driven = ""
        return (
            f"{driven}hits AS ({rows}), "
            "documents AS (SELECT document_id AS id, MAX(key) AS key, "
            f"{sql.sums(numbers)} FROM hits GROUP BY document_id)",
            row_params,
        )

    def _similar(self, parsed, sql, request):
        """Titles sharing characters with a short query (typo-tolerant fallback):
        candidates are the names with the most of the query's characters and
        bigrams, kept when the title has at least `SIMILAR_THRESHOLD` of them; the
        closest (Dice coefficient) first."""
        grams = set(character_grams(parsed.text))
        if not grams:
            return SearchResults.empty()
        numbers = {Atom(gram[:TERM_LENGTH]): n for n, gram in enumerate(sorted(grams))}
        rows, params = sql.atom_rows(numbers, title_only=True, width=1)
        filters, filter_params = filter_sql(request.filters, "f.")
        where = ""
        if filters:
            where = (
                f"WHERE {sql.facets()} IN (SELECT f.id FROM {FACETS_TABLE} f "
                f"WHERE {' AND '.join(filters)})"
            )
        key = "MAX(key)"
        ids = [
            pk
            for (pk,) in self._fetch(
                f"SELECT document_id FROM ({rows}) hits {where} "
                "GROUP BY document_id ORDER BY COUNT(*) DESC, "
                f"{sql.rank(key)} DESC, {sql.length(key)}, document_id LIMIT %s",
                [*params, *filter_params, SIMILAR_CANDIDATES],
            )
        ]
        scored = []
        for document in SearchDocument.objects.using(self.using).filter(id__in=ids):
            title_grams = set(character_grams(document.title))
            shared = len(grams & title_grams)
            if shared >= SIMILAR_THRESHOLD * len(grams):
                dice = 2 * shared / (len(grams) + len(title_grams))
                scored.append((document, dice + document.rank / 100))
        scored.sort(key=lambda pair: (-pair[1], pair[0].id))
        window = scored[request.offset : request.offset + request.limit]
        terms = sorted(grams, key=len, reverse=True)
        return SearchResults(
            hits=[self._hit(document, terms, score) for document, score in window],
            total=len(scored),
            facets={name: [] for name in FACETS},
            mode="similar",
            synonyms=parsed.synonyms,
        )

    def suggest(self, text, limit=8):
        parsed = parse_query(text, synonym_map())
        text = parsed.text
        if not text:
            return []
        wanted = Q(title__icontains=text) | Q(item_code__istartswith=text)
        for _term, canonical in parsed.synonyms:
            for term in canonical:
                wanted |= Q(title__icontains=term)
        documents = (
            SearchDocument.objects.using(self.using)
            .filter(wanted, kind__in=SUGGEST_KINDS)
            .annotate(
                starts=Case(
                    When(title__istartswith=text, then=0),
                    default=1,
                    output_field=IntegerField(),
                )
            )
            .order_by("starts", "-rank", "title")
            .only("title", "url", "item_code")[:limit]
        )
        return [
            {"title": d.title, "url": d.url, "code": d.item_code} for d in documents
        ]


def idf(frequency, total):
    """The weight of a query part found in `frequency` of `total` names."""
    return round(max(math.log((total + 1) / (frequency + 0.5)), 0.05), 3)


def closest_word(word, vocabulary):
    """`word` itself when a word of the sorted `vocabulary` begins with its stem;
    else the vocabulary word within one edit (two from eight letters on), the
    closest and then the first in order; else None."""
    stem = latin_stem(word)
    position = bisect_left(vocabulary, stem)
    if position < len(vocabulary) and vocabulary[position].startswith(stem):
        return word
    allowed = 1 if len(word) < 8 else 2
    candidates = [
        (edit_distance(word, other), other)
        for other in vocabulary
        if abs(len(other) - len(word)) <= allowed
    ]
    best = min(candidates, default=None)
    return best[1] if best and best[0] <= allowed else None


def edit_distance(first, second):
    """Levenshtein distance."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            )
        previous = current
    return previous[-1]
