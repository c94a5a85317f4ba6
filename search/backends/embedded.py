"""The embedded backend: full-text search in the site's own database (the default).

Documents live in `SearchDocument`, their text segmented by jieba
(`search.segment`). The full-text index depends on the database (migration 0002):

- SQLite: an FTS5 table ``site_search_fts`` (``unicode61`` tokenizer, one row per
  document, rowid = document id) that this backend writes next to the document.
- PostgreSQL: a generated ``search_vector`` column, ``to_tsvector('simple', …)`` over
  the segmented text with weights A (item code), B (title), C (title grams), D (body),
  and a generated ``title_vector`` over the first three (migration 0006), each with a
  GIN index. Title-only parts of a query are matched in ``title_vector``: a weight
  restriction on ``search_vector`` would make PostgreSQL recheck, and so read, the
  whole vector of every matching document.

The title columns hold a service item's name with its aliases, situation phrases and
English name; the title grams add their pinyin (`search.segment.pinyin_terms`), so
pinyin queries and the query's pinyin `phrase` (homophone typos) match names there.

Ranking: the exact item code; then how much of the query's meaningful content a
document covers, each part weighted by its rarity among indexed names (IDF over the
title columns, so 办理, 许可 or 申请 weigh little and 排污 much), a match in the name
or an alias counting well above one in the body; the kind of document; a variant of a
family (…延续, …变更) after its first item unless the query names the variant; then
the shorter title and the document key. The order is computed from these figures
alone, so it is the same on SQLite and PostgreSQL. When no document contains every
part, documents with some of them are shown; when none contains any, titles with
similar characters (the typo-tolerant fallback for short queries). When the best
result's name covers less than half of the query's weight, the results are flagged
``weak``: the page says nothing matched directly. An English word no name contains is
replaced by the closest English word of the names (one or two edits). Facet counts
come from the same statement as the page (`EmbeddedBackend._match`): it reads the
full-text index once, keeps the matched documents' narrow columns (on SQLite from a
covering index, migration 0006) and returns the page with the counts of each
combination of facet values, from which the facets and the total are summed in
Python: a few hundred combinations at most, however many documents matched.
"""

import hashlib
import math
from bisect import bisect_left
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Case, IntegerField, Q, When

from search.backends.base import (
    FACETS,
    FacetValue,
    SearchBackend,
    SearchHit,
    SearchResults,
    facet_label,
    highlight,
)
from search.models import SearchDocument
from search.query import QueryGroup, is_short, parse_query
from search.segment import (
    character_grams,
    index_text,
    latin_stem,
    pinyin_terms,
    query_words,
    word_pieces,
)
from search.synonyms import synonym_map

TABLE = SearchDocument._meta.db_table
FTS_TABLE = "site_search_fts"
FTS_COLUMNS = ("code_terms", "title_terms", "body_terms", "title_grams")
PG_VECTOR = "search_vector"
PG_TITLE_VECTOR = "title_vector"
COVER_INDEX = "site_search_document_cover"
BATCH = 500
# Candidates the typo-tolerant fallback compares, and the similarity it needs.
SIMILAR_CANDIDATES = 50
SIMILAR_THRESHOLD = 0.4
SUGGEST_KINDS = ("item",)
# Points of a query part of weight 1 matched anywhere, and matched in the name.
BODY_POINTS = 40
TITLE_POINTS = 100
# A variant of a family the query does not ask for ranks this much lower.
VARIANT_PENALTY = 25
# Share of the query's weight the best result's name must cover not to be weak.
RELEVANT_SHARE = 0.5
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
            [
                *character_grams(document.title),
                *(t for name in names(document) for t in pinyin_terms(name)),
            ]
        ),
        body_terms=index_text(" ".join([document.body, document.summary_en])),
    )


def names(document):
    """The Chinese names of a document: its title and aliases."""
    return [document.title, *document.aliases]


