"""The editable synonyms: seeded from the shipped file, edited in the admin as a
snippet, applied to the next search."""

import pytest

from search.models import Synonym
from search.synonyms import load_shipped_synonyms, parse_synonyms
from tests.search.helpers import search, titles

pytestmark = pytest.mark.django_db


def test_parsing_reports_a_bad_line_by_number():
    assert parse_synonyms("# 注释\n社保 = 社会保险 | 社会保障卡\n") == {
        "社保": ["社会保险", "社会保障卡"]
    }
    with pytest.raises(ValueError, match="line 2"):
        parse_synonyms("社保 = 社会保险\n驾照\n")


def test_loading_the_shipped_file_again_keeps_editors_changes():
    Synonym.objects.filter(term="驾照").update(canonical="机动车驾驶证 | 驾驶执照")
    Synonym.objects.filter(term="社保").delete()

    added = load_shipped_synonyms()

    assert added == 1
    assert Synonym.objects.get(term="社保").canonical == "社会保险"
    assert Synonym.objects.get(term="驾照").canonical == "机动车驾驶证 | 驾驶执照"


def test_canonical_terms_accept_several_separators():
    synonym = Synonym(term="房本", canonical="不动产权证书|不动产登记、房产证,房本")

    assert synonym.canonical_terms() == ["不动产权证书", "不动产登记", "房产证"]


def test_an_editor_adds_a_synonym_in_the_admin_and_the_next_search_uses_it(
    admin_client, catalog_items
):
    listing = admin_client.get("/admin/snippets/site_search/synonym/")
    assert listing.status_code == 200
    # The listing is paginated in the order of the terms: the first one is shown.
    first = Synonym.objects.order_by("term").first()
    assert first.term in listing.content.decode()
    assert search("排证").mode != "all"

    response = admin_client.post(
        "/admin/snippets/site_search/synonym/add/",
        {"term": "排证", "canonical": "排污许可证"},
    )

    assert response.status_code == 302
    assert Synonym.objects.filter(term="排证").exists()
    results = search("排证")
    assert results.mode == "all"
    assert titles(results)[:2] == ["排污许可证核发", "排污许可证遗失补领"]


def test_a_term_is_entered_once(admin_client, home_page):
    response = admin_client.post(
        "/admin/snippets/site_search/synonym/add/",
        {"term": " 社保 ", "canonical": "社会保障卡"},
    )

    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert Synonym.objects.get(term="社保").canonical == "社会保险"
