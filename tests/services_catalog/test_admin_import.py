"""The admin upload of a catalog/1 file (导入事项目录): dry-run report first, then
apply, each run by a background task (here the immediate backend runs it within
the request, so the status page a post leads to shows the report); only for users
with the catalog's add and change permissions; CSRF-protected."""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import GroupPagePermission

from disclosure.models import DepartmentPage
from portal.settings import env as environment
from services_catalog.admin_views import SESSION_KEY, upload_storage
from services_catalog.demo import DEMO_CATALOG
from services_catalog.importing import tasks
from services_catalog.importing.tasks import CHECK, RUNNING, ImportStatus
from services_catalog.models import ServiceItemPage
from services_catalog.xlsx import write_workbook
from tests.factories import UserFactory

URL = "/admin/catalog-import/"
DATABASE_QUEUE = {"default": {"BACKEND": environment.DATABASE_TASKS}}


def user_with(*codenames):
    group = Group.objects.create(name=f"组{len(codenames)}{'-'.join(codenames)}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user = UserFactory()
    user.groups.add(group)
    return user


@pytest.fixture
def editor(db):
    return user_with("add_serviceitempage", "change_serviceitempage")


@pytest.fixture
def publisher(editor, home_page):
    """The editor, allowed to publish the whole site as well."""
    GroupPagePermission.objects.create(
        group=editor.groups.get(),
        page=home_page,
        permission=Permission.objects.get(codename="publish_page"),
    )
    return editor


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def demo_upload(name="catalog.json", data=None):
    content = (
        json.dumps(data, ensure_ascii=False).encode()
        if data is not None
        else DEMO_CATALOG.read_bytes()
    )
    return SimpleUploadedFile(name, content, content_type="application/json")


def token_in(html):
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_url_and_menu_item(editor_client, home_page):
    assert reverse("services_catalog_import") == URL
    response = editor_client.get("/admin/")
    assert URL in response.content.decode()
    page = editor_client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "导入事项目录" in html and 'type="file"' in html


@pytest.mark.django_db
def test_upload_shows_the_dry_run_report_then_apply_imports(
    editor_client, publisher, home_page
):
    response = editor_client.post(
        URL, {"file": demo_upload(), "publish": "on"}, follow=True
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "试运行报告" in html
    assert '<th scope="row">事项</th>' in html
    assert '<td data-action="新建">34</td>' in html
    assert not ServiceItemPage.objects.exists()  # nothing written yet
    pending = editor_client.session[SESSION_KEY]
    assert upload_storage().exists(pending["path"])

    applied = editor_client.post(URL, {"token": token_in(html)}, follow=True)

    assert applied.status_code == 200
    assert "导入结果" in applied.content.decode()
    assert ServiceItemPage.objects.live().count() == 34
    item = ServiceItemPage.objects.get(code="11220000SJ0001")
    assert item.latest_revision.user == publisher
    assert not upload_storage().exists(pending["path"])
    # The token is spent: applying again imports nothing more.
    again = editor_client.post(URL, {"token": pending["token"]}, follow=True)
    assert "已失效" in again.content.decode()


@pytest.mark.django_db
def test_without_publish_the_upload_creates_drafts(editor_client, home_page):
    html = editor_client.post(
        URL, {"file": demo_upload()}, follow=True
    ).content.decode()
    editor_client.post(URL, {"token": token_in(html)}, follow=True)
    assert ServiceItemPage.objects.count() == 34
    assert not ServiceItemPage.objects.live().exists()


@pytest.mark.django_db
def test_only_site_publishers_may_publish_through_an_import(
    editor_client, editor, home_page
):
    assert 'name="publish"' not in editor_client.get(URL).content.decode()
    # Ticking it anyway makes no difference: the pages are drafts.
    response = editor_client.post(
        URL, {"file": demo_upload(), "publish": "on"}, follow=True
    )
    editor_client.post(URL, {"token": token_in(response.content.decode())}, follow=True)
    assert ServiceItemPage.objects.count() == 34
    assert not ServiceItemPage.objects.live().exists()


@pytest.mark.django_db
def test_an_xlsx_workbook_can_be_uploaded(editor_client, home_page):
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    workbook = SimpleUploadedFile("目录.xlsx", write_workbook(data))

    html = editor_client.post(URL, {"file": workbook}, follow=True).content.decode()

    assert '<td data-action="新建">34</td>' in html
    editor_client.post(URL, {"token": token_in(html)}, follow=True)
    assert ServiceItemPage.objects.count() == 34


@pytest.mark.django_db
def test_a_bad_file_shows_every_error_and_cannot_be_applied(editor_client, home_page):
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    data["departments"][1]["items"][2]["promised_days"] = 99
    data["departments"][0]["items"][0]["colour"] = "红"

    response = editor_client.post(URL, {"file": demo_upload(data=data)}, follow=True)

    html = response.content.decode()
    assert "文件有错误" in html
    assert "11220000ST0003.promised_days：承诺时限不能大于法定时限" in html
    assert "departments[0].items[0].colour：未知的字段，已忽略" in html
    assert 'name="token"' not in html
    assert not upload_storage().exists(editor_client.session[SESSION_KEY]["path"])
    assert not DepartmentPage.objects.exists()


@pytest.mark.django_db
def test_an_english_uploader_reads_the_error_lines_in_english(editor_client, home_page):
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    data["departments"][1]["items"][2]["promised_days"] = 99
    data["departments"][0]["items"][0]["colour"] = "红"

    response = editor_client.post(
        URL, {"file": demo_upload(data=data)}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    html = response.content.decode()
    assert (
        "11220000ST0003.promised_days: The promised time limit cannot be longer "
        "than the statutory one"
    ) in html
    assert "departments[0].items[0].colour: unknown field, ignored" in html
    assert "承诺时限" not in html and "：" not in html.split("<main", 1)[-1]


@pytest.mark.django_db
def test_a_hostile_file_gets_a_message_not_a_server_error(editor_client, home_page):
    upload = SimpleUploadedFile("deep.json", b"[" * 50_000 + b"]" * 50_000)

    response = editor_client.post(URL, {"file": upload}, follow=True)

    assert response.status_code == 200
    assert "deep.json：JSON 嵌套超过 20 层" in response.content.decode()


@pytest.mark.django_db
def test_only_json_and_xlsx_files_are_accepted(editor_client, home_page):
    upload = SimpleUploadedFile("catalog.csv", b"code,name\n")
    html = editor_client.post(URL, {"file": upload}, follow=True).content.decode()
    assert "只能上传 .json 或 .xlsx 文件" in html


@pytest.mark.django_db
def test_a_user_without_the_catalog_permissions_gets_403(home_page):
    for user in (user_with(), user_with("add_serviceitempage")):
        client = Client()
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": demo_upload()}, follow=True).status_code == 403
        assert URL not in client.get("/admin/").content.decode()
    assert not ServiceItemPage.objects.exists()


@pytest.mark.django_db
def test_the_upload_and_the_apply_need_the_csrf_token(editor, home_page):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(URL, {"file": demo_upload()}, follow=True).status_code == 403

    client.get(URL)
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        URL, {"file": demo_upload(), "csrfmiddlewaretoken": csrf}, follow=True
    )
    assert response.status_code == 200
    token = token_in(response.content.decode())
    assert client.post(URL, {"token": token}, follow=True).status_code == 403
    assert not ServiceItemPage.objects.exists()
    client.post(URL, {"token": token, "csrfmiddlewaretoken": csrf}, follow=True)
    assert ServiceItemPage.objects.count() == 34


@pytest.mark.django_db
def test_a_department_editor_imports_only_their_own_department(home_page):
    from disclosure.permissions import assign_staff
    from portal import roles
    from portal.demo import ensure_user

    catalog = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    sj = next(d for d in catalog["departments"] if d["code"] == "SJ")
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True))
    response = admin.post(URL, {"file": demo_upload()}, follow=True)
    admin.post(URL, {"token": token_in(response.content.decode())}, follow=True)
    sj_page = DepartmentPage.objects.get(code="SJ")
    editor = ensure_user("editor_sj", roles.Role.EDITOR)
    assign_staff(editor, sj_page, staff_roles=[roles.Role.EDITOR])
    client = Client()
    client.force_login(editor)

    response = client.post(URL, {"file": demo_upload()}, follow=True)
    html = response.content.decode()
    assert "ST：您只能导入本部门的事项目录" in html
    assert 'name="token"' not in html

    sj["items"][0]["name"] = "食品经营许可（本部门修改）"
    response = client.post(
        URL,
        {"file": demo_upload(data={"format": "catalog/1", "departments": [sj]})},
        follow=True,
    )
    client.post(URL, {"token": token_in(response.content.decode())}, follow=True)
    item = ServiceItemPage.objects.get(code=sj["items"][0]["code"])
    assert item.get_latest_revision_as_object().title == "食品经营许可（本部门修改）"


