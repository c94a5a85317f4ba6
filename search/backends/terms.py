"""The embedded backend's inverted index: one `SearchTerm` row per term and document.

Both SQLite and PostgreSQL keep the rows in one B-tree ordered by term
(`site_search_term_lookup`, migration 0008), which also holds everything ranking and
the facets read of a document: whether the term is in its name (code, title, aliases,
grams, pinyin: ``title`` 1) or only in its body (0), and the document's `key`, its
facet combination (`SearchFacets`), title length, kind weight and variant packed in
one integer (`pack`). A query's terms are read as
ranges of that index (a term, or a prefix for Latin words and the pinyin phrase), so
matching never visits the documents or their texts: a word in every name costs one
pass over its index range, whatever the catalog's size.

A query is compiled into a tree of `Atom`s (one index range each) under `All` and
`Any`; `Sql.flag` turns a tree into a 0/1 aggregate over a document's index rows
(whether it has the tree, anywhere or in its name), the same SQL on both databases
but for the names of the scalar minimum and maximum and the type of constants.
"""

from dataclasses import dataclass

from search.models import SearchFacets, SearchTerm
from search.query import VARIANT_WORDS

TERM_TABLE = SearchTerm._meta.db_table
FACETS_TABLE = SearchFacets._meta.db_table
TERM_LENGTH = SearchTerm._meta.get_field("term").max_length
COLUMNS = ("term", "document_id", "title", "key")
TITLE_COLUMNS = ("code_terms", "title_terms", "title_grams")
ROWS_PER_INSERT = 400
FACET_FIELDS = (
    "department_code",
    "department_name",
    "kind",
    "item_type",
    "online",
    "audience",
)


@dataclass(frozen=True)
class Atom:
    """One range of the index: a term, or every term beginning with `text`."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any:
    parts: tuple


def all_of(parts):
    parts = tuple(dict.fromkeys(p for p in parts if p))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else All(parts)


def any_of(parts):
    parts = tuple(dict.fromkeys(p for p in parts if p))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Any(parts)


def atoms_of(tree, found=None):
    """The atoms of a tree, in order of first appearance."""
    found = {} if found is None else found
    if isinstance(tree, Atom):
        found.setdefault(tree, len(found))
    elif tree is not None:
        for part in tree.parts:
            atoms_of(part, found)
    return found


# Bits per atom in a per-document sum: 1 for the atom anywhere, 2 for it in the name;
# atoms per sum column (62 bits of a signed 64-bit integer).
ATOMS_PER_COLUMN = 31
# A document's packed key (`pack`): facet combination, title length, kind weight and
# variant, in one integer that one aggregate carries.
FACETS_UNIT, LENGTH_UNIT, RANK_UNIT = 16384, 64, 8
# The highest kind weight a key holds (three bits).
MAX_RANK = RANK_UNIT - 1


def pack(facets, length, rank, variant):
    """The `SearchTerm.key` of a document: its facet combination id, title length
    (up to 255), kind weight (up to 7) and variant (0 for none, else 1 + its
    position in `VARIANT_WORDS`)."""
    code = VARIANT_WORDS.index(variant) + 1 if variant in VARIANT_WORDS else 0
    return (
        facets * FACETS_UNIT
        + min(length, 255) * LENGTH_UNIT
        + min(rank, MAX_RANK) * RANK_UNIT
        + code
    )


def variant_code(variant):
    return VARIANT_WORDS.index(variant) + 1


class Sql:
    """The SQL of one database: its scalar minimum and maximum, and the type of
    floating-point constants.

    A query's atoms are numbered; each index row read for atom ``n`` carries
    ``(1 + 2 * title) * 4 ** (n % 31)`` in sum column ``b<n // 31>`` (`atom_rows`),
    so that one sum per column over a document's rows holds every atom's two flags
    (`flag`); a prefix atom's rows are first reduced to one per document."""

    def __init__(self, vendor):
        self.vendor = vendor
        self.least, self.greatest = (
            ("LEAST", "GREATEST") if vendor == "postgresql" else ("MIN", "MAX")
        )
        # A common table expression kept for the statement's several reads; the hint
        # exists from SQLite 3.35 (older versions may evaluate it twice).
        self.materialized = "MATERIALIZED "

    def real(self, value):
        """A floating-point constant (PostgreSQL reads 1.5 as an exact numeric,
        slow in arithmetic over thousands of rows)."""
        if self.vendor == "postgresql":
            return f"CAST({value:.4f} AS double precision)"
        return f"{value:.4f}"

    def flag(self, tree, numbers, title=False):
        """A 0/1 expression over a document's sums (`sums`): whether the
        document has `tree` (in its name)."""
        if isinstance(tree, Atom):
            number = numbers[tree]
            unit = 4 ** (number % ATOMS_PER_COLUMN) * (2 if title else 1)
            return f"(b{number // ATOMS_PER_COLUMN} / {unit} %% 2)"
        parts = [self.flag(part, numbers, title) for part in tree.parts]
        function = self.least if isinstance(tree, All) else self.greatest
        return f"{function}({', '.join(parts)})"

    @staticmethod
    def columns(numbers):
        return max(numbers.values(), default=0) // ATOMS_PER_COLUMN + 1

    def sums(self, numbers):
        """The per-document sums of `atom_rows` (``GROUP BY document_id``)."""
        return ", ".join(
            # PostgreSQL sums 64-bit integers as numeric, whose division is exact.
            f"CAST(SUM(b{column}) AS BIGINT) AS b{column}"
            for column in range(self.columns(numbers))
        )

    @staticmethod
    def atom_condition(atom):
        """(SQL, params) selecting the atom's range of the index."""
        if atom.prefix:
            return "term >= %s AND term < %s", [atom.text, after_prefix(atom.text)]
        return "term = %s", [atom.text]

    def atom_rows(self, numbers, title_only=False, among="", width=None):
        """(SQL, params): the index rows of every atom as (document id, key, sum
        columns), one range scan of the index per atom (or one look-up per
        document of `among`, a query of document ids); `width` sum columns
        (enough for `numbers` if not given)."""
        selects, params = [], []
        width = width or self.columns(numbers)
        for atom, number in numbers.items():
            condition, condition_params = self.atom_condition(atom)
            if title_only:
                condition += " AND title = 1"
            if among:
                condition += f" AND document_id IN ({among})"
            # 64-bit: PostgreSQL computes integer times integer in 32 bits, and
            # 3 * 4 ** 15 is past them.
            unit = f"CAST({4 ** (number % ATOMS_PER_COLUMN)} AS BIGINT)"
            sums = [
                f"(1 + 2 * {'MAX(title)' if atom.prefix else 'title'}) * {unit}"
                if column == number // ATOMS_PER_COLUMN
                else "0"
                for column in range(width)
            ]
            sums = ", ".join(f"{value} AS b{n}" for n, value in enumerate(sums))
            if atom.prefix:
                # Several terms of one document may begin with the prefix.
                selects.append(
                    f"SELECT document_id, MAX(key) AS key, {sums} FROM {TERM_TABLE} "
                    f"WHERE {condition} GROUP BY document_id"
                )
            else:
                selects.append(
                    f"SELECT document_id, key, {sums} FROM {TERM_TABLE} "
                    f"WHERE {condition}"
                )
            params += condition_params
        return " UNION ALL ".join(selects), params

    @staticmethod
    def facets(key="key"):
        return f"({key} / {FACETS_UNIT})"

    @staticmethod
    def length(key="key"):
        return f"({key} / {LENGTH_UNIT} %% 256)"

    @staticmethod
    def rank(key="key"):
        return f"({key} / {RANK_UNIT} %% 8)"

    @staticmethod
    def variant(key="key"):
        return f"({key} %% {RANK_UNIT})"


