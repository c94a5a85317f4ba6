"""Every model of the project's apps has its name in both languages (the admin shows
them: group permissions, history, reports): Chinese in Chinese, English without a
Chinese character in English."""

import re

from django.apps import apps
from django.utils import translation

from search.models import SearchFacets

CJK = re.compile("[\u4e00-\u9fff]")
PROJECT_APPS = (
    "portal",
    "disclosure",
    "services_catalog",
    "inbox",
    "reception",
    "site_search",
)


def project_models():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            yield model


def test_a_search_model_is_named_in_each_language():
    with translation.override("en"):
        assert str(SearchFacets._meta.verbose_name) == "Search facet combination"
    with translation.override("zh-hans"):
        assert str(SearchFacets._meta.verbose_name) == "检索分面组合"


def test_no_model_keeps_a_chinese_name_in_english():
    with translation.override("en"):
        untranslated = [
            f"{model._meta.label}: {name}"
            for model in project_models()
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural)
            if CJK.search(str(name))
        ]
    assert not untranslated, untranslated