# The background task on the database queue, as in production: the worker runs it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_import_runs_in_the_background_and_the_page_shows_its_progress(
    editor_client, home_page
):
    with override_settings(TASKS=DATABASE_QUEUE):
        response = editor_client.post(URL, {"file": demo_upload()})

        assert response.status_code == 302
        status_url = response["Location"]
        waiting = editor_client.get(status_url).content.decode()
        assert "正在检查：catalog.json" in waiting
        assert "<progress" in waiting and "排队等候中" in waiting
        assert "catalog_import.js" in waiting and "刷新进度" in waiting
        progress = editor_client.get(f"{status_url}progress/").json()
        assert progress["finished"] is False
        assert not ServiceItemPage.objects.exists()

        call_command("worker", batch=True)

        assert editor_client.get(f"{status_url}progress/").json()["finished"]
        html = editor_client.get(status_url).content.decode()
        assert "试运行报告" in html and '<td data-action="新建">34</td>' in html
        applied = editor_client.post(URL, {"token": token_in(html)})
        assert applied["Location"] == status_url
        assert (
            "正在导入：catalog.json" in editor_client.get(status_url).content.decode()
        )
        assert not ServiceItemPage.objects.exists()

        call_command("worker", batch=True)

        assert "导入结果" in editor_client.get(status_url).content.decode()
        assert ServiceItemPage.objects.count() == 34