@dataclass
class Compiled:
    """A parsed query in one dialect's full-text syntax, with each group's weight
    (`weigh`) and the pinyin phrase as a title-only prefix expression."""

    groups: list  # (expression, title-only expression, weight)
    code: str
    phrase: str = ""
    variants: tuple = ()

    @property
    def total_weight(self):
        return sum(weight for _e, _t, weight in self.groups) or 1.0

    def any(self, dialect):
        """Some of the groups, or the phrase: the groups of at least a quarter of
        the heaviest one's weight (a leftover 证 alone would match half the
        catalog)."""
        heaviest = max(weight for _e, _t, weight in self.groups)
        strong = [e for e, _t, weight in self.groups if weight >= heaviest / 4]
        return dialect.either([*strong, self.phrase])

    def every(self, dialect):
        """Every group, or the phrase."""
        every = dialect.both([expression for expression, _t, _w in self.groups])
        return dialect.either([every, self.phrase])


class Dialect:
    """How one database writes and reads the full-text index."""

    # How a common table expression is kept for the statement's several reads.
    MATERIALIZED = "MATERIALIZED "

    def __init__(self, connection):
        self.connection = connection

    # Index maintenance
    def add(self, ids):
        pass

    def remove(self, ids):
        pass

    def clear(self):
        pass

    # Query syntax: tokens → expressions
    def token(self, token, prefix=False, title_only=False):
        raise NotImplementedError

    def both(self, expressions):
        return self._join(expressions, self.AND)

    def either(self, expressions):
        return self._join(expressions, self.OR)

    def _join(self, expressions, operator):
        expressions = [e for e in expressions if e]
        if len(expressions) == 1:
            return expressions[0]
        return "(" + f" {operator} ".join(expressions) + ")"

    # SQL pieces; documents are aliased d.
    def matches(self, expression):
        """(SQL, params): true when the document matches `expression`. For
        counts, facets and the parts of a score."""
        raise NotImplementedError

    def title_expression(self, expression):
        """`expression` restricted to the code, title and title grams (on
        PostgreSQL the tokens carry that restriction themselves)."""
        return expression

    def title_matches(self, expression):
        return self.matches(self.title_expression(expression))

    def ranked(self, expression):
        """The documents matching `expression` with a non-negative relevance, in
        one scan of the index: (FROM, WHERE, params, relevance SQL, params)."""
        raise NotImplementedError