def after_prefix(text):
    """The first string after every string beginning with `text` (code-point
    order, as both databases compare the term column)."""
    return text[:-1] + chr(ord(text[-1]) + 1)


def term_rows(row, facets):
    """The index rows of a `SearchDocument` row (saved, with its facet combination
    `facets`): each distinct term once, in the name or only in the body."""
    title_terms = {
        term[:TERM_LENGTH]
        for column in TITLE_COLUMNS
        for term in getattr(row, column).split()
    }
    body_terms = {term[:TERM_LENGTH] for term in row.body_terms.split()}
    key = pack(facets, len(row.title), row.rank, row.variant)
    return [
        (term, row.id, int(term in title_terms), key)
        for term in sorted(title_terms | body_terms)
    ]


def facets_key(row):
    return tuple(getattr(row, field) for field in FACET_FIELDS)


def facets_ids(rows, using, model=SearchFacets):
    """{facet values: `SearchFacets` id} for the documents `rows`, adding the
    combinations not stored yet (`model` may be a migration's historical model)."""
    manager = model.objects.using(using)
    wanted = {facets_key(row) for row in rows}
    known = {}
    for combination in manager.filter(
        department_code__in={key[0] for key in wanted},
        kind__in={key[2] for key in wanted},
    ):
        known.setdefault(facets_key(combination), combination.id)
    missing = [key for key in wanted if key not in known]
    created = manager.bulk_create(
        [model(**dict(zip(FACET_FIELDS, key, strict=True))) for key in missing]
    )
    known |= {
        key: combination.id for key, combination in zip(missing, created, strict=True)
    }
    return known


def write_terms(connection, rows, using, facets_model=SearchFacets):
    """Add the index rows of the saved `SearchDocument`s `rows`."""
    ids = facets_ids(rows, using, facets_model)
    values = [term for row in rows for term in term_rows(row, ids[facets_key(row)])]
    marks = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(values), ROWS_PER_INSERT):
            batch = values[start : start + ROWS_PER_INSERT]
            cursor.execute(
                f"INSERT INTO {TERM_TABLE} ({', '.join(COLUMNS)}) VALUES "
                + ", ".join([marks] * len(batch)),
                [value for row in batch for value in row],
            )


def delete_terms(connection, ids):
    """Remove the index rows of the documents `ids`."""
    ids = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), ROWS_PER_INSERT):
            batch = ids[start : start + ROWS_PER_INSERT]
            cursor.execute(
                f"DELETE FROM {TERM_TABLE} WHERE document_id IN "
                f"({', '.join(['%s'] * len(batch))})",
                batch,
            )


def clear_terms(connection):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TERM_TABLE}")
