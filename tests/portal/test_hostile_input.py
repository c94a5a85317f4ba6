"""Hostile input never reaches a view or the database: control characters anywhere in
a request, oversized bodies and stale forms get the site's own Chinese error pages
(DEBUG is off in the test settings, as in production). Runs on SQLite and, with
`DATABASE_URL`, on PostgreSQL, which refuses NUL in text with a 500 when it gets one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.views.defaults import server_error

# Every URL of issue 12 that answered 500, and more of the same kind.
HOSTILE_URLS = [
    "/banjian/%00/",
    "/search/?q=x&kind=%00",
    "/search/?q=x&department=%00",
    "/search/suggest/?q=%00",
    "/banjian/chaxun/?number=%00",
    "/banjian/%01%02/huizhi/",
    "/search/?q=%1b%5b31m",
    "/search/?q=%7f",
    "/search/?%00=x",
    "/%00",
    "/admin/%00/",
    "/feeds/items/%00/atom/",
    "/banjian/shenqing/%00/",
    "/banjian/%00/huizhi.pdf",
]
# The API's answer is its own error body, as its OpenAPI document declares.
HOSTILE_API_URLS = [
    "/api/v1/items/%00/",
    "/api/v1/filings/%00/?code=%00",
    "/api/v1/roster/?department=%00",
    "/api/v1/filings/SJ-20260101-00001/?code=a%00b",
    "/api/v1/search/?q=%00",
    "/api/v1/workdays/add?start=2026-01-01%00&days=1",
    "/api/v1/items/?%01=1",
]
HOSTILE_FORMS = [
    {"tracking_number": "SJ\x00", "access_code": "x"},
    {"tracking_number": "SJ", "access_code": "\x00"},
    {"tracking\x00number": "SJ"},
    {"tracking_number": "\x08\x0b\x0c"},
]


def assert_chinese_400(response):
    html = response.content.decode()
    assert response.status_code == 400
    assert "请求有误" in html and "返回首页" in html
    assert 'lang="zh-Hans"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_control_characters_in_the_url_get_the_400_page(client, url):
    assert_chinese_400(client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_API_URLS)
def test_control_characters_in_an_api_request_get_a_json_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "请求有误" not in response.content.decode()
    assert "不允许的字符" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/api/v1/search/?q=许可&item_type=licensing&item_type=filing", "item_type"),
        ("/api/v1/items/?type=a&type=b&online=true&online=false", "type、online"),
        ("/api/v1/workdays/add?start=2026-01-05&days=1&days=2", "days"),
    ],
)
def test_a_single_value_parameter_given_twice_gets_a_json_400(client, url, names):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json() == {"detail": f"参数 {names} 只能给出一次。"}


@pytest.mark.django_db
def test_one_value_of_each_parameter_is_answered(client):
    response = client.get("/api/v1/search/?q=许可&item_type=licensing&page=1")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("data", HOSTILE_FORMS)
def test_control_characters_in_form_fields_get_the_400_page(client, data):
    assert_chinese_400(client.post("/banjian/chaxun/", data))


@pytest.mark.django_db
def test_a_nul_in_an_upload_field_name_gets_the_400_page(client):
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf")
    assert_chinese_400(client.post("/banjian/chaxun/", {"fi\x00le": upload}))


@pytest.mark.django_db
def test_tabs_and_line_breaks_in_text_are_ordinary_input(client):
    assert client.get("/search/?q=%E6%8E%92%E6%B1%A1%0A%09").status_code == 200
    response = client.post(
        "/banjian/chaxun/", {"tracking_number": "SJ\r\n", "access_code": "a\tb"}
    )
    assert "请求有误" not in response.content.decode()


@pytest.mark.django_db
def test_the_400_page_speaks_the_visitors_language(client):
    response = client.get("/search/?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_a_ten_megabyte_text_field_gets_the_413_page(client):
    response = client.post("/banjian/chaxun/", {"tracking_number": "x" * 10_000_000})
    html = response.content.decode()
    assert response.status_code == 413
    assert "提交的内容过大" in html and "返回首页" in html


@pytest.mark.django_db
def test_a_hundred_and_twenty_files_get_the_413_page(client):
    files = {
        f"file{n}": SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4", "application/pdf")
        for n in range(120)
    }
    response = client.post("/banjian/chaxun/", files)
    assert response.status_code == 413
    assert "提交的内容过多" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_form_gets_the_branded_csrf_page():
    response = Client(enforce_csrf_checks=True).post(
        "/banjian/chaxun/", {"tracking_number": "SJ"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in html and "返回首页" in html
    assert "CSRF" not in html


@pytest.mark.django_db
def test_a_refused_page_gets_the_branded_403_page(client, settings):
    settings.ROOT_URLCONF = "tests.portal.error_urls"
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_the_500_page_is_branded_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in html and "返回首页" in html