class SqliteFts5(Dialect):
    AND, OR = "AND", "OR"
    TITLE_COLUMNS = "{code_terms title_terms title_grams}"

    @property
    def MATERIALIZED(self):
        # The hint exists from SQLite 3.35; older versions may read the CTE twice.
        version = self.connection.Database.sqlite_version_info
        return "MATERIALIZED " if version >= (3, 35) else ""

    def add(self, ids):
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(batch))
            columns = ", ".join(FTS_COLUMNS)
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, {columns}) "
                    f"SELECT id, {columns} FROM {TABLE} WHERE id IN ({marks})",
                    batch,
                )

    def remove(self, ids):
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(batch))
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", batch
                )

    def clear(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def token(self, token, prefix=False, title_only=False):
        quoted = '"' + token.replace('"', '""') + '"' + ("*" if prefix else "")
        return quoted

    def title_expression(self, expression):
        return f"{self.TITLE_COLUMNS} : {expression}"

    def matches(self, expression):
        # An uncorrelated subquery: SQLite runs it once per statement.
        return (
            f"d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            [expression],
        )

    def ranked(self, expression):
        # bm25() is negative, lower is better; column weights: code, title, body,
        # title grams.
        # The documents through their covering index (migration 0006): the
        # statement reads no text of theirs.
        return (
            f"{FTS_TABLE} JOIN {TABLE} d INDEXED BY {COVER_INDEX} "
            f"ON d.id = {FTS_TABLE}.rowid",
            f"{FTS_TABLE} MATCH %s",
            [expression],
            f"(-bm25({FTS_TABLE}, 10.0, 4.0, 1.0, 2.0))",
            [],
        )


class TitleQuery(str):
    """A PostgreSQL query for the title vector (code, title, title grams)."""


class PostgresFullText(Dialect):
    """Two generated vectors: ``search_vector`` over everything (weights A code,
    B title, C title grams, D body) and ``title_vector`` over the title columns,
    so that title-only parts need no weight restriction: a query with weights
    makes PostgreSQL recheck, and so read, every matching document's vector."""

    AND, OR = "&", "|"

    def token(self, token, prefix=False, title_only=False):
        quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":*" if prefix else "")

    def title_expression(self, expression):
        return TitleQuery(expression) if expression else expression

    def either(self, expressions):
        """Title-only expressions are searched in their own vector: one of them
        among the alternatives makes a tuple of alternatives, matched as an OR of
        conditions."""
        expressions = [e for e in expressions if e]
        if any(isinstance(e, TitleQuery | tuple) for e in expressions):
            flat = []
            for expression in expressions:
                flat += expression if isinstance(expression, tuple) else [expression]
            return tuple(flat) if len(flat) > 1 else flat[0]
        return super().either(expressions)

    def matches(self, expression):
        if isinstance(expression, tuple):
            # Alternatives over both vectors: each through its own index. An OR of
            # the two conditions would be planned as a scan reading every vector.
            parts = [self.matches(e) for e in expression]
            sql = " UNION ALL ".join(
                f"SELECT d.id FROM {TABLE} d WHERE {part}" for part, _params in parts
            )
            return f"d.id IN ({sql})", [p for _sql, params in parts for p in params]
        vector = PG_TITLE_VECTOR if isinstance(expression, TitleQuery) else PG_VECTOR
        return (f"d.{vector} @@ to_tsquery('simple', %s)", [str(expression)])

    def ranked(self, expression):
        # ts_rank weights of D (body), C (title grams), B (title), A (code).
        where, params = self.matches(expression)
        vector = PG_TITLE_VECTOR if isinstance(expression, TitleQuery) else PG_VECTOR
        query = expression if isinstance(expression, str) else expression[0]
        return (
            f"{TABLE} d",
            where,
            params,
            f"ts_rank('{{0.1, 0.3, 0.6, 1.0}}', d.{vector}, to_tsquery('simple', %s))",
            [str(query)],
        )


# The facet columns of a document, as the matching statement counts their
# combinations; the department's name follows its code.
FACET_COLUMNS = (
    "department_code",
    "department_name",
    "kind",
    "item_type",
    "online",
    "audience",
)
FACET_KEYS = tuple(column for column in FACET_COLUMNS if column != "department_name")


def _column(column):
    return "MAX(department_name)" if column == "department_name" else column


def _filter_sql(filters, prefix=""):
    """SQL conditions (and their parameters) for the facet filters of a request,
    on the columns of the documents (`prefix` ``d.``) or of the matched rows."""
    clauses, params = [], []
    for name, value in filters.items():
        if name == "department":
            clauses.append(f"{prefix}department_code = %s")
            params.append(value)
        elif name in ("kind", "item_type"):
            clauses.append(f"{prefix}{name} = %s")
            params.append(value)
        elif name == "audience":
            clauses.append(f"{prefix}audience LIKE %s")
            params.append(f"%,{value},%")
        elif name == "online":
            clauses.append(f"{prefix}online = %s")
            params.append(_truthy(value))
    return clauses, params


def _truthy(value):
    return str(value).lower() in ("true", "1", "yes")


def _passes(values, filters, skip=None):
    """Whether documents with these facet `values` (a combination, in the order
    of `FACET_COLUMNS`) pass the filters, the one named `skip` aside: the same
    test as `_filter_sql`, in Python."""
    department, _name, kind, item_type, online, audience = values
    for name, value in filters.items():
        if name == skip:
            continue
        if name == "department" and department != value:
            return False
        if name == "kind" and kind != value:
            return False
        if name == "item_type" and item_type != value:
            return False
        if name == "audience" and f",{value}," not in (audience or ""):
            return False
        if name == "online" and (online is None or bool(online) != _truthy(value)):
            return False
    return True


