"""The search app's own tables: the embedded backend's index and the synonyms.

`SearchDocument` is one published thing as search sees it (a service item, a division,
a notice, a person…), written by `search.indexer` and read by the embedded backend
(`search.backends.embedded`). Its ``*_terms`` columns hold jieba-segmented text. The
embedded backend's inverted index is `SearchTerm`: one row per term and document, in a
B-tree that both SQLite and PostgreSQL read in term order (`search.backends.terms`),
each row carrying what ranking and the facets need of its document (`SearchFacets`,
kind weight, title length, variant), so that matching reads the index alone.

`Synonym` is the editor-maintained dictionary that expands queries (社保 → 社会保险),
seeded from `search/data/synonyms.txt` and edited as a snippet.

`LoggedQuery` and `QueryDay` are the query log (no personal data) behind the admin
report of zero-result and low-click queries (`search.querylog`).
"""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

# "a | b", "a|b", "a、b" and "a,b" all separate canonical terms.
CANONICAL_SEPARATORS = re.compile(r"\s*[|｜、,,;;]\s*")


class SearchDocument(models.Model):
    """One indexed item with what the results page shows and the facets count."""

    key = models.CharField(_("索引键"), max_length=80, unique=True)
    kind = models.CharField(_("内容类别"), max_length=20, db_index=True)
    title = models.CharField(_("标题"), max_length=255)
    url = models.CharField(_("地址"), max_length=500)
    department_code = models.CharField(
        _("部门代码"), max_length=20, blank=True, db_index=True
    )
    department_name = models.CharField(_("部门"), max_length=255, blank=True)
    item_code = models.CharField(
        _("事项编码"), max_length=40, blank=True, db_index=True
    )
    item_type = models.CharField(_("事项类型"), max_length=20, blank=True)
    # ",person,organisation," so that one LIKE finds each audience.
    audience = models.CharField(_("服务对象"), max_length=100, blank=True)
    online = models.BooleanField(_("可网上申请"), null=True)
    rank = models.PositiveSmallIntegerField(
        _("类别权重"), default=0, help_text=_("同等匹配时权重大的排在前面。")
    )
    body = models.TextField(_("正文"), blank=True)
    title_en = models.CharField(_("英文标题"), max_length=255, blank=True)
    summary_en = models.TextField(_("英文简介"), blank=True)
    variant = models.CharField(
        _("变体"), max_length=10, blank=True, help_text=_("如延续、变更；首办为空。")
    )
    code_terms = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    title_grams = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")

    def __str__(self):
        return f"{self.key} {self.title}"


class SearchFacets(models.Model):
    """One combination of facet values that documents share (a department, a kind,
    an item type, online filing and audience): the matching statement counts the
    matched documents per combination instead of reading each document's values.
    Rows are only added (`search.backends.terms.facets_ids`)."""

    department_code = models.CharField(max_length=20, blank=True)
    department_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=20)
    item_type = models.CharField(max_length=20, blank=True)
    online = models.BooleanField(null=True)
    audience = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("检索分面组合")
        verbose_name_plural = _("检索分面组合")

    def __str__(self):
        return f"{self.department_code} {self.kind} {self.item_type}"


class SearchTerm(models.Model):
    """A term of a document, as the embedded backend's inverted index holds it:
    whether it occurs in the document's name (code, title, aliases, grams, pinyin)
    or only in its body, and the document's facet combination, kind weight, title
    length and variant packed in `key`, so that a query's matches, their order and
    their facet counts are read from the index (``site_search_term_lookup``)
    without visiting documents."""

    term = models.CharField(max_length=100)
    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    title = models.PositiveSmallIntegerField(default=0)
    # The document's facet combination, title length, kind weight and variant
    # (`search.backends.terms.pack`).
    key = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["term", "document", "title", "key"],
                name="site_search_term_lookup",
            ),
            models.Index(fields=["document"], name="site_search_term_document"),
        ]

    def __str__(self):
        return self.term


class Synonym(models.Model):
    """A colloquial term or abbreviation and the catalog's words for it (同义词).

    A query containing `term` is also searched with each canonical term, so 社保卡补办
    finds 社会保障卡补领. Changes apply to the next search; no re-indexing.
    """

    term = models.CharField(
        _("简称或俗称"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(r"^\S(.*\S)?$", _("首尾不能有空格。")),
        ],
        help_text=_("群众常说的说法，如：社保、驾照、环评。"),
    )
    canonical = models.CharField(
        _("规范用语"),
        max_length=255,
        help_text=_("事项目录里的说法；多个用“|”分隔，如：社会保险 | 社会保障卡。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [FieldPanel("term"), FieldPanel("canonical")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self):
        return f"{self.term} → {self.canonical}"

    def canonical_terms(self):
        """The canonical terms as a list, without blanks or the term itself."""
        return [
            part
            for part in CANONICAL_SEPARATORS.split(self.canonical.strip())
            if part and part != self.term
        ]


class LoggedQuery(models.Model):
    """A query typed into the site search (检索词), as editors read it in the query
    report: the folded text only, never who asked; queries holding an ID number or
    a mobile number are not logged at all (`search.querylog`)."""

    text = models.CharField(_("检索词"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("检索词")
        verbose_name_plural = _("检索词")

    def __str__(self):
        return self.text


class QueryDay(models.Model):
    """One day's figures of a `LoggedQuery`: how often it was searched, how many of
    those searches found nothing (or only weak guesses), the result count of the
    latest one, and how many results were clicked."""

    query = models.ForeignKey(
        LoggedQuery,
        verbose_name=_("检索词"),
        on_delete=models.CASCADE,
        related_name="days",
    )
    date = models.DateField(_("日期"))
    searches = models.PositiveIntegerField(_("检索次数"), default=0)
    zero_results = models.PositiveIntegerField(_("无结果次数"), default=0)
    results = models.PositiveIntegerField(_("结果数"), default=0)
    clicks = models.PositiveIntegerField(_("点击次数"), default=0)

    class Meta:
        verbose_name = _("检索日统计")
        verbose_name_plural = _("检索日统计")
        constraints = [
            models.UniqueConstraint(fields=["query", "date"], name="query_day_unique")
        ]

    def __str__(self):
        return f"{self.query} {self.date}"