@pytest.mark.django_db
def test_a_running_import_shows_how_many_items_are_done(editor_client, home_page):
    with override_settings(TASKS=DATABASE_QUEUE):
        status_url = editor_client.post(URL, {"file": demo_upload()})["Location"]
    token = editor_client.session[SESSION_KEY]["token"]
    ImportStatus(token).write(CHECK, RUNNING, done=2500, total=10000)

    html = editor_client.get(status_url).content.decode()

    assert re.search(r'<progress[^>]*max="10000" value="2500"', html)
    assert "已处理 2500 / 10000 个事项" in html
    assert editor_client.get(f"{status_url}progress/").json() == {
        "finished": False,
        "done": 2500,
        "total": 10000,
        "text": "已处理 2500 / 10000 个事项",
    }


@pytest.mark.django_db
def test_another_user_cannot_follow_an_import(editor_client, home_page):
    status_url = editor_client.post(URL, {"file": demo_upload()})["Location"]
    other = Client()
    other.force_login(
        user_with(
            "add_serviceitempage", "change_serviceitempage", "view_serviceitempage"
        )
    )

    refused = other.get(status_url, follow=True)
    assert "已失效" in refused.content.decode()
    assert "试运行报告" not in refused.content.decode()
    assert other.get(f"{status_url}progress/").json() == {"finished": True}


@pytest.mark.django_db
def test_an_import_that_fails_says_so_and_writes_nothing(
    editor_client, home_page, monkeypatch
):
    def failing(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(tasks, "import_catalog_file", failing)

    response = editor_client.post(URL, {"file": demo_upload()}, follow=True)

    assert response.status_code == 200
    assert "导入时出错，未写入任何内容" in response.content.decode()
    assert 'name="token"' not in response.content.decode()
    assert not ServiceItemPage.objects.exists()


@pytest.mark.django_db
def test_the_progress_and_a_failure_read_in_each_language(
    editor_client, home_page, monkeypatch
):
    with override_settings(TASKS=DATABASE_QUEUE):
        status_url = editor_client.post(URL, {"file": demo_upload()})["Location"]

    english = editor_client.get(status_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Checking: catalog.json" in english
    assert "Queued, starting shortly…" in english
    assert "The import runs in the background: you may leave this page" in english
    assert "Refresh progress" in english
    chinese = editor_client.get(
        status_url, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "正在检查：catalog.json" in chinese and "排队等候中，马上开始……" in chinese
    assert "导入在后台进行，可以离开本页" in chinese and "刷新进度" in chinese

    token = editor_client.session[SESSION_KEY]["token"]
    ImportStatus(token).write(CHECK, RUNNING, done=2500, total=10000)
    english = editor_client.get(status_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2500 of 10000 items processed" in english

    def failing(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(tasks, "import_catalog_file", failing)
    failed = editor_client.post(
        URL, {"file": demo_upload()}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "catalog.json: The import failed and nothing was written." in (
        failed.content.decode()
    )
    failed = editor_client.post(
        URL, {"file": demo_upload()}, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True
    )
    assert "catalog.json：导入时出错，未写入任何内容。" in failed.content.decode()