def _facets(combinations, filters):
    """The facet counts of the matched documents from the counts of their
    combinations of facet values: each facet counted with every filter but its
    own, so that its other values stay selectable."""
    from search.backends.base import AUDIENCES

    facets = {}
    for name in FACETS:
        counts, labels = {}, {}
        for values, count in combinations:
            if not _passes(values, filters, skip=name):
                continue
            department, label, kind, item_type, online, audience = values
            if name == "audience":
                keys = [v for v in AUDIENCES if f",{v}," in (audience or "")]
            elif name == "online":
                # 1/0 on SQLite, True/False on PostgreSQL
                keys = [] if online is None else ["true" if online else "false"]
            else:
                key = {"department": department, "kind": kind, "item_type": item_type}
                keys = [key[name]] if key[name] else []
            for key in keys:
                counts[key] = counts.get(key, 0) + count
                if name == "department":
                    labels[key] = max(labels.get(key, ""), label or "")
        selected = str(filters.get(name, "")).lower()
        values = [
            FacetValue(
                value=str(value),
                label=facet_label(name, str(value), labels.get(value, "")),
                count=count,
                selected=str(value).lower() == selected,
            )
            for value, count in counts.items()
        ]
        facets[name] = sorted(values, key=lambda v: (-v.count, v.label))
    return facets


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


def dialect_for(connection):
    if connection.vendor == "sqlite":
        return SqliteFts5(connection)
    if connection.vendor == "postgresql":
        return PostgresFullText(connection)
    raise NotImplementedError(
        f"the embedded search backend supports SQLite and PostgreSQL, "
        f"not {connection.vendor}"
    )


def compile_query(parsed, dialect):
    """The full-text expression of each group of a `ParsedQuery`."""
    groups = []
    for group in parsed.groups:
        alternatives, title_alternatives = [], []
        for alternative in group.alternatives:
            words = query_words(alternative)
            alternatives.append(dialect.both([_word(dialect, w) for w in words]))
            title_alternatives.append(
                dialect.both([_word(dialect, w, title_only=True) for w in words])
            )
        expression = dialect.either(alternatives)
        if not expression:
            continue
        title = dialect.either(title_alternatives)
        # One Chinese character (跑, 卖, 开) says less than its rarity suggests.
        single = len(group.text) == 1 and not group.is_synonym
        groups.append((expression, title, 0.5 if single else 1.0))
    phrase = ""
    if parsed.phrase:
        phrase = dialect.title_expression(
            dialect.token(parsed.phrase, prefix=True, title_only=True)
        )
    return Compiled(
        groups=groups, code=parsed.code, phrase=phrase, variants=parsed.variants
    )


def _word(dialect, word, title_only=False):
    """A word, or its dictionary pieces where the indexed text was cut differently;
    item codes and other Latin words also match as prefixes, English words without
    their suffix (certificate → certific*)."""
    prefix = word.isascii() and len(word) >= 4
    if prefix:
        word = latin_stem(word)
    expression = dialect.token(word, prefix=prefix, title_only=title_only)
    pieces = word_pieces(word)
    if pieces:
        expression = dialect.either(
            [
                expression,
                dialect.both([dialect.token(p, title_only=title_only) for p in pieces]),
            ]
        )
    return expression


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
    def dialect(self):
        return dialect_for(self.connection)

    # Indexing

    def index_documents(self, documents):
        rows = [document_row(document) for document in documents]
        if not rows:
            return
        dialect = self.dialect
        manager = SearchDocument.objects.using(self.using)
        with transaction.atomic(using=self.using):
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                keys = [row.key for row in batch]
                old = list(manager.filter(key__in=keys).values_list("id", flat=True))
                dialect.remove(old)
                manager.filter(id__in=old).delete()
                created = manager.bulk_create(batch)
                dialect.add([row.id for row in created])

    def delete_documents(self, keys):
        keys = list(keys)
        manager = SearchDocument.objects.using(self.using)
        with transaction.atomic(using=self.using):
            old = list(manager.filter(key__in=keys).values_list("id", flat=True))
            self.dialect.remove(old)
            manager.filter(id__in=old).delete()

    def clear(self):
        with transaction.atomic(using=self.using):
            self.dialect.clear()
            SearchDocument.objects.using(self.using).all().delete()

    def keys(self):
        return set(
            SearchDocument.objects.using(self.using).values_list("key", flat=True)
        )

    # Searching

    def search(self, request):
        parsed = parse_query(request.text, synonym_map())
        if not parsed:
            return SearchResults.empty()
        parsed = self._spell_english(parsed)
        dialect = self.dialect
        compiled = compile_query(parsed, dialect)
        if not compiled.groups:
            return SearchResults.empty()
        compiled = self._weigh(compiled, dialect)
        modes = [("all", compiled.every(dialect))]
        if len(compiled.groups) > 1:
            modes.append(("some", compiled.any(dialect)))
        for mode, expression in modes:
            rows, combinations = self._match(dialect, compiled, expression, request)
            total = sum(
                count
                for values, count in combinations
                if _passes(values, request.filters)
            )
            if total:
                if rows[0][2] < RELEVANT_SHARE:
                    mode = "weak"
                window = rows[request.offset : request.offset + request.limit]
                return self._results(parsed, window, total, mode, combinations, request)
        if is_short(parsed):
            return self._similar(parsed, dialect, request)
        return SearchResults(
            hits=[],
            total=0,
            facets={name: [] for name in FACETS},
            synonyms=parsed.synonyms,
        )

    def _weigh(self, compiled, dialect):
        """`compiled` with each group weighted by its inverse document frequency
        among the indexed names (title columns), cached for a few minutes."""
        prefix = f"site_search:df:{self.connection.vendor}:"
        keys = {
            title: prefix + hashlib.sha1(title.encode()).hexdigest()
            for _e, title, _w in compiled.groups
        }
        known = cache.get_many([*keys.values(), prefix + "total"])
        missing = [t for t, key in keys.items() if key not in known]
        if missing or prefix + "total" not in known:
            counts, params = [], []
            for title in missing:
                sql, title_params = dialect.title_matches(title)
                counts.append(f"(SELECT COUNT(*) FROM {TABLE} d WHERE {sql})")
                params += title_params
            counts.append(f"(SELECT COUNT(*) FROM {TABLE})")
            row = self._fetch(f"SELECT {', '.join(counts)}", params)[0]
            fresh = dict(zip((keys[t] for t in missing), row[:-1], strict=True))
            fresh[prefix + "total"] = row[-1]
            cache.set_many(fresh, STATISTICS_SECONDS)
            known |= fresh
        total = known[prefix + "total"]
        groups = [
            (expression, title, round(share * idf(known[keys[title]], total), 3))
            for expression, title, share in compiled.groups
        ]
        return replace(compiled, groups=groups)

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
        facets = _facets(combinations, request.filters) if request.with_facets else {}
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

    def _match(self, dialect, compiled, expression, request):
        """The documents matching `expression`, in one statement over one
        evaluation of the full-text index: the first ``offset + limit`` of them in
        order, as (document, score, share of the query's weight their name
        covers), and the counts of every combination of facet values among all of
        them (filters not applied), as ((department, department name, kind, item
        type, online, audience), count). The facets and the total follow from the
        combinations (`_facets`, `_passes`), a few hundred rows at most however
        many documents matched; the best document's share decides whether the
        results are weak, so the rows start at the first document whatever the
        page."""
        flags, flag_params, points, title_points = [], [], [], []
        total_weight = compiled.total_weight
        for number, (group, title, weight) in enumerate(compiled.groups):
            for name, (sql, params) in (
                (f"m{number}", dialect.matches(group)),
                (f"t{number}", dialect.title_matches(title)),
            ):
                flags.append(f"(CASE WHEN {sql} THEN 1 ELSE 0 END) AS {name}")
                flag_params += params
            points.append(f"{BODY_POINTS * weight:.4f} * m{number}")
            points.append(f"{TITLE_POINTS * weight:.4f} * t{number}")
            title_points.append(f"{weight:.4f} * t{number}")
        if compiled.phrase:
            # The whole query in pinyin begins a name: as good as every part in it.
            sql, params = dialect.matches(compiled.phrase)
            flags.append(f"(CASE WHEN {sql} THEN 1 ELSE 0 END) AS phrase")
            flag_params += params
            points.append(f"{(BODY_POINTS + TITLE_POINTS) * total_weight:.4f} * phrase")
            title_points.append(f"{total_weight:.4f} * phrase")
        # Kinds two points apart; title brevity (the closest title among equals)
        # adds less than one.
        extra = ["2 * d.rank + 10.0 / (10.0 + LENGTH(d.title))"]
        extra_params = []
        if compiled.variants:
            marks = ", ".join(["%s"] * len(compiled.variants))
            extra.append(
                f"(CASE WHEN d.variant <> '' AND d.variant NOT IN ({marks}) "
                f"THEN -{VARIANT_PENALTY} ELSE 0 END)"
            )
            extra_params += compiled.variants
        else:
            extra.append(
                f"(CASE WHEN d.variant <> '' THEN -{VARIANT_PENALTY} ELSE 0 END)"
            )
        if compiled.code:
            extra.append("(CASE WHEN UPPER(d.item_code) = %s THEN 100000 ELSE 0 END)")
            extra_params.append(compiled.code)
        source, where, params, _relevance, _relevance_params = dialect.ranked(
            expression
        )
        filters, filter_params = _filter_sql(request.filters)
        facets = ", ".join(f"d.{column}" for column in FACET_COLUMNS)
        sql = (
            f"WITH matched AS {dialect.MATERIALIZED}("
            f"SELECT d.id, LENGTH(d.title) AS length, {facets}, {', '.join(flags)}, "
            f"{' + '.join(extra)} AS extra FROM {source} WHERE {where}) "
            "SELECT * FROM (SELECT 0 AS part, id, length, "
            f"{' + '.join(points)} + extra AS score, "
            f"({' + '.join(title_points)}) / {total_weight:.4f} AS share, "
            f"{', '.join(FACET_COLUMNS)}, 0 AS count "
            f"FROM matched WHERE {' AND '.join(['1 = 1', *filters])} "
            "ORDER BY score DESC, length, id LIMIT %s) page "
            f"UNION ALL SELECT 1, NULL, NULL, NULL, NULL, "
            f"{', '.join(_column(c) for c in FACET_COLUMNS)}, COUNT(*) "
            f"FROM matched GROUP BY {', '.join(FACET_KEYS)}"
        )
        fetched = self._fetch(
            sql,
            [
                *flag_params,
                *extra_params,
                *params,
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
        ]
        return rows, combinations

    def _similar(self, parsed, dialect, request):
        """Titles sharing characters with a short query (typo-tolerant fallback):
        candidates by full-text match on the title grams, kept when the title has
        at least `SIMILAR_THRESHOLD` of the query's characters and bigrams; the
        closest (Dice coefficient) first."""
        grams = set(character_grams(parsed.text))
        if not grams:
            return SearchResults.empty()
        expression = dialect.title_expression(
            dialect.either(
                [dialect.token(gram, title_only=True) for gram in sorted(grams)]
            )
        )
        source, where, params, relevance, relevance_params = dialect.ranked(expression)
        filters, filter_params = _filter_sql(request.filters, "d.")
        where = " AND ".join([where, *filters])
        params = [*params, *filter_params]
        ids = [
            pk
            for (pk,) in self._fetch(
                f"SELECT d.id FROM {source} WHERE {where} "
                f"ORDER BY {relevance} DESC, d.rank DESC, d.id LIMIT %s",
                [*params, *relevance_params, SIMILAR_CANDIDATES],
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
